import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { publicKeyIdOf, signatureValid } from '../../src/app/audit-signer.ts';
import { sha256Hex, systemActor } from '../../src/app/context.ts';
import { addOrganization, addUser } from '../../src/app/directory.ts';
import { AuditChain, type AuditEvent } from '../../src/core/audit/audit-event.ts';
import { Receipts } from '../../src/core/audit/receipt.ts';
import { type Credential, logInOver, noCredential, send } from '../support/access.ts';
import { startApi, type TestApi, testAccounts, testPassword, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

/**
 * Receipts: every pledge write answers with a receipt, GET /pledges/{id}/receipts lists them to
 * whoever may see the pledge, and `purl audit verify --receipt` checks one with no database at all
 * (the child process gets a database URL that cannot be opened), failing with exit 9 and a message
 * that names what is wrong when the receipt or the key was changed.
 */

vi.setConfig({ testTimeout: 60_000 });

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'purl-receipt-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `purl audit verify` offline: the database URL points nowhere, so any database use would fail. */
function purlVerify(args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'purl.js'), 'audit', 'verify', ...args], {
      cwd: root,
      env: {
        ...process.env,
        PURL_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/no-database',
        NO_COLOR: '1',
      },
    });
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
  });
}

type Json = Record<string, unknown> & {
  document: Record<string, unknown> & { amount: { minor: string; currency: string }; version: number };
  event: Record<string, unknown> & { seq: number; hash: string; action: string };
  checkpoint: Record<string, unknown> & { seq: number; hash: string; keyId: string };
  publicKey: { keyId: string; publicKeyPem: string };
};

let counter = 0;
function saved(receipt: unknown): string {
  counter += 1;
  const file = join(scratch, `receipt-${counter}.json`);
  writeFileSync(file, JSON.stringify(receipt, null, 2));
  return file;
}

describe.each(dialects)('pledge receipts on %s', (dialect) => {
  let api: TestApi;
  let donor: Credential;
  let otherDonor: Credential;
  let auditor: Credential;
  let pledgeId: string;
  let created: Json;
  let committed: Json;
  let keyFile: string;

  beforeAll(async () => {
    api = await startApi(dialect);
    await addOrganization(api.database.context, systemActor, { code: 'DEU', name: 'Germany', kind: 'donor' });
    await addUser(api.database.context, systemActor, {
      email: 'donor@deu.test',
      organizationCode: 'DEU',
      role: 'donor',
      password: testPassword,
    });
    donor = await logInOver(api.app, testAccounts.donor.email);
    otherDonor = await logInOver(api.app, 'donor@deu.test');
    auditor = await logInOver(api.app, testAccounts.auditor.email);
    const recorded = await send(api.app, 'POST', '/api/v1/pledges', donor, {
      body: {
        donor: 'GBR',
        amount: usd('150000000.00'),
        announcedOn: '2026-02-12',
        visibility: 'restricted',
      },
    });
    expect(recorded.statusCode).toBe(201);
    pledgeId = recorded.json().id;
    created = recorded.json().receipt;
    const moved = await send(api.app, 'POST', `/api/v1/pledges/${pledgeId}/transitions`, donor, {
      body: { to: 'committed', on: '2026-03-01' },
    });
    expect(moved.statusCode).toBe(200);
    committed = moved.json().receipt;
    const head = await send(api.app, 'GET', '/api/v1/audit/head', noCredential);
    keyFile = join(scratch, `${dialect}-public-key.pem`);
    writeFileSync(keyFile, head.json().publicKeys[0].publicKeyPem);
  });
  afterAll(async () => api?.close());

  test('each pledge write answers with the receipt of its own audit event', async () => {
    expect(created.event).toMatchObject({
      action: 'pledge.create',
      objectType: 'pledge',
      objectId: pledgeId,
    });
    expect(created.document).toMatchObject({ id: pledgeId, version: 1, amount: { minor: '15000000000' } });
    expect(committed.event).toMatchObject({ action: 'pledge.transition', objectId: pledgeId });
    expect(committed.document).toMatchObject({ version: 2, stage: 'committed' });
    // One signed checkpoint per event: the checkpoint is the event's own, no links between.
    expect(committed.checkpoint).toMatchObject({ seq: committed.event.seq, hash: committed.event.hash });
    expect(committed.links).toEqual([]);
    const events = await send(api.app, 'GET', `/api/v1/audit?objectId=${pledgeId}`, auditor);
    expect(events.json().items.map((event: { hash: string }) => event.hash)).toEqual([
      created.event.hash,
      committed.event.hash,
    ]);
  });

  test('GET /pledges/{id}/receipts lists every write newest first, to those who may see the pledge only', async () => {
    const own = await send(api.app, 'GET', `/api/v1/pledges/${pledgeId}/receipts`, donor);
    expect(own.statusCode).toBe(200);
    expect(own.json().items).toEqual([committed, created]);
    const audited = await send(api.app, 'GET', `/api/v1/pledges/${pledgeId}/receipts`, auditor);
    expect(audited.json().items).toEqual([committed, created]);
    const stranger = await send(api.app, 'GET', `/api/v1/pledges/${pledgeId}/receipts`, otherDonor);
    const missing = await send(
      api.app,
      'GET',
      '/api/v1/pledges/00000000-0000-4000-8000-000000000000/receipts',
      otherDonor,
    );
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toEqual(missing.json());
    expect(
      (await send(api.app, 'GET', `/api/v1/pledges/${pledgeId}/receipts`, noCredential)).statusCode,
    ).toBe(401);
  });

  test('an idempotent replay of a write answers with the same receipt', async () => {
    const body = { donor: 'GBR', amount: usd('1000.00'), announcedOn: '2026-02-13' };
    const headers = { 'idempotency-key': `receipt-${dialect}` };
    const first = await send(api.app, 'POST', '/api/v1/pledges', donor, { body, headers });
    const again = await send(api.app, 'POST', '/api/v1/pledges', donor, { body, headers });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().receipt).toEqual(first.json().receipt);
    expect(first.json().receipt.document.id).toBe(first.json().id);
  });

  /** Checks in this process, with the same crypto the command uses: the cases beyond the four above. */
  const check = (receipt: unknown, givenKeyPem?: string) =>
    Receipts.verify(receipt, { sha256: sha256Hex, keyIdOf: publicKeyIdOf, signatureValid }, givenKeyPem);

  test('the receipts verify in process too, and a consistent rewrite of event and checkpoint fails on the signature', () => {
    expect(check(created)).toMatchObject({ ok: true, problems: [], keySource: 'receipt' });
    expect(check(committed, committed.publicKey.publicKeyPem)).toMatchObject({
      ok: true,
      keySource: 'given',
    });
    const tampered = structuredClone(committed);
    tampered.event.actorOrganization = 'DEU';
    const { hash: _hash, ...content } = tampered.event;
    tampered.event.hash = AuditChain.link(content as unknown as Omit<AuditEvent, 'hash'>, sha256Hex).hash;
    tampered.checkpoint.hash = tampered.event.hash;
    expect(check(tampered).problems).toEqual([
      "the checkpoint's signature does not verify with the public key",
    ]);
  });

  test('a key swapped into the receipt, an unknown field or a missing part is refused', () => {
    const otherPem = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const swapped = structuredClone(committed);
    swapped.publicKey = { keyId: committed.publicKey.keyId, publicKeyPem: otherPem };
    const verdict = check(swapped, committed.publicKey.publicKeyPem);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join('\n')).toMatch(/not the checkpoint's/);
    expect(verdict.problems.join('\n')).toMatch(/is not the public key given/);
    const smuggled = structuredClone(committed) as Json & { event: { note?: string } };
    smuggled.event.note = 'unhashed';
    expect(check(smuggled).problems).toEqual(['event.note is not part of a receipt']);
    const { links: _links, ...partial } = committed;
    expect(check(partial).problems).toEqual(['links is missing or not a list']);
    expect(check([]).problems).toEqual(['the receipt is not a JSON object']);
  });

  // The command itself, run as a donor would, the runs side by side.
  test('purl audit verify --receipt: 0 when valid; 9 naming the amount, the hash or the key otherwise', async () => {
    const otherKeyFile = join(scratch, 'other-public-key.pem');
    writeFileSync(
      otherKeyFile,
      generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    const amount = structuredClone(committed);
    amount.document.amount.minor = '15000000001';
    const hash = structuredClone(committed);
    hash.event.hash = `${hash.event.hash.slice(0, -1)}${hash.event.hash.endsWith('0') ? '1' : '0'}`;
    const notJson = join(scratch, 'not-a-receipt.json');
    writeFileSync(notJson, '{"format": "purl-desk receipt 1", "event": 3');
    const address = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const [valid, alone, fromHead, tamperedAmount, tamperedHash, wrongKey, broken] = await Promise.all([
      purlVerify(['--receipt', saved(committed), '--public-key', keyFile]),
      purlVerify(['--receipt', saved(created), '--json']),
      purlVerify(['--receipt', saved(committed), '--head-url', address]),
      purlVerify(['--receipt', saved(amount), '--public-key', keyFile]),
      purlVerify(['--receipt', saved(hash), '--public-key', keyFile]),
      purlVerify(['--receipt', saved(committed), '--public-key', otherKeyFile]),
      purlVerify(['--receipt', notJson]),
    ]);
    expect(valid.stdout).toContain(`ok: the receipt of audit event ${committed.event.seq} is intact`);
    expect(valid.code).toBe(0);
    expect(JSON.parse(alone.stdout)).toMatchObject({ ok: true, problems: [], keySource: 'receipt' });
    expect(alone.code).toBe(0);
    expect(fromHead.stdout).toContain('key from http://127.0.0.1');
    expect(fromHead.code).toBe(0);

    expect(tamperedAmount.stdout).toContain('RECEIPT INVALID');
    expect(tamperedAmount.stdout).toContain("the document does not hash to the event's afterDigest");
    expect(tamperedAmount.code).toBe(9);
    expect(tamperedHash.stdout).toContain(`event ${committed.event.seq} does not hash to its recorded hash`);
    expect(tamperedHash.stdout).toContain('does not cover event');
    expect(tamperedHash.code).toBe(9);
    expect(wrongKey.stdout).toMatch(
      /the public key in the receipt \(key id \w+\) is not the public key given/,
    );
    expect(wrongKey.code).toBe(9);
    expect(broken.stdout).toContain('the receipt is not JSON');
    expect(broken.code).toBe(9);
  });
});
