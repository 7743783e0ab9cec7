import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PledgeJson } from '../../src/contract/index.ts';
import { type Client, startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import {
  addDonor,
  balanceChanges,
  balancesOf,
  divideHalfEven,
  ecbDailyFile,
  entriesOfPledge,
  everyItem,
  importEcb,
  perUsdOf,
} from '../support/pledges.ts';

/** Two ECB days with different rates: Monday 2 March and Friday 13 March 2026 (units per 1 EUR). */
const perEurOn = {
  '2026-03-02': { USD: '1.0834', JPY: '162.51', GBP: '0.83175', NOK: '11.4320', CHF: '0.9385' },
  '2026-03-13': { USD: '1.0912', JPY: '161.87', GBP: '0.84210', NOK: '11.5085', CHF: '0.9402' },
} as const;
type RateDay = keyof typeof perEurOn;

/** The per-USD rate the app must derive, computed here independently with bigint arithmetic. */
function perUsd(day: RateDay, currency: 'EUR' | keyof (typeof perEurOn)[RateDay]): string {
  const rates = perEurOn[day];
  return perUsdOf(currency === 'EUR' ? '1' : rates[currency], rates.USD);
}

/** The pledge's expected USD value: amount / perUsd, rounded once to the cent, half-even. */
function usdValue(amount: string, rate: string, rateDate: string, rateSource = 'ECB (USD cross)') {
  return { amount: divideHalfEven(amount, rate, 2), currency: 'USD', rate, rateDate, rateSource };
}

const source = 'https://www.gov.uk/government/news/uk-announces-purl-contribution';

describe.each(dialects)('pledges on %s', (dialect) => {
  let api: TestApi;
  let coordinator: Client;
  /** The donor user of GBR (the test accounts' donor). */
  let britain: Client;
  /** The donor user of DEU, another government. */
  let germany: Client;
  /** The id of every pledge this file recorded. */
  const recorded = new Set<string>();

  beforeAll(async () => {
    api = await startApi(dialect);
    coordinator = await api.as('coordinator');
    britain = await api.as('donor');
    germany = await addDonor(api, 'DEU', true);
    for (const code of ['NOR', 'NLD', 'JPN', 'KWT']) await addDonor(api, code);
    for (const [longDate, day] of [
      ['02 March 2026', '2026-03-02'],
      ['13 March 2026', '2026-03-13'],
    ] as const) {
      const imported = await importEcb(coordinator, ecbDailyFile(longDate, perEurOn[day]));
      expect(imported.statusCode, imported.body).toBe(200);
    }
  });
  afterAll(async () => api?.close());

  async function record(client: Client, body: Record<string, unknown>): Promise<PledgeJson> {
    const response = await client.request('POST', '/api/v1/pledges', { body });
    expect(response.statusCode, response.body).toBe(201);
    // The answer to a write is the pledge plus the receipt of that write (test/cli/receipt.test.ts).
    const { receipt, ...pledge } = response.json() as PledgeJson & { receipt?: { document: { id: string } } };
    expect(receipt?.document.id).toBe(pledge.id);
    recorded.add(pledge.id);
    expect(response.headers.location).toBe(`/api/v1/pledges/${pledge.id}`);
    expect(response.headers.etag).toBe(`"${pledge.version}"`);
    return pledge;
  }

  async function move(client: Client, id: string, to: 'committed' | 'paid', on: string): Promise<PledgeJson> {
    const response = await client.request('POST', `/api/v1/pledges/${id}/transitions`, { body: { to, on } });
    expect(response.statusCode, response.body).toBe(200);
    const { receipt, ...pledge } = response.json() as PledgeJson & { receipt?: { document: { id: string } } };
    expect(receipt?.document.id).toBe(id);
    return pledge;
  }

  function gbp(amount: string) {
    return { amount, currency: 'GBP' };
  }

  describe('stages and the ledger', () => {
    test('a donor records its own pledge and moves it announced → committed → paid, one entry per stage', async () => {
      const start = await balancesOf(coordinator);
      const announced = await record(britain, {
        donor: 'GBR',
        amount: gbp('150000000.00'),
        announcedOn: '2026-03-02',
        forum: 'UDCG',
        source,
      });
      expect(announced).toMatchObject({
        donor: 'GBR',
        amount: gbp('150000000.00'),
        stage: 'announced',
        announcedOn: '2026-03-02',
        committedOn: null,
        paidOn: null,
        duplicateOf: null,
        visibility: 'public',
        version: 1,
      });
      expect(announced.ref).toMatch(/^P-\d+$/);
      const afterAnnouncement = await balancesOf(coordinator);
      expect(balanceChanges(start, afterAnnouncement)).toEqual({
        'pledges:announced:GBR GBP': '150000000.00',
        'donors:GBR GBP': '-150000000.00',
      });

      const committed = await move(britain, announced.id, 'committed', '2026-03-13');
      expect(committed).toMatchObject({ stage: 'committed', committedOn: '2026-03-13', version: 2 });
      const afterCommitment = await balancesOf(coordinator);
      expect(balanceChanges(afterAnnouncement, afterCommitment)).toEqual({
        'pledges:announced:GBR GBP': '-150000000.00',
        'pledges:committed:GBR GBP': '150000000.00',
      });

      const paid = await move(britain, announced.id, 'paid', '2026-03-16');
      expect(paid).toMatchObject({
        stage: 'paid',
        committedOn: '2026-03-13',
        paidOn: '2026-03-16',
        version: 3,
      });
      const afterPayment = await balancesOf(coordinator);
      expect(balanceChanges(afterCommitment, afterPayment)).toEqual({
        'pledges:committed:GBR GBP': '-150000000.00',
        'pledges:paid:GBR GBP': '150000000.00',
        'assets:pool GBP': '150000000.00',
        'income:contributions:GBR GBP': '-150000000.00',
      });
      expect(balanceChanges(start, afterPayment)).toEqual({
        'donors:GBR GBP': '-150000000.00',
        'pledges:paid:GBR GBP': '150000000.00',
        'assets:pool GBP': '150000000.00',
        'income:contributions:GBR GBP': '-150000000.00',
      });

      const entries = await entriesOfPledge(coordinator, announced.id);
      const amount = (value: string) => ({ amount: value, currency: 'GBP' });
      expect(
        entries.map(({ date, description, postings, tags }) => ({ date, description, postings, tags })),
      ).toEqual([
        {
          date: '2026-03-02',
          description: `GBR pledge ${announced.ref} announced`,
          postings: [
            { account: 'pledges:announced:GBR', amount: amount('150000000.00') },
            { account: 'donors:GBR', amount: amount('-150000000.00') },
          ],
          tags: { pledge: announced.id, stage: 'announced' },
        },
        {
          date: '2026-03-13',
          description: `GBR pledge ${announced.ref} committed`,
          postings: [
            { account: 'pledges:committed:GBR', amount: amount('150000000.00') },
            { account: 'pledges:announced:GBR', amount: amount('-150000000.00') },
          ],
          tags: { pledge: announced.id, stage: 'committed' },
        },
        {
          date: '2026-03-16',
          description: `GBR pledge ${announced.ref} paid`,
          postings: [
            { account: 'pledges:paid:GBR', amount: amount('150000000.00') },
            { account: 'pledges:committed:GBR', amount: amount('-150000000.00') },
            { account: 'assets:pool', amount: amount('150000000.00') },
            { account: 'income:contributions:GBR', amount: amount('-150000000.00') },
          ],
          tags: { pledge: announced.id, stage: 'paid' },
        },
      ]);
      const stored = await britain.request('GET', `/api/v1/pledges/${announced.id}`);
      expect(stored.json()).toEqual(paid);
      expect(stored.headers.etag).toBe('"3"');
    });

    test('the pledges accounts always balance the donors accounts, currency by currency', async () => {
      await record(coordinator, {
        donor: 'NOR',
        amount: { amount: '150000.00', currency: 'CHF' },
        announcedOn: '2026-03-02',
        stage: 'committed',
        committedOn: '2026-03-13',
        source,
      });
      const balances = await balancesOf(coordinator);
      const net = new Map<string, bigint>();
      for (const [key, amount] of balances) {
        const [account = '', currency = ''] = key.split(' ');
        if (!account.startsWith('pledges:') && !account.startsWith('donors:')) continue;
        net.set(currency, (net.get(currency) ?? 0n) + BigInt(amount.replace('.', '')));
      }
      expect(net.size).toBeGreaterThan(0);
      for (const [currency, sum] of net) expect(sum, currency).toBe(0n);
    });

    test('locks the USD value with the rate of each transition date', async () => {
      expect(perUsd('2026-03-02', 'GBP')).not.toBe(perUsd('2026-03-13', 'GBP'));
      expect(perUsd('2026-03-02', 'GBP')).toBe('0.7677219863');
      const announced = await record(britain, {
        donor: 'GBR',
        amount: gbp('80000000.00'),
        announcedOn: '2026-03-02',
      });
      expect(announced.usd).toEqual(usdValue('80000000.00', perUsd('2026-03-02', 'GBP'), '2026-03-02'));
      expect(announced.usd?.amount).toBe('104204388.34');

      const committed = await move(britain, announced.id, 'committed', '2026-03-13');
      expect(committed.usd).toEqual(usdValue('80000000.00', perUsd('2026-03-13', 'GBP'), '2026-03-13'));

      // No rate is published on Monday 16 March: Friday's is used, and the pledge says so.
      const paid = await move(britain, announced.id, 'paid', '2026-03-16');
      expect(paid.usd).toEqual(usdValue('80000000.00', perUsd('2026-03-13', 'GBP'), '2026-03-13'));

      // The original amount and currency are kept, never converted away.
      expect(paid.amount).toEqual(gbp('80000000.00'));
      const entries = await entriesOfPledge(coordinator, announced.id);
      expect(entries.flatMap((entry) => entry.postings.map((posting) => posting.amount.currency))).toEqual(
        Array(8).fill('GBP'),
      );
    });

    test('a coordinator records a pledge announced in public on a donor’s behalf, with its source and forum', async () => {
      const publicSource = 'https://www.bmvg.de/de/aktuelles/purl-beitrag';
      const pledge = await record(coordinator, {
        donor: 'DEU',
        amount: { amount: '500000000.00', currency: 'EUR' },
        announcedOn: '2026-03-02',
        forum: 'Ukraine Defense Contact Group, Ramstein',
        source: publicSource,
      });
      expect(pledge).toMatchObject({
        donor: 'DEU',
        forum: 'Ukraine Defense Contact Group, Ramstein',
        source: publicSource,
        stage: 'announced',
        usd: usdValue('500000000.00', perUsd('2026-03-02', 'EUR'), '2026-03-02'),
      });
      expect(pledge.usd?.rate).toBe('0.9230201218');

      // The donor sees the pledge recorded for it and may move it, as may the coordinator.
      const seen = await germany.request('GET', `/api/v1/pledges/${pledge.id}`);
      expect(seen.statusCode).toBe(200);
      expect(seen.json()).toEqual(pledge);
      await move(coordinator, pledge.id, 'committed', '2026-03-13');
      const paid = await move(germany, pledge.id, 'paid', '2026-03-13');
      expect(paid).toMatchObject({ stage: 'paid', committedOn: '2026-03-13', paidOn: '2026-03-13' });
      expect((await entriesOfPledge(coordinator, pledge.id)).map((entry) => entry.tags.stage)).toEqual([
        'announced',
        'committed',
        'paid',
      ]);
    });

    test('a pledge recorded at a later stage writes the entry of every stage it passed, each on its date', async () => {
      const before = await balancesOf(coordinator);
      const pledge = await record(coordinator, {
        donor: 'NLD',
        amount: { amount: '90000000.00', currency: 'EUR' },
        announcedOn: '2026-03-02',
        stage: 'paid',
        committedOn: '2026-03-05',
        paidOn: '2026-03-13',
        source,
      });
      expect(pledge.usd).toEqual(usdValue('90000000.00', perUsd('2026-03-13', 'EUR'), '2026-03-13'));
      const entries = await entriesOfPledge(coordinator, pledge.id);
      expect(entries.map((entry) => [entry.date, entry.tags.stage])).toEqual([
        ['2026-03-02', 'announced'],
        ['2026-03-05', 'committed'],
        ['2026-03-13', 'paid'],
      ]);
      expect(balanceChanges(before, await balancesOf(coordinator))).toEqual({
        'donors:NLD EUR': '-90000000.00',
        'pledges:paid:NLD EUR': '90000000.00',
        'assets:pool EUR': '90000000.00',
        'income:contributions:NLD EUR': '-90000000.00',
      });
    });
  });

  describe('exchange rates', () => {
    test('a lookup by date uses the latest rate on or before it and says which date it used', async () => {
      const lookUp = async (currency: string, date: string) => {
        const response = await britain.request('GET', `/api/v1/fx-rates?currency=${currency}&date=${date}`);
        expect(response.statusCode, response.body).toBe(200);
        return response.json();
      };
      const ecb = 'ECB (USD cross)';
      expect(await lookUp('GBP', '2026-03-13')).toEqual({
        currency: 'GBP',
        date: '2026-03-13',
        perUsd: perUsd('2026-03-13', 'GBP'),
        source: ecb,
      });
      // Sunday 15 March: Friday's rate.
      expect(await lookUp('GBP', '2026-03-15')).toEqual({
        currency: 'GBP',
        date: '2026-03-13',
        perUsd: perUsd('2026-03-13', 'GBP'),
        source: ecb,
      });
      // The day before the second rate: the first one, ten days old, still in force.
      expect(await lookUp('GBP', '2026-03-12')).toEqual({
        currency: 'GBP',
        date: '2026-03-02',
        perUsd: perUsd('2026-03-02', 'GBP'),
        source: ecb,
      });
      expect(await lookUp('EUR', '2026-03-14')).toEqual({
        currency: 'EUR',
        date: '2026-03-13',
        perUsd: perUsd('2026-03-13', 'EUR'),
        source: ecb,
      });
      expect(await lookUp('JPY', '2026-03-02')).toMatchObject({ date: '2026-03-02', perUsd: '150' });
      expect(await lookUp('USD', '2026-03-04')).toMatchObject({
        currency: 'USD',
        date: '2026-03-04',
        perUsd: '1',
      });
    });
  });

  describe('earmarks and visibility', () => {
    test('an earmark names categories, kept sorted, or nothing', async () => {
      const categories = await record(britain, {
        donor: 'GBR',
        amount: gbp('10000000.00'),
        announcedOn: '2026-03-02',
        earmark: { categories: ['artillery', 'air-defence'] },
      });
      expect(categories.earmark).toEqual({ categories: ['air-defence', 'artillery'] });
      const none = await record(britain, {
        donor: 'GBR',
        amount: gbp('10000000.00'),
        announcedOn: '2026-03-02',
        earmark: {},
      });
      expect(none.earmark).toEqual({});
      const omitted = await record(britain, {
        donor: 'GBR',
        amount: gbp('10000000.00'),
        announcedOn: '2026-03-02',
      });
      expect(omitted.earmark).toEqual({});
      const stored = await britain.request('GET', `/api/v1/pledges/${categories.id}`);
      expect(stored.json().earmark).toEqual({ categories: ['air-defence', 'artillery'] });
    });

    test('an earmark on a package is refused with PACKAGE_UNKNOWN while no package exists', async () => {
      const before = await everyItem<PledgeJson>(coordinator, '/api/v1/pledges');
      const response = await britain.request('POST', '/api/v1/pledges', {
        body: {
          donor: 'GBR',
          amount: gbp('10000000.00'),
          announcedOn: '2026-03-02',
          earmark: { packageId: 'PKG-9' },
        },
      });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({
        code: 'PACKAGE_UNKNOWN',
        errors: [{ path: '/earmark/packageId', message: expect.any(String) }],
      });
      expect(await everyItem<PledgeJson>(coordinator, '/api/v1/pledges')).toEqual(before);
    });

    test.each(['public', 'amount-undisclosed', 'restricted'] as const)(
      'records a pledge with visibility %s and its ledger entry',
      async (visibility) => {
        const pledge = await record(britain, {
          donor: 'GBR',
          amount: gbp('2500000.00'),
          announcedOn: '2026-03-02',
          visibility,
        });
        expect(pledge.visibility).toBe(visibility);
        expect(pledge.amount).toEqual(gbp('2500000.00'));
        expect((await entriesOfPledge(coordinator, pledge.id)).map((entry) => entry.tags.stage)).toEqual([
          'announced',
        ]);
      },
    );

    test('an undisclosed pledge of unknown amount has no USD value and writes no entry at any stage', async () => {
      const before = await balancesOf(coordinator);
      const pledge = await record(coordinator, {
        donor: 'NOR',
        amount: null,
        announcedOn: '2026-03-02',
        visibility: 'amount-undisclosed',
        source: 'https://www.regjeringen.no/en/aktuelt/purl',
      });
      expect(pledge).toMatchObject({ amount: null, usd: null, visibility: 'amount-undisclosed' });
      const committed = await move(coordinator, pledge.id, 'committed', '2026-03-13');
      expect(committed).toMatchObject({ stage: 'committed', usd: null });
      expect(await entriesOfPledge(coordinator, pledge.id)).toEqual([]);
      expect(balanceChanges(before, await balancesOf(coordinator))).toEqual({});
    });
  });

  describe('re-announcements', () => {
    test('a re-announcement (duplicateOf) writes no ledger entry and cannot be moved; its original can', async () => {
      const original = await record(coordinator, {
        donor: 'NOR',
        amount: { amount: '2000000000.00', currency: 'NOK' },
        announcedOn: '2026-03-02',
        forum: 'UDCG',
        source: 'https://www.regjeringen.no/en/aktuelt/purl-2',
      });
      const entriesBefore = await everyItem(coordinator, '/api/v1/ledger/entries');
      const balancesBefore = await balancesOf(coordinator);
      const again = await record(coordinator, {
        donor: 'NOR',
        amount: { amount: '2000000000.00', currency: 'NOK' },
        announcedOn: '2026-03-13',
        forum: 'NATO defence ministers',
        source: 'https://www.regjeringen.no/en/aktuelt/purl-again',
        duplicateOf: original.id,
      });
      expect(again).toMatchObject({ duplicateOf: original.id, stage: 'announced' });
      expect(await everyItem(coordinator, '/api/v1/ledger/entries')).toEqual(entriesBefore);
      expect(await balancesOf(coordinator)).toEqual(balancesBefore);

      for (const to of ['committed', 'paid']) {
        const refused = await coordinator.request('POST', `/api/v1/pledges/${again.id}/transitions`, {
          body: { to, on: '2026-03-13' },
        });
        expect(refused.statusCode, refused.body).toBe(409);
        expect(refused.json().code).toBe('INVALID_TRANSITION');
      }
      expect((await coordinator.request('GET', `/api/v1/pledges/${again.id}`)).json()).toEqual(again);

      await move(coordinator, original.id, 'committed', '2026-03-13');
      expect(balanceChanges(balancesBefore, await balancesOf(coordinator))).toEqual({
        'pledges:announced:NOR NOK': '-2000000000.00',
        'pledges:committed:NOR NOK': '2000000000.00',
      });
    });
  });

  describe('currencies of other scales', () => {
    test('a JPY pledge (no decimals) keeps its scale end to end', async () => {
      const before = await balancesOf(coordinator);
      const pledge = await record(coordinator, {
        donor: 'JPN',
        amount: { amount: '5000000000', currency: 'JPY' },
        announcedOn: '2026-03-02',
        source,
      });
      expect(pledge.amount).toEqual({ amount: '5000000000', currency: 'JPY' });
      expect(pledge.usd).toEqual(usdValue('5000000000', '150', '2026-03-02'));
      expect(pledge.usd?.amount).toBe('33333333.33');
      const paid = await move(coordinator, pledge.id, 'paid', '2026-03-13');
      expect(paid.usd).toEqual(usdValue('5000000000', perUsd('2026-03-13', 'JPY'), '2026-03-13'));
      const entries = await entriesOfPledge(coordinator, pledge.id);
      expect(entries.flatMap((entry) => entry.postings.map((posting) => posting.amount))).toEqual([
        { amount: '5000000000', currency: 'JPY' },
        { amount: '-5000000000', currency: 'JPY' },
        { amount: '5000000000', currency: 'JPY' },
        { amount: '-5000000000', currency: 'JPY' },
        { amount: '5000000000', currency: 'JPY' },
        { amount: '-5000000000', currency: 'JPY' },
      ]);
      expect(balanceChanges(before, await balancesOf(coordinator))).toEqual({
        'donors:JPN JPY': '-5000000000',
        'pledges:paid:JPN JPY': '5000000000',
        'assets:pool JPY': '5000000000',
        'income:contributions:JPN JPY': '-5000000000',
      });
      const balances = await balancesOf(coordinator);
      expect(balances.get('pledges:announced:JPN JPY')).toBe('0');
      expect((await coordinator.request('GET', `/api/v1/pledges/${pledge.id}`)).json().amount).toEqual({
        amount: '5000000000',
        currency: 'JPY',
      });
    });

    test('a KWD pledge (three decimals) keeps its scale end to end', async () => {
      const rate = await coordinator.request('POST', '/api/v1/fx-rates', {
        body: { currency: 'KWD', date: '2026-03-02', perUsd: '0.3075', source: 'Central Bank of Kuwait' },
      });
      expect(rate.statusCode, rate.body).toBe(201);
      const before = await balancesOf(coordinator);
      const pledge = await record(coordinator, {
        donor: 'KWT',
        amount: { amount: '1000000.505', currency: 'KWD' },
        announcedOn: '2026-03-02',
        source,
      });
      expect(pledge.amount).toEqual({ amount: '1000000.505', currency: 'KWD' });
      expect(pledge.usd).toEqual(usdValue('1000000.505', '0.3075', '2026-03-02', 'Central Bank of Kuwait'));
      const paid = await move(coordinator, pledge.id, 'paid', '2026-03-05');
      expect(paid.usd).toEqual(usdValue('1000000.505', '0.3075', '2026-03-02', 'Central Bank of Kuwait'));
      const entries = await entriesOfPledge(coordinator, pledge.id);
      expect(entries[1]?.postings).toEqual([
        { account: 'pledges:paid:KWT', amount: { amount: '1000000.505', currency: 'KWD' } },
        { account: 'pledges:announced:KWT', amount: { amount: '-1000000.505', currency: 'KWD' } },
        { account: 'assets:pool', amount: { amount: '1000000.505', currency: 'KWD' } },
        { account: 'income:contributions:KWT', amount: { amount: '-1000000.505', currency: 'KWD' } },
      ]);
      expect(balanceChanges(before, await balancesOf(coordinator))).toEqual({
        'donors:KWT KWD': '-1000000.505',
        'pledges:paid:KWT KWD': '1000000.505',
        'assets:pool KWD': '1000000.505',
        'income:contributions:KWT KWD': '-1000000.505',
      });
      expect((await balancesOf(coordinator)).get('pledges:announced:KWT KWD')).toBe('0.000');
    });
  });

  describe('listing', () => {
    test('pages of two walk every pledge exactly once, by announcement date', async () => {
      for (const announcedOn of ['2026-03-04', '2026-03-04', '2026-03-03', '2026-03-05', '2026-03-04']) {
        await record(britain, { donor: 'GBR', amount: gbp('1000000.00'), announcedOn });
      }
      const walked: PledgeJson[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await coordinator.request(
          'GET',
          `/api/v1/pledges?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(response.statusCode, response.body).toBe(200);
        const page = response.json() as { items: PledgeJson[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        if (page.nextCursor !== null) expect(page.items).toHaveLength(2);
        walked.push(...page.items);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 1000);
      const ids = walked.map((pledge) => pledge.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...recorded].sort());
      expect(pages).toBe(Math.max(1, Math.ceil(recorded.size / 2)));
      const order = walked.map((pledge) => [pledge.announcedOn, pledge.id] as const);
      expect(order).toEqual(
        [...order].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1)),
      );
    });

    test('the cursor of a two-item page names the next page, and the last page has none', async () => {
      const first = await coordinator.request('GET', '/api/v1/pledges?limit=2');
      expect(first.json().items).toHaveLength(2);
      expect(first.json().nextCursor).toEqual(expect.any(String));
      const all = await everyItem<PledgeJson>(coordinator, '/api/v1/pledges');
      const last = await coordinator.request('GET', `/api/v1/pledges?limit=${all.length}`);
      expect(last.json().nextCursor).toBeNull();
    });

    test('a donor lists only its own pledges, page by page', async () => {
      await record(germany, {
        donor: 'DEU',
        amount: { amount: '7000000.00', currency: 'EUR' },
        announcedOn: '2026-03-03',
      });
      const all = await everyItem<PledgeJson>(coordinator, '/api/v1/pledges');
      const own = await everyItem<PledgeJson>(britain, '/api/v1/pledges', 2);
      expect(own.length).toBeGreaterThan(2);
      expect(own).toEqual(all.filter((pledge) => pledge.donor === 'GBR'));
      // Asking for another donor's pledges still lists only one's own.
      const asked = await everyItem<PledgeJson>(britain, '/api/v1/pledges?donor=DEU');
      expect(asked).toEqual(own);
      const german = await everyItem<PledgeJson>(germany, '/api/v1/pledges');
      expect(german.length).toBeGreaterThan(0);
      expect(german).toEqual(all.filter((pledge) => pledge.donor === 'DEU'));
    });

    test('another donor’s pledge is 404 to a donor, to read and to move', async () => {
      const theirs = await record(germany, {
        donor: 'DEU',
        amount: { amount: '3000000.00', currency: 'EUR' },
        announcedOn: '2026-03-02',
      });
      const read = await britain.request('GET', `/api/v1/pledges/${theirs.id}`);
      expect(read.statusCode).toBe(404);
      expect(read.json().code).toBe('NOT_FOUND');
      const moved = await britain.request('POST', `/api/v1/pledges/${theirs.id}/transitions`, {
        body: { to: 'committed', on: '2026-03-13' },
      });
      expect(moved.statusCode).toBe(404);
      expect(moved.json().code).toBe('NOT_FOUND');
      // Indistinguishable from a pledge that does not exist.
      const missing = await britain.request('GET', '/api/v1/pledges/no-such-pledge');
      expect({ ...missing.json(), detail: '' }).toEqual({ ...read.json(), detail: '' });
      expect((await germany.request('GET', `/api/v1/pledges/${theirs.id}`)).json()).toEqual(theirs);
    });
  });
});
