import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createCategory } from '../../src/app/categories.ts';
import { systemActor } from '../../src/app/context.ts';
import { addOrganization, addUser } from '../../src/app/directory.ts';
import { actorOf } from '../../src/app/sessions.ts';
import type { OrganizationKind, Role } from '../../src/core/access/roles.ts';
import { buildApp } from '../../src/server/app.ts';
import type { DialectName } from '../../src/store/dialect/connect.ts';
import { freshDatabase, type TestDatabase } from './databases.ts';

export const testPassword = 'correct horse battery staple';

/** One organisation and one user per role, as the tests log in. */
export const testAccounts: Readonly<
  Record<Role, { email: string; organization: string; kind: OrganizationKind }>
> = {
  recipient: { email: 'planner@ukr.test', organization: 'UKR', kind: 'recipient' },
  coordinator: { email: 'coordinator@nato.test', organization: 'NATO', kind: 'coordinator' },
  supplier: { email: 'supplier@usa.test', organization: 'USA', kind: 'supplier' },
  donor: { email: 'donor@gbr.test', organization: 'GBR', kind: 'donor' },
  auditor: { email: 'auditor@audit.test', organization: 'AUDIT', kind: 'audit' },
  admin: { email: 'admin@ops.test', organization: 'OPS', kind: 'operator' },
};

export interface Client {
  readonly role: Role | 'public';
  request(
    method: string,
    url: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
}

export interface TestApi {
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  readonly public: Client;
  as(role: Role): Promise<Client>;
  close(): Promise<void>;
}

/** A real app on a fresh real database of the dialect, with the accounts and two categories. */
export async function startApi(dialect: DialectName): Promise<TestApi> {
  const database = await freshDatabase(dialect);
  const { context } = database;
  for (const [role, account] of Object.entries(testAccounts) as [Role, (typeof testAccounts)[Role]][]) {
    await addOrganization(context, systemActor, {
      code: account.organization,
      name: account.organization,
      kind: account.kind,
    });
    const user = await addUser(context, systemActor, {
      email: account.email,
      organizationCode: account.organization,
      role,
      password: testPassword,
    });
    if (role === 'coordinator') {
      const coordinator = actorOf(user);
      await createCategory(context, coordinator, { code: 'air-defence', name: 'Air defence' });
      await createCategory(context, coordinator, { code: 'artillery', name: 'Artillery ammunition' });
    }
  }
  const app = await buildApp({ context });
  const clientWith = (role: Role | 'public', cookie?: string, csrf?: string): Client => ({
    role,
    request: (method, url, options = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        ...(options.body === undefined ? {} : { payload: options.body as object }),
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(csrf ? { 'x-csrf-token': csrf } : {}),
          ...(options.headers ?? {}),
        },
      }),
  });
  const sessions = new Map<Role, Client>();
  return {
    app,
    database,
    public: clientWith('public'),
    async as(role) {
      const known = sessions.get(role);
      if (known) return known;
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: testAccounts[role].email, password: testPassword },
      });
      if (response.statusCode !== 200)
        throw new Error(`login as ${role} failed: ${response.statusCode} ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === 'purl_session');
      const client = clientWith(role, `purl_session=${cookie?.value}`, response.json().csrfToken);
      sessions.set(role, client);
      return client;
    },
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}

export function usd(amount: string) {
  return { amount, currency: 'USD' };
}

export function newRequirement(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Interceptors',
    category: 'air-defence',
    quantity: 4,
    unit: 'each',
    unitCost: usd('1000000.00'),
    ...overrides,
  };
}
