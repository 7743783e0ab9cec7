import type { OrganizationKind, Role } from '../core/access/roles.ts';
import { Roles } from '../core/access/roles.ts';
import type { Actor, Organization, User } from '../core/directory/organization.ts';
import { Emails, organizationCodePattern } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import { isUniqueViolation } from '../store/errors.ts';
import type { Page, PageRequest } from '../store/page.ts';
import type { UserWithOrganization } from '../store/user.repository.ts';
import { type AppContext, audit, authorize, timestamp } from './context.ts';
import { Passwords } from './passwords.ts';

export interface NewOrganization {
  readonly code: string;
  readonly name: string;
  readonly kind: OrganizationKind;
}

export async function addOrganization(
  context: AppContext,
  actor: Actor,
  input: NewOrganization,
): Promise<Organization> {
  authorize(actor, 'organization.create');
  if (!organizationCodePattern.test(input.code)) {
    throw new Failure(
      'VALIDATION_FAILED',
      'An organisation code is 2 to 16 capital letters, digits or dashes.',
      [{ path: '/code', message: 'must match ^[A-Z][A-Z0-9-]{1,15}$' }],
    );
  }
  const organization: Organization = {
    id: context.newId(),
    code: input.code,
    name: input.name,
    kind: input.kind,
    createdAt: timestamp(context),
  };
  try {
    await context.store.transaction(async (repositories) => {
      await repositories.organizations.insert(organization);
      await audit(context, repositories, actor, {
        action: 'organization.create',
        objectType: 'organization',
        objectId: organization.id,
        before: null,
        after: organization,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Failure('ORGANIZATION_EXISTS', `The code '${input.code}' is taken.`);
    throw error;
  }
  return organization;
}

export interface NewUser {
  readonly email: string;
  readonly displayName?: string;
  readonly organizationCode: string;
  readonly role: Role;
  readonly password: string;
}

export async function addUser(
  context: AppContext,
  actor: Actor,
  input: NewUser,
): Promise<UserWithOrganization> {
  authorize(actor, 'user.create');
  Passwords.check(input.password);
  const organization = await context.store.read.organizations.findByCode(input.organizationCode);
  if (!organization)
    throw new Failure('ORGANIZATION_UNKNOWN', `No organisation has the code '${input.organizationCode}'.`);
  if (!Roles.fitsOrganization(input.role, organization.kind)) {
    throw new Failure(
      'ROLE_NOT_ALLOWED_FOR_ORGANIZATION',
      `A ${organization.kind} organisation's users have the role '${Roles.roleOf(organization.kind)}', not '${input.role}'.`,
    );
  }
  const email = Emails.normalize(input.email);
  const user: User = {
    id: context.newId(),
    email,
    displayName: input.displayName ?? email,
    organizationId: organization.id,
    role: input.role,
    disabled: false,
    createdAt: timestamp(context),
  };
  const passwordHash = await Passwords.hash(input.password);
  try {
    await context.store.transaction(async (repositories) => {
      await repositories.users.insert(user, passwordHash);
      await audit(context, repositories, actor, {
        action: 'user.create',
        objectType: 'user',
        objectId: user.id,
        before: null,
        after: user,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Failure('USER_EXISTS', 'A user with this email exists already.');
    throw error;
  }
  return { ...user, organizationCode: organization.code };
}

export function listOrganizations(
  context: AppContext,
  actor: Actor,
  page: PageRequest,
): Promise<Page<Organization>> {
  authorize(actor, 'organization.list');
  return context.store.read.organizations.list(page);
}

export function listUsers(
  context: AppContext,
  actor: Actor,
  page: PageRequest,
): Promise<Page<UserWithOrganization>> {
  authorize(actor, 'user.list');
  return context.store.read.users.list(page);
}

/**
 * Disables a user: from the next request on, its sessions and tokens are refused and it cannot log
 * in; the account stays, so the audit chain still names who did what. Disabling a disabled user
 * changes nothing and writes nothing. An administrator cannot disable itself (nobody might be left
 * to manage the platform).
 */
export async function disableUser(
  context: AppContext,
  actor: Actor,
  userId: string,
): Promise<UserWithOrganization> {
  authorize(actor, 'user.disable');
  if (userId === actor.userId) {
    throw new Failure('INVALID_TRANSITION', 'An administrator cannot disable their own account.');
  }
  return context.store.transaction(async (repositories) => {
    const user = await repositories.users.findById(userId);
    if (!user) throw new Failure('NOT_FOUND', 'No such user.');
    if (!(await repositories.users.disable(userId))) return { ...user, disabled: true };
    const disabled = { ...user, disabled: true };
    await audit(context, repositories, actor, {
      action: 'user.disable',
      objectType: 'user',
      objectId: userId,
      before: user,
      after: disabled,
    });
    return disabled;
  });
}
