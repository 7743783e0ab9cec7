import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeEntries } from '../../src/app/ledger.ts';
import type { UserJson } from '../../src/contract/index.ts';
import { Account } from '../../src/core/ledger/account.ts';
import { JournalEntry } from '../../src/core/ledger/journal-entry.ts';
import { Currency } from '../../src/core/money/currency.ts';
import { Money } from '../../src/core/money/money.ts';
import {
  type Client,
  newRequirement,
  startApi,
  type TestApi,
  testAccounts,
  testPassword,
} from '../support/api.ts';
import { dialects } from '../support/databases.ts';

interface AuditEventJson {
  seq: number;
  occurredAt: string;
  actorUserId: string | null;
  actorOrganization: string | null;
  action: string;
  objectType: string;
  objectId: string;
}

/**
 * What the auditor's and the administrator's pages ask of the API: the audit chain searched by
 * object, actor and UTC days; the ledger as of a day; disabling a user; and the recipient reading
 * the packages it confirms receipt of.
 */
describe.each(dialects)('the auditor and the administrator on %s', (dialect) => {
  let api: TestApi;
  let recipient: Client;
  let coordinator: Client;
  let auditor: Client;
  let admin: Client;

  beforeAll(async () => {
    api = await startApi(dialect);
    recipient = await api.as('recipient');
    coordinator = await api.as('coordinator');
    auditor = await api.as('auditor');
    admin = await api.as('admin');
  });
  afterAll(async () => api?.close());

  async function events(client: Client, query: string): Promise<AuditEventJson[]> {
    const response = await client.request('GET', `/api/v1/audit?limit=500${query ? `&${query}` : ''}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items;
  }

  async function draft(title: string): Promise<{ id: string }> {
    const response = await recipient.request('POST', '/api/v1/requirements', {
      body: newRequirement({ title }),
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  describe('searching the audit chain', () => {
    test('by object id gives that object’s events only, and by object type every object of it', async () => {
      const first = await draft('Audited line one');
      const second = await draft('Audited line two');
      const ofFirst = await events(auditor, `object=${first.id}`);
      expect(ofFirst.length).toBeGreaterThan(0);
      expect(ofFirst.every((event) => event.objectId === first.id)).toBe(true);
      const requirements = await events(admin, 'object=requirement');
      const ids = new Set(requirements.map((event) => event.objectId));
      expect(ids).toContain(first.id);
      expect(ids).toContain(second.id);
      expect(requirements.every((event) => event.objectType === 'requirement')).toBe(true);
      expect(await events(auditor, 'object=no-such-object')).toEqual([]);
    });

    test('by actor: an email, a user id or an organisation code; an unknown one gives nothing', async () => {
      const line = await draft('Line by the planner');
      const byEmail = await events(
        auditor,
        `actor=${encodeURIComponent(testAccounts.recipient.email.toUpperCase())}`,
      );
      expect(byEmail.map((event) => event.objectId)).toContain(line.id);
      const userIds = new Set(byEmail.map((event) => event.actorUserId));
      expect(userIds.size).toBe(1);
      const [userId] = [...userIds];
      expect(userId).toEqual(expect.any(String));
      expect((await events(auditor, `actor=${userId}`)).map((event) => event.seq)).toEqual(
        byEmail.map((event) => event.seq),
      );
      const byOrganization = await events(auditor, 'actor=UKR');
      expect(byOrganization.every((event) => event.actorOrganization === 'UKR')).toBe(true);
      expect(byOrganization.map((event) => event.objectId)).toContain(line.id);
      expect(await events(auditor, `actor=${encodeURIComponent('nobody@nowhere.test')}`)).toEqual([]);
      expect(await events(auditor, 'actor=NOBODY')).toEqual([]);
    });

    test('by UTC days, both ends inclusive, combined with the other criteria', async () => {
      const line = await draft('Line of today');
      const all = await events(auditor, `object=${line.id}`);
      const day = all[0]?.occurredAt.slice(0, 10) ?? '';
      expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(await events(auditor, `object=${line.id}&from=${day}&to=${day}`)).toEqual(all);
      expect(await events(auditor, `object=${line.id}&from=${day}`)).toEqual(all);
      expect(await events(auditor, `object=${line.id}&to=2000-01-01`)).toEqual([]);
      expect(await events(auditor, `object=${line.id}&from=2999-12-31`)).toEqual([]);
    });

    test('pages through the filtered events in sequence order', async () => {
      for (const title of ['Paged one', 'Paged two', 'Paged three']) await draft(title);
      const every = await events(auditor, 'object=requirement');
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/api/v1/audit?limit=2&object=requirement${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const response = await auditor.request('GET', query);
        expect(response.statusCode).toBe(200);
        const page = response.json() as { items: AuditEventJson[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((event) => event.seq));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(every.map((event) => event.seq));
    });

    test.each([
      ['from=2026-02-30', 'querystring:/from'],
      ['to=yesterday', 'querystring/to'],
      ['from=2026-03-02&to=2026-03-01', 'querystring:/to'],
      ['actor=', 'querystring/actor'],
      [`object=${'x'.repeat(65)}`, 'querystring/object'],
      ['whatever=1', 'querystring/whatever'],
    ])('refuses %s with 422 and the field', async (query, path) => {
      const response = await auditor.request('GET', `/api/v1/audit?${query}`);
      expect(response.statusCode, response.body).toBe(422);
      const problem = response.json();
      expect(problem.code).toBe('VALIDATION_FAILED');
      // The schema names `querystring/field`; the use case `querystring:/field`: either names the field.
      const field = path.split('/').at(-1) ?? '';
      expect(problem.errors.map((error: { path: string }) => error.path).join(' ')).toContain(field);
    });

    test('is refused to the roles that may not read the chain', async () => {
      expect((await coordinator.request('GET', '/api/v1/audit?object=requirement')).statusCode).toBe(403);
      expect((await api.public.request('GET', '/api/v1/audit?object=requirement')).statusCode).toBe(401);
    });
  });

  describe('the ledger as of a day', () => {
    const usd = Currency.parse('USD');
    beforeAll(async () => {
      const { context } = api.database;
      const entry = (date: string, cents: bigint) =>
        JournalEntry.create({
          date,
          description: `Commitment of ${date}`,
          postings: [
            { account: Account.pledges('committed', 'GBR'), amount: Money.of(cents, usd) },
            { account: Account.donor('GBR'), amount: Money.of(-cents, usd) },
          ],
          tags: {},
        });
      await context.store.transaction((repositories) =>
        writeEntries(context, repositories, [entry('2026-01-15', 100_00n), entry('2026-02-15', 25_50n)]),
      );
    });

    async function balanceOf(asOf: string | null): Promise<unknown> {
      const response = await auditor.request('GET', `/api/v1/ledger/accounts${asOf ? `?asOf=${asOf}` : ''}`);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expect(body.asOf).toBe(asOf);
      return body.items.find(
        (item: { account: string }) => item.account === Account.pledges('committed', 'GBR'),
      )?.balance;
    }

    test('balances count the entries dated on or before the day, exactly', async () => {
      expect(await balanceOf('2025-12-31')).toBeUndefined();
      expect(await balanceOf('2026-01-15')).toEqual({ amount: '100.00', currency: 'USD' });
      expect(await balanceOf('2026-02-14')).toEqual({ amount: '100.00', currency: 'USD' });
      expect(await balanceOf('2026-02-15')).toEqual({ amount: '125.50', currency: 'USD' });
      expect(await balanceOf(null)).toEqual({ amount: '125.50', currency: 'USD' });
    });

    test('entries as of a day are those the balances of that day count', async () => {
      const dates = async (query: string) => {
        const response = await coordinator.request('GET', `/api/v1/ledger/entries?limit=500${query}`);
        expect(response.statusCode, response.body).toBe(200);
        return response.json().items.map((item: { date: string }) => item.date);
      };
      expect(await dates('&asOf=2026-01-31')).toEqual(['2026-01-15']);
      expect(await dates('&asOf=2026-02-15')).toEqual(['2026-01-15', '2026-02-15']);
      expect(await dates('&asOf=2025-01-01')).toEqual([]);
      expect(await dates('')).toEqual(['2026-01-15', '2026-02-15']);
    });

    test.each(['2026-02-30', '2026-13-01', '15/01/2026'])('refuses the date %s with 422', async (asOf) => {
      for (const path of ['/api/v1/ledger/accounts', '/api/v1/ledger/entries']) {
        const response = await auditor.request('GET', `${path}?asOf=${encodeURIComponent(asOf)}`);
        expect(response.statusCode, response.body).toBe(422);
        expect(response.json().code).toBe('VALIDATION_FAILED');
        expect(JSON.stringify(response.json().errors)).toContain('asOf');
      }
    });
  });

  describe('disabling a user', () => {
    async function newUser(email: string): Promise<UserJson> {
      const response = await admin.request('POST', '/api/v1/users', {
        body: { email, organization: 'GBR', role: 'donor', password: testPassword },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    }

    async function logIn(email: string) {
      return api.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email, password: testPassword },
      });
    }

    test('ends its session and its logins at once, with one audit event, and the account stays', async () => {
      const user = await newUser('second-donor@gbr.test');
      const login = await logIn(user.email);
      expect(login.statusCode).toBe(200);
      const cookie = `purl_session=${login.cookies.find((c) => c.name === 'purl_session')?.value}`;
      const me = () => api.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
      expect((await me()).statusCode).toBe(200);

      const disabled = await admin.request('POST', `/api/v1/users/${user.id}/disable`);
      expect(disabled.statusCode, disabled.body).toBe(200);
      expect(disabled.json()).toMatchObject({ id: user.id, email: user.email, disabled: true });
      expect((await me()).statusCode).toBe(401);
      expect((await logIn(user.email)).statusCode).toBe(401);

      const listed = await admin.request('GET', '/api/v1/users?limit=500');
      expect(listed.json().items.find((item: UserJson) => item.id === user.id)).toMatchObject({
        disabled: true,
      });
      const trail = await events(auditor, `object=${user.id}`);
      expect(trail.map((event) => event.action)).toEqual(['user.create', 'session.create', 'user.disable']);

      // Again: nothing changes and nothing is written.
      const again = await admin.request('POST', `/api/v1/users/${user.id}/disable`);
      expect(again.statusCode).toBe(200);
      expect(again.json().disabled).toBe(true);
      expect((await events(auditor, `object=${user.id}`)).length).toBe(3);
    });

    test('an unknown user is 404, and an administrator cannot disable itself', async () => {
      const unknown = await admin.request('POST', '/api/v1/users/no-such-user/disable');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('NOT_FOUND');
      const me = (await admin.request('GET', '/api/v1/me')).json();
      const self = await admin.request('POST', `/api/v1/users/${me.user.id}/disable`);
      expect(self.statusCode).toBe(409);
      expect(self.json().code).toBe('INVALID_TRANSITION');
      expect((await admin.request('GET', '/api/v1/me')).statusCode).toBe(200);
    });

    test('only the administrator disables users', async () => {
      const user = await newUser('third-donor@gbr.test');
      for (const client of [recipient, coordinator, auditor]) {
        expect((await client.request('POST', `/api/v1/users/${user.id}/disable`)).statusCode).toBe(403);
      }
      expect((await api.public.request('POST', `/api/v1/users/${user.id}/disable`)).statusCode).toBe(401);
      expect((await logIn(user.email)).statusCode).toBe(200);
    });
  });

  test('the field errors of a refused organisation or user name their fields', async () => {
    const organization = await admin.request('POST', '/api/v1/organizations', {
      body: { code: 'gb', name: '', kind: 'nation' },
    });
    expect(organization.statusCode).toBe(422);
    const paths = organization.json().errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['/code', '/kind']));
    const user = await admin.request('POST', '/api/v1/users', {
      body: { email: 'not-an-email', organization: 'GBR', role: 'donor', password: 'short' },
    });
    expect(user.statusCode).toBe(422);
    expect(user.json().errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining(['/email', '/password']),
    );
  });
});
