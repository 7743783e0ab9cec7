import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoData } from '../../demo/demo-data.ts';
import { systemActor } from '../../src/app/context.ts';
import { loadDemo } from '../../src/app/load-demo.ts';
import { getPledge, readablePledges } from '../../src/app/pledges.ts';
import type { Role } from '../../src/core/access/roles.ts';
import type { Actor } from '../../src/core/directory/organization.ts';
import { inBatches } from '../../src/store/batches.ts';
import type { StoredPledge } from '../../src/store/pledge.repository.ts';
import { dialects, freshDatabase, type TestDatabase } from '../support/databases.ts';

/** Several pledges read at once (the allocation plan's download) with the rights getPledge applies to one. */
describe.each(dialects)('readablePledges on %s', (dialect) => {
  let database: TestDatabase;
  let stored: StoredPledge[];

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    await loadDemo(database.context, demoData, { onlyIfEmpty: false, password: 'demo password for tests' });
    stored = await database.context.store.read.pledges.all();
  });
  afterAll(async () => database?.dispose());

  const actor = (role: Role, organizationCode: string): Actor => ({
    userId: `user-${role}-${organizationCode}`,
    email: `${role}@${organizationCode.toLowerCase()}.test`,
    role,
    organizationId: `org-${organizationCode}`,
    organizationCode,
  });

  /** What getPledge answers for each id, one read at a time: the oracle. */
  async function oneByOne(reader: Actor, ids: readonly string[]): Promise<string[]> {
    const readable: string[] = [];
    for (const id of ids) {
      const pledge = await getPledge(database.context, reader, id).catch(() => null);
      if (pledge) readable.push(pledge.id);
    }
    return readable.sort();
  }

  test('each role reads at once exactly what it reads one by one, unknown ids left out', async () => {
    expect(stored.length).toBeGreaterThan(10);
    // More than one batch of 500: every pledge, a repeat, and 600 ids that do not exist, some of
    // them before the real ones.
    const unknown = Array.from({ length: 600 }, (_, index) => `no-such-pledge-${index}`);
    const ids = [
      ...unknown.slice(0, 300),
      ...stored.map((pledge) => pledge.id),
      stored[0]?.id ?? '',
      ...unknown.slice(300),
    ];
    const donors = [...new Set(stored.map((pledge) => pledge.donor))];
    expect(donors.length).toBeGreaterThan(1);
    const readers = [
      actor('coordinator', 'NATO'),
      actor('auditor', 'NATO-AUDIT'),
      actor('donor', donors[0] ?? ''),
      actor('donor', donors[1] ?? ''),
      actor('supplier', 'USA'),
      actor('recipient', 'UKR'),
      systemActor,
    ];
    for (const reader of readers) {
      const found = await readablePledges(database.context, reader, ids);
      const expected =
        reader === systemActor ? stored.map((p) => p.id).sort() : await oneByOne(reader, [...new Set(ids)]);
      expect([...found.keys()].sort(), `${reader.role} ${reader.organizationCode}`).toEqual(expected);
      for (const [id, pledge] of found) expect(pledge.id).toBe(id);
    }
    const britain = await readablePledges(database.context, actor('donor', 'GBR'), ids);
    expect(britain.size).toBeGreaterThan(0);
    for (const pledge of britain.values()) expect(pledge.donor).toBe('GBR');
    expect((await readablePledges(database.context, actor('supplier', 'USA'), ids)).size).toBe(0);
  });
});

test('inBatches slices in order, each batch at most the size, nothing lost', () => {
  const values = Array.from({ length: 1_001 }, (_, index) => index);
  const batches = inBatches(values);
  expect(batches.map((batch) => batch.length)).toEqual([500, 500, 1]);
  expect(batches.flat()).toEqual(values);
  expect(inBatches([])).toEqual([]);
  expect(inBatches([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
});
