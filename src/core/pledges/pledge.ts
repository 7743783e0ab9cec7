import { IsoDate } from '../calendar/iso-date.ts';
import { organizationCodePattern } from '../directory/organization.ts';
import { assert, Failure } from '../errors.ts';
import { Currency, type CurrencyCode } from '../money/currency.ts';
import { Money } from '../money/money.ts';
import { Rate } from '../money/rate.ts';
import type { Earmark } from './earmark.ts';

/** A pledge moves forward only: announced → committed → paid (committed may be skipped). */
export const pledgeStages = ['announced', 'committed', 'paid'] as const;
export type PledgeStage = (typeof pledgeStages)[number];

/**
 * `public`: everyone sees it. `amount-undisclosed`: the public sees that it exists, never its amount
 * (which PURL Desk may not know either: the amount is then null). `restricted`: the public does not
 * see it at all.
 */
export const pledgeVisibilities = ['public', 'amount-undisclosed', 'restricted'] as const;
export type PledgeVisibility = (typeof pledgeVisibilities)[number];

/** The USD value of a pledge, locked with the per-USD rate of its latest stage change. */
export interface UsdValue {
  readonly amount: Money;
  /** The exact per-USD rate used (units of the pledge's currency per 1 USD). */
  readonly perUsd: string;
  readonly rateDate: IsoDate;
  readonly rateSource: string;
}

/**
 * A contribution of a donor government: the money in the currency it was announced in, never
 * converted away; where and when it was announced; its stage and the date of each stage change.
 * A re-announcement of money already recorded points at the original with `duplicateOf` and never
 * carries ledger money, so no total counts it twice.
 */
export interface Pledge {
  readonly id: string;
  readonly ref: string;
  /** The donor organisation's code (`GBR`). */
  readonly donor: string;
  /** Null only when the amount is undisclosed and unknown (a classified pledge). */
  readonly amount: Money | null;
  readonly announcedOn: IsoDate;
  readonly forum: string;
  readonly source: string;
  readonly stage: PledgeStage;
  readonly committedOn: IsoDate | null;
  readonly paidOn: IsoDate | null;
  readonly earmark: Earmark;
  readonly visibility: PledgeVisibility;
  readonly duplicateOf: string | null;
  readonly usd: UsdValue | null;
}

/** A pledge as recorded; it may be recorded at a later stage with the dates of its stage changes. */
export interface NewPledge {
  readonly id: string;
  readonly ref: string;
  readonly donor: string;
  readonly amount: Money | null;
  readonly announcedOn: IsoDate;
  readonly forum: string;
  readonly source: string;
  readonly stage?: PledgeStage;
  readonly committedOn?: IsoDate | null;
  readonly paidOn?: IsoDate | null;
  readonly earmark: Earmark;
  readonly visibility: PledgeVisibility;
  readonly duplicateOf?: string | null;
}

export interface PledgeTransition {
  readonly to: PledgeStage;
  readonly on: IsoDate;
}

const usd = 'USD' as CurrencyCode;

function stageIndex(stage: PledgeStage): number {
  if (typeof stage !== 'string') throw new TypeError('A pledge stage is a name, never a JS number');
  return pledgeStages.indexOf(stage);
}

function requirePledge(value: unknown, where: string): asserts value is Pledge {
  if (typeof value !== 'object' || value === null || typeof (value as Pledge).announcedOn !== 'string') {
    throw new TypeError(`${where} takes a Pledge`);
  }
}

function date(text: unknown, path: string): IsoDate {
  if (typeof text === 'number') throw new TypeError(`${path.slice(1)} is a date string, never a JS number`);
  if (typeof text !== 'string' || !IsoDate.isValid(text)) {
    throw new Failure('VALIDATION_FAILED', `${path.slice(1)} is not a date (YYYY-MM-DD).`, [
      { path, message: 'a date YYYY-MM-DD' },
    ]);
  }
  return text;
}

/** The date of the pledge's latest stage change: the date whose rate values it in USD. */
function latestStageDate(pledge: {
  readonly announcedOn: IsoDate;
  readonly committedOn?: IsoDate | null;
  readonly paidOn?: IsoDate | null;
}): IsoDate {
  return pledge.paidOn ?? pledge.committedOn ?? pledge.announcedOn;
}

/**
 * The USD value of `amount` with `rate` (a per-USD rate of the amount's currency, dated on or
 * before `on`; null for a USD amount), rounded once, half-even. A rate that does not fit is a
 * programming error: the caller looked up the wrong one.
 */
function valueInUsd(amount: Money | null, rate: Rate | null, on: IsoDate): UsdValue | null {
  if (amount === null) return null;
  const used = rate ?? (amount.currency === usd ? Rate.identity(usd, on) : null);
  assert(used !== null, `a ${amount.currency} pledge is valued with a per-USD rate`);
  assert(used.base === usd && used.quote === amount.currency, `the rate is USD/${amount.currency}`);
  assert(used.date <= on, `the rate of ${on} is dated on or before it`);
  const conversion = Money.convert(amount, used, usd, 'half-even');
  return Object.freeze({
    amount: conversion.to,
    perUsd: Rate.format(used),
    rateDate: used.date,
    rateSource: used.source,
  });
}

export const Pledges = {
  /** References are short and human: P-1, P-17. */
  ref(sequenceNumber: number): string {
    assert(
      Number.isSafeInteger(sequenceNumber) && sequenceNumber > 0,
      'a pledge sequence number is a positive integer',
    );
    return `P-${sequenceNumber}`;
  },

  isStage(value: unknown): value is PledgeStage {
    return typeof value === 'string' && (pledgeStages as readonly string[]).includes(value);
  },

  /** True when `stage` is `than` or later (a committed total counts committed and paid pledges). */
  reached(stage: PledgeStage, than: PledgeStage): boolean {
    return stageIndex(stage) >= stageIndex(than);
  },

  /** The date whose rate values a new pledge in USD: the date of its latest stage. */
  valuationDate(pledge: NewPledge | Pledge): IsoDate {
    requirePledge(pledge, 'Pledges.valuationDate');
    return latestStageDate(pledge);
  },

  /** Whether the pledge's money counts in totals and in the ledger: not a re-announcement, amount known. */
  carriesMoney(pledge: Pledge): boolean {
    requirePledge(pledge, 'Pledges.carriesMoney');
    return pledge.duplicateOf === null && pledge.amount !== null;
  },

  /**
   * Checks a new pledge without recording it, so a use case can refuse it before it looks up a
   * rate. A non-positive amount is `MONEY_OUT_OF_RANGE`; a null amount that is not
   * `amount-undisclosed`, a malformed donor code or date, stage dates that do not fit the stage, a
   * re-announcement past `announced` or pointing at itself: `VALIDATION_FAILED`; stage dates out of
   * order: `PLEDGE_DATE_OUT_OF_ORDER`.
   */
  check(input: NewPledge): void {
    if (typeof input !== 'object' || input === null) throw new TypeError('Pledges.check takes an object');
    const amount = input.amount;
    if (amount !== null) {
      if (typeof amount !== 'object' || typeof amount.minor !== 'bigint') {
        throw new TypeError('A pledge amount is Money, never a JS number');
      }
      Currency.scale(amount.currency);
      if (amount.minor <= 0n) {
        throw new Failure('MONEY_OUT_OF_RANGE', 'A pledge is a positive amount.', [
          { path: '/amount', message: 'greater than zero' },
        ]);
      }
    } else if (input.visibility !== 'amount-undisclosed') {
      throw new Failure('VALIDATION_FAILED', 'Only a pledge whose amount is undisclosed may omit it.', [
        { path: '/amount', message: 'required unless visibility is amount-undisclosed' },
      ]);
    }
    if (typeof input.donor !== 'string' || !organizationCodePattern.test(input.donor)) {
      throw new Failure('VALIDATION_FAILED', 'The donor is an organisation code.', [
        { path: '/donor', message: 'an organisation code such as GBR' },
      ]);
    }
    if (!(pledgeVisibilities as readonly string[]).includes(input.visibility)) {
      throw new Failure('VALIDATION_FAILED', 'Unknown visibility.', [
        { path: '/visibility', message: 'unknown' },
      ]);
    }
    const stage = input.stage ?? 'announced';
    if (!Pledges.isStage(stage)) {
      throw new Failure('VALIDATION_FAILED', 'Unknown stage.', [{ path: '/stage', message: 'unknown' }]);
    }
    const announcedOn = date(input.announcedOn, '/announcedOn');
    const committedOn = input.committedOn ? date(input.committedOn, '/committedOn') : null;
    const paidOn = input.paidOn ? date(input.paidOn, '/paidOn') : null;
    if ((stage === 'paid') !== (paidOn !== null) || (stage === 'announced' && committedOn !== null)) {
      throw new Failure(
        'VALIDATION_FAILED',
        `A ${stage} pledge has the dates of the stages it reached, only.`,
        [{ path: '/stage', message: 'committedOn and paidOn must match the stage' }],
      );
    }
    if (stage === 'committed' && committedOn === null) {
      throw new Failure('VALIDATION_FAILED', 'A committed pledge has its commitment date.', [
        { path: '/committedOn', message: 'required for a committed pledge' },
      ]);
    }
    const ordered = [announcedOn, committedOn, paidOn].filter((value): value is IsoDate => value !== null);
    if (ordered.some((value, index) => index > 0 && value < (ordered[index - 1] ?? value))) {
      throw new Failure('PLEDGE_DATE_OUT_OF_ORDER', 'The stage dates of a pledge follow each other in time.');
    }
    const duplicateOf = input.duplicateOf ?? null;
    if (duplicateOf !== null && (duplicateOf === input.id || stage !== 'announced')) {
      throw new Failure(
        'VALIDATION_FAILED',
        'A re-announcement points at another pledge and stays announced.',
        [{ path: '/duplicateOf', message: 'another pledge, with stage announced' }],
      );
    }
  },

  /**
   * Records a pledge (refusals as in `check`). `usdRate` is the per-USD rate in force on
   * `Pledges.valuationDate(input)`: null for a USD amount or an unknown one.
   */
  create(input: NewPledge, usdRate: Rate | null): Pledge {
    Pledges.check(input);
    const amount = input.amount;
    const stage = input.stage ?? 'announced';
    const announcedOn = input.announcedOn;
    const committedOn = input.committedOn || null;
    const paidOn = input.paidOn || null;
    const duplicateOf = input.duplicateOf ?? null;
    return Object.freeze({
      id: input.id,
      ref: input.ref,
      donor: input.donor,
      amount,
      announcedOn,
      forum: input.forum,
      source: input.source,
      stage,
      committedOn,
      paidOn,
      earmark: input.earmark,
      visibility: input.visibility,
      duplicateOf,
      usd: valueInUsd(amount, usdRate, latestStageDate({ announcedOn, committedOn, paidOn })),
    });
  },

  /**
   * Checks a stage change without performing it, so a use case can refuse it before it looks up a
   * rate. Backwards, repeated, unknown or on a re-announcement: `INVALID_TRANSITION`; dated before
   * the announcement or the previous stage change: `PLEDGE_DATE_OUT_OF_ORDER`.
   */
  checkTransition(pledge: Pledge, change: PledgeTransition): void {
    requirePledge(pledge, 'Pledges.checkTransition');
    if (typeof change !== 'object' || change === null || typeof change.to === 'number') {
      throw new TypeError('A transition is { to: stage name, on: date }');
    }
    if (!Pledges.isStage(change.to)) {
      throw new Failure('INVALID_TRANSITION', `'${String(change.to).slice(0, 20)}' is not a pledge stage.`);
    }
    if (pledge.duplicateOf !== null) {
      throw new Failure(
        'INVALID_TRANSITION',
        `Pledge ${pledge.ref} re-announces pledge ${pledge.duplicateOf}; move the original instead.`,
      );
    }
    if (stageIndex(change.to) <= stageIndex(pledge.stage)) {
      throw new Failure(
        'INVALID_TRANSITION',
        `A pledge cannot move from '${pledge.stage}' to '${change.to}'.`,
      );
    }
    const on = date(change.on, '/on');
    const previous = latestStageDate(pledge);
    if (on < previous) {
      const what = previous === pledge.announcedOn ? 'its announcement' : `its ${pledge.stage} date`;
      throw new Failure(
        'PLEDGE_DATE_OUT_OF_ORDER',
        `Pledge ${pledge.ref} cannot be ${change.to} on ${on}, before ${what} (${previous}).`,
      );
    }
  },

  /**
   * The pledge after a stage change, its USD value locked again with `usdRate`: the per-USD rate in
   * force on `change.on` (null for a USD or unknown amount). Refusals as in `checkTransition`.
   */
  transition(pledge: Pledge, change: PledgeTransition, usdRate: Rate | null): Pledge {
    Pledges.checkTransition(pledge, change);
    return Object.freeze({
      ...pledge,
      stage: change.to,
      committedOn: change.to === 'committed' ? change.on : pledge.committedOn,
      paidOn: change.to === 'paid' ? change.on : pledge.paidOn,
      usd: valueInUsd(pledge.amount, usdRate, change.on),
    });
  },
} as const;
