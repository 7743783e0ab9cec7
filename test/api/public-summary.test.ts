import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../src/app/context.ts';
import { addOrganization } from '../../src/app/directory.ts';
import type { PublicSummaryJson } from '../../src/contract/index.ts';
import { type Client, startApi, type TestApi } from '../support/api.ts';
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
