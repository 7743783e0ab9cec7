import { randomBytes } from 'node:crypto';
import type { OrganizationKind, Role } from '../core/access/roles.ts';
import type { Actor } from '../core/directory/organization.ts';
import type { RequirementVisibility } from '../core/requirements/requirement.ts';
import { createCategory } from './categories.ts';
import { type AppContext, systemActor } from './context.ts';
import { addOrganization, addUser } from './directory.ts';
import { createRequirement, transitionRequirement } from './requirements.ts';
import { actorOf } from './sessions.ts';

/** The shape of the files in demo/: public facts with their sources, and illustrative lines. */
export interface DemoData {
  readonly organizations: readonly { code: string; name: string; kind: OrganizationKind; source?: string }[];
  readonly users: readonly { email: string; displayName: string; organization: string; role: Role }[];
  readonly categories: readonly { code: string; name: string }[];
  readonly requirements: readonly {
    title: string;
    category: string;
    quantity: number;
    unit: string;
    unitCost: { amount: string; currency: string };
    status: 'draft' | 'submitted' | 'validated';
    visibility?: RequirementVisibility;
    notes?: string;
  }[];
}

export interface DemoAccount {
  readonly email: string;
  readonly role: Role;
  readonly password: string;
}

export interface DemoOutcome {
  readonly loaded: boolean;
  readonly accounts: readonly DemoAccount[];
}

function generatedPassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Loads the demo data set. With `onlyIfEmpty`, a database that has organisations already is left
 * alone (npm start on a second run). Passwords are generated unless `password` is given (tests).
 */
export async function loadDemo(
  context: AppContext,
  data: DemoData,
  options: { onlyIfEmpty: boolean; password?: string },
): Promise<DemoOutcome> {
  if (options.onlyIfEmpty) {
    const existing = await context.store.read.organizations.list({ limit: 1, cursor: null });
    if (existing.items.length) return { loaded: false, accounts: [] };
  }
  for (const organization of data.organizations) {
    await addOrganization(context, systemActor, {
      code: organization.code,
      name: organization.name,
      kind: organization.kind,
    });
  }
  const accounts: DemoAccount[] = [];
  const actors = new Map<Role, Actor>();
  for (const user of data.users) {
    const password = options.password ?? generatedPassword();
    const added = await addUser(context, systemActor, {
      email: user.email,
      displayName: user.displayName,
      organizationCode: user.organization,
      role: user.role,
      password,
    });
    if (!actors.has(user.role)) actors.set(user.role, actorOf(added));
    accounts.push({ email: added.email, role: added.role, password });
  }
  const coordinator = actors.get('coordinator') ?? systemActor;
  const recipient = actors.get('recipient') ?? systemActor;
  for (const category of data.categories) await createCategory(context, coordinator, category);
  for (const line of data.requirements) {
    const { status, ...fields } = line;
    const requirement = await createRequirement(context, recipient, fields);
    if (status === 'submitted' || status === 'validated') {
      await transitionRequirement(context, recipient, requirement.id, 'submitted', undefined, undefined);
    }
    if (status === 'validated') {
      await transitionRequirement(context, coordinator, requirement.id, 'validated', undefined, undefined);
    }
  }
  return { loaded: true, accounts };
}
