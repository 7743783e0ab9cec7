import type { IsoDate } from '../calendar/iso-date.ts';
import { assert } from '../errors.ts';
import { Account } from '../ledger/account.ts';
import { JournalEntry } from '../ledger/journal-entry.ts';
import { Money } from '../money/money.ts';
import { type Pledge, type PledgeStage, Pledges, pledgeStages } from './pledge.ts';

/**
 * The journal entries a pledge writes (docs/ledger.md has the chart and an example journal):
 *
 *     announced:  Dr pledges:announced:<DONOR>    Cr donors:<DONOR>
 *     committed:  Dr pledges:committed:<DONOR>    Cr pledges:<previous stage>:<DONOR>
 *     paid:       Dr pledges:paid:<DONOR>         Cr pledges:<previous stage>:<DONOR>
 *                 Dr assets:pool                  Cr income:contributions:<DONOR>
 *
 * The `pledges` and `donors` accounts are memorandum accounts: they follow promised money by stage
 * (`pledges` totals everything announced; `pledges:committed` + `pledges:paid` what is committed;
 * `pledges:paid` what is paid). Money actually received enters `assets:pool`. A re-announcement
 * (`duplicateOf`) or a pledge of unknown amount writes no entry at all, so it is never counted.
 */
function stageEntry(pledge: Pledge, amount: Money, from: PledgeStage | null, to: PledgeStage, date: IsoDate) {
  const credit = from === null ? Account.donor(pledge.donor) : Account.pledges(from, pledge.donor);
  const postings = [
    { account: Account.pledges(to, pledge.donor), amount },
    { account: credit, amount: Money.negate(amount) },
  ];
  if (to === 'paid') {
    postings.push(
      { account: Account.pool, amount },
      { account: Account.contributions(pledge.donor), amount: Money.negate(amount) },
    );
  }
  return JournalEntry.create({
    date,
    description: `${pledge.donor} pledge ${pledge.ref} ${to}`,
    postings,
    tags: { pledge: pledge.id, stage: to },
  });
}

function stageDate(pledge: Pledge, stage: PledgeStage): IsoDate | null {
  return stage === 'announced'
    ? pledge.announcedOn
    : stage === 'committed'
      ? pledge.committedOn
      : pledge.paidOn;
}

export const PledgeLedger = {
  /**
   * The entries of a newly recorded pledge: its announcement, then one entry per later stage it was
   * recorded at, each dated on its stage date, exactly as if the changes had been made one by one.
   * None for a re-announcement or an unknown amount.
   */
  creationEntries(pledge: Pledge): JournalEntry[] {
    if (!Pledges.carriesMoney(pledge) || pledge.amount === null) return [];
    const entries: JournalEntry[] = [];
    let previous: PledgeStage | null = null;
    for (const stage of pledgeStages) {
      const date = stageDate(pledge, stage);
      if (date === null) continue;
      entries.push(stageEntry(pledge, pledge.amount, previous, stage, date));
      previous = stage;
      if (stage === pledge.stage) break;
    }
    return entries;
  },

  /** The entry of a stage change from `before` to `after` (see `Pledges.transition`); null when no money moves. */
  transitionEntry(before: Pledge, after: Pledge): JournalEntry | null {
    if (typeof before !== 'object' || before === null || typeof after !== 'object' || after === null) {
      throw new TypeError('PledgeLedger.transitionEntry takes two Pledges');
    }
    assert(before.id === after.id, 'a transition entry concerns one pledge');
    assert(
      Pledges.reached(after.stage, before.stage) && after.stage !== before.stage,
      'the stage moved forward',
    );
    if (!Pledges.carriesMoney(after) || after.amount === null) return null;
    const date = stageDate(after, after.stage);
    assert(date !== null, 'the new stage has its date');
    return stageEntry(after, after.amount, before.stage, after.stage, date);
  },
} as const;
