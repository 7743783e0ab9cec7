import Type, { type Static } from 'typebox';
import { Limits } from '../core/limits.ts';
import { packageStatuses, requestedPackageTransitions } from '../core/packages/package-status.ts';
import { ExportFormatSchema, exportFormat, MoneySchema, StringEnum, text } from './common.schema.ts';
import { DateSchema } from './pledge.schema.ts';

export const PackageStatusSchema = StringEnum(packageStatuses);

const idText = Type.String({ minLength: 1, maxLength: 64 });
const quantity = Type.Integer({ minimum: 1, maximum: Limits.quantityMax });

export const PackageLineSchema = Type.Object({
  id: Type.String(),
  requirementId: Type.String(),
  requirementRef: Type.String({ examples: ['REQ-0042'] }),
  category: Type.String(),
  quantity: Type.Integer(),
  amount: Type.Union([MoneySchema, Type.Null()], {
    description: "The supplier's price (USD); null until priced",
  }),
  funded: MoneySchema,
  deliveredQuantity: Type.Integer(),
  receivedQuantity: Type.Integer(),
});

export const DeliverySchema = Type.Object({
  id: Type.String(),
  packageId: Type.String(),
  lineId: Type.String(),
  quantity: Type.Integer(),
  shippedOn: DateSchema,
  recordedBy: Type.String(),
  recordedAt: Type.String({ format: 'date-time' }),
  receivedOn: Type.Union([DateSchema, Type.Null()]),
  receivedBy: Type.Union([Type.String(), Type.Null()]),
});
export type DeliveryJson = Static<typeof DeliverySchema>;

export const PackageSchema = Type.Object({
  id: Type.String(),
  ref: Type.String({ examples: ['PKG-9'] }),
  name: Type.String(),
  rank: Type.Integer(),
  target: MoneySchema,
  price: Type.Union([MoneySchema, Type.Null()], {
    description: 'The sum of the line amounts; null until priced',
  }),
  status: PackageStatusSchema,
  lines: Type.Array(PackageLineSchema),
  funded: MoneySchema,
  coverage: Type.Union([Type.String({ examples: ['0.4123'] }), Type.Null()], {
    description: 'funded / price, an exact decimal with 4 places, rounded down; null until priced',
  }),
  deliveries: Type.Array(DeliverySchema),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type PackageJson = Static<typeof PackageSchema>;

export const NewPackageSchema = Type.Object(
  {
    name: text(Limits.nameLengthMax),
    target: MoneySchema,
    lines: Type.Array(Type.Object({ requirementId: idText, quantity }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: Limits.packageLinesMax,
    }),
  },
  { additionalProperties: false },
);
export type NewPackageJson = Static<typeof NewPackageSchema>;

export const PackageChangesSchema = Type.Object(
  { name: Type.Optional(text(Limits.nameLengthMax)), target: Type.Optional(MoneySchema) },
  { additionalProperties: false, minProperties: 1 },
);

export const PackageTransitionSchema = Type.Object(
  {
    to: StringEnum(requestedPackageTransitions),
    lines: Type.Optional(
      Type.Array(Type.Object({ lineId: idText, amount: MoneySchema }, { additionalProperties: false }), {
        maxItems: Limits.packageLinesMax,
        description: 'With "to": "priced" only: the amount of every line, in USD',
      }),
    ),
    reason: Type.Optional(Type.String({ maxLength: Limits.reasonLengthMax })),
  },
  { additionalProperties: false },
);
export type PackageTransitionJson = Static<typeof PackageTransitionSchema>;

export const PackageListQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: Limits.pageSizeMax, default: Limits.pageSizeDefault }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    status: Type.Optional(PackageStatusSchema),
    format: Type.Optional(ExportFormatSchema),
  },
  { additionalProperties: false },
);

export const PackageReadQuerySchema = Type.Object(
  {
    format: Type.Optional(
      exportFormat(
        "Download the package's lines (ids, requirement, quantity, amount, funded, delivered) as an attachment in this format instead",
      ),
    ),
  },
  { additionalProperties: false },
);

export const ProposalRequestSchema = Type.Object({ target: MoneySchema }, { additionalProperties: false });

export const ProposalSchema = Type.Object({
  name: Type.String({ description: 'A suggested name' }),
  target: MoneySchema,
  lines: Type.Array(
    Type.Object({
      requirementId: Type.String(),
      ref: Type.String(),
      category: Type.String(),
      quantity: Type.Integer(),
      estimatedAmount: MoneySchema,
    }),
  ),
  total: MoneySchema,
  remaining: MoneySchema,
  notIncluded: Type.Array(
    Type.Object({
      requirementId: Type.String(),
      ref: Type.String(),
      quantity: Type.Integer({ description: 'The units left out' }),
      estimatedAmount: Type.Union([MoneySchema, Type.Null()]),
      reason: Type.String(),
    }),
    { description: `The first ${Limits.proposalLeftOutMax} requirements left out, in rank order` },
  ),
  notIncludedCount: Type.Integer(),
});
export type ProposalJson = Static<typeof ProposalSchema>;

export const NewDeliverySchema = Type.Object(
  { lineId: idText, quantity, shippedOn: DateSchema },
  { additionalProperties: false },
);

export const ReceiptSchema = Type.Object(
  { receivedOn: Type.Optional(DateSchema) },
  { additionalProperties: false },
);

export const DeliveryParamsSchema = Type.Object(
  { id: idText, deliveryId: idText },
  { additionalProperties: false },
);
