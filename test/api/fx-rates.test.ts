import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Client, startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import {
  divideHalfEven,
  ecbDailyFile,
  ecbHistoricalFile,
  everyItem,
  importEcb,
  perUsdOf,
} from '../support/pledges.ts';

interface FxRate {
  currency: string;
  date: string;
  perUsd: string;
  source: string;
}

const ecb = 'ECB (USD cross)';

/** The ECB's daily file of Friday 20 March 2026 (its 2026 columns: BGN left with Bulgaria's euro). */
const daily = {
  longDate: '20 March 2026',
  date: '2026-03-20',
  perEur: {
    USD: '1.0856',
    JPY: '161.94',
    CZK: '25.012',
    DKK: '7.4612',
    GBP: '0.84035',
    HUF: '401.35',
    PLN: '4.2165',
    RON: '5.0771',
    SEK: '11.0315',
    CHF: '0.9512',
    ISK: '150.10',
    NOK: '11.6280',
    TRY: '41.2374',
    AUD: '1.6842',
    BRL: '6.1873',
    CAD: '1.5563',
    CNY: '7.8523',
    HKD: '8.4421',
    IDR: '17854.22',
    ILS: '3.9815',
    INR: '93.4560',
    KRW: '1578.43',
    MXN: '21.6581',
    MYR: '4.8162',
    NZD: '1.8634',
    PHP: '62.315',
    SGD: '1.4562',
    THB: '37.125',
    ZAR: '19.8823',
  },
} as const;

/** The historical file's columns, retired currencies included, in the ECB's order. */
// biome-ignore format: the header, several codes to a line
const historicalColumns = [
  'USD', 'JPY', 'BGN', 'CYP', 'CZK', 'DKK', 'EEK', 'GBP', 'HUF', 'LTL', 'LVL', 'MTL', 'PLN', 'ROL', 'RON',
  'SEK', 'SIT', 'SKK', 'CHF', 'ISK', 'NOK', 'HRK', 'RUB', 'TRL', 'TRY', 'AUD', 'BRL', 'CAD', 'CNY', 'HKD',
  'IDR', 'ILS', 'INR', 'KRW', 'MXN', 'MYR', 'NZD', 'PHP', 'SGD', 'THB', 'ZAR',
] as const;

/** Rows newest first, as the ECB writes them; a currency missing from a row is `N/A` there. */
// biome-ignore format: the ECB's figures, several to a line
const historicalRows: readonly [string, Readonly<Partial<Record<string, string>>>][] = [
  [
    '2026-03-19',
    {
      USD: '1.0849', JPY: '161.52', CZK: '25.034', DKK: '7.4608', GBP: '0.83990', HUF: '402.10',
      PLN: '4.2210', RON: '5.0768', SEK: '11.0420', CHF: '0.9507', ISK: '150.30', NOK: '11.6425',
      TRY: '41.1980', AUD: '1.6861', BRL: '6.1790', CAD: '1.5549', CNY: '7.8470', HKD: '8.4372',
      IDR: '17839.05', ILS: '3.9770', INR: '93.3815', KRW: '1576.12', MXN: '21.6404', MYR: '4.8120',
      NZD: '1.8650', PHP: '62.280', SGD: '1.4555', THB: '37.090', ZAR: '19.8710',
    },
  ],
  [
    '2026-03-18',
    {
      USD: '1.0877', JPY: '162.08', CZK: '25.041', DKK: '7.4610', GBP: '0.84120', HUF: '401.95',
      PLN: '4.2240', RON: '5.0770', SEK: '11.0510', CHF: '0.9519', NOK: '11.6510', TRY: '41.2755',
      AUD: '1.6833', BRL: '6.1920', CAD: '1.5571', CNY: '7.8601', HKD: '8.4590', IDR: '17866.40',
      ILS: '3.9850', INR: '93.5120', KRW: '1579.88', MXN: '21.6900', MYR: '4.8201', NZD: '1.8619',
      PHP: '62.390', SGD: '1.4570', THB: '37.160', ZAR: '19.9015',
    },
  ],
  [
    '2007-12-28',
    {
      USD: '1.4721', JPY: '166.08', BGN: '1.9558', CYP: '0.585274', CZK: '26.662', DKK: '7.4583',
      EEK: '15.6466', GBP: '0.73335', HUF: '253.40', LTL: '3.4528', LVL: '0.6964', MTL: '0.4293',
      PLN: '3.5935', RON: '3.6077', SEK: '9.4415', SKK: '33.584', CHF: '1.6547', ISK: '91.90',
      NOK: '7.9580', HRK: '7.3308', RUB: '35.9860', TRY: '1.7170', AUD: '1.6757', CAD: '1.4449',
      CNY: '10.7516', HKD: '11.4800', IDR: '13822.00', KRW: '1377.96', MYR: '4.8682', NZD: '1.9024',
      PHP: '60.750', SGD: '2.1163', THB: '44.102', ZAR: '10.0298',
    },
  ],
];

/** Currencies of the historical file that ISO 4217 no longer has: their columns are skipped. */
const retired = new Set(['CYP', 'EEK', 'LTL', 'LVL', 'MTL', 'ROL', 'SIT', 'SKK', 'HRK', 'TRL']);

function historicalFile(): string {
  return ecbHistoricalFile(
    historicalColumns,
    historicalRows.map(([date, rates]) => [date, historicalColumns.map((code) => rates[code] ?? 'N/A')]),
  );
}

/** The per-USD rates an import of one day's per-EUR rates must store, computed here independently. */
function expectedRates(date: string, perEur: Readonly<Partial<Record<string, string>>>): FxRate[] {
  const usd = perEur.USD;
  if (usd === undefined) throw new Error('a day without USD');
  const rates: FxRate[] = [{ currency: 'EUR', date, perUsd: perUsdOf('1', usd), source: ecb }];
  for (const [currency, value] of Object.entries(perEur)) {
    if (currency === 'USD' || value === undefined || retired.has(currency)) continue;
    rates.push({ currency, date, perUsd: perUsdOf(value, usd), source: ecb });
  }
  return rates;
}

const byCurrencyThenDate = (a: FxRate, b: FxRate) =>
  a.currency === b.currency ? (a.date < b.date ? 1 : -1) : a.currency < b.currency ? -1 : 1;

describe.each(dialects)('FX rates on %s', (dialect) => {
  let api: TestApi;
  let coordinator: Client;
  let donor: Client;

  beforeAll(async () => {
    api = await startApi(dialect);
    coordinator = await api.as('coordinator');
    donor = await api.as('donor');
  });
  afterAll(async () => api?.close());

  const allRates = () => everyItem<FxRate>(donor, '/api/v1/fx-rates');
  const ratesOn = async (dates: readonly string[]) =>
    (await allRates()).filter((rate) => dates.includes(rate.date));

  test('the independent arithmetic of these tests agrees with the worked example of docs/fx.md', () => {
    expect(perUsdOf('1', '1.0834')).toBe('0.9230201218');
    expect(perUsdOf('0.83175', '1.0834')).toBe('0.7677219863');
    expect(perUsdOf('162.51', '1.0834')).toBe('150');
    expect(divideHalfEven('0.25', '1', 1)).toBe('0.2');
    expect(divideHalfEven('0.35', '1', 1)).toBe('0.4');
  });

  test('imports the daily file and stores every per-USD rate, derived exactly and rounded once', async () => {
    const csv = ecbDailyFile(daily.longDate, daily.perEur);
    expect(csv.startsWith('Date, USD, JPY, CZK,')).toBe(true);
    expect(csv).toMatch(/^20 March 2026, 1\.0856, .*, 19\.8823, $/m);
    const response = await importEcb(coordinator, csv);
    expect(response.statusCode, response.body).toBe(200);
    const expected = expectedRates(daily.date, daily.perEur);
    expect(response.json()).toEqual({
      rates: expected.length,
      currencies: expected.length,
      firstDate: daily.date,
      lastDate: daily.date,
    });
    expect(expected).toHaveLength(Object.keys(daily.perEur).length);
    expect(await ratesOn([daily.date])).toEqual(expected.sort(byCurrencyThenDate));
  });

  test('stores EUR’s own per-USD rate, 1 / perEur(USD)', async () => {
    const lookUp = await donor.request('GET', `/api/v1/fx-rates?currency=EUR&date=${daily.date}`);
    expect(lookUp.statusCode, lookUp.body).toBe(200);
    expect(lookUp.json()).toEqual({
      currency: 'EUR',
      date: daily.date,
      perUsd: divideHalfEven('1', daily.perEur.USD, 10).replace(/0+$/, ''),
      source: ecb,
    });
    // Nothing for USD is stored: its rate is always 1.
    expect((await allRates()).some((rate) => rate.currency === 'USD')).toBe(false);
  });

  test('imports the historical file, skipping N/A cells and retired currencies', async () => {
    const csv = historicalFile();
    expect(csv.split('\n')[0]).toBe(`Date,${historicalColumns.join(',')},`);
    expect(csv).toContain(',N/A,');
    const response = await importEcb(coordinator, csv);
    expect(response.statusCode, response.body).toBe(200);
    const expected = historicalRows.flatMap(([date, perEur]) => expectedRates(date, perEur));
    expect(response.json()).toEqual({
      rates: expected.length,
      currencies: new Set(expected.map((rate) => rate.currency)).size,
      firstDate: '2007-12-28',
      lastDate: '2026-03-19',
    });
    const stored = await ratesOn(historicalRows.map(([date]) => date));
    expect(stored).toEqual(expected.sort(byCurrencyThenDate));
    // ISK was N/A on 18 March, BGN is N/A in 2026 and quoted in 2007; CYP's column is skipped.
    expect(stored.filter((rate) => rate.currency === 'ISK').map((rate) => rate.date)).toEqual([
      '2026-03-19',
      '2007-12-28',
    ]);
    expect(stored.filter((rate) => rate.currency === 'BGN').map((rate) => rate.date)).toEqual(['2007-12-28']);
    expect(stored.some((rate) => retired.has(rate.currency))).toBe(false);
    // The daily file imported before is still there, untouched.
    expect(await ratesOn([daily.date])).toEqual(
      expectedRates(daily.date, daily.perEur).sort(byCurrencyThenDate),
    );
  });

  test('importing the same file again changes nothing and adds no duplicate', async () => {
    const before = await allRates();
    for (const csv of [historicalFile(), ecbDailyFile(daily.longDate, daily.perEur)]) {
      const response = await importEcb(coordinator, csv);
      expect(response.statusCode, response.body).toBe(200);
    }
    const after = await allRates();
    expect(after).toEqual(before);
    const keys = after.map((rate) => `${rate.currency} ${rate.date}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('an import of a day already stored replaces that day’s rates, without a duplicate', async () => {
    const corrected = { ...daily.perEur, GBP: '0.84040' };
    const response = await importEcb(coordinator, ecbDailyFile(daily.longDate, corrected));
    expect(response.statusCode, response.body).toBe(200);
    const gbp = (await allRates()).filter((rate) => rate.currency === 'GBP' && rate.date === daily.date);
    expect(gbp).toEqual([
      { currency: 'GBP', date: daily.date, perUsd: perUsdOf('0.84040', '1.0856'), source: ecb },
    ]);
  });

  test('rounds an exact tie at the eleventh decimal to the even digit', async () => {
    // perEur(USD) = 2: a quotient ending in 5 at the eleventh place is an exact tie.
    const response = await importEcb(
      coordinator,
      ecbDailyFile('02 January 2026', {
        USD: '2',
        CHF: '0.2469135781',
        GBP: '0.2469135783',
        NOK: '0.2469135785',
      }),
    );
    expect(response.statusCode, response.body).toBe(200);
    const stored = await ratesOn(['2026-01-02']);
    expect(stored.map((rate) => [rate.currency, rate.perUsd])).toEqual([
      ['CHF', '0.123456789'],
      ['EUR', '0.5'],
      ['GBP', '0.1234567892'],
      ['NOK', '0.1234567892'],
    ]);
  });

  test('a coordinator records a rate by hand with its source', async () => {
    const response = await coordinator.request('POST', '/api/v1/fx-rates', {
      body: { currency: 'KWD', date: '2026-03-20', perUsd: '0.30750', source: 'Central Bank of Kuwait' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const record = {
      currency: 'KWD',
      date: '2026-03-20',
      perUsd: '0.3075',
      source: 'Central Bank of Kuwait',
    };
    expect(response.json()).toEqual(record);
    expect(await everyItem<FxRate>(donor, '/api/v1/fx-rates?currency=KWD')).toEqual([record]);
    const lookUp = await donor.request('GET', '/api/v1/fx-rates?currency=KWD&date=2026-03-22');
    expect(lookUp.json()).toEqual(record);

    // Recording the same day again replaces its rate.
    const again = await coordinator.request('POST', '/api/v1/fx-rates', {
      body: { ...record, perUsd: '0.3077', source: 'Central Bank of Kuwait, corrected' },
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(await everyItem<FxRate>(donor, '/api/v1/fx-rates?currency=KWD')).toEqual([
      { ...record, perUsd: '0.3077', source: 'Central Bank of Kuwait, corrected' },
    ]);
  });

  test('refuses a rate recorded by a donor with 403, writing nothing', async () => {
    const before = await allRates();
    const head = await api.database.context.store.read.audit.head();
    const response = await donor.request('POST', '/api/v1/fx-rates', {
      body: { currency: 'GBP', date: '2026-03-21', perUsd: '0.7', source: 'Wishful thinking' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('FORBIDDEN');
    expect(await allRates()).toEqual(before);
    expect(await api.database.context.store.read.audit.head()).toEqual(head);
  });

  test('lists rates page by page, every rate exactly once', async () => {
    const all = await allRates();
    const paged = await everyItem<FxRate>(donor, '/api/v1/fx-rates', 7);
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThan(60);
  });
});
