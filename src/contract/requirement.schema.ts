import Type, { type Static } from 'typebox';
import { Limits } from '../core/limits.ts';
import { requirementVisibilities } from '../core/requirements/requirement.ts';
import { requestedTransitions, requirementStatuses } from '../core/requirements/requirement-status.ts';
import { exportFormat, MoneySchema, StringEnum, text } from './common.schema.ts';

export const RequirementStatusSchema = StringEnum(requirementStatuses);
export const VisibilitySchema = StringEnum(requirementVisibilities);

export const CategorySchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$', examples: ['air-defence'] }),
    name: text(Limits.nameLengthMax),
  },
  { additionalProperties: false },
);
export type CategoryJson = Static<typeof CategorySchema>;

export const RequirementSchema = Type.Object({
  id: Type.String(),
  ref: Type.String({ examples: ['REQ-0042'] }),
  title: Type.String(),
  category: Type.String(),
  quantity: Type.Integer(),
  unit: Type.String(),
  unitCost: MoneySchema,
  estimatedCost: MoneySchema,
  rank: Type.Union([Type.Integer(), Type.Null()]),
  status: RequirementStatusSchema,
  visibility: VisibilitySchema,
  notes: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type RequirementJson = Static<typeof RequirementSchema>;

const requirementFields = {
  title: text(Limits.titleLengthMax),
  category: Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$' }),
  quantity: Type.Integer({ minimum: 1, maximum: Limits.quantityMax }),
  unit: text(Limits.unitLengthMax),
  unitCost: MoneySchema,
  visibility: VisibilitySchema,
  notes: Type.String({ maxLength: Limits.notesLengthMax }),
};

export const NewRequirementSchema = Type.Object(
  {
    title: requirementFields.title,
    category: requirementFields.category,
    quantity: requirementFields.quantity,
    unit: requirementFields.unit,
    unitCost: requirementFields.unitCost,
    visibility: Type.Optional(requirementFields.visibility),
    notes: Type.Optional(requirementFields.notes),
  },
  { additionalProperties: false },
);
export type NewRequirementJson = Static<typeof NewRequirementSchema>;

export const RequirementChangesSchema = Type.Object(
  {
    title: Type.Optional(requirementFields.title),
    category: Type.Optional(requirementFields.category),
    quantity: Type.Optional(requirementFields.quantity),
    unit: Type.Optional(requirementFields.unit),
    unitCost: Type.Optional(requirementFields.unitCost),
    visibility: Type.Optional(requirementFields.visibility),
    notes: Type.Optional(requirementFields.notes),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type RequirementChangesJson = Static<typeof RequirementChangesSchema>;

export const RequirementTransitionSchema = Type.Object(
  {
    to: StringEnum(requestedTransitions),
    reason: Type.Optional(Type.String({ maxLength: Limits.reasonLengthMax })),
  },
  { additionalProperties: false },
);
export type RequirementTransitionJson = Static<typeof RequirementTransitionSchema>;

export const RequirementListQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: Limits.pageSizeMax, default: Limits.pageSizeDefault }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    status: Type.Optional(RequirementStatusSchema),
    category: Type.Optional(Type.String({ maxLength: Limits.codeLengthMax })),
    format: Type.Optional(
      exportFormat('Download the whole list (not paged, the caller’s rights applied) in this format instead'),
    ),
  },
  { additionalProperties: false },
);

export const PriorityListSchema = Type.Object({
  version: Type.Integer(),
  approvedVersion: Type.Union([Type.Integer(), Type.Null()]),
  items: Type.Array(Type.Object({ id: Type.String(), ref: Type.String(), rank: Type.Integer() })),
});
export type PriorityListJson = Static<typeof PriorityListSchema>;

export const ReorderSchema = Type.Object(
  { order: Type.Array(Type.String({ maxLength: 64 }), { maxItems: Limits.priorityListLinesMax }) },
  { additionalProperties: false },
);

export const RequirementHistoryEventSchema = Type.Object({
  seq: Type.Integer({ description: 'The audit event: verify it with GET /api/v1/audit/verify' }),
  occurredAt: Type.String({ format: 'date-time' }),
  action: Type.String({ examples: ['requirement.create', 'requirement.submit', 'requirement.validate'] }),
  actorOrganization: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
});
export type RequirementHistoryEventJson = Static<typeof RequirementHistoryEventSchema>;
