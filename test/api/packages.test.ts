import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../src/app/context.ts';
import { writeEntries } from '../../src/app/ledger.ts';
import { markPackageFunded, openPackageLines } from '../../src/app/packages.ts';
import type { PackageJson, ProposalJson } from '../../src/contract/index.ts';
import { Account } from '../../src/core/ledger/account.ts';
import { JournalEntry } from '../../src/core/ledger/journal-entry.ts';
import { Currency } from '../../src/core/money/currency.ts';
import { Money } from '../../src/core/money/money.ts';
import { type Client, newRequirement, startApi, type TestApi, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

interface RequirementJson {
  id: string;
  ref: string;
  status: string;
  quantity: number;
  version: number;
}

/** The demo data set's requirement lines (illustrative, costed in USD). */
const demoRequirements = JSON.parse(
  readFileSync(new URL('../../demo/requirements.json', import.meta.url), 'utf8'),
) as {
  title: string;
  category: string;
  quantity: number;
  unit: string;
  unitCost: { amount: string; currency: string };
  status: string;
}[];

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Steps shared by both describes: lines the recipient drafts and the coordinator validates. */
function helpers(get: () => { recipient: Client; coordinator: Client }) {
  async function draftLine(overrides: Record<string, unknown> = {}): Promise<RequirementJson> {
    const response = await get().recipient.request('POST', '/api/v1/requirements', {
      body: newRequirement(overrides),
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  async function move(client: Client, id: string, to: string): Promise<RequirementJson> {
    const response = await client.request('POST', `/api/v1/requirements/${id}/transitions`, { body: { to } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  async function validatedLine(overrides: Record<string, unknown> = {}): Promise<RequirementJson> {
    const line = await draftLine(overrides);
    await move(get().recipient, line.id, 'submitted');
    return move(get().coordinator, line.id, 'validated');
  }

  return { draftLine, move, validatedLine };
}

describe.each(dialects)('packages on %s', (dialect) => {
  let api: TestApi;
  let recipient: Client;
  let coordinator: Client;
  let supplier: Client;
  let donor: Client;
  let auditor: Client;
  const { draftLine, validatedLine } = helpers(() => ({ recipient, coordinator }));

  beforeAll(async () => {
    api = await startApi(dialect);
    recipient = await api.as('recipient');
    coordinator = await api.as('coordinator');
    supplier = await api.as('supplier');
    donor = await api.as('donor');
    auditor = await api.as('auditor');
  });
  afterAll(async () => api?.close());

  async function requirement(id: string): Promise<RequirementJson> {
    const response = await coordinator.request('GET', `/api/v1/requirements/${id}`);
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  async function statusesOf(...ids: string[]): Promise<string[]> {
    return Promise.all(ids.map(async (id) => (await requirement(id)).status));
  }

  function create(
    lines: { requirementId: string; quantity: number }[],
    target = '500000000.00',
    client = coordinator,
  ) {
    return client.request('POST', '/api/v1/packages', {
      body: { name: 'Air defence, spring', target: usd(target), lines },
    });
  }

  async function created(lines: { requirementId: string; quantity: number }[]): Promise<PackageJson> {
    const response = await create(lines);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  async function read(id: string, client: Client = coordinator): Promise<PackageJson> {
    const response = await client.request('GET', `/api/v1/packages/${id}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  function transition(
    client: Client,
    id: string,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) {
    return client.request('POST', `/api/v1/packages/${id}/transitions`, { body, headers });
  }

  async function moved(client: Client, id: string, body: Record<string, unknown>): Promise<PackageJson> {
    const response = await transition(client, id, body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  /** The supplier prices every line at `amount` each. */
  function priceAll(pkg: PackageJson, amount = '1000000.00') {
    return moved(supplier, pkg.id, {
      to: 'priced',
      lines: pkg.lines.map((line) => ({ lineId: line.id, amount: usd(amount) })),
    });
  }

  async function auditHead(): Promise<unknown> {
    const response = await api.public.request('GET', '/api/v1/audit/head');
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  /**
   * What the allocation engine's apply will do, written here by hand: a committed pledge of the
   * donor, one journal entry for its allocation to every line of the package, and the allocations.
   */
  async function allocate(pkg: PackageJson, perLine: string): Promise<{ entryId: string; pledgeId: string }> {
    const pledge = await donor.request('POST', '/api/v1/pledges', {
      body: {
        donor: 'GBR',
        amount: usd('900000000.00'),
        announcedOn: '2026-02-12',
        stage: 'committed',
        committedOn: '2026-02-13',
      },
    });
    expect(pledge.statusCode, pledge.body).toBe(201);
    const pledgeId: string = pledge.json().id;
    const { context } = api.database;
    const dollars = Currency.parse('USD');
    const each = Money.parse(perLine, dollars);
    const total = Money.times(each, BigInt(pkg.lines.length));
    const entryId = await context.store.transaction(async (repositories) => {
      const [entry] = await writeEntries(context, repositories, [
        JournalEntry.create({
          date: today(),
          description: `Allocation to ${pkg.ref}`,
          postings: [
            { account: `pledges:allocated:GBR`, amount: total },
            { account: Account.pledges('committed', 'GBR'), amount: Money.negate(total) },
          ],
          tags: { package: pkg.ref },
        }),
      ]);
      if (!entry) throw new Error('no entry');
      await repositories.allocations.insertMany(
        pkg.lines.map((line) => ({
          id: context.newId(),
          planId: 'test-plan',
          pledgeId,
          packageId: pkg.id,
          lineId: line.id,
          usd: each,
          amount: each,
          entryId: entry.id,
          createdAt: new Date().toISOString(),
          releasedAt: null,
          releaseEntryId: null,
        })),
      );
      await markPackageFunded(context, repositories, systemActor, pkg.id);
      return entry.id;
    });
    return { entryId, pledgeId };
  }

  test('creates a draft package from validated requirements, ranked after the existing ones; the requirements become packaged', async () => {
    const radars = await validatedLine({ title: 'Radars', quantity: 2, category: 'air-defence' });
    const shells = await validatedLine({
      title: 'Shells',
      quantity: 1000,
      category: 'artillery',
      unitCost: usd('3000.00'),
    });
    const before = await auditHead();
    const first = await created([
      { requirementId: shells.id, quantity: 1000 },
      { requirementId: radars.id, quantity: 2 },
    ]);
    expect(first).toMatchObject({
      ref: 'PKG-1',
      rank: 1,
      status: 'draft',
      name: 'Air defence, spring',
      target: usd('500000000.00'),
      price: null,
      funded: usd('0.00'),
      coverage: null,
      version: 1,
      deliveries: [],
    });
    // A line's priority follows its requirement's rank: radars were ranked first.
    expect(
      first.lines.map((line) => [line.requirementRef, line.category, line.quantity, line.amount]),
    ).toEqual([
      [radars.ref, 'air-defence', 2, null],
      [shells.ref, 'artillery', 1000, null],
    ]);
    expect(await statusesOf(radars.id, shells.id)).toEqual(['packaged', 'packaged']);
    expect(await auditHead()).not.toEqual(before);

    const again = await validatedLine({ title: 'Launchers', quantity: 1 });
    const second = await created([{ requirementId: again.id, quantity: 1 }]);
    expect(second).toMatchObject({ ref: 'PKG-2', rank: 2 });
    const list = await coordinator.request('GET', '/api/v1/packages');
    expect(
      list
        .json()
        .items.map((item: PackageJson) => item.ref)
        .slice(0, 2),
    ).toEqual(['PKG-1', 'PKG-2']);
  });

  test('a line may take part of a requirement: it stays validated, and the rest is free for the next package', async () => {
    const line = await validatedLine({ quantity: 10 });
    await created([{ requirementId: line.id, quantity: 4 }]);
    expect((await requirement(line.id)).status).toBe('validated');

    const tooMany = await create([{ requirementId: line.id, quantity: 7 }]);
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json()).toMatchObject({
      code: 'PACKAGE_QUANTITY_EXCEEDS_REQUIREMENT',
      errors: [{ path: '/lines/0/quantity', message: 'at most 6' }],
    });
    await created([{ requirementId: line.id, quantity: 6 }]);
    expect((await requirement(line.id)).status).toBe('packaged');
  });

  test('refuses requirements that are not validated, unknown, or too small, and writes nothing', async () => {
    const draft = await draftLine();
    const good = await validatedLine({ quantity: 3 });
    const before = await auditHead();
    const listed = (await coordinator.request('GET', '/api/v1/packages?limit=500')).json().items.length;

    const notValidated = await create([
      { requirementId: good.id, quantity: 1 },
      { requirementId: draft.id, quantity: 1 },
    ]);
    expect(notValidated.statusCode).toBe(422);
    expect(notValidated.json()).toMatchObject({
      code: 'REQUIREMENT_NOT_VALIDATED',
      errors: [{ path: '/lines/1/requirementId' }],
    });

    const unknown = await create([{ requirementId: 'no-such-requirement', quantity: 1 }]);
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('REQUIREMENT_UNKNOWN');

    const tooBig = await create([{ requirementId: good.id, quantity: 4 }]);
    expect(tooBig.statusCode).toBe(422);
    expect(tooBig.json().code).toBe('PACKAGE_QUANTITY_EXCEEDS_REQUIREMENT');

    const twice = await create([
      { requirementId: good.id, quantity: 1 },
      { requirementId: good.id, quantity: 1 },
    ]);
    expect(twice.statusCode).toBe(422);
    expect(twice.json().code).toBe('VALIDATION_FAILED');

    const euros = await coordinator.request('POST', '/api/v1/packages', {
      body: {
        name: 'x',
        target: { amount: '5.00', currency: 'EUR' },
        lines: [{ requirementId: good.id, quantity: 1 }],
      },
    });
    expect(euros.statusCode).toBe(422);

    const bySupplier = await create([{ requirementId: good.id, quantity: 1 }], '500000000.00', supplier);
    expect(bySupplier.statusCode).toBe(403);

    expect(await auditHead()).toEqual(before);
    expect((await coordinator.request('GET', '/api/v1/packages?limit=500')).json().items).toHaveLength(
      listed,
    );
    expect((await requirement(good.id)).status).toBe('validated');
  });

  test('the supplier prices every line; the price is their sum and coverage starts at zero', async () => {
    const a = await validatedLine({ quantity: 2 });
    const b = await validatedLine({ quantity: 3 });
    const pkg = await created([
      { requirementId: a.id, quantity: 2 },
      { requirementId: b.id, quantity: 3 },
    ]);
    const [first, second] = pkg.lines;
    if (!first || !second) throw new Error('two lines');
    const priced = await moved(supplier, pkg.id, {
      to: 'priced',
      lines: [
        { lineId: second.id, amount: usd('2500000.50') },
        { lineId: first.id, amount: usd('8000000.00') },
      ],
    });
    expect(priced).toMatchObject({
      status: 'priced',
      price: usd('10500000.50'),
      coverage: '0.0000',
      version: 2,
    });
    expect(priced.lines.map((line) => line.amount)).toEqual([usd('8000000.00'), usd('2500000.50')]);
  });

  test('refuses a pricing with a line missing, a negative amount, a wrong scale, or another currency; and a coordinator may not price', async () => {
    const a = await validatedLine({ quantity: 2 });
    const b = await validatedLine({ quantity: 3 });
    const pkg = await created([
      { requirementId: a.id, quantity: 2 },
      { requirementId: b.id, quantity: 3 },
    ]);
    const [first, second] = pkg.lines;
    if (!first || !second) throw new Error('two lines');
    const before = await auditHead();
    const attempts: [Client, unknown[], number, string][] = [
      [supplier, [{ lineId: first.id, amount: usd('1.00') }], 422, 'PACKAGE_PRICING_INCOMPLETE'],
      [
        supplier,
        [
          { lineId: first.id, amount: usd('1.00') },
          { lineId: 'elsewhere', amount: usd('1.00') },
        ],
        422,
        'PACKAGE_PRICING_INCOMPLETE',
      ],
      [
        supplier,
        [
          { lineId: first.id, amount: usd('-1.00') },
          { lineId: second.id, amount: usd('1.00') },
        ],
        422,
        'MONEY_OUT_OF_RANGE',
      ],
      [
        supplier,
        [
          { lineId: first.id, amount: usd('1.5') },
          { lineId: second.id, amount: usd('1.00') },
        ],
        422,
        'MONEY_SCALE_INVALID',
      ],
      [
        supplier,
        [
          { lineId: first.id, amount: { amount: '1.00', currency: 'EUR' } },
          { lineId: second.id, amount: usd('1.00') },
        ],
        422,
        'VALIDATION_FAILED',
      ],
      [
        coordinator,
        [
          { lineId: first.id, amount: usd('1.00') },
          { lineId: second.id, amount: usd('1.00') },
        ],
        403,
        'FORBIDDEN',
      ],
    ];
    for (const [client, lines, status, code] of attempts) {
      const response = await transition(client, pkg.id, { to: 'priced', lines });
      expect(response.statusCode, `${code}: ${response.body}`).toBe(status);
      expect(response.json().code).toBe(code);
    }
    const missingLines = await transition(supplier, pkg.id, { to: 'priced' });
    expect(missingLines.json().code).toBe('PACKAGE_PRICING_INCOMPLETE');
    const scale = await transition(supplier, pkg.id, {
      to: 'priced',
      lines: [
        { lineId: first.id, amount: usd('1.5') },
        { lineId: second.id, amount: usd('1.00') },
      ],
    });
    expect(scale.json().errors).toEqual([{ path: '/lines/0/amount', message: expect.any(String) }]);
    expect(await auditHead()).toEqual(before);
    expect(await read(pkg.id)).toEqual(pkg);
  });

  test('the coordinator opens a priced package; the supplier may not, and a draft cannot open', async () => {
    const line = await validatedLine({ quantity: 1 });
    const pkg = await created([{ requirementId: line.id, quantity: 1 }]);
    const early = await transition(coordinator, pkg.id, { to: 'open' });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('INVALID_TRANSITION');
    await priceAll(pkg);
    const bySupplier = await transition(supplier, pkg.id, { to: 'open' });
    expect(bySupplier.statusCode).toBe(403);
    const opened = await moved(coordinator, pkg.id, { to: 'open' });
    expect(opened.status).toBe('open');
    expect((await requirement(line.id)).status).toBe('packaged');
    const lines = await openPackageLines(api.database.context.store.read);
    expect(lines.filter((open) => open.packageId === pkg.id)).toEqual([
      expect.objectContaining({
        lineId: opened.lines[0]?.id,
        packageRef: opened.ref,
        packageRank: opened.rank,
        category: 'air-defence',
        price: Money.parse('1000000.00', Currency.parse('USD')),
        allocated: 0n,
      }),
    ]);
  });

  test('edits the name and target of a draft with If-Match; a stale version is 412, a priced package is locked', async () => {
    const line = await validatedLine({ quantity: 1 });
    const pkg = await created([{ requirementId: line.id, quantity: 1 }]);
    const noIfMatch = await coordinator.request('PATCH', `/api/v1/packages/${pkg.id}`, {
      body: { name: 'Renamed' },
    });
    expect(noIfMatch.statusCode).toBe(428);
    const edited = await coordinator.request('PATCH', `/api/v1/packages/${pkg.id}`, {
      body: { name: 'Renamed', target: usd('450000000.00') },
      headers: { 'if-match': '"1"' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ name: 'Renamed', target: usd('450000000.00'), version: 2 });
    expect(edited.headers.etag).toBe('"2"');

    const stale = await coordinator.request('PATCH', `/api/v1/packages/${pkg.id}`, {
      body: { name: 'Again' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('VERSION_MISMATCH');

    const staleTransition = await transition(
      supplier,
      pkg.id,
      { to: 'priced', lines: [{ lineId: pkg.lines[0]?.id, amount: usd('5.00') }] },
      { 'if-match': '"1"' },
    );
    expect(staleTransition.statusCode).toBe(412);
    expect((await read(pkg.id)).status).toBe('draft');

    await priceAll(await read(pkg.id));
    const locked = await coordinator.request('PATCH', `/api/v1/packages/${pkg.id}`, {
      body: { name: 'Too late' },
      headers: { 'if-match': '"3"' },
    });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().code).toBe('PACKAGE_LOCKED');
  });

  test('cancelling releases the money with reversing entries, and the requirements return to validated', async () => {
    const a = await validatedLine({ quantity: 2 });
    const b = await validatedLine({ quantity: 5 });
    const pkg = await created([
      { requirementId: a.id, quantity: 2 },
      { requirementId: b.id, quantity: 5 },
    ]);
    await priceAll(pkg, '3000000.00');
    await moved(coordinator, pkg.id, { to: 'open' });
    const { entryId, pledgeId } = await allocate(pkg, '1500000.00');
    const open = await read(pkg.id);
    expect(open).toMatchObject({ status: 'open', funded: usd('3000000.00'), coverage: '0.5000' });
    expect(open.lines.map((line) => line.funded)).toEqual([usd('1500000.00'), usd('1500000.00')]);

    const cancelled = await moved(coordinator, pkg.id, { to: 'cancelled', reason: 'superseded' });
    expect(cancelled).toMatchObject({ status: 'cancelled', funded: usd('0.00'), coverage: '0.0000' });
    expect(await statusesOf(a.id, b.id)).toEqual(['validated', 'validated']);

    const { store } = api.database.context;
    expect(await store.read.allocations.activeByPledge(pledgeId)).toEqual([]);
    const entries = await coordinator.request('GET', '/api/v1/ledger/entries?limit=500');
    const reversal = entries
      .json()
      .items.find((entry: { reverses: string | null }) => entry.reverses === entryId);
    expect(reversal).toBeDefined();
    const balances = await store.read.ledger.balances();
    expect(balances.find((balance) => balance.account === 'pledges:allocated:GBR')?.balance.minor).toBe(0n);

    // The units are free again: a new package may take them.
    await created([{ requirementId: b.id, quantity: 5 }]);
    expect((await requirement(b.id)).status).toBe('packaged');
    const again = await transition(coordinator, pkg.id, { to: 'cancelled' });
    expect(again.statusCode).toBe(409);
  });

  test('a donor reads the packages its pledges fund, and no other', async () => {
    const funded = await validatedLine({ quantity: 1 });
    const other = await validatedLine({ quantity: 1 });
    const fundedPackage = await created([{ requirementId: funded.id, quantity: 1 }]);
    const otherPackage = await created([{ requirementId: other.id, quantity: 1 }]);
    await priceAll(fundedPackage);
    await moved(coordinator, fundedPackage.id, { to: 'open' });
    await allocate(fundedPackage, '1000000.00');

    const seen = await read(fundedPackage.id, donor);
    expect(seen).toMatchObject({ status: 'funded', coverage: '1.0000', funded: usd('1000000.00') });
    const hidden = await donor.request('GET', `/api/v1/packages/${otherPackage.id}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('NOT_FOUND');
    const listed = await donor.request('GET', '/api/v1/packages?limit=500');
    const refs = listed.json().items.map((item: PackageJson) => item.ref);
    expect(refs).toContain(fundedPackage.ref);
    expect(refs).not.toContain(otherPackage.ref);
    expect((await read(otherPackage.id, auditor)).ref).toBe(otherPackage.ref);
    // The recipient reads every package: each line is one of its requirements (it confirms receipt).
    expect((await read(otherPackage.id, recipient)).ref).toBe(otherPackage.ref);
  });

  test('a pledge may be earmarked for a package that exists, and not for one that does not', async () => {
    const line = await validatedLine({ quantity: 1 });
    const pkg = await created([{ requirementId: line.id, quantity: 1 }]);
    const pledge = (packageId: string) =>
      donor.request('POST', '/api/v1/pledges', {
        body: { donor: 'GBR', amount: usd('1.00'), announcedOn: '2026-02-12', earmark: { packageId } },
      });
    expect((await pledge(pkg.id)).statusCode).toBe(201);
    const unknown = await pledge('no-such-package');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('PACKAGE_UNKNOWN');
  });

  test('funded, contracted, delivered and received: the package completes and its requirements are delivered', async () => {
    const a = await validatedLine({ quantity: 4 });
    const b = await validatedLine({ quantity: 2 });
    const pkg = await created([
      { requirementId: a.id, quantity: 4 },
      { requirementId: b.id, quantity: 2 },
    ]);
    await priceAll(pkg, '2000000.00');
    await moved(coordinator, pkg.id, { to: 'open' });
    await allocate(pkg, '2000000.00');
    expect((await read(pkg.id)).status).toBe('funded');
    expect(await statusesOf(a.id, b.id)).toEqual(['funded', 'funded']);
    const [lineA, lineB] = pkg.lines;
    if (!lineA || !lineB) throw new Error('two lines');

    const deliver = (quantity: number, lineId = lineA.id, client = supplier) =>
      client.request('POST', `/api/v1/packages/${pkg.id}/deliveries`, {
        body: { lineId, quantity, shippedOn: '2026-03-01' },
      });
    const beforeContract = await deliver(1);
    expect(beforeContract.statusCode).toBe(409);
    expect(beforeContract.json().code).toBe('INVALID_TRANSITION');

    expect((await transition(coordinator, pkg.id, { to: 'contracted' })).statusCode).toBe(403);
    await moved(supplier, pkg.id, { to: 'contracted' });
    expect(await statusesOf(a.id, b.id)).toEqual(['contracted', 'contracted']);

    const first = await deliver(3);
    expect(first.statusCode, first.body).toBe(201);
    const delivery = first.json();
    expect(delivery).toMatchObject({
      lineId: lineA.id,
      quantity: 3,
      shippedOn: '2026-03-01',
      receivedOn: null,
    });
    expect((await read(pkg.id)).status).toBe('delivering');

    const over = await deliver(2);
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({
      code: 'DELIVERY_EXCEEDS_LINE',
      errors: [{ path: '/quantity', message: 'at most 1' }],
    });
    expect((await deliver(1, lineA.id, recipient)).statusCode).toBe(403);

    const receiptUrl = (id: string) => `/api/v1/packages/${pkg.id}/deliveries/${id}/receipt`;
    expect((await supplier.request('POST', receiptUrl(delivery.id))).statusCode).toBe(403);
    const received = await recipient.request('POST', receiptUrl(delivery.id), {
      body: { receivedOn: '2026-03-04' },
    });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ id: delivery.id, receivedOn: '2026-03-04' });
    const twice = await recipient.request('POST', receiptUrl(delivery.id));
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('DELIVERY_ALREADY_RECEIVED');
    const early = await transition(coordinator, pkg.id, { to: 'completed' });
    expect(early.statusCode).toBe(409);

    const rest = [(await deliver(1)).json(), (await deliver(2, lineB.id)).json()];
    for (const shipment of rest) {
      const response = await recipient.request('POST', receiptUrl(shipment.id));
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().receivedOn).toBe(today());
    }
    const done = await read(pkg.id);
    expect(done.status).toBe('completed');
    expect(done.lines.map((line) => [line.deliveredQuantity, line.receivedQuantity])).toEqual([
      [4, 4],
      [2, 2],
    ]);
    expect(done.deliveries).toHaveLength(3);
    expect(await statusesOf(a.id, b.id)).toEqual(['delivered', 'delivered']);
    const verdict = await auditor.request('GET', '/api/v1/audit/verify');
    expect(verdict.json()).toMatchObject({ ok: true });
  });
});

describe.each(dialects)('the package proposal on %s', (dialect) => {
  let api: TestApi;
  let recipient: Client;
  let coordinator: Client;
  const { draftLine, validatedLine } = helpers(() => ({ recipient, coordinator }));
  const refs: string[] = [];

  beforeAll(async () => {
    api = await startApi(dialect);
    recipient = await api.as('recipient');
    coordinator = await api.as('coordinator');
    for (const code of [
      'rocket-artillery',
      'artillery-ammunition',
      'spare-parts',
      'f16-munitions',
      'anti-tank',
    ]) {
      const response = await coordinator.request('POST', '/api/v1/categories', {
        body: { code, name: code },
      });
      expect(response.statusCode).toBe(201);
    }
    // The first twelve validated demo lines, in their order, with one submitted line after the second.
    const demo = demoRequirements.filter((line) => line.status === 'validated').slice(0, 12);
    for (const [index, line] of demo.entries()) {
      const { status: _status, ...fields } = line;
      refs.push((await validatedLine(fields)).ref);
      if (index === 1) await draftLine({ title: 'Submitted, not validated', quantity: 1 });
    }
    // Five of the first line's twenty interceptors are in a draft package already.
    const first = (await coordinator.request('GET', '/api/v1/priority-list')).json().items[0];
    const pkg = await coordinator.request('POST', '/api/v1/packages', {
      body: {
        name: 'Earlier',
        target: usd('20000000.00'),
        lines: [{ requirementId: first.id, quantity: 5 }],
      },
    });
    expect(pkg.statusCode, pkg.body).toBe(201);
  });
  afterAll(async () => api?.close());

  function propose(amount: string, client = coordinator) {
    return client.request('POST', '/api/v1/packages/proposal', { body: { target: usd(amount) } });
  }

  test('takes whole lines in rank order, the first that does not fit in part, and stops there', async () => {
    const head = (await api.public.request('GET', '/api/v1/audit/head')).json();
    const response = await propose('500000000.00');
    expect(response.statusCode, response.body).toBe(200);
    const proposal: ProposalJson = response.json();
    expect(proposal.lines.map((line) => [line.ref, line.quantity, line.estimatedAmount.amount])).toEqual([
      [refs[0], 15, '60000000.00'],
      [refs[1], 4, '10000000.00'],
      [refs[2], 20, '80000000.00'],
      [refs[3], 300, '45000000.00'],
      [refs[4], 10000, '80000000.00'],
      [refs[5], 100, '50000000.00'],
      [refs[6], 10, '15000000.00'],
      [refs[7], 50, '50000000.00'],
      [refs[8], 10000, '50000000.00'],
      [refs[9], 300, '45000000.00'],
      [refs[10], 3, '12000000.00'],
    ]);
    expect(proposal.total).toEqual(usd('497000000.00'));
    expect(proposal.remaining).toEqual(usd('3000000.00'));
    expect(proposal.target).toEqual(usd('500000000.00'));
    expect(proposal.lines[0]?.category).toBe('air-defence');
    expect(proposal.notIncluded).toEqual([
      {
        requirementId: expect.any(String),
        ref: refs[10],
        quantity: 12,
        estimatedAmount: usd('48000000.00'),
        reason: `${refs[10]} needs 60000000.00 USD for all 15 each; 15000000.00 USD of the target remained, enough for 3 (12000000.00 USD); the other 12 are left for the next package.`,
      },
      {
        requirementId: expect.any(String),
        ref: refs[11],
        quantity: 400,
        estimatedAmount: usd('80000000.00'),
        reason: `${refs[11]} ranks below ${refs[10]}, which did not fit whole; the proposal keeps rank order.`,
      },
    ]);
    expect(proposal.notIncludedCount).toBe(2);
    expect(proposal.name).toContain(`${refs[0]} to ${refs[10]}`);
    // Nothing was written.
    expect((await api.public.request('GET', '/api/v1/audit/head')).json()).toEqual(head);
  });

  test('says why nothing fits when not even one unit of the top line does', async () => {
    const response = await propose('1000000.00');
    expect(response.statusCode).toBe(200);
    const proposal: ProposalJson = response.json();
    expect(proposal.lines).toEqual([]);
    expect(proposal.total).toEqual(usd('0.00'));
    expect(proposal.notIncluded[0]).toMatchObject({
      ref: refs[0],
      quantity: 15,
      reason: `${refs[0]} needs 60000000.00 USD; 1000000.00 USD of the target remained, less than one each (4000000.00 USD).`,
    });
    expect(proposal.notIncludedCount).toBe(12);
  });

  test('converts other currencies at the rate in force today, and refuses when it must estimate one without a rate', async () => {
    await validatedLine({
      title: 'Euro-costed kits',
      quantity: 10,
      unitCost: { amount: '900000.00', currency: 'EUR' },
    });
    await validatedLine({
      title: 'Yen-costed parts',
      quantity: 5,
      unitCost: { amount: '150000000', currency: 'JPY' },
    });
    const rate = await coordinator.request('POST', '/api/v1/fx-rates', {
      body: { currency: 'EUR', date: today(), perUsd: '0.9', source: 'test' },
    });
    expect(rate.statusCode, rate.body).toBe(201);

    const missing = await propose('2000000000.00');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().code).toBe('FX_RATE_MISSING');

    await coordinator.request('POST', '/api/v1/fx-rates', {
      body: { currency: 'JPY', date: today(), perUsd: '150', source: 'test' },
    });
    const response = await propose('2000000000.00');
    expect(response.statusCode, response.body).toBe(200);
    const proposal: ProposalJson = response.json();
    expect(proposal.lines.slice(-2).map((line) => [line.quantity, line.estimatedAmount])).toEqual([
      [10, usd('10000000.00')],
      [5, usd('5000000.00')],
    ]);
    expect(proposal.notIncluded).toEqual([]);
  });

  test('only a coordinator proposes, and the target is a positive USD amount', async () => {
    const supplier = await api.as('supplier');
    expect((await propose('500000000.00', supplier)).statusCode).toBe(403);
    expect((await propose('0.00')).json().code).toBe('MONEY_OUT_OF_RANGE');
    const euros = await coordinator.request('POST', '/api/v1/packages/proposal', {
      body: { target: { amount: '5.00', currency: 'EUR' } },
    });
    expect(euros.statusCode).toBe(422);
  });
});
