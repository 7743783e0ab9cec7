import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../src/app/context.ts';
import { addOrganization } from '../../src/app/directory.ts';
import type { PackageJson, PublicSummaryJson } from '../../src/contract/index.ts';
import { type Client, newRequirement, startApi, type TestApi, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';

/** Strings that only the restricted pledges and the undisclosed amount carry. */
const markers = ['777777777', 'MARKER-FORUM', 'marker.example', 'Marker Secret', 'RST', '555555555'];

describe.each(dialects)('the public summary on %s', (dialect) => {
  let api: TestApi;
  let coordinator: Client;

  async function record(body: Record<string, unknown>): Promise<string> {
    const response = await coordinator.request('POST', '/api/v1/pledges', { body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id;
  }

  beforeAll(async () => {
    api = await startApi(dialect);
    const { context } = api.database;
    await addOrganization(context, systemActor, { code: 'DEU', name: 'Germany', kind: 'donor' });
    await addOrganization(context, systemActor, { code: 'SVN', name: 'Slovenia', kind: 'donor' });
    await addOrganization(context, systemActor, { code: 'RST', name: 'Marker Secret', kind: 'donor' });
    coordinator = await api.as('coordinator');
    const britain = await record({
      donor: 'GBR',
      amount: { amount: '150000000.00', currency: 'USD' },
      announcedOn: '2026-02-11',
      forum: 'UDCG, Brussels, 2026-02-12',
      source: 'https://www.gov.uk/news/purl',
      earmark: { categories: ['air-defence'] },
    });
    await record({
      donor: 'GBR',
      amount: { amount: '150000000.00', currency: 'USD' },
      announcedOn: '2026-02-12',
      forum: 'UDCG, Brussels, 2026-02-12',
      source: 'https://www.gov.uk/news/purl-again',
      duplicateOf: britain,
    });
    await record({
      donor: 'DEU',
      amount: { amount: '300000000.00', currency: 'USD' },
      announcedOn: '2026-01-20',
      forum: 'NATO-Ukraine Council',
      source: 'https://www.bundesregierung.de/purl',
      stage: 'committed',
      committedOn: '2026-02-02',
    });
    await record({
      donor: 'DEU',
      amount: { amount: '555555555.55', currency: 'USD' },
      announcedOn: '2026-02-12',
      forum: 'UDCG, Brussels, 2026-02-12',
      source: 'https://www.bundesregierung.de/purl-undisclosed',
      visibility: 'amount-undisclosed',
    });
    await record({
      donor: 'SVN',
      amount: null,
      announcedOn: '2025-10-13',
      forum: 'Prime Minister of Slovenia',
      source: 'https://www.gov.si/purl',
      earmark: { categories: ['air-defence'] },
      visibility: 'amount-undisclosed',
    });
    for (const donor of ['RST', 'GBR']) {
      await record({
        donor,
        amount: { amount: '777777777.77', currency: 'USD' },
        announcedOn: '2026-03-03',
        forum: 'MARKER-FORUM restricted briefing',
        source: 'https://marker.example/restricted-777',
        earmark: { categories: ['artillery'] },
        visibility: 'restricted',
        notes: 'MARKER-FORUM note',
      });
    }
  });
  afterAll(async () => api?.close());

  test('is served without a login', async () => {
    const response = await api.public.request('GET', '/api/v1/public/summary');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-disposition']).toBeUndefined();
    const summary: PublicSummaryJson = response.json();
    expect(Date.parse(summary.asOf)).not.toBeNaN();
    expect(summary.packages).toEqual([]);
  });

  test('reveals nothing of a restricted pledge, not even its donor or a count', async () => {
    const response = await api.public.request('GET', '/api/v1/public/summary');
    for (const marker of markers) expect(response.body).not.toContain(marker);
    const summary: PublicSummaryJson = response.json();
    expect(summary.byDonor.map((donor) => donor.code).sort()).toEqual(['DEU', 'GBR', 'SVN']);
    expect(summary.byCategory.map((category) => category.key).sort()).toEqual(['air-defence', 'unearmarked']);
    expect(summary.byMonth.map((month) => month.month)).toEqual(['2025-10', '2026-01', '2026-02']);
    expect(summary.pledgesCounted + summary.undisclosedPledges + summary.reAnnouncementsExcluded).toBe(5);
  });

  test('totals each stage, naming what it counts, without the re-announcement', async () => {
    const summary: PublicSummaryJson = (await api.public.request('GET', '/api/v1/public/summary')).json();
    const usd = (amount: string) => ({ amount, currency: 'USD' });
    expect(
      summary.totals.map(({ stage, counts, amount, pledges, note }) => ({
        stage,
        counts,
        amount,
        pledges,
        note,
      })),
    ).toEqual([
      {
        stage: 'announced',
        counts: ['announced', 'committed', 'paid'],
        amount: usd('450000000.00'),
        pledges: 2,
        note: null,
      },
      {
        stage: 'committed',
        counts: ['committed', 'paid'],
        amount: usd('300000000.00'),
        pledges: 1,
        note: null,
      },
      { stage: 'paid', counts: ['paid'], amount: usd('0.00'), pledges: 0, note: null },
      {
        stage: 'allocated',
        counts: [],
        amount: usd('0.00'),
        pledges: 0,
        note: 'no package allocations recorded yet',
      },
      {
        stage: 'delivered',
        counts: [],
        amount: usd('0.00'),
        pledges: 0,
        note: 'no package allocations recorded yet',
      },
    ]);
    for (const total of summary.totals) expect(total.fxRule).toMatch(/latest stage change/);
    expect(summary.pledgesCounted).toBe(2);
    expect(summary.reAnnouncementsExcluded).toBe(1);
    expect(summary.undisclosedPledges).toBe(2);
  });

  test('shows undisclosed pledges as counts only, never their amount', async () => {
    const summary: PublicSummaryJson = (await api.public.request('GET', '/api/v1/public/summary')).json();
    const donor = (code: string) => summary.byDonor.find((line) => line.code === code);
    expect(donor('SVN')).toMatchObject({ name: 'Slovenia', pledges: 0, undisclosedPledges: 1 });
    expect(donor('SVN')?.announced).toEqual({ amount: '0.00', currency: 'USD' });
    expect(donor('DEU')).toMatchObject({ pledges: 1, undisclosedPledges: 1 });
    expect(donor('DEU')?.announced).toEqual({ amount: '300000000.00', currency: 'USD' });
    const airDefence = summary.byCategory.find((line) => line.key === 'air-defence');
    expect(airDefence).toMatchObject({ pledges: 1, undisclosedPledges: 1, label: 'Air defence' });
    expect(airDefence?.announced).toEqual({ amount: '150000000.00', currency: 'USD' });
  });

  test('gives every caller the same figures, a coordinator included', async () => {
    const asPublic: PublicSummaryJson = (await api.public.request('GET', '/api/v1/public/summary')).json();
    const response = await coordinator.request('GET', '/api/v1/public/summary');
    expect(response.statusCode).toBe(200);
    for (const marker of markers) expect(response.body).not.toContain(marker);
    const asCoordinator: PublicSummaryJson = response.json();
    expect({ ...asCoordinator, asOf: '' }).toEqual({ ...asPublic, asOf: '' });
  });

  test('downloads the same document as a JSON file with ?format=json', async () => {
    const response = await api.public.request('GET', '/api/v1/public/summary?format=json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="purl-public-summary-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const summary: PublicSummaryJson = response.json();
    expect(summary.totals[0]?.amount).toEqual({ amount: '450000000.00', currency: 'USD' });
    for (const marker of markers) expect(response.body).not.toContain(marker);
  });

  test('refuses a format it does not offer', async () => {
    const response = await api.public.request('GET', '/api/v1/public/summary?format=xml');
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  });
});

describe.each(dialects)('the donors of each package in the public summary on %s', (dialect) => {
  let api: TestApi;
  let coordinator: Client;
  /** Amounts only the undisclosed and the restricted pledge carry. */
  const hidden = ['333333333', '444444444', 'Marker Secret', 'RST'];

  beforeAll(async () => {
    api = await startApi(dialect);
    const { context } = api.database;
    await addOrganization(context, systemActor, { code: 'DEU', name: 'Germany', kind: 'donor' });
    await addOrganization(context, systemActor, { code: 'RST', name: 'Marker Secret', kind: 'donor' });
    coordinator = await api.as('coordinator');
    const recipient = await api.as('recipient');
    const supplier = await api.as('supplier');

    const draft = await recipient.request('POST', '/api/v1/requirements', { body: newRequirement() });
    expect(draft.statusCode, draft.body).toBe(201);
    const requirementId: string = draft.json().id;
    for (const [client, to] of [
      [recipient, 'submitted'],
      [coordinator, 'validated'],
    ] as const) {
      const moved = await client.request('POST', `/api/v1/requirements/${requirementId}/transitions`, {
        body: { to },
      });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    const created = await coordinator.request('POST', '/api/v1/packages', {
      body: { name: 'Spring package', target: usd('500000000.00'), lines: [{ requirementId, quantity: 4 }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const pkg: PackageJson = created.json();
    const priced = await supplier.request('POST', `/api/v1/packages/${pkg.id}/transitions`, {
      body: {
        to: 'priced',
        lines: pkg.lines.map((line) => ({ lineId: line.id, amount: usd('2000000000.00') })),
      },
    });
    expect(priced.statusCode, priced.body).toBe(200);
    const opened = await coordinator.request('POST', `/api/v1/packages/${pkg.id}/transitions`, {
      body: { to: 'open' },
    });
    expect(opened.statusCode, opened.body).toBe(200);

    const committed = { stage: 'committed', forum: 'UDCG', source: 'https://example.org/purl' };
    for (const body of [
      { donor: 'GBR', amount: usd('100000000.00'), announcedOn: '2026-02-11', committedOn: '2026-02-12' },
      { donor: 'DEU', amount: usd('60000000.00'), announcedOn: '2026-01-20', committedOn: '2026-02-02' },
      {
        donor: 'DEU',
        amount: usd('333333333.33'),
        announcedOn: '2026-02-12',
        committedOn: '2026-02-12',
        visibility: 'amount-undisclosed',
      },
      {
        donor: 'RST',
        amount: usd('444444444.44'),
        announcedOn: '2026-02-12',
        committedOn: '2026-02-12',
        visibility: 'restricted',
      },
    ]) {
      const response = await coordinator.request('POST', '/api/v1/pledges', {
        body: { ...committed, ...body },
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    const plan = await coordinator.request('GET', '/api/v1/allocation/plan');
    expect(plan.statusCode, plan.body).toBe(200);
    const applied = await coordinator.request('POST', '/api/v1/allocation/apply', {
      body: { planId: plan.json().planId },
    });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => api?.close());

  test('names the disclosed donors of a package with the money each brings, summing to its funding', async () => {
    const summary: PublicSummaryJson = (await api.public.request('GET', '/api/v1/public/summary')).json();
    expect(summary.packages).toHaveLength(1);
    const [pkg] = summary.packages;
    expect(pkg?.donors).toEqual([
      { code: 'GBR', name: expect.any(String), allocated: usd('100000000.00') },
      { code: 'DEU', name: 'Germany', allocated: usd('60000000.00') },
    ]);
    expect(pkg?.funded).toEqual(usd('160000000.00'));
    expect(pkg?.coverage).toBe('0.0800');
    expect(summary.totals.find((total) => total.stage === 'allocated')?.amount).toEqual(usd('160000000.00'));
  });

  test('never reveals an undisclosed or restricted pledge through a package, nor a line or quantity', async () => {
    const response = await api.public.request('GET', '/api/v1/public/summary');
    for (const marker of hidden) expect(response.body).not.toContain(marker);
    const summary: PublicSummaryJson = response.json();
    for (const pkg of summary.packages) {
      expect(Object.keys(pkg).sort()).toEqual([
        'coverage',
        'donors',
        'funded',
        'price',
        'rank',
        'ref',
        'status',
      ]);
      for (const donor of pkg.donors)
        expect(Object.keys(donor).sort()).toEqual(['allocated', 'code', 'name']);
    }
  });
});
