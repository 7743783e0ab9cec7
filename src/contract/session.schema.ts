import Type, { type Static } from 'typebox';
import { organizationKinds, roles } from '../core/access/roles.ts';
import { Limits } from '../core/limits.ts';
import { StringEnum, text } from './common.schema.ts';

export const RoleSchema = StringEnum(roles);
export const OrganizationKindSchema = StringEnum(organizationKinds);

export const LoginSchema = Type.Object(
  {
    email: text(Limits.emailLengthMax, { minLength: 3 }),
    password: text(Limits.passwordLengthMax),
  },
  { additionalProperties: false },
);
export type LoginJson = Static<typeof LoginSchema>;

export const MeSchema = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), displayName: Type.String() }),
  organization: Type.Object({ id: Type.String(), code: Type.String() }),
  role: RoleSchema,
});
export type MeJson = Static<typeof MeSchema>;

export const SessionSchema = Type.Object({
  csrfToken: Type.String({
    description: 'Send it back as the x-csrf-token header on every state-changing request.',
  }),
  expiresAt: Type.String({ format: 'date-time' }),
  me: MeSchema,
});
export type SessionJson = Static<typeof SessionSchema>;

export const OrganizationSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  kind: OrganizationKindSchema,
  createdAt: Type.String({ format: 'date-time' }),
});
export type OrganizationJson = Static<typeof OrganizationSchema>;

export const NewOrganizationSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,15}$', examples: ['GBR'] }),
    name: text(Limits.nameLengthMax),
    kind: OrganizationKindSchema,
  },
  { additionalProperties: false },
);

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  organization: Type.String({ description: 'organisation code' }),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type UserJson = Static<typeof UserSchema>;

export const NewUserSchema = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: Limits.emailLengthMax }),
    displayName: Type.Optional(text(Limits.nameLengthMax)),
    organization: Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,15}$' }),
    role: RoleSchema,
    password: Type.String({ minLength: Limits.passwordLengthMin, maxLength: Limits.passwordLengthMax }),
  },
  { additionalProperties: false },
);
