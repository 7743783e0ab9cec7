import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../src/app/context.ts';
import { addOrganization, addUser } from '../../src/app/directory.ts';
import type { Role } from '../../src/core/access/roles.ts';
import { Limits } from '../../src/core/limits.ts';
import {
  type Credential,
  collectRoutes,
  fillPath,
  logInOver,
  noCredential,
  type OpenApiDocument,
  type Operation,
  openApiPath,
  operationsOf,
  type RegisteredRoute,
  send,
} from '../support/access.ts';
import { startApi, type TestApi, testAccounts, testPassword, usd } from '../support/api.ts';
import { dialects } from '../support/databases.ts';
import { type EventStreamClient, openEventStream } from '../support/event-stream.ts';

/**
 * The leak scan. Every restricted field of the seeded data carries a marker; then every GET route
 * the app serves (read from the app and its OpenAPI document, so new routes are scanned the day they
 * land) is requested by every principal, with every seeded id in its path, every page of every
 * list, and every value of its enumerated required parameters; each raw response, headers included,
 * is searched for the markers that principal may not see. `mayReveal` is the whole expectation:
 * a marker found where the table says no is a leak, and a marker the table says yes to that the
 * principal never finds means the table (or the scan) is wrong, so the table stays exact.
 */

/** What a marker sits in: which restricted object, and whose. */
type MarkerKind =
  | 'requirement'
  | 'gbr-restricted-pledge'
  | 'deu-restricted-pledge'
  | 'deu-undisclosed-notes'
  | 'deu-undisclosed-amount';

/** The public, one user per role (the donor is Britain, GBR), and a second donor, Germany (DEU). */
type Identity = 'public' | Role | 'donor-deu';
const identities: readonly Identity[] = [
  'public',
  'recipient',
  'coordinator',
  'supplier',
  'donor',
  'donor-deu',
  'auditor',
  'admin',
];

const allKinds: readonly MarkerKind[] = [
  'requirement',
  'gbr-restricted-pledge',
  'deu-restricted-pledge',
  'deu-undisclosed-notes',
  'deu-undisclosed-amount',
];

/**
 * Who may see what (product.md "Roles", "What the public sees"; the policy table): requirement
 * lines are read by the recipient, the coordinator, the supplier and the auditor; a donor sees its
 * own pledges only (and, once packages exist, the lines of the packages it funds: none of these
 * lines is in a package); the public sees aggregates only and never a restricted pledge or an
 * undisclosed amount; the admin runs the platform and reads no business data.
 */
const revealTable: Readonly<Record<Identity, readonly MarkerKind[]>> = {
  public: [],
  recipient: ['requirement'],
  coordinator: allKinds,
  supplier: ['requirement'],
  donor: ['gbr-restricted-pledge'],
  'donor-deu': ['deu-restricted-pledge', 'deu-undisclosed-notes', 'deu-undisclosed-amount'],
  auditor: allKinds,
  admin: [],
};

function mayReveal(identity: Identity, kind: MarkerKind): boolean {
  return revealTable[identity].includes(kind);
}

interface Marker {
  readonly kind: MarkerKind;
  readonly label: string;
  readonly pattern: RegExp;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function textMarker(kind: MarkerKind, label: string, value: string): Marker {
  return { kind, label, pattern: new RegExp(escapeRegExp(value)) };
}

/**
 * A number however it is written: with or without thousands separators, as a decimal string or in
 * minor units; never inside a longer run of hex digits (an id or a hash is not a leak).
 */
function numberMarker(kind: MarkerKind, label: string, decimal: string): Marker {
  const [whole = '', fraction] = decimal.split('.');
  const groups: string[] = [];
  for (let end = whole.length; end > 0; end -= 3) groups.unshift(whole.slice(Math.max(0, end - 3), end));
  const grouped = groups.map(escapeRegExp).join("[,\\s'_]?");
  const written = fraction === undefined ? grouped : `(?:${grouped}\\.${fraction}|${whole}${fraction})`;
  return { kind, label, pattern: new RegExp(`(?<![0-9a-fA-F])${written}(?![0-9a-fA-F])`) };
}

const quantity = 987654;
const unitCost = '13579.24';
/** quantity × unit cost, exactly: the estimated cost the API derives from the two. */
const estimatedCost = (() => {
  const minor = 1357924n * BigInt(quantity);
  return `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
})();

const markers: readonly Marker[] = [
  textMarker('requirement', 'requirement title', 'MARKER-REQ-TITLE-7f3a'),
  textMarker('requirement', 'requirement notes', 'MARKER-REQ-NOTES-7f3a'),
  textMarker('requirement', 'requirement unit', 'MARKER-REQ-UNIT'),
  textMarker('requirement', 'public-visibility requirement title', 'MARKER-REQ-PUBLIC-TITLE-7f3a'),
  numberMarker('requirement', 'requirement quantity', String(quantity)),
  numberMarker('requirement', 'requirement unit cost', unitCost),
  numberMarker('requirement', 'requirement estimated cost', estimatedCost),
  textMarker('gbr-restricted-pledge', 'GBR restricted forum', 'MARKER-GBR-FORUM-5c1e'),
  textMarker('gbr-restricted-pledge', 'GBR restricted source', 'MARKER-GBR-SOURCE-5c1e'),
  textMarker('gbr-restricted-pledge', 'GBR restricted notes', 'MARKER-GBR-NOTES-5c1e'),
  numberMarker('gbr-restricted-pledge', 'GBR restricted amount', '444444444.44'),
  textMarker('deu-restricted-pledge', 'DEU restricted forum', 'MARKER-DEU-FORUM-9b2d'),
  textMarker('deu-restricted-pledge', 'DEU restricted source', 'MARKER-DEU-SOURCE-9b2d'),
  textMarker('deu-restricted-pledge', 'DEU restricted notes', 'MARKER-DEU-NOTES-9b2d'),
  numberMarker('deu-restricted-pledge', 'DEU restricted amount', '777777777.77'),
  textMarker(
    'deu-undisclosed-notes',
    'DEU undisclosed (no amount) notes',
    'MARKER-DEU-UNDISCLOSED-NOTES-41aa',
  ),
  textMarker('deu-undisclosed-notes', 'DEU undisclosed (known amount) notes', 'MARKER-DEU-HIDDEN-NOTES-41aa'),
  numberMarker('deu-undisclosed-amount', 'DEU undisclosed known amount', '666666666.66'),
];

/** Values for required query parameters that are not enumerations; a new one must be named here. */
const queryValues: Readonly<Record<string, readonly string[]>> = {
  asOf: ['2026-12-31'],
  date: ['2026-02-12'],
  currency: ['USD'],
};

function scan(text: string, identity: Identity): Marker[] {
  return markers.filter((marker) => !mayReveal(identity, marker.kind) && marker.pattern.test(text));
}

/** The raw response as a client would keep it: status line, headers but the cookie, and the body. */
function rawOf(response: LightMyRequestResponse): string {
  const { 'set-cookie': _cookie, ...headers } = response.headers;
  return `${response.statusCode}\n${JSON.stringify(headers)}\n${response.body}`;
}

describe.each(dialects)('the leak scan on %s', (dialect) => {
  let api: TestApi;
  let routes: RegisteredRoute[];
  let operations: Operation[];
  const credentials = new Map<Identity, Credential>();
  /** Seeded ids and refs, and one id that exists nowhere. */
  const ids: string[] = [];

  async function created(response: Promise<LightMyRequestResponse>): Promise<{ id: string; ref: string }> {
    const answer = await response;
    expect(answer.statusCode, answer.body).toBe(201);
    const { id, ref } = answer.json();
    ids.push(id, ref);
    return { id, ref };
  }

  beforeAll(async () => {
    const collected = await collectRoutes(() => startApi(dialect));
    api = collected.built;
    await api.app.ready();
    routes = collected.routes();
    operations = operationsOf(
      (await send(api.app, 'GET', '/api/v1/openapi.json', noCredential)).json() as OpenApiDocument,
    );
    const { context } = api.database;
    await addOrganization(context, systemActor, { code: 'DEU', name: 'Germany', kind: 'donor' });
    await addUser(context, systemActor, {
      email: 'donor@deu.test',
      organizationCode: 'DEU',
      role: 'donor',
      password: testPassword,
    });
    credentials.set('public', noCredential);
    for (const role of Object.keys(testAccounts) as Role[])
      credentials.set(role, await logInOver(api.app, testAccounts[role].email));
    credentials.set('donor-deu', await logInOver(api.app, 'donor@deu.test'));
    const as = (identity: Identity) => credentials.get(identity) ?? noCredential;
    const post = (identity: Identity, url: string, body: unknown) =>
      send(api.app, 'POST', url, as(identity), { body });

    const requirementFields = {
      category: 'air-defence',
      quantity,
      unit: 'MARKER-REQ-UNIT',
      unitCost: usd(unitCost),
      notes: 'MARKER-REQ-NOTES-7f3a',
    };
    await created(
      post('recipient', '/api/v1/requirements', { ...requirementFields, title: 'MARKER-REQ-TITLE-7f3a' }),
    );
    const open = await created(
      post('recipient', '/api/v1/requirements', {
        ...requirementFields,
        title: 'MARKER-REQ-PUBLIC-TITLE-7f3a',
        visibility: 'public',
      }),
    );
    expect(
      (await post('recipient', `/api/v1/requirements/${open.id}/transitions`, { to: 'submitted' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await post('coordinator', `/api/v1/requirements/${open.id}/transitions`, { to: 'validated' }))
        .statusCode,
    ).toBe(200);

    await created(
      post('donor', '/api/v1/pledges', {
        donor: 'GBR',
        amount: usd('444444444.44'),
        announcedOn: '2026-02-12',
        forum: 'MARKER-GBR-FORUM-5c1e',
        source: 'https://example.org/MARKER-GBR-SOURCE-5c1e',
        notes: 'MARKER-GBR-NOTES-5c1e',
        visibility: 'restricted',
      }),
    );
    const restricted = await created(
      post('donor-deu', '/api/v1/pledges', {
        donor: 'DEU',
        amount: usd('777777777.77'),
        announcedOn: '2026-02-12',
        forum: 'MARKER-DEU-FORUM-9b2d',
        source: 'https://example.org/MARKER-DEU-SOURCE-9b2d',
        notes: 'MARKER-DEU-NOTES-9b2d',
        visibility: 'restricted',
      }),
    );
    // Committed, so the journal carries its money too.
    const committed = await post('donor-deu', `/api/v1/pledges/${restricted.id}/transitions`, {
      to: 'committed',
      on: '2026-02-20',
    });
    expect(committed.statusCode, committed.body).toBe(200);
    await created(
      post('donor-deu', '/api/v1/pledges', {
        donor: 'DEU',
        amount: null,
        announcedOn: '2026-03-01',
        forum: 'Ramstein',
        notes: 'MARKER-DEU-UNDISCLOSED-NOTES-41aa',
        visibility: 'amount-undisclosed',
      }),
    );
    await created(
      post('donor-deu', '/api/v1/pledges', {
        donor: 'DEU',
        amount: usd('666666666.66'),
        announcedOn: '2026-03-02',
        forum: 'Ramstein',
        stage: 'committed',
        committedOn: '2026-03-02',
        notes: 'MARKER-DEU-HIDDEN-NOTES-41aa',
        visibility: 'amount-undisclosed',
      }),
    );
    ids.push(randomUUID());
  });
  afterAll(async () => api?.close());

  /** Server-sent event streams never end, so `inject` cannot read them whole; see the last test. */
  const streams = () => operations.filter((operation) => operation.produces.includes('text/event-stream'));

  /** Every GET the app serves, documented or not (the document itself, the reference page). */
  function getTargets(): { path: string; operation: Operation | undefined }[] {
    const documented = operations.filter((operation) => operation.method === 'GET');
    const seen = new Set(documented.map((operation) => operation.path));
    const undocumented = routes
      .filter(({ method, url }) => method === 'GET' && !seen.has(openApiPath(url)))
      .map(({ url }) => ({ path: openApiPath(url), operation: undefined }));
    return [
      ...documented
        .filter((operation) => !streams().includes(operation))
        .map((operation) => ({ path: operation.path, operation })),
      ...undocumented,
    ];
  }

  /** The URLs that read everything a GET route can show: every seeded id, every enum value. */
  function urlsOf(target: { path: string; operation: Operation | undefined }): string[] {
    const paths = /\{[^}]+\}|:[A-Za-z]/.test(target.path)
      ? ids.map((id) => fillPath(target.path, () => id))
      : [fillPath(target.path, () => '')];
    let queries: string[][] = [[]];
    for (const parameter of target.operation?.queryParameters ?? []) {
      if (parameter.name === 'limit') {
        queries = queries.map((query) => [...query, `limit=${Limits.pageSizeMax}`]);
        continue;
      }
      if (!parameter.required) continue;
      const values = parameter.values.length ? parameter.values : queryValues[parameter.name];
      if (!values)
        throw new Error(`${target.path}: name a value for the required query parameter '${parameter.name}'`);
      queries = queries.flatMap((query) => values.map((value) => [...query, `${parameter.name}=${value}`]));
    }
    return paths.flatMap((path) =>
      queries.map((query) => (query.length ? `${path}?${query.join('&')}` : path)),
    );
  }

  /** Every page of the URL: lists are followed through their cursors to the end. */
  async function readAll(identity: Identity, url: string): Promise<LightMyRequestResponse[]> {
    const credential = credentials.get(identity) ?? noCredential;
    const pages: LightMyRequestResponse[] = [];
    let next: string | undefined = url;
    while (next && pages.length < 100) {
      const response = await send(api.app, 'GET', next, credential);
      pages.push(response);
      const cursor: unknown = String(response.headers['content-type'] ?? '').includes('json')
        ? (response.json() as { nextCursor?: unknown }).nextCursor
        : undefined;
      next =
        typeof cursor === 'string'
          ? `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`
          : undefined;
    }
    return pages;
  }

  test.each(identities)(
    'as %s, no GET shows a marker it may not see, and it finds every one it may',
    async (identity) => {
      const leaks: string[] = [];
      const found = new Set<string>();
      let requests = 0;
      for (const target of getTargets()) {
        for (const url of urlsOf(target)) {
          for (const response of await readAll(identity, url)) {
            requests += 1;
            const raw = rawOf(response);
            for (const marker of scan(raw, identity))
              leaks.push(`GET ${url} (${response.statusCode}): ${marker.label}`);
            for (const marker of markers) if (marker.pattern.test(raw)) found.add(marker.label);
          }
        }
      }
      expect(leaks).toEqual([]);
      const owed = markers.filter((marker) => mayReveal(identity, marker.kind) && !found.has(marker.label));
      expect(owed.map((marker) => marker.label)).toEqual([]);
      expect(requests).toBeGreaterThan(20);
    },
  );

  test('the markers are where the scan looks for them: the coordinator finds each one', async () => {
    const coordinator = credentials.get('coordinator') ?? noCredential;
    const everything = [
      (await send(api.app, 'GET', `/api/v1/requirements?limit=${Limits.pageSizeMax}`, coordinator)).body,
      (await send(api.app, 'GET', `/api/v1/pledges?limit=${Limits.pageSizeMax}`, coordinator)).body,
    ].join('\n');
    expect(
      markers.filter((marker) => !marker.pattern.test(everything)).map((marker) => marker.label),
    ).toEqual([]);
    // And a marker is not found where it is not.
    expect(markers.filter((marker) => marker.pattern.test(JSON.stringify({ id: randomUUID() })))).toEqual([]);
  });

  test('the public summary shows no restricted field at all', async (context) => {
    const response = await send(api.app, 'GET', '/api/v1/public/summary', noCredential);
    if (response.statusCode === 404 && response.json().code === 'ROUTE_NOT_FOUND')
      context.skip('GET /api/v1/public/summary does not exist yet');
    expect(response.statusCode, response.body).toBe(200);
    expect(scan(rawOf(response), 'public').map((marker) => marker.label)).toEqual([]);
  });

  test('the audit head shows no restricted field to anyone', async () => {
    for (const identity of identities) {
      const response = await send(
        api.app,
        'GET',
        '/api/v1/audit/head',
        credentials.get(identity) ?? noCredential,
      );
      expect(response.statusCode).toBe(200);
      expect(markers.filter((marker) => marker.pattern.test(rawOf(response))).map((m) => m.label)).toEqual(
        [],
      );
    }
  });

  test('the ledger export shows each principal only what it may see', async (context) => {
    const exports = getTargets().filter(({ path }) => /export/.test(path));
    if (!exports.length) context.skip('no export route exists yet');
    for (const target of exports) {
      for (const identity of identities) {
        for (const url of urlsOf(target)) {
          const response = await send(api.app, 'GET', url, credentials.get(identity) ?? noCredential);
          expect(
            scan(rawOf(response), identity).map((marker) => `${identity} ${url}: ${marker.label}`),
          ).toEqual([]);
        }
      }
    }
  });

  /** The text of a download: an XLSX workbook is a zip, so its cells are read out, sheet by sheet. */
  async function downloadText(response: LightMyRequestResponse): Promise<string> {
    if (!String(response.headers['content-type'] ?? '').includes('spreadsheetml')) return rawOf(response);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    for (const sheet of workbook.worksheets)
      sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text ?? ''))));
    return `${rawOf({ ...response, body: '' } as LightMyRequestResponse)}\n${cells.join('\n')}`;
  }

  /**
   * Every list download (`?format=` on a list route: csv, xlsx, json; with each `table` it takes)
   * holds only what its reader may see, as the list does: the scan reads each file whole.
   */
  test('no list download shows a marker its reader may not see, and the readers find theirs', async () => {
    const downloads = getTargets().filter(({ operation }) =>
      operation?.queryParameters.some(
        (parameter) => parameter.name === 'format' && parameter.values.includes('xlsx'),
      ),
    );
    const paths = downloads.map(({ path }) => path);
    for (const listed of [
      '/api/v1/requirements',
      '/api/v1/pledges',
      '/api/v1/packages',
      '/api/v1/packages/{id}',
      '/api/v1/allocation/plan',
      '/api/v1/ledger/accounts',
      '/api/v1/ledger/entries',
      '/api/v1/audit',
      '/api/v1/fx-rates',
      '/api/v1/categories',
      '/api/v1/organizations',
      '/api/v1/users',
      '/api/v1/public/summary',
    ])
      expect(paths).toContain(listed);
    const leaks: string[] = [];
    const found = new Map<Identity, Set<string>>();
    for (const target of downloads) {
      const tables = target.operation?.queryParameters.find(
        (parameter) => parameter.name === 'table',
      )?.values;
      const choices = [
        'format=csv',
        'format=xlsx',
        'format=json',
        ...(tables ?? []).map((t) => `format=csv&table=${t}`),
      ];
      for (const url of urlsOf(target)) {
        for (const choice of choices) {
          const full = `${url}${url.includes('?') ? '&' : '?'}${choice}`;
          for (const identity of identities) {
            const response = await send(api.app, 'GET', full, credentials.get(identity) ?? noCredential);
            const raw = await downloadText(response);
            for (const marker of scan(raw, identity))
              leaks.push(`${identity} GET ${full} (${response.statusCode}): ${marker.label}`);
            const seen = found.get(identity) ?? new Set<string>();
            for (const marker of markers) if (marker.pattern.test(raw)) seen.add(marker.label);
            found.set(identity, seen);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
    // The downloads are not empty of what their readers may see: the pledge and requirement exports.
    for (const identity of identities) {
      const owed = markers.filter(
        (marker) => mayReveal(identity, marker.kind) && !found.get(identity)?.has(marker.label),
      );
      expect(owed.map((marker) => `${identity}: ${marker.label}`)).toEqual([]);
    }
  });

  /**
   * An event names objects, never their fields. Each object written while the streams are open
   * is a marker of its kind by its id: the principals that may see it must be told of it, and no
   * other may. Its fields carry the usual markers, and no stream may ever show one of those, to
   * anybody: a title, an amount or a note in an event is a leak even to a reader of the object.
   */
  test('server-sent event streams tell each principal only of what it may see, and of all of it', async () => {
    const paths = streams().map((operation) => operation.path);
    expect(paths).toEqual(['/api/v1/events']);
    const open = new Map<Identity, EventStreamClient>();
    try {
      for (const identity of identities)
        open.set(identity, await openEventStream(api.app, credentials.get(identity) ?? noCredential));
      const as = (identity: Identity) => credentials.get(identity) ?? noCredential;
      const write = async (identity: Identity, url: string, body: unknown) => {
        const response = await send(api.app, 'POST', url, as(identity), { body });
        expect(response.statusCode, response.body).toBeLessThan(300);
        return response.json();
      };
      const idMarkers: Marker[] = [];
      const written = (kind: MarkerKind, label: string, id: string) =>
        idMarkers.push(textMarker(kind, `${label} id`, id));

      const line = await write('recipient', '/api/v1/requirements', {
        category: 'air-defence',
        quantity,
        unit: 'MARKER-REQ-UNIT',
        unitCost: usd(unitCost),
        notes: 'MARKER-REQ-NOTES-7f3a',
        title: 'MARKER-REQ-TITLE-7f3a',
      });
      written('requirement', 'requirement', line.id);
      const british = await write('donor', '/api/v1/pledges', {
        donor: 'GBR',
        amount: usd('444444444.44'),
        announcedOn: '2026-02-12',
        forum: 'MARKER-GBR-FORUM-5c1e',
        source: 'https://example.org/MARKER-GBR-SOURCE-5c1e',
        notes: 'MARKER-GBR-NOTES-5c1e',
        visibility: 'restricted',
      });
      written('gbr-restricted-pledge', 'GBR restricted pledge', british.id);
      const german = await write('donor-deu', '/api/v1/pledges', {
        donor: 'DEU',
        amount: usd('777777777.77'),
        announcedOn: '2026-02-12',
        forum: 'MARKER-DEU-FORUM-9b2d',
        source: 'https://example.org/MARKER-DEU-SOURCE-9b2d',
        notes: 'MARKER-DEU-NOTES-9b2d',
        visibility: 'restricted',
      });
      await write('donor-deu', `/api/v1/pledges/${german.id}/transitions`, {
        to: 'committed',
        on: '2026-02-20',
      });
      written('deu-restricted-pledge', 'DEU restricted pledge', german.id);
      const hidden = await write('donor-deu', '/api/v1/pledges', {
        donor: 'DEU',
        amount: usd('666666666.66'),
        announcedOn: '2026-03-02',
        forum: 'Ramstein',
        notes: 'MARKER-DEU-HIDDEN-NOTES-41aa',
        visibility: 'amount-undisclosed',
      });
      written('deu-undisclosed-notes', 'DEU undisclosed pledge', hidden.id);
      // Every user may read categories, and events come in order: once a stream has this one, it
      // has had everything written before it.
      const sentinel = await write('coordinator', '/api/v1/categories', {
        code: 'sse-sentinel',
        name: 'Sentinel',
      });

      const leaks: string[] = [];
      for (const identity of identities) {
        const stream = open.get(identity);
        if (!stream) throw new Error(`no stream for ${identity}`);
        if (identity === 'public') expect(stream.status).toBe(401);
        else {
          expect(stream.status, identity).toBe(200);
          const events = await stream.waitFor((seen) => JSON.stringify(seen).includes(sentinel.code), 10_000);
          expect(JSON.stringify(events), `${identity} was never told of the sentinel`).toContain(
            sentinel.code,
          );
        }
        const raw = `${stream.status}\n${JSON.stringify(stream.headers)}\n${stream.ended() ? await stream.body() : stream.text()}`;
        // Events carry no field at all: a content marker in any stream is a leak, whoever reads it.
        for (const marker of markers)
          if (marker.pattern.test(raw)) leaks.push(`${identity} was sent a field: ${marker.label}`);
        for (const marker of idMarkers) {
          const found = marker.pattern.test(raw);
          if (found && !mayReveal(identity, marker.kind)) leaks.push(`${identity} was told: ${marker.label}`);
          if (!found && mayReveal(identity, marker.kind))
            leaks.push(`${identity} was never told of: ${marker.label}`);
        }
      }
      expect(leaks).toEqual([]);
    } finally {
      for (const stream of open.values()) stream.close();
    }
  });
});
