import type { IsoDate } from '../../core/calendar/iso-date.ts';
import type { Actor } from '../../core/directory/organization.ts';
import type { AccountName } from '../../core/ledger/account.ts';
import { Money } from '../../core/money/money.ts';
import type { RecordedEntry } from '../../store/ledger.repository.ts';
import type { StoredPledge } from '../../store/pledge.repository.ts';
import type { UserWithOrganization } from '../../store/user.repository.ts';
import { type AllocationPlan, type PlannedAllocation, planAllocation } from '../allocation.ts';
import { type AuditQuery, listAuditEvents } from '../audit.ts';
import { listCategories } from '../categories.ts';
import { type AppContext, today } from '../context.ts';
import { listOrganizations, listUsers } from '../directory.ts';
import { getRateInForce, listFxRates } from '../fx-rates.ts';
import { accountBalances, listEntries } from '../ledger.ts';
import { getPackage, listPackages, type PackageView } from '../packages.ts';
import { readablePledges } from '../pledges.ts';
import { everyItem } from './paged-lists.ts';
import {
  anyTable,
  type ExportColumn,
  type ExportFormat,
  type TableDownload,
  tableDownload,
  tablesDownload,
} from './table-export.ts';

/**
 * The downloads (`?format=csv|xlsx|json`) of the lists that are not import templates: packages,
 * a package's lines, the allocation plan, the ledger's balances and entries, the audit chain, and
 * the reference lists (rates, categories, organisations, users). Each reads its rows through the
 * list use case the JSON route calls, with the same filters, so a download holds exactly the rows
 * the caller may list, never more. Long lists are read page by page as the file is written.
 *
 * Column style (docs/import.md, "Every other list"): stable ids and codes first; every amount an exact decimal string
 * beside its ISO 4217 code; a converted amount with the rate, its date and its source.
 */

async function* flatMapOf<T, U>(items: AsyncIterable<T>, each: (item: T) => Iterable<U>): AsyncIterable<U> {
  for await (const item of items) yield* each(item);
}

const amount = (money: Money | null | undefined): string | null => (money ? Money.format(money) : null);

// --- packages --------------------------------------------------------------------------------

const packageColumns: ExportColumn<PackageView>[] = [
  { key: 'id', kind: 'code', value: (view) => view.package.id },
  { key: 'ref', kind: 'code', value: (view) => view.package.ref },
  { key: 'rank', kind: 'integer', value: (view) => view.package.rank },
  { key: 'name', kind: 'text', value: (view) => view.package.name },
  { key: 'status', kind: 'code', value: (view) => view.package.status },
  { key: 'currency', kind: 'code', value: (view) => view.package.target.currency },
  { key: 'target', kind: 'amount', value: (view) => amount(view.package.target) },
  { key: 'price', kind: 'amount', value: (view) => amount(view.price) },
  { key: 'funded', kind: 'amount', value: (view) => amount(view.funded) },
  { key: 'coverage', kind: 'code', value: (view) => view.coverage },
  { key: 'lines', kind: 'integer', value: (view) => view.package.lines.length },
  { key: 'deliveries', kind: 'integer', value: (view) => view.deliveries.length },
  { key: 'version', kind: 'integer', value: (view) => view.package.version },
  { key: 'createdAt', kind: 'code', value: (view) => view.package.createdAt },
  { key: 'updatedAt', kind: 'code', value: (view) => view.package.updatedAt },
];

/** The packages the caller may list (a donor those it funds), in rank order; package money is USD. */
export async function exportPackages(
  context: AppContext,
  actor: Actor,
  filter: { status?: PackageView['package']['status'] },
  format: ExportFormat,
): Promise<TableDownload> {
  const rows = await everyItem((page) => listPackages(context, actor, filter, page));
  return tableDownload(format, {
    name: `packages-${today(context)}`,
    sheetName: 'packages',
    columns: packageColumns,
    rows,
  });
}

interface PackageLineRow {
  readonly view: PackageView;
  readonly line: PackageView['package']['lines'][number];
}

const packageLineColumns: ExportColumn<PackageLineRow>[] = [
  { key: 'packageId', kind: 'code', value: ({ view }) => view.package.id },
  { key: 'packageRef', kind: 'code', value: ({ view }) => view.package.ref },
  { key: 'lineId', kind: 'code', value: ({ line }) => line.id },
  { key: 'lineNo', kind: 'integer', value: ({ line }) => line.lineNo },
  { key: 'requirementId', kind: 'code', value: ({ line }) => line.requirementId },
  { key: 'requirementRef', kind: 'code', value: ({ line }) => line.requirementRef },
  { key: 'category', kind: 'code', value: ({ line }) => line.category },
  { key: 'quantity', kind: 'integer', value: ({ line }) => line.quantity },
  { key: 'currency', kind: 'code', value: ({ view }) => view.funded.currency },
  { key: 'amount', kind: 'amount', value: ({ line }) => amount(line.amount) },
  {
    key: 'funded',
    kind: 'amount',
    value: ({ view, line }) => amount(view.fundedByLine.get(line.id) ?? Money.zero(view.funded.currency)),
  },
  { key: 'deliveredQuantity', kind: 'integer', value: ({ line }) => line.deliveredQuantity },
  { key: 'receivedQuantity', kind: 'integer', value: ({ line }) => line.receivedQuantity },
];

/** The lines of one package the caller may read (404 otherwise), with what each is funded. */
export async function exportPackageLines(
  context: AppContext,
  actor: Actor,
  id: string,
  format: ExportFormat,
): Promise<TableDownload> {
  const view = await getPackage(context, actor, id);
  return tableDownload(format, {
    name: `package-${view.package.ref}-lines-${today(context)}`,
    sheetName: 'lines',
    columns: packageLineColumns,
    rows: view.package.lines.map((line) => ({ view, line })),
  });
}

// --- the allocation plan ---------------------------------------------------------------------

export const planTableNames = ['allocations', 'lines', 'shortfalls', 'pledges'] as const;
export type PlanTableName = (typeof planTableNames)[number];

interface AllocationRow {
  readonly allocation: PlannedAllocation;
  readonly pledge: StoredPledge | null;
}

/**
 * The allocation plan the caller may read, as tables: `allocations` (each pledge's own money with
 * the USD it gives a line, and the pledge's locked rate), `lines`, `shortfalls` and `pledges`.
 * XLSX has one sheet per table; CSV and JSON the one `table` (allocations unless named).
 */
export async function exportAllocationPlan(
  context: AppContext,
  actor: Actor,
  format: ExportFormat,
  table?: PlanTableName,
): Promise<TableDownload> {
  const plan: AllocationPlan = await planAllocation(context, actor);
  // The rate each allocation was converted at is its pledge's locked rate, read with the caller's rights.
  const pledges = await readablePledges(
    context,
    actor,
    plan.allocations.map((allocation) => allocation.pledgeId),
  );
  const allocations: AllocationRow[] = plan.allocations.map((allocation) => ({
    allocation,
    pledge: pledges.get(allocation.pledgeId) ?? null,
  }));
  const converted = (row: AllocationRow) =>
    row.allocation.amount.currency === row.allocation.usd.currency ? null : (row.pledge?.usd ?? null);
  const tables = [
    anyTable<AllocationRow>({
      name: 'allocations',
      sheetName: 'allocations',
      rows: allocations,
      columns: [
        { key: 'pledgeId', kind: 'code', value: ({ allocation }) => allocation.pledgeId },
        { key: 'pledgeRef', kind: 'code', value: ({ allocation }) => allocation.pledgeRef },
        { key: 'donor', kind: 'code', value: ({ allocation }) => allocation.donor },
        { key: 'packageId', kind: 'code', value: ({ allocation }) => allocation.packageId },
        { key: 'packageRef', kind: 'code', value: ({ allocation }) => allocation.packageRef },
        { key: 'lineId', kind: 'code', value: ({ allocation }) => allocation.lineId },
        { key: 'amount', kind: 'amount', value: ({ allocation }) => amount(allocation.amount) },
        { key: 'currency', kind: 'code', value: ({ allocation }) => allocation.amount.currency },
        { key: 'usdAmount', kind: 'amount', value: ({ allocation }) => amount(allocation.usd) },
        { key: 'usdRate', kind: 'code', value: (row) => converted(row)?.perUsd ?? null },
        { key: 'usdRateDate', kind: 'code', value: (row) => converted(row)?.rateDate ?? null },
        { key: 'usdRateSource', kind: 'text', value: (row) => converted(row)?.rateSource ?? null },
      ],
    }),
    anyTable<AllocationPlan['lines'][number]>({
      name: 'lines',
      sheetName: 'lines',
      rows: plan.lines,
      columns: [
        { key: 'lineId', kind: 'code', value: (line) => line.lineId },
        { key: 'packageId', kind: 'code', value: (line) => line.packageId },
        { key: 'packageRef', kind: 'code', value: (line) => line.packageRef },
        { key: 'lineNo', kind: 'integer', value: (line) => line.lineNo },
        { key: 'requirementRef', kind: 'code', value: (line) => line.requirementRef },
        { key: 'category', kind: 'code', value: (line) => line.category },
        { key: 'currency', kind: 'code', value: (line) => line.price.currency },
        { key: 'price', kind: 'amount', value: (line) => amount(line.price) },
        { key: 'allocatedBefore', kind: 'amount', value: (line) => amount(line.allocatedBefore) },
        { key: 'planned', kind: 'amount', value: (line) => amount(line.planned) },
        { key: 'missing', kind: 'amount', value: (line) => amount(line.missing) },
      ],
    }),
    anyTable<AllocationPlan['shortfalls'][number]>({
      name: 'shortfalls',
      sheetName: 'shortfalls',
      rows: plan.shortfalls,
      columns: [
        { key: 'lineId', kind: 'code', value: (shortfall) => shortfall.lineId },
        { key: 'packageId', kind: 'code', value: (shortfall) => shortfall.packageId },
        { key: 'packageRef', kind: 'code', value: (shortfall) => shortfall.packageRef },
        { key: 'lineNo', kind: 'integer', value: (shortfall) => shortfall.lineNo },
        { key: 'currency', kind: 'code', value: (shortfall) => shortfall.missing.currency },
        { key: 'missing', kind: 'amount', value: (shortfall) => amount(shortfall.missing) },
        { key: 'reason', kind: 'text', value: (shortfall) => shortfall.reason },
        { key: 'eligiblePledges', kind: 'integer', value: (shortfall) => shortfall.eligible.pledges },
        { key: 'eligibleTotal', kind: 'amount', value: (shortfall) => amount(shortfall.eligible.total) },
        { key: 'swappablePledges', kind: 'integer', value: (shortfall) => shortfall.swappable.pledges },
        { key: 'swappableTotal', kind: 'amount', value: (shortfall) => amount(shortfall.swappable.total) },
      ],
    }),
    anyTable<AllocationPlan['pledges'][number]>({
      name: 'pledges',
      sheetName: 'pledges',
      rows: plan.pledges,
      columns: [
        { key: 'pledgeId', kind: 'code', value: (pledge) => pledge.pledgeId },
        { key: 'pledgeRef', kind: 'code', value: (pledge) => pledge.pledgeRef },
        { key: 'donor', kind: 'code', value: (pledge) => pledge.donor },
        { key: 'hypothetical', kind: 'code', value: (pledge) => String(pledge.hypothetical) },
        { key: 'currency', kind: 'code', value: (pledge) => pledge.available.currency },
        { key: 'available', kind: 'amount', value: (pledge) => amount(pledge.available) },
        { key: 'allocated', kind: 'amount', value: (pledge) => amount(pledge.allocated) },
        { key: 'remaining', kind: 'amount', value: (pledge) => amount(pledge.remaining) },
        { key: 'lines', kind: 'integer', value: (pledge) => pledge.lines.length },
      ],
    }),
  ];
  return tablesDownload(format, `allocation-plan-${plan.asOf.slice(0, 10)}`, tables, table);
}

// --- the ledger ------------------------------------------------------------------------------

/** Every account's balance per currency as of a day (inclusive; all of the journal without one). */
export async function exportBalances(
  context: AppContext,
  actor: Actor,
  asOf: IsoDate | undefined,
  format: ExportFormat,
): Promise<TableDownload> {
  const balances = await accountBalances(context, actor, asOf);
  return tableDownload(format, {
    name: `ledger-balances-${asOf ?? today(context)}`,
    sheetName: 'balances',
    rows: balances,
    columns: [
      { key: 'account', kind: 'code', value: (balance) => balance.account },
      { key: 'balance', kind: 'amount', value: (balance) => amount(balance.balance) },
      { key: 'currency', kind: 'code', value: (balance) => balance.balance.currency },
      { key: 'asOf', kind: 'code', value: () => asOf ?? null },
    ],
  });
}

interface PostingRow {
  readonly entry: RecordedEntry;
  readonly posting: RecordedEntry['postings'][number];
}

/**
 * The journal entries, one row per posting, in journal order, filtered as the list is (an account
 * and its sub-accounts, a last day). An entry that converts money carries the rate on every row.
 */
export async function exportEntries(
  context: AppContext,
  actor: Actor,
  filter: { account?: AccountName; asOf?: IsoDate },
  format: ExportFormat,
): Promise<TableDownload> {
  const entries = await everyItem((page) => listEntries(context, actor, filter, page));
  const rows = flatMapOf(entries, (entry) => entry.postings.map((posting) => ({ entry, posting })));
  return tableDownload<PostingRow>(format, {
    name: `ledger-entries-${filter.asOf ?? today(context)}`,
    sheetName: 'entries',
    rows,
    columns: [
      { key: 'entryId', kind: 'code', value: ({ entry }) => entry.id },
      { key: 'seq', kind: 'integer', value: ({ entry }) => entry.seq },
      { key: 'date', kind: 'code', value: ({ entry }) => entry.date },
      { key: 'description', kind: 'text', value: ({ entry }) => entry.description },
      { key: 'account', kind: 'code', value: ({ posting }) => posting.account },
      { key: 'amount', kind: 'amount', value: ({ posting }) => amount(posting.amount) },
      { key: 'currency', kind: 'code', value: ({ posting }) => posting.amount.currency },
      {
        key: 'tags',
        kind: 'text',
        value: ({ entry }) =>
          Object.entries(entry.tags)
            .map(([name, value]) => `${name}:${value}`)
            .join(';') || null,
      },
      { key: 'reverses', kind: 'code', value: ({ entry }) => entry.reverses },
      { key: 'conversionFrom', kind: 'amount', value: ({ entry }) => amount(entry.conversion?.from) },
      {
        key: 'conversionFromCurrency',
        kind: 'code',
        value: ({ entry }) => entry.conversion?.from.currency ?? null,
      },
      { key: 'conversionTo', kind: 'amount', value: ({ entry }) => amount(entry.conversion?.to) },
      {
        key: 'conversionToCurrency',
        kind: 'code',
        value: ({ entry }) => entry.conversion?.to.currency ?? null,
      },
      { key: 'rate', kind: 'code', value: ({ entry }) => entry.conversion?.rate ?? null },
      { key: 'rateBase', kind: 'code', value: ({ entry }) => entry.conversion?.rateBase ?? null },
      { key: 'rateQuote', kind: 'code', value: ({ entry }) => entry.conversion?.rateQuote ?? null },
      { key: 'rateDate', kind: 'code', value: ({ entry }) => entry.conversion?.rateDate ?? null },
      { key: 'rateSource', kind: 'text', value: ({ entry }) => entry.conversion?.rateSource ?? null },
      { key: 'recordedAt', kind: 'code', value: ({ entry }) => entry.recordedAt },
    ],
  });
}

// --- the audit chain -------------------------------------------------------------------------

/** The audit events the search selects, in sequence order, with their digests and hashes. */
export async function exportAuditEvents(
  context: AppContext,
  actor: Actor,
  query: AuditQuery,
  format: ExportFormat,
): Promise<TableDownload> {
  const rows = await everyItem((page) => listAuditEvents(context, actor, query, page));
  return tableDownload(format, {
    name: `audit-${today(context)}`,
    sheetName: 'audit',
    rows,
    columns: [
      { key: 'seq', kind: 'integer', value: (event) => event.seq },
      { key: 'occurredAt', kind: 'code', value: (event) => event.occurredAt },
      { key: 'actorUserId', kind: 'code', value: (event) => event.actorUserId },
      { key: 'actorOrganization', kind: 'code', value: (event) => event.actorOrganization },
      { key: 'action', kind: 'code', value: (event) => event.action },
      { key: 'objectType', kind: 'code', value: (event) => event.objectType },
      { key: 'objectId', kind: 'code', value: (event) => event.objectId },
      { key: 'beforeDigest', kind: 'code', value: (event) => event.beforeDigest },
      { key: 'afterDigest', kind: 'code', value: (event) => event.afterDigest },
      { key: 'prevHash', kind: 'code', value: (event) => event.prevHash },
      { key: 'hash', kind: 'code', value: (event) => event.hash },
    ],
  });
}

// --- reference lists -------------------------------------------------------------------------

/** The per-USD rates (of one currency, if named); with a currency and a date, the one rate in force. */
export async function exportFxRates(
  context: AppContext,
  actor: Actor,
  filter: { currency?: string; date?: IsoDate },
  format: ExportFormat,
): Promise<TableDownload> {
  const { currency, date } = filter;
  const rows =
    currency && date
      ? [await getRateInForce(context, actor, currency, date)]
      : await everyItem((page) => listFxRates(context, actor, currency ? { currency } : {}, page));
  return tableDownload(format, {
    name: `fx-rates-${today(context)}`,
    sheetName: 'fx-rates',
    rows,
    columns: [
      { key: 'currency', kind: 'code', value: (rate) => rate.currency },
      { key: 'date', kind: 'code', value: (rate) => rate.date },
      { key: 'perUsd', kind: 'code', value: (rate) => rate.perUsd },
      { key: 'source', kind: 'text', value: (rate) => rate.source },
    ],
  });
}

export async function exportCategories(
  context: AppContext,
  actor: Actor,
  format: ExportFormat,
): Promise<TableDownload> {
  const rows = await everyItem((page) => listCategories(context, actor, page));
  return tableDownload(format, {
    name: `categories-${today(context)}`,
    sheetName: 'categories',
    rows,
    columns: [
      { key: 'code', kind: 'code', value: (category) => category.code },
      { key: 'name', kind: 'text', value: (category) => category.name },
    ],
  });
}

export async function exportOrganizations(
  context: AppContext,
  actor: Actor,
  format: ExportFormat,
): Promise<TableDownload> {
  const rows = await everyItem((page) => listOrganizations(context, actor, page));
  return tableDownload(format, {
    name: `organizations-${today(context)}`,
    sheetName: 'organizations',
    rows,
    columns: [
      { key: 'id', kind: 'code', value: (organization) => organization.id },
      { key: 'code', kind: 'code', value: (organization) => organization.code },
      { key: 'name', kind: 'text', value: (organization) => organization.name },
      { key: 'kind', kind: 'code', value: (organization) => organization.kind },
      { key: 'createdAt', kind: 'code', value: (organization) => organization.createdAt },
    ],
  });
}

export async function exportUsers(
  context: AppContext,
  actor: Actor,
  format: ExportFormat,
): Promise<TableDownload> {
  const rows = await everyItem((page) => listUsers(context, actor, page));
  return tableDownload<UserWithOrganization>(format, {
    name: `users-${today(context)}`,
    sheetName: 'users',
    rows,
    columns: [
      { key: 'id', kind: 'code', value: (user) => user.id },
      { key: 'email', kind: 'text', value: (user) => user.email },
      { key: 'displayName', kind: 'text', value: (user) => user.displayName },
      { key: 'organization', kind: 'code', value: (user) => user.organizationCode },
      { key: 'role', kind: 'code', value: (user) => user.role },
      { key: 'disabled', kind: 'code', value: (user) => String(user.disabled) },
      { key: 'createdAt', kind: 'code', value: (user) => user.createdAt },
    ],
  });
}
