import Type, { type Static } from 'typebox';
import { Limits } from '../core/limits.ts';
import { pledgeStages, pledgeVisibilities } from '../core/pledges/pledge.ts';
import { ExportFormatSchema, exportFormat, MoneySchema, StringEnum, text } from './common.schema.ts';

export const DateSchema = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'ISO 8601 date',
  examples: ['2026-02-12'],
});

export const EarmarkSchema = Type.Object(
  {
    categories: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$' }), {
        minItems: 1,
        maxItems: Limits.earmarkCategoriesMax,
      }),
    ),
    packageId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false, description: '{} (none), { categories: [code] } or { packageId }' },
);

export const UsdValueSchema = Type.Object({
  amount: Type.String(),
  currency: Type.Literal('USD'),
  rate: Type.String({ description: 'units of the pledge currency per 1 USD, exact' }),
  rateDate: DateSchema,
  rateSource: Type.String(),
});

export const PledgeSchema = Type.Object({
  id: Type.String(),
  ref: Type.String({ examples: ['P-17'] }),
  donor: Type.String({ examples: ['GBR'] }),
  amount: Type.Union([MoneySchema, Type.Null()], {
    description: 'null only for an undisclosed, unknown amount',
  }),
  announcedOn: DateSchema,
  forum: Type.String(),
  source: Type.String(),
  stage: StringEnum(pledgeStages),
  committedOn: Type.Union([DateSchema, Type.Null()]),
  paidOn: Type.Union([DateSchema, Type.Null()]),
  earmark: EarmarkSchema,
  visibility: StringEnum(pledgeVisibilities),
  duplicateOf: Type.Union([Type.String(), Type.Null()]),
  usd: Type.Union([UsdValueSchema, Type.Null()]),
  notes: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type PledgeJson = Static<typeof PledgeSchema>;

export const NewPledgeSchema = Type.Object(
  {
    donor: Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,15}$' }),
    amount: Type.Optional(Type.Union([MoneySchema, Type.Null()])),
    announcedOn: DateSchema,
    forum: Type.Optional(Type.String({ maxLength: Limits.nameLengthMax })),
    source: Type.Optional(Type.String({ maxLength: 2048 })),
    stage: Type.Optional(StringEnum(pledgeStages)),
    committedOn: Type.Optional(DateSchema),
    paidOn: Type.Optional(DateSchema),
    earmark: Type.Optional(EarmarkSchema),
    visibility: Type.Optional(StringEnum(pledgeVisibilities)),
    duplicateOf: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    notes: Type.Optional(Type.String({ maxLength: Limits.notesLengthMax })),
  },
  { additionalProperties: false },
);
export type NewPledgeJson = Static<typeof NewPledgeSchema>;

export const PledgeTransitionSchema = Type.Object(
  { to: StringEnum(['committed', 'paid'] as const), on: DateSchema },
  { additionalProperties: false },
);

export const PledgeListQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: Limits.pageSizeMax, default: Limits.pageSizeDefault }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    donor: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,15}$' })),
    stage: Type.Optional(StringEnum(pledgeStages)),
    format: Type.Optional(
      exportFormat('Download the whole list (not paged, the caller’s rights applied) in this format instead'),
    ),
  },
  { additionalProperties: false },
);

export const FxRateSchema = Type.Object(
  {
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    date: DateSchema,
    perUsd: Type.String({
      pattern: '^\\d{1,12}(\\.\\d{1,12})?$',
      description: 'units of currency per 1 USD, exact decimal',
    }),
    source: text(Limits.nameLengthMax),
  },
  { additionalProperties: false },
);
export type FxRateJson = Static<typeof FxRateSchema>;

export const FxRateQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: Limits.pageSizeMax, default: Limits.pageSizeDefault }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    date: Type.Optional(DateSchema),
    format: Type.Optional(ExportFormatSchema),
  },
  { additionalProperties: false },
);

export const AccountBalanceSchema = Type.Object({
  account: Type.String(),
  balance: MoneySchema,
});

export const JournalEntrySchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  date: DateSchema,
  description: Type.String(),
  postings: Type.Array(Type.Object({ account: Type.String(), amount: MoneySchema })),
  tags: Type.Record(Type.String(), Type.String()),
  reverses: Type.Union([Type.String(), Type.Null()]),
  conversion: Type.Union([
    Type.Object({
      from: MoneySchema,
      to: MoneySchema,
      rate: Type.String(),
      rateBase: Type.String(),
      rateQuote: Type.String(),
      rateDate: DateSchema,
      rateSource: Type.String(),
      rounding: Type.String(),
      residue: Type.String(),
    }),
    Type.Null(),
  ]),
  recordedAt: Type.String({ format: 'date-time' }),
});
