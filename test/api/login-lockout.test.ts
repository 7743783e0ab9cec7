import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createContext, sha256Hex, systemActor } from '../../src/app/context.ts';
import { addUser } from '../../src/app/directory.ts';
import { actorOf, unlockUser } from '../../src/app/sessions.ts';
import { Limits } from '../../src/core/limits.ts';
import { buildApp } from '../../src/server/app.ts';
import { connect } from '../../src/store/dialect/connect.ts';
import { Store } from '../../src/store/unit-of-work.ts';
import { noCredential, send } from '../support/access.ts';
import { startApi, type TestApi, testAccounts, testPassword } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

/**
 * Per-account lockout: `Limits.loginFailuresBeforeLockout` failed logins in a row, from any
 * address and through any server process, lock the account for `Limits.loginLockoutSeconds`. The
 * locked account answers exactly like a wrong password (nothing tells a guesser it is locked, or
 * that it exists); a successful login forgets the failures; an administrator can lift the lock.
 * Every attempt here comes from a fresh client address, so the per-address throttle never answers.
 */

vi.setConfig({ testTimeout: 60_000 });

const root = fileURLToPath(new URL('../..', import.meta.url));
const failures = Limits.loginFailuresBeforeLockout;
const scratch = mkdtempSync(join(tmpdir(), 'purl-lockout-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(dialects)('login lockout on %s', (dialect) => {
  let api: TestApi;
  /** A second app on its own connection to the same database: another server process, as far as the database sees. */
  let otherApp: FastifyInstance;
  let otherStore: Store;
  let accounts = 0;

  beforeAll(async () => {
    api = await startApi(dialect);
    const connection = connect(api.database.url);
    otherStore = new Store(connection.db, connection.dialect, sha256Hex);
    otherApp = await buildApp({ context: createContext(otherStore) });
  });
  afterAll(async () => {
    await otherApp?.close();
    await otherStore?.close();
    await api?.close();
  });

  /** A donor account of its own for each test, so that no test locks another's account. */
  async function newAccount(): Promise<string> {
    accounts += 1;
    const email = `lockout-${accounts}@gbr.test`;
    await addUser(api.database.context, systemActor, {
      email,
      organizationCode: testAccounts.donor.organization,
      role: 'donor',
      password: testPassword,
    });
    return email;
  }

  /** An account locked as the failures above lock one, written directly: the tests of unlocking start here. */
  async function lockedAccount(): Promise<string> {
    const email = await newAccount();
    const user = await api.database.context.store.read.users.findByEmail(email);
    await api.database.context.store.db
      .insertInto('login_failure')
      .values({
        user_id: user?.id ?? never(),
        failures: 0,
        locked_until: new Date(Date.now() + Limits.loginLockoutSeconds * 1000).toISOString(),
      })
      .execute();
    expect((await logIn(email, testPassword)).statusCode).toBe(401);
    return email;
  }

  const logIn = (email: string, password: string, app: FastifyInstance = api.app) =>
    send(app, 'POST', '/api/v1/session', noCredential, { body: { email, password } });

  async function failTimes(email: string, times: number, app?: FastifyInstance) {
    for (let index = 0; index < times; index += 1) {
      expect((await logIn(email, `wrong password ${index}`, app)).statusCode).toBe(401);
    }
  }

  const lockRow = (email: string) =>
    api.database.context.store.db
      .selectFrom('login_failure')
      .innerJoin('app_user', 'app_user.id', 'login_failure.user_id')
      .select(['failures', 'locked_until'])
      .where('app_user.email', '=', email)
      .executeTakeFirst();

  test(`after ${failures} failed logins in a row the right password is refused exactly like a wrong one, for that account only`, async () => {
    const almost = await newAccount();
    await failTimes(almost, failures - 1);
    const locked = await newAccount();
    await failTimes(locked, failures);
    const refused = await logIn(locked, testPassword);
    const wrong = await logIn(locked, 'yet another wrong password');
    const unknown = await logIn('nobody@nowhere.test', testPassword);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('INVALID_CREDENTIALS');
    expect(refused.body).toBe(wrong.body);
    expect(refused.body).toBe(unknown.body);
    expect(refused.cookies).toEqual([]);
    expect((await logIn(testAccounts.donor.email, testPassword)).statusCode).toBe(200);
    const row = await lockRow(locked);
    expect(Date.parse(row?.locked_until ?? '')).toBeGreaterThan(
      Date.now() + (Limits.loginLockoutSeconds - 60) * 1000,
    );
    // One failure short of the lockout, the right password still works, and forgets the failures.
    expect(Number((await lockRow(almost))?.failures)).toBe(failures - 1);
    expect((await logIn(almost, testPassword)).statusCode).toBe(200);
    expect(await lockRow(almost)).toBeUndefined();
  });

  test('a successful login resets the count of failures', async () => {
    const email = await newAccount();
    await failTimes(email, failures - 1);
    expect((await logIn(email, testPassword)).statusCode).toBe(200);
    await failTimes(email, failures - 1);
    expect((await logIn(email, testPassword)).statusCode).toBe(200);
  });

  test('the lock ends when its period has passed', async () => {
    const email = await newAccount();
    await failTimes(email, failures);
    expect((await logIn(email, testPassword)).statusCode).toBe(401);
    // Attempts while locked are not counted: the lock does not grow.
    const before = await lockRow(email);
    await failTimes(email, 3);
    expect(await lockRow(email)).toEqual(before);
    await api.database.context.store.db
      .updateTable('login_failure')
      .set({ locked_until: new Date(Date.now() - 1_000).toISOString() })
      .execute();
    expect((await logIn(email, testPassword)).statusCode).toBe(200);
    expect(await lockRow(email)).toBeUndefined();
  });

  test('failures through two server processes add up, even at the same moment, and lock both', async () => {
    const email = await newAccount();
    const half = Math.floor(failures / 2);
    const outcomes = await Promise.all(
      Array.from({ length: failures }, (_, index) =>
        logIn(email, `wrong password ${index}`, index < half ? api.app : otherApp),
      ),
    );
    expect(outcomes.map((outcome) => outcome.statusCode)).toEqual(Array(failures).fill(401));
    expect((await logIn(email, testPassword, api.app)).statusCode).toBe(401);
    expect((await logIn(email, testPassword, otherApp)).statusCode).toBe(401);
  });

  test('an administrator lifts the lock (audited); no other role may', async () => {
    const email = await lockedAccount();
    const donor = await api.database.context.store.read.users.findByEmail(testAccounts.donor.email);
    await expect(unlockUser(api.database.context, actorOf(donor ?? never()), email)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const admin = await api.database.context.store.read.users.findByEmail(testAccounts.admin.email);
    const outcome = await unlockUser(api.database.context, actorOf(admin ?? never()), email);
    expect(outcome.lockedUntil).not.toBeNull();
    expect((await logIn(email, testPassword)).statusCode).toBe(200);
    const events = await api.database.context.store.read.audit.list(
      { objectType: 'user' },
      { limit: Limits.pageSizeMax, cursor: null },
    );
    expect(events.items.filter((event) => event.action === 'user.unlock')).toHaveLength(1);
    // Nothing to lift: nothing changes, nothing is audited.
    expect(await unlockUser(api.database.context, actorOf(admin ?? never()), email)).toMatchObject({
      lockedUntil: null,
      failures: 0,
    });
  });

  test('purl user unlock --email lifts the lock from the command line', async () => {
    const email = await newAccount();
    await failTimes(email, failures);
    const outcome = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(
          process.execPath,
          [join(root, 'bin', 'purl.js'), 'user', 'unlock', '--email', email],
          {
            cwd: root,
            env: {
              ...process.env,
              PURL_DATABASE_URL: api.database.url,
              PURL_AUDIT_KEY_FILE: join(scratch, 'audit-signing-key.pem'),
              NO_COLOR: '1',
            },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
        });
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      },
    );
    expect(outcome.stdout).toContain(`unlocked ${email} (it was locked until`);
    expect(outcome.code).toBe(0);
    expect((await logIn(email, testPassword)).statusCode).toBe(200);
  });
});

function never(): never {
  throw new Error('the test account is missing');
}
