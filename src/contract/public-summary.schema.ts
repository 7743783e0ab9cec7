import Type, { type Static } from 'typebox';
import { pledgeStages } from '../core/pledges/pledge.ts';
import { summaryStages } from '../core/reports/public-summary.ts';
import { publicSummaryTableNames } from '../core/reports/report-table.ts';
import { DateTimeSchema, MoneySchema, StringEnum } from './common.schema.ts';
import { PackageStatusSchema } from './package.schema.ts';

/** Every amount of a table row is a sum of disclosed pledges only, in USD. */
const rowFields = {
  announced: MoneySchema,
  committed: MoneySchema,
  paid: MoneySchema,
  pledges: Type.Integer({ minimum: 0, description: 'pledges whose money is in the amounts' }),
  undisclosedPledges: Type.Integer({
    minimum: 0,
    description: 'pledges whose amount is undisclosed: counted, never valued or estimated',
  }),
};

export const StageTotalSchema = Type.Object({
  stage: StringEnum(summaryStages),
  counts: Type.Array(StringEnum(pledgeStages), { description: 'the pledge stages this total counts' }),
  amount: MoneySchema,
  pledges: Type.Integer({ minimum: 0 }),
  fxRule: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
});

export const DonorRowSchema = Type.Object({
  code: Type.String({ examples: ['GBR'] }),
  name: Type.String(),
  ...rowFields,
});

export const CategoryRowSchema = Type.Object({
  key: Type.String({
    description: '"unearmarked", "package", a category code, or several codes joined with "+"',
    examples: ['air-defence', 'air-defence+artillery-ammunition', 'unearmarked'],
  }),
  label: Type.String(),
  categories: Type.Array(Type.String()),
  ...rowFields,
});

export const MonthRowSchema = Type.Object({
  month: Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'month of announcement' }),
  ...rowFields,
});

export const ForumRowSchema = Type.Object({
  forum: Type.String({ examples: ['UDCG, Brussels, 2026-02-12'] }),
  ...rowFields,
});

export const PublicSummarySchema = Type.Object(
  {
    asOf: DateTimeSchema,
    currency: Type.Literal('USD'),
    totals: Type.Array(StageTotalSchema),
    byDonor: Type.Array(DonorRowSchema),
    byCategory: Type.Array(CategoryRowSchema),
    byMonth: Type.Array(MonthRowSchema),
    byForum: Type.Array(ForumRowSchema),
    packages: Type.Array(
      Type.Object({
        ref: Type.String({ examples: ['PKG-9'] }),
        rank: Type.Integer({ minimum: 1 }),
        status: PackageStatusSchema,
        price: Type.Union([MoneySchema, Type.Null()]),
        funded: MoneySchema,
        coverage: Type.Union([Type.String({ examples: ['0.6100'] }), Type.Null()]),
        donors: Type.Array(
          Type.Object({
            code: Type.String({ examples: ['GBR'] }),
            name: Type.String(),
            allocated: MoneySchema,
          }),
          {
            description:
              'the donors of the disclosed pledges allocated to the package and the USD each brings, largest first; they sum to funded',
          },
        ),
      }),
      {
        description:
          'packages open for funding or later (not drafts, not cancelled), by rank; funded counts disclosed pledges only',
      },
    ),
    pledgesCounted: Type.Integer({ minimum: 0 }),
    reAnnouncementsExcluded: Type.Integer({ minimum: 0 }),
    undisclosedPledges: Type.Integer({ minimum: 0 }),
    rules: Type.Object({
      stages: Type.String(),
      fx: Type.String(),
      reAnnouncements: Type.String(),
      undisclosed: Type.String(),
      restricted: Type.String(),
      categories: Type.String(),
      months: Type.String(),
      forums: Type.String(),
      packages: Type.String(),
    }),
  },
  {
    title: 'PublicSummary',
    description:
      'The public figures: totals by stage, by donor, by capability category, by month and by forum, ' +
      'each naming what it counts. No restricted pledge, no undisclosed amount, no item line.',
  },
);
export type PublicSummaryJson = Static<typeof PublicSummarySchema>;

export const PublicSummaryQuerySchema = Type.Object(
  {
    format: Type.Optional(
      StringEnum(['json', 'csv', 'xlsx'] as const, {
        description:
          'a download (Content-Disposition: attachment): json, the same document; csv, one table (see table); ' +
          'xlsx, one sheet per table. Amounts are exact decimal strings, each with a *_currency column.',
      }),
    ),
    table: Type.Optional(
      StringEnum(publicSummaryTableNames, {
        description: 'with format=csv: the table to download (default totals)',
      }),
    ),
  },
  { additionalProperties: false },
);
