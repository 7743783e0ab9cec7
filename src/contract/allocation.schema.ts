import Type, { type Static } from 'typebox';
import { Limits } from '../core/limits.ts';
import { DateTimeSchema, MoneySchema } from './common.schema.ts';
import { PackageStatusSchema } from './package.schema.ts';
import { EarmarkSchema } from './pledge.schema.ts';

/**
 * The allocation engine through the API (docs/allocation.md): the plan, the what-if preview with
 * hypothetical pledges, and the apply. Every USD figure is `{ amount, currency: "USD" }`; a pledge's
 * own money keeps its currency.
 */

const UsdSchema = Type.Object(
  {
    amount: Type.String({ pattern: '^-?[0-9]{1,18}\\.[0-9]{2}$', examples: ['204999999.99'] }),
    currency: Type.Literal('USD'),
  },
  { additionalProperties: false, title: 'Usd', description: 'An amount in US dollars' },
);

const nullableText = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

export const PlannedAllocationSchema = Type.Object(
  {
    pledgeId: Type.String({ description: 'A pledge id, or `hypothetical-N` for a preview pledge' }),
    pledgeRef: Type.String({ examples: ['P-17', 'hypothetical-1'] }),
    donor: Type.String({ examples: ['GBR'] }),
    packageId: Type.String(),
    packageRef: Type.String({ examples: ['PKG-9'] }),
    lineId: Type.String(),
    amount: MoneySchema,
    usd: UsdSchema,
  },
  {
    title: 'PlannedAllocation',
    description:
      "Money of one pledge for one package line: `usd` is what the line receives; `amount` is the part of the pledge's own money it consumes (the apply writes exactly these figures)",
  },
);

export const PlannedLineSchema = Type.Object(
  {
    lineId: Type.String(),
    packageId: Type.String(),
    packageRef: Type.String({ examples: ['PKG-9'] }),
    lineNo: Type.Integer({ minimum: 1, description: 'The line number in its package ("PKG-9 line 2")' }),
    requirementRef: Type.String({ examples: ['REQ-0042'] }),
    category: Type.String({ examples: ['air-defence'] }),
    price: UsdSchema,
    allocatedBefore: UsdSchema,
    planned: UsdSchema,
    missing: UsdSchema,
  },
  {
    title: 'PlannedLine',
    description:
      'A line of an open package, in priority order: its price, what earlier plans allocated, what this plan adds, and what it still lacks after it (price − allocatedBefore − planned)',
  },
);

export const LineUseSchema = Type.Object({
  lineId: Type.String(),
  packageRef: Type.String(),
  lineNo: Type.Integer({ minimum: 1 }),
  amount: UsdSchema,
  higherPriority: Type.Boolean({
    description: 'True when the line ranks ahead of the short line (false: the short line itself)',
  }),
});

export const ShortfallPledgeSchema = Type.Object(
  {
    pledgeId: nullableText(
      'null for the pledges not listed by name, aggregated (in a donor’s view: other donors’)',
    ),
    pledgeRef: nullableText('null for the aggregate'),
    donor: nullableText('null for the aggregate'),
    available: UsdSchema,
    used: UsdSchema,
    usedBy: Type.Array(LineUseSchema, {
      maxItems: Limits.explanationUsesMax,
      description: `The first ${Limits.explanationUsesMax} lines the money funds, in priority order (empty for an aggregate)`,
    }),
  },
  { title: 'ShortfallPledge' },
);

export const ShortfallMoneySchema = Type.Object(
  {
    pledges: Type.Integer({ minimum: 0, description: 'How many pledges' }),
    total: UsdSchema,
    listed: Type.Array(ShortfallPledgeSchema, {
      description: `The largest ${Limits.explanationPledgesMax}, with the count and total of all above`,
    }),
  },
  { title: 'ShortfallMoney' },
);

export const ShortfallSchema = Type.Object(
  {
    lineId: Type.String(),
    packageId: Type.String(),
    packageRef: Type.String(),
    lineNo: Type.Integer({ minimum: 1 }),
    missing: UsdSchema,
    reason: Type.String({
      description: 'One English sentence built from the data below',
      examples: ['The only eligible money is GBP pledge P-17 (GBR), fully used by PKG-9 line 2.'],
    }),
    eligible: ShortfallMoneySchema,
    swappable: ShortfallMoneySchema,
  },
  {
    title: 'Shortfall',
    description:
      'A line left short, and why: the pledges whose earmark allows it (`eligible`), and those that could have been swapped in for them elsewhere (`swappable`), are all fully used, by lines of higher priority',
  },
);

export const PlannedPledgeSchema = Type.Object(
  {
    pledgeId: Type.String(),
    pledgeRef: Type.String(),
    donor: Type.String(),
    hypothetical: Type.Boolean(),
    available: UsdSchema,
    allocated: UsdSchema,
    remaining: UsdSchema,
    lines: Type.Array(Type.Object({ lineId: Type.String(), packageRef: Type.String(), amount: UsdSchema })),
  },
  {
    title: 'PlannedPledge',
    description:
      "Where a pledge's unallocated money goes: available (USD, rounded down) = allocated + remaining",
  },
);

export const AllocationPlanSchema = Type.Object(
  {
    planId: Type.String({
      pattern: '^[0-9a-f]{64}$',
      description:
        'SHA-256 of the inputs (open lines with their needs, pledges with their money and earmarks): send it to apply',
    }),
    asOf: DateTimeSchema,
    allocations: Type.Array(PlannedAllocationSchema),
    lines: Type.Array(PlannedLineSchema),
    shortfalls: Type.Array(ShortfallSchema),
    pledges: Type.Array(PlannedPledgeSchema),
    otherDonors: Type.Union(
      [
        Type.Object({
          pledges: Type.Integer({ minimum: 0 }),
          available: UsdSchema,
          allocated: UsdSchema,
        }),
        Type.Null(),
      ],
      {
        description:
          "In a donor's preview: other donors' pledges, aggregated; null for a coordinator or auditor",
      },
    ),
  },
  {
    title: 'AllocationPlan',
    description:
      "The allocation engine's plan: lexicographically optimal in priority order, every earmark honoured (docs/allocation.md). A donor's preview shows its own pledges only; other donors' money appears aggregated, without ids",
  },
);
export type AllocationPlanJson = Static<typeof AllocationPlanSchema>;

export const HypotheticalPledgeSchema = Type.Object(
  {
    donor: Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,15}$' }),
    amount: MoneySchema,
    earmark: Type.Optional(EarmarkSchema),
  },
  { additionalProperties: false, title: 'HypotheticalPledge' },
);

export const AllocationPreviewRequestSchema = Type.Object(
  {
    pledges: Type.Array(HypotheticalPledgeSchema, {
      maxItems: Limits.previewPledgesMax,
      description:
        'Hypothetical committed pledges, valued at the rate in force today; a donor names its own organisation only',
    }),
  },
  { additionalProperties: false, title: 'AllocationPreviewRequest' },
);
export type AllocationPreviewRequestJson = Static<typeof AllocationPreviewRequestSchema>;

export const AllocationApplyRequestSchema = Type.Object(
  { planId: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
  { additionalProperties: false, title: 'AllocationApplyRequest' },
);
export type AllocationApplyRequestJson = Static<typeof AllocationApplyRequestSchema>;

export const AllocationApplySchema = Type.Object(
  {
    planId: Type.String(),
    appliedAt: DateTimeSchema,
    allocated: UsdSchema,
    allocations: Type.Integer({ minimum: 0, description: 'Allocation rows written' }),
    entries: Type.Array(Type.String(), {
      description: 'The journal entries written, one per pledge and package',
    }),
    packages: Type.Array(
      Type.Object({
        packageId: Type.String(),
        packageRef: Type.String(),
        status: PackageStatusSchema,
        funded: UsdSchema,
        coverage: Type.Union([Type.String(), Type.Null()]),
      }),
      { description: 'Every package the plan touched, as it now is' },
    ),
    plan: AllocationPlanSchema,
  },
  {
    title: 'AllocationApply',
    description: 'What the apply wrote: nothing for an empty plan (then entries and packages are empty)',
  },
);
export type AllocationApplyJson = Static<typeof AllocationApplySchema>;
