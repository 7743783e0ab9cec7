import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PledgeJson } from '../../src/contract/index.ts';
import type { ErrorCode } from '../../src/core/errors.ts';
import { type Client, startApi, type TestApi } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import { addDonor, ecbDailyFile, ecbHistoricalFile, everyItem, importEcb } from '../support/pledges.ts';

const source = 'https://www.gov.uk/government/news/uk-announces-purl-contribution';

const newPledge = (overrides: Record<string, unknown> = {}) => ({
  donor: 'GBR',
  amount: { amount: '150000000.00', currency: 'GBP' },
  announcedOn: '2026-03-13',
  forum: 'UDCG',
  ...overrides,
});

/**
 * Every bad input of the pledges, FX rates and ledger is refused with a 4xx problem document and a
 * stable code, and writes nothing: the pledges, the journal, the FX rates and the audit chain are
 * the same after the refused request as before it.
 */
describe.each(dialects)('bad pledge and FX input on %s', (dialect) => {
  let api: TestApi;
  let coordinator: Client;
  let donor: Client;
  let germany: Client;
  /** GBR pledges at each stage, and one of DEU. */
  let announced: PledgeJson;
  let committed: PledgeJson;
  let paid: PledgeJson;
  let german: PledgeJson;

  beforeAll(async () => {
    api = await startApi(dialect);
    coordinator = await api.as('coordinator');
    donor = await api.as('donor');
    germany = await addDonor(api, 'DEU', true);
    for (const longDate of ['02 March 2026', '13 March 2026']) {
      const imported = await importEcb(
        coordinator,
        ecbDailyFile(longDate, { USD: '1.0834', JPY: '162.51', GBP: '0.83175', CHF: '0.9385' }),
      );
      expect(imported.statusCode, imported.body).toBe(200);
    }
    const create = async (client: Client, body: unknown): Promise<PledgeJson> => {
      const response = await client.request('POST', '/api/v1/pledges', { body });
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    };
    announced = await create(donor, newPledge());
    committed = await create(donor, newPledge({ stage: 'committed', committedOn: '2026-03-13' }));
    paid = await create(
      donor,
      newPledge({
        announcedOn: '2026-03-02',
        stage: 'paid',
        committedOn: '2026-03-05',
        paidOn: '2026-03-13',
      }),
    );
    german = await create(
      germany,
      newPledge({ donor: 'DEU', amount: { amount: '9000000.00', currency: 'EUR' } }),
    );
  });
  afterAll(async () => api?.close());

  /** What a refused request must leave unchanged. */
  async function snapshot() {
    return {
      pledges: await everyItem<PledgeJson>(coordinator, '/api/v1/pledges'),
      entries: await everyItem(coordinator, '/api/v1/ledger/entries'),
      fxRates: await everyItem(coordinator, '/api/v1/fx-rates'),
      auditHead: await api.database.context.store.read.audit.head(),
    };
  }

  /** Sends the request and checks the refusal: status, problem+json, stable code, nothing written. */
  async function expectRefused(
    send: () => Promise<LightMyRequestResponse>,
    status: number,
    code: ErrorCode,
  ): Promise<LightMyRequestResponse> {
    const before = await snapshot();
    const response = await send();
    expect({ status: response.statusCode, code: response.json().code }, response.body).toEqual({
      status,
      code,
    });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: `urn:purl-desk:error:${code}`,
      title: expect.any(String),
      status,
      code,
      detail: expect.any(String),
    });
    expect(await snapshot()).toEqual(before);
    return response;
  }

  const createAs = (client: Client, body: unknown) => client.request('POST', '/api/v1/pledges', { body });
  const moveAs = (client: Client, id: string, body: unknown, headers: Record<string, string> = {}) =>
    client.request('POST', `/api/v1/pledges/${id}/transitions`, { body, headers });

  describe('recording a pledge', () => {
    test.each([
      ['GBP', '150000000.005'],
      ['GBP', '150000000.5'],
      ['JPY', '5000000000.0'],
      ['KWD', '1000000.50'],
    ])('refuses a %s amount of %s with the wrong number of decimals', async (currency, amount) => {
      await expectRefused(
        () => createAs(donor, newPledge({ amount: { amount, currency } })),
        422,
        'MONEY_SCALE_INVALID',
      );
    });

    test.each(['-150000000.00', '0.00', '-0.01'])('refuses a pledge of %s', async (amount) => {
      const response = await expectRefused(
        () => createAs(donor, newPledge({ amount: { amount, currency: 'GBP' } })),
        422,
        'MONEY_OUT_OF_RANGE',
      );
      expect(response.json().detail).not.toMatch(/undefined|NaN/);
    });

    test('refuses an amount sent as a JSON number', async () => {
      const response = await expectRefused(
        () => createAs(donor, newPledge({ amount: { amount: 150000000.5, currency: 'GBP' } })),
        422,
        'VALIDATION_FAILED',
      );
      expect(response.json().errors).toContainEqual({ path: '/amount/amount', message: expect.any(String) });
    });

    test('refuses an unknown currency', async () => {
      await expectRefused(
        () => createAs(donor, newPledge({ amount: { amount: '10.00', currency: 'XYZ' } })),
        422,
        'CURRENCY_UNKNOWN',
      );
    });

    test('refuses an unknown donor', async () => {
      const response = await expectRefused(
        () => createAs(coordinator, newPledge({ donor: 'ATLANTIS', source })),
        422,
        'ORGANIZATION_UNKNOWN',
      );
      expect(response.json().errors).toEqual([{ path: '/donor', message: expect.any(String) }]);
    });

    test('refuses an organisation that is not a donor as the donor', async () => {
      await expectRefused(
        () => createAs(coordinator, newPledge({ donor: 'UKR', source })),
        422,
        'ORGANIZATION_UNKNOWN',
      );
    });

    test('refuses a donor recording another government’s pledge with 403', async () => {
      await expectRefused(
        () => createAs(donor, newPledge({ donor: 'DEU', amount: { amount: '10.00', currency: 'EUR' } })),
        403,
        'FORBIDDEN',
      );
    });

    test.each([
      ['without a source', {}],
      ['with a blank source', { source: '   ' }],
    ])('refuses a coordinator recording a pledge %s', async (_, extra) => {
      const response = await expectRefused(
        () => createAs(coordinator, newPledge(extra)),
        422,
        'VALIDATION_FAILED',
      );
      expect(response.json().errors).toEqual([{ path: '/source', message: expect.any(String) }]);
    });

    test('refuses stage dates out of order', async () => {
      await expectRefused(
        () => createAs(donor, newPledge({ stage: 'committed', committedOn: '2026-03-12' })),
        422,
        'PLEDGE_DATE_OUT_OF_ORDER',
      );
    });

    test('refuses a pledge dated before any rate of its currency', async () => {
      await expectRefused(
        () => createAs(donor, newPledge({ announcedOn: '2026-02-27' })),
        422,
        'FX_RATE_MISSING',
      );
    });

    test('refuses a pledge in a currency that has no rate at all', async () => {
      await expectRefused(
        () => createAs(donor, newPledge({ amount: { amount: '1000000.00', currency: 'SEK' } })),
        422,
        'FX_RATE_MISSING',
      );
    });

    test('refuses a pledge whose latest rate is more than 10 days old', async () => {
      const response = await expectRefused(
        () => createAs(donor, newPledge({ announcedOn: '2026-03-24' })),
        422,
        'FX_RATE_MISSING',
      );
      expect(response.json().detail).toContain('2026-03-13');
    });

    test('refuses an unknown earmark category', async () => {
      await expectRefused(
        () => createAs(donor, newPledge({ earmark: { categories: ['air-defence', 'space-lasers'] } })),
        422,
        'CATEGORY_UNKNOWN',
      );
    });

    test('refuses an earmark naming both categories and a package', async () => {
      await expectRefused(
        () => createAs(donor, newPledge({ earmark: { categories: ['air-defence'], packageId: 'PKG-1' } })),
        422,
        'VALIDATION_FAILED',
      );
    });

    test('refuses a re-announcement of another donor’s pledge', async () => {
      const response = await expectRefused(
        () => createAs(coordinator, newPledge({ source, duplicateOf: german.id })),
        422,
        'VALIDATION_FAILED',
      );
      expect(response.json().errors).toEqual([{ path: '/duplicateOf', message: expect.any(String) }]);
      await expectRefused(
        () => createAs(donor, newPledge({ duplicateOf: german.id })),
        422,
        'VALIDATION_FAILED',
      );
    });

    test('refuses a re-announcement of a pledge that does not exist', async () => {
      await expectRefused(
        () => createAs(donor, newPledge({ duplicateOf: 'no-such-pledge' })),
        422,
        'VALIDATION_FAILED',
      );
    });

    test('refuses a re-announcement recorded past the announced stage', async () => {
      await expectRefused(
        () =>
          createAs(
            donor,
            newPledge({ duplicateOf: announced.id, stage: 'committed', committedOn: '2026-03-13' }),
          ),
        422,
        'VALIDATION_FAILED',
      );
    });

    test.each(['public', 'restricted'])(
      'refuses an undisclosed (null) amount with visibility %s',
      async (visibility) => {
        const response = await expectRefused(
          () => createAs(donor, newPledge({ amount: null, visibility })),
          422,
          'VALIDATION_FAILED',
        );
        expect(response.json().errors).toEqual([{ path: '/amount', message: expect.any(String) }]);
      },
    );

    test('refuses an unknown visibility', async () => {
      await expectRefused(
        () => createAs(donor, newPledge({ visibility: 'secret' })),
        422,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('moving a pledge', () => {
    test('refuses a transition backwards, from paid to committed', async () => {
      await expectRefused(
        () => moveAs(donor, paid.id, { to: 'committed', on: '2026-03-16' }),
        409,
        'INVALID_TRANSITION',
      );
    });

    test.each([
      ['committed', () => committed],
      ['paid', () => paid],
    ])('refuses a transition to %s twice', async (to, pledge) => {
      await expectRefused(
        () => moveAs(donor, pledge().id, { to, on: '2026-03-16' }),
        409,
        'INVALID_TRANSITION',
      );
    });

    test('refuses a transition back to announced', async () => {
      await expectRefused(
        () => moveAs(donor, committed.id, { to: 'announced', on: '2026-03-16' }),
        422,
        'VALIDATION_FAILED',
      );
    });

    test('refuses a transition dated before the announcement', async () => {
      const response = await expectRefused(
        () => moveAs(donor, announced.id, { to: 'committed', on: '2026-03-12' }),
        422,
        'PLEDGE_DATE_OUT_OF_ORDER',
      );
      expect(response.json().detail).toContain('2026-03-13');
    });

    test('refuses a payment dated before the commitment', async () => {
      await expectRefused(
        () => moveAs(coordinator, committed.id, { to: 'paid', on: '2026-03-12' }),
        422,
        'PLEDGE_DATE_OUT_OF_ORDER',
      );
    });

    test('refuses a transition on a date with no rate in force', async () => {
      await expectRefused(
        () => moveAs(donor, announced.id, { to: 'committed', on: '2026-03-30' }),
        422,
        'FX_RATE_MISSING',
      );
    });

    test('refuses a transition against a stale If-Match with 412', async () => {
      await expectRefused(
        () => moveAs(donor, announced.id, { to: 'committed', on: '2026-03-16' }, { 'if-match': '"7"' }),
        412,
        'VERSION_MISMATCH',
      );
    });

    test('answers 404 for a pledge that does not exist', async () => {
      await expectRefused(
        () => moveAs(donor, 'no-such-pledge', { to: 'committed', on: '2026-03-16' }),
        404,
        'NOT_FOUND',
      );
    });

    test('answers 404 to a donor moving another donor’s pledge', async () => {
      await expectRefused(
        () => moveAs(donor, german.id, { to: 'committed', on: '2026-03-16' }),
        404,
        'NOT_FOUND',
      );
    });
  });

  describe('importing an ECB file', () => {
    const header = ['USD', 'JPY', 'GBP', 'CHF'];

    async function expectFileRefused(csv: string): Promise<{ path: string; message: string }[]> {
      const response = await expectRefused(() => importEcb(coordinator, csv), 422, 'FX_FILE_INVALID');
      expect(response.json().detail).toMatch(/nothing was imported/);
      return response.json().errors;
    }

    test('refuses a corrupt file, naming each bad line, and imports none of its good lines', async () => {
      const csv = ecbHistoricalFile(header, [
        ['2026-03-20', ['1.0901', '161.20', '0.84100', '0.9411']],
        ['2026-03-19', ['1.0893', '161.05', '0.8409O', '0.9405']],
        ['2026-02-30', ['1.0887', '160.98', '0.84000', '0.9401']],
        ['2026-03-17', ['1.0880', '160.90', '0.83950']],
      ]);
      expect(await expectFileRefused(csv)).toEqual([
        { path: 'line 3, column 4', message: expect.stringContaining('0.8409O') },
        { path: 'line 4, column 1', message: expect.stringContaining('2026-02-30') },
        { path: 'line 5', message: expect.any(String) },
      ]);
    });

    test('refuses a daily file cut in the middle of its last value', async () => {
      const whole = ecbDailyFile('20 March 2026', {
        USD: '1.0901',
        JPY: '161.20',
        GBP: '0.84100',
        CHF: '0.9411',
      });
      const cut = whole.slice(0, whole.indexOf('0.9411') + 3);
      expect(cut.endsWith('0.9')).toBe(true);
      expect(await expectFileRefused(cut)).toEqual([
        { path: 'line 2', message: expect.stringMatching(/cut off/) },
      ]);
    });

    test('refuses a historical file cut off in its last line', async () => {
      const whole = ecbHistoricalFile(header, [
        ['2026-03-20', ['1.0901', '161.20', '0.84100', '0.9411']],
        ['2026-03-19', ['1.0893', '161.05', '0.84090', '0.9405']],
      ]);
      const cut = whole.slice(0, whole.lastIndexOf('161.05') + 4);
      const errors = await expectFileRefused(cut);
      expect(errors.map((error) => error.path)).toEqual(['line 3']);
    });

    test.each([
      ['an empty body', ''],
      ['a body of blank lines', '\n\n  \n'],
    ])('refuses %s', async (_, csv) => {
      const errors = await expectFileRefused(csv);
      expect(errors).toEqual([{ path: 'line 1', message: expect.stringMatching(/empty/) }]);
    });

    test('refuses a header with no line after it', async () => {
      const errors = await expectFileRefused('Date, USD, JPY, GBP, \n');
      expect(errors).toEqual([{ path: 'line 2', message: expect.any(String) }]);
    });

    test.each(['one', '1,08', '-1.0834', '0', '1.08e2', 'NaN'])(
      'refuses a file with the non-numeric or non-positive rate %s',
      async (value) => {
        const csv = `Date,USD,JPY,GBP,\n2026-03-20,${value === '1,08' ? '"1,08"' : value},161.20,0.84100,\n`;
        const errors = await expectFileRefused(csv);
        expect(errors).toEqual([{ path: 'line 2, column 2', message: expect.any(String) }]);
      },
    );

    test('refuses a file whose USD rate is N/A', async () => {
      const errors = await expectFileRefused('Date,USD,GBP,\n2026-03-20,N/A,0.84100,\n');
      expect(errors).toEqual([{ path: 'line 2, column 2', message: expect.stringMatching(/USD/) }]);
    });

    test('refuses a file without a USD column', async () => {
      await expectFileRefused('Date, JPY, GBP, \n20 March 2026, 161.20, 0.84100, \n');
    });

    test('refuses a file whose header does not start with Date', async () => {
      const errors = await expectFileRefused('Day, USD, GBP, \n20 March 2026, 1.0901, 0.84100, \n');
      expect(errors).toContainEqual({ path: 'line 1, column 1', message: expect.any(String) });
    });

    test('refuses a file that is not CSV at all', async () => {
      await expectFileRefused('%PDF-1.7\n\u0000\u0001binary "junk\n');
    });

    test('refuses an import by a donor with 403', async () => {
      await expectRefused(
        () => importEcb(donor, ecbDailyFile('20 March 2026', { USD: '1.0901', GBP: '0.84100' })),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('recording and looking up a rate', () => {
    test.each([
      ['a zero rate', { perUsd: '0' }, 'FX_RATE_INVALID'],
      ['a rate for USD itself', { currency: 'USD', perUsd: '1' }, 'FX_RATE_INVALID'],
      ['a rate of an unknown currency', { currency: 'XYZ' }, 'CURRENCY_UNKNOWN'],
      ['a rate as a JSON number', { perUsd: 0.79 }, 'VALIDATION_FAILED'],
    ] as const)('refuses %s', async (_, overrides, code) => {
      await expectRefused(
        () =>
          coordinator.request('POST', '/api/v1/fx-rates', {
            body: { currency: 'GBP', date: '2026-03-20', perUsd: '0.79', source: 'Hand', ...overrides },
          }),
        422,
        code,
      );
    });

    test('a lookup finds a rate ten days old but not one eleven days old', async () => {
      const lookUp = (date: string) => donor.request('GET', `/api/v1/fx-rates?currency=GBP&date=${date}`);
      const tenDays = await lookUp('2026-03-23');
      expect(tenDays.statusCode).toBe(200);
      expect(tenDays.json().date).toBe('2026-03-13');
      await expectRefused(() => lookUp('2026-03-24'), 422, 'FX_RATE_MISSING');
      await expectRefused(() => lookUp('2026-03-01'), 422, 'FX_RATE_MISSING');
    });
  });

  describe('who may do what', () => {
    test.each(['supplier', 'recipient'] as const)('refuses a %s listing pledges with 403', async (role) => {
      const client = await api.as(role);
      await expectRefused(() => client.request('GET', '/api/v1/pledges'), 403, 'FORBIDDEN');
      await expectRefused(() => client.request('GET', `/api/v1/pledges/${announced.id}`), 403, 'FORBIDDEN');
      await expectRefused(() => createAs(client, newPledge({ source })), 403, 'FORBIDDEN');
    });

    test('refuses an auditor recording or moving a pledge with 403', async () => {
      const auditor = await api.as('auditor');
      await expectRefused(() => createAs(auditor, newPledge({ source })), 403, 'FORBIDDEN');
      await expectRefused(
        () => moveAs(auditor, announced.id, { to: 'committed', on: '2026-03-16' }),
        403,
        'FORBIDDEN',
      );
    });

    test('refuses a donor reading the ledger with 403', async () => {
      await expectRefused(() => donor.request('GET', '/api/v1/ledger/entries'), 403, 'FORBIDDEN');
      await expectRefused(() => donor.request('GET', '/api/v1/ledger/accounts'), 403, 'FORBIDDEN');
    });

    test('refuses a public caller with 401', async () => {
      await expectRefused(() => api.public.request('GET', '/api/v1/pledges'), 401, 'UNAUTHENTICATED');
      await expectRefused(() => createAs(api.public, newPledge()), 401, 'UNAUTHENTICATED');
      await expectRefused(
        () => moveAs(api.public, announced.id, { to: 'committed', on: '2026-03-16' }),
        401,
        'UNAUTHENTICATED',
      );
      await expectRefused(() => api.public.request('GET', '/api/v1/fx-rates'), 401, 'UNAUTHENTICATED');
      await expectRefused(() => api.public.request('GET', '/api/v1/ledger/accounts'), 401, 'UNAUTHENTICATED');
    });
  });
});
