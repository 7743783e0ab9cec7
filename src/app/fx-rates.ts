import type { IsoDate } from '../core/calendar/iso-date.ts';
import type { Actor } from '../core/directory/organization.ts';
import { type FxRateRecord, FxTable } from '../core/fx/fx-table.ts';
import { Currency } from '../core/money/currency.ts';
import type { Rate } from '../core/money/rate.ts';
import type { Page, PageRequest } from '../store/page.ts';
import type { Repositories } from '../store/unit-of-work.ts';
import { type AppContext, audit, authorize, timestamp } from './context.ts';

export interface EcbImportOutcome {
  readonly rates: number;
  readonly currencies: number;
  readonly firstDate: IsoDate | null;
  readonly lastDate: IsoDate | null;
}

/**
 * Imports an ECB reference-rate file (daily or historical): all its USD cross rates, or nothing
 * (a corrupt or truncated file is refused by line before anything is written).
 */
export async function importEcbRates(
  context: AppContext,
  actor: Actor,
  csv: string,
): Promise<EcbImportOutcome> {
  authorize(actor, 'fx-rate.import');
  const { rates } = FxTable.fromEcbCsv(csv);
  const records = rates.map(FxTable.toRecord);
  const dates = records.map((record) => record.date).sort();
  const outcome: EcbImportOutcome = {
    rates: records.length,
    currencies: new Set(records.map((record) => record.currency)).size,
    firstDate: dates[0] ?? null,
    lastDate: dates[dates.length - 1] ?? null,
  };
  await context.store.transaction(async (repositories) => {
    await repositories.fxRates.upsert(records, timestamp(context));
    await audit(context, repositories, actor, {
      action: 'fx-rate.import',
      objectType: 'fx-rates',
      objectId: `${outcome.firstDate}..${outcome.lastDate}`,
      before: null,
      after: { records },
    });
  });
  return outcome;
}

export async function recordFxRate(
  context: AppContext,
  actor: Actor,
  input: FxRateRecord,
): Promise<FxRateRecord> {
  authorize(actor, 'fx-rate.create');
  const record = FxTable.toRecord(
    FxTable.perUsd(Currency.parse(input.currency), input.perUsd, input.date, input.source),
  );
  await context.store.transaction(async (repositories) => {
    const before = await repositories.fxRates.latestOnOrBefore(record.currency, record.date);
    await repositories.fxRates.upsert([record], timestamp(context));
    await audit(context, repositories, actor, {
      action: 'fx-rate.create',
      objectType: 'fx-rate',
      objectId: `${record.currency}:${record.date}`,
      before: before?.date === record.date ? before : null,
      after: record,
    });
  });
  return record;
}

/** The per-USD rate in force on a date: the latest on or before it, never a guess. */
export async function rateInForce(
  repositories: Repositories,
  currency: string,
  date: IsoDate,
): Promise<Rate> {
  const code = Currency.parse(currency);
  const stored = code === 'USD' ? undefined : await repositories.fxRates.latestOnOrBefore(code, date);
  const candidates = stored ? [FxTable.perUsd(code, stored.perUsd, stored.date, stored.source)] : [];
  return FxTable.rateOn(candidates, code, date);
}

export async function getRateInForce(
  context: AppContext,
  actor: Actor,
  currency: string,
  date: IsoDate,
): Promise<FxRateRecord> {
  authorize(actor, 'fx-rate.list');
  const rate = await rateInForce(context.store.read, currency, date);
  return FxTable.toRecord(rate);
}

export function listFxRates(
  context: AppContext,
  actor: Actor,
  filter: { currency?: string },
  page: PageRequest,
): Promise<Page<FxRateRecord>> {
  authorize(actor, 'fx-rate.list');
  return context.store.read.fxRates.list(filter, page);
}
