import fc from 'fast-check';

/**
 * Requests generated from the OpenAPI document the app serves: for each operation, a body, path
 * parameters, query and headers that follow its schemas ("valid-ish": they pass the contract, the
 * use case may still refuse them), then, for most requests, one mutation that breaks the contract
 * or the protocol. test/fuzz/contract-fuzz.test.ts and bench/fuzz.ts both draw from here.
 */

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema read from the served document.
type Schema = Record<string, any>;

export interface Operation {
  readonly method: string;
  /** The OpenAPI path, e.g. `/api/v1/pledges/{id}/transitions`. */
  readonly path: string;
  readonly pathParams: readonly { name: string; schema: Schema }[];
  readonly query: readonly { name: string; schema: Schema; required: boolean }[];
  readonly headers: readonly { name: string; schema: Schema }[];
  readonly body?: { readonly contentType: string; readonly schema: Schema };
}

/** Who sends a request: nobody, a role through its session cookie (with CSRF header), or a bearer token. */
export interface Identity {
  readonly name: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly kind: 'public' | 'cookie' | 'bearer';
}

/** Values the generator mixes in so that some requests reach past "not found". */
export interface FuzzPools {
  readonly ids: readonly string[];
  readonly planIds: readonly string[];
  readonly organizationCodes: readonly string[];
  readonly categoryCodes: readonly string[];
}

export const mutationKinds = [
  'wrong-type',
  'missing-field',
  'extra-field',
  'huge-string',
  'too-large-body',
  'deep-nesting',
  'odd-unicode',
  'invalid-json',
  'wrong-content-type',
  'huge-number',
  'bad-path',
  'bad-query',
  'bad-header',
  'bad-auth',
] as const;
export type MutationKind = (typeof mutationKinds)[number];

export interface FuzzRequest {
  readonly operation: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string;
  readonly identity: string;
  readonly mutation: MutationKind | 'none';
}

/** Whether an operation answers a stream that stays open (server-sent events): nothing to wait for. */
function streams(operation: Schema): boolean {
  return Object.values((operation.responses ?? {}) as Record<string, Schema>).some(
    (response) => response.content?.['text/event-stream'] !== undefined,
  );
}

/** Every operation of the document, except event streams (they answer, and then never end). */
export function operationsOf(document: Schema): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths as Record<string, Schema>)) {
    for (const [method, operation] of Object.entries(methods as Record<string, Schema>)) {
      if (streams(operation)) continue;
      const parameters = (operation.parameters ?? []) as Schema[];
      const content = operation.requestBody?.content as Record<string, Schema> | undefined;
      const [contentType, media] = Object.entries(content ?? {})[0] ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, schema: p.schema })),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema, required: Boolean(p.required) })),
        headers: parameters.filter((p) => p.in === 'header').map((p) => ({ name: p.name, schema: p.schema })),
        ...(contentType && media ? { body: { contentType, schema: media.schema ?? {} } } : {}),
      });
    }
  }
  return operations;
}

const oddUnicode = [
  '\uD800',
  '\uDFFF',
  'a\uDC00b',
  'nul\u0000inside',
  '\u0000',
  '\u202Egnp.exe',
  '\u200F\u200E\u202B',
  '\uFEFF',
  '\u200B\u200C\u200D',
  '\u2028\u2029',
  'e\u0301\u0301\u0301\u0301',
  '𝕏𝔸𝕄',
  '\u{10FFFF}',
  '\uFFFE\uFFFF',
  "Robert'); DROP TABLE pledge;--",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  '${7*7}{{7*7}}',
];

/** Percent-encoded bytes that decode to nothing sensible: NUL, a lone surrogate, overlong UTF-8, RTL mark. */
const oddEncoded = ['%00', '%ED%A0%80', '%C0%AF', '%FF%FE', '%E2%80%AE', '%ZZ', '%', '..%2F..%2F', '%2e%2e'];

const invalidJsonTexts = [
  '',
  '{',
  '{"a":}',
  '[1,2',
  '{"a":1,}',
  "{'a':1}",
  'nul',
  '{"a":1}{"b":2}',
  '\u0000',
  '"just a string"',
  '123',
  'null',
  '[]',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":"\\ud800"',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":0x10}',
  ' '.repeat(10_000),
];

const wrongContentTypes = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=utf-16',
  'application/jsonx',
  'text/csv',
  'application/octet-stream',
];

const hugeNumberLiterals = [
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '9007199254740993',
  '-0',
  '1.5',
  '0.1e-400',
  '1E+2',
  '-9223372036854775809',
];

const wrongTypeValues: readonly unknown[] = [
  0,
  -1,
  1.5,
  true,
  false,
  null,
  [],
  {},
  '',
  'x',
  [1, 2, 3],
  { amount: '1.00' },
  '1000.00',
  '2026-02-30',
];

const badQueries = [
  'limit=0',
  'limit=-1',
  'limit=501',
  'limit=abc',
  'limit=1e309',
  'limit=1.5',
  'limit=%00',
  'limit=1&limit=2',
  'cursor=@@@',
  `cursor=${'A'.repeat(600)}`,
  'cursor=eyJ4IjoxfQ',
  'status=bogus',
  'stage=%E2%80%AE',
  'asOf=2026-13-45',
  'asOf=now',
  'format=exe',
  'format=',
  'date=2026-02-30',
  'currency=usd',
  '__proto__[x]=1',
  'unknown=1',
  'objectId=%ED%A0%80',
];

const badPathValues = [
  '%20',
  '..',
  'x'.repeat(65),
  'x'.repeat(4000),
  ...oddEncoded,
  "'%20OR%201=1",
  'null',
  '-1',
  '1e999',
  '00000000-0000-0000-0000-000000000000',
];

const badHeaders: readonly [string, string][] = [
  ['if-match', ''],
  ['if-match', '*'],
  ['if-match', '"abc"'],
  ['if-match', 'W/"-1"'],
  ['if-match', '"99999999999999999999"'],
  ['if-match', '"1.5"'],
  ['if-match', 'x'.repeat(100)],
  ['idempotency-key', ''],
  ['idempotency-key', 'k'.repeat(200)],
  ['idempotency-key', 'with space\tand tab'],
  ['idempotency-key', '\u00e9t\u00e9'],
  ['content-length', '0'],
  ['accept', 'application/xml'],
  ['x-csrf-token', 'x'.repeat(5000)],
];

const badAuth: readonly Record<string, string>[] = [
  { authorization: 'Bearer ' },
  { authorization: 'Bearer garbage' },
  { authorization: `Bearer purl_${'a'.repeat(300)}` },
  { authorization: 'Basic dXNlcjpwYXNz' },
  { authorization: 'bearer\tx.y' },
  { cookie: 'purl_session=garbage' },
  { cookie: `purl_session=${'x'.repeat(4000)}` },
  { cookie: 'purl_session=' },
  { 'x-csrf-token': 'wrong' },
];

function hinted(name: string, pools: FuzzPools): fc.Arbitrary<unknown> | undefined {
  const lower = name.toLowerCase();
  const orRandom = (values: readonly string[], fallback: fc.Arbitrary<string>) =>
    values.length ? fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 4 }, fallback) : fallback;
  if (lower === 'planid') return orRandom(pools.planIds, fc.stringMatching(/^[0-9a-f]{64}$/));
  if (lower === 'id' || lower.endsWith('id') || lower === 'duplicateof')
    return orRandom(pools.ids, fc.uuid());
  if (lower === 'currency') return fc.constantFrom('USD', 'GBP', 'EUR', 'JPY', 'KWD', 'XXX', 'ABC');
  if (lower === 'amount')
    return fc.constantFrom('1000.00', '250000.00', '0.00', '1.5', '99999999.99', '-5.00');
  if (lower === 'donor' || lower === 'organizationcode' || lower === 'supplier')
    return orRandom(pools.organizationCodes, fc.constantFrom('ZZZ', 'GBR'));
  if (lower === 'category' || lower === 'categories')
    return orRandom(pools.categoryCodes, fc.constantFrom('missiles', 'air-defence'));
  if (lower.endsWith('on') || lower === 'date' || lower === 'asof')
    return fc.constantFrom('2026-01-15', '2026-02-10', '2026-02-12', '2026-03-01', '2025-12-31');
  if (lower === 'email') return fc.constantFrom('new@ukr.test', 'planner@ukr.test', 'x@y.z');
  if (lower === 'perusd') return fc.constantFrom('0.8', '0.9', '1', '0', '-1', '1/3');
  return undefined;
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? 40, 40);
  const minLength = Math.min(schema.minLength ?? 0, maxLength);
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'email') return fc.emailAddress();
  if (typeof schema.pattern === 'string') {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length <= (schema.maxLength ?? 1e9));
    } catch {
      // A pattern fast-check cannot generate from: plain strings will do.
    }
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

/** A value that follows `schema`, with a name hint for ids, codes, amounts and dates. */
export function schemaValue(
  schema: Schema,
  name: string,
  pools: FuzzPools,
  depth = 0,
): fc.Arbitrary<unknown> {
  const hint = schema.enum || schema.const !== undefined ? undefined : hinted(name, pools);
  if (hint && (schema.type === 'string' || schema.type === undefined)) return hint;
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => schemaValue(s, name, pools, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringOf(schema);
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? -1_000,
        max: Math.min(schema.maximum ?? 1_000_000, 2 ** 31),
      });
    case 'number':
      return fc.double({ min: -1e6, max: 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const maxLength = Math.min(schema.maxItems ?? 4, 4);
      const minLength = Math.min(schema.minItems ?? 0, maxLength);
      const items = depth > 4 ? fc.constant(null) : schemaValue(schema.items ?? {}, name, pools, depth + 1);
      return fc.array(items, { minLength, maxLength });
    }
    default: {
      if (type !== 'object' && !schema.properties) return fc.jsonValue({ maxDepth: 2 });
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      if (depth > 4) return fc.constant({});
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [key, schemaValue(value, key, pools, depth + 1)]),
      );
      return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
    }
  }
}

type Json = unknown;

/** Paths (lists of keys) to every value inside `value`, the root excluded. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
}

function setAt(root: Json, path: readonly (string | number)[], next: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return next(root);
  const [key, ...rest] = path;
  const copy: Record<string | number, Json> | Json[] = Array.isArray(root)
    ? [...root]
    : { ...(root as Record<string, Json>) };
  const replaced = setAt((copy as Record<string | number, Json>)[key as string], rest, next);
  if (replaced === undefined && rest.length === 0 && !Array.isArray(copy)) delete copy[key as string];
  else (copy as Record<string | number, Json>)[key as string] = replaced;
  return copy;
}

/** Stands in for a number literal JSON.stringify cannot write (1e400, -0, 2^53 + 1). */
const rawNumberMarker = 'raw-number-marker-7f3a';

interface Draft {
  body: Json;
  hasBody: boolean;
  contentType: string | undefined;
  rawBody?: string;
  pathValues: Record<string, string>;
  query: string[];
  headers: Record<string, string>;
}

function pick<T>(values: readonly T[], index: number): T {
  return values[index % values.length] as T;
}

function mutate(draft: Draft, kind: MutationKind, operation: Operation, a: number, b: number): void {
  const paths = draft.hasBody ? pathsOf(draft.body) : [];
  const somePath = paths.length ? pick(paths, a) : [];
  const stringPaths = paths.filter((path) => {
    let node: Json = draft.body;
    for (const key of path) node = (node as Record<string, Json>)[key as string];
    return typeof node === 'string';
  });
  switch (kind) {
    case 'wrong-type':
      if (draft.hasBody) draft.body = setAt(draft.body, somePath, () => pick(wrongTypeValues, b));
      else draft.query.push(`limit=${encodeURIComponent(JSON.stringify(pick(wrongTypeValues, b)))}`);
      return;
    case 'missing-field': {
      const required = (operation.body?.schema.required ?? []) as string[];
      if (draft.hasBody && typeof draft.body === 'object' && draft.body && required.length) {
        draft.body = setAt(draft.body, [pick(required, a)], () => undefined);
      } else if (draft.hasBody) {
        draft.hasBody = false;
      } else {
        draft.pathValues = Object.fromEntries(Object.keys(draft.pathValues).map((name) => [name, '']));
      }
      return;
    }
    case 'extra-field':
      if (
        draft.hasBody &&
        typeof draft.body === 'object' &&
        draft.body !== null &&
        !Array.isArray(draft.body)
      ) {
        const parent = paths.filter((path) => {
          let node: Json = draft.body;
          for (const key of path) node = (node as Record<string, Json>)[key as string];
          return typeof node === 'object' && node !== null && !Array.isArray(node);
        });
        const target = parent.length && b % 2 ? pick(parent, a) : [];
        draft.body = setAt(draft.body, target, (old) => ({
          ...(old as Record<string, Json>),
          [pick(['isAdmin', 'role', 'version', 'id', '__proto__x', 'status'], b)]: 'extra',
        }));
      } else {
        draft.query.push('extra=1');
      }
      return;
    case 'huge-string': {
      // Far beyond every maxLength of the contract; one in ten is 100,000 characters.
      const huge = pick(['x', '\u00e9', '𝕏', '9'], a).repeat(b % 10 ? 20_000 : 100_000);
      if (stringPaths.length) draft.body = setAt(draft.body, pick(stringPaths, b), () => huge);
      else if (draft.hasBody) draft.body = setAt(draft.body, somePath, () => huge);
      else draft.query.push(`cursor=${'x'.repeat(20_000)}`);
      return;
    }
    case 'too-large-body':
      draft.hasBody = true;
      draft.rawBody = JSON.stringify({ padding: 'p'.repeat(1_100_000) });
      draft.contentType = draft.contentType ?? 'application/json';
      return;
    case 'deep-nesting': {
      // Written as text: JSON.stringify itself overflows the stack on 20,000 levels.
      const depth = pick([50, 1_000, 20_000], a);
      const nested =
        b % 2 ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      draft.hasBody = true;
      draft.contentType = draft.contentType ?? 'application/json';
      draft.body = paths.length ? setAt(draft.body, somePath, () => rawNumberMarker) : rawNumberMarker;
      draft.rawBody = JSON.stringify(draft.body).replace(`"${rawNumberMarker}"`, nested);
      return;
    }
    case 'odd-unicode': {
      const odd = pick(oddUnicode, a);
      if (stringPaths.length && b % 3 !== 0) {
        draft.body = setAt(draft.body, pick(stringPaths, b), (old) => (b % 2 ? odd : `${String(old)}${odd}`));
      } else if (Object.keys(draft.pathValues).length) {
        const name = pick(Object.keys(draft.pathValues), b);
        draft.pathValues[name] = pick(oddEncoded, a);
      } else {
        draft.query.push(
          `${pick(['cursor', 'status', 'donor', 'category', 'format'], b)}=${pick(oddEncoded, a)}`,
        );
      }
      return;
    }
    case 'invalid-json':
      draft.hasBody = true;
      draft.rawBody = pick(invalidJsonTexts, a);
      draft.contentType = 'application/json';
      return;
    case 'wrong-content-type':
      draft.hasBody = true;
      draft.contentType = pick(
        operation.body?.contentType === 'text/csv'
          ? ['application/json', ...wrongContentTypes]
          : wrongContentTypes,
        a,
      );
      if (b % 3 === 0) draft.rawBody = 'a=1&b=2';
      return;
    case 'huge-number':
      if (!draft.hasBody) {
        draft.query.push(`limit=${pick(hugeNumberLiterals, a)}`);
        return;
      }
      draft.body = paths.length ? setAt(draft.body, somePath, () => rawNumberMarker) : rawNumberMarker;
      draft.rawBody = JSON.stringify(draft.body).replace(`"${rawNumberMarker}"`, pick(hugeNumberLiterals, a));
      return;
    case 'bad-path':
      if (Object.keys(draft.pathValues).length) {
        const name = pick(Object.keys(draft.pathValues), b);
        draft.pathValues[name] = pick(badPathValues, a);
      } else {
        draft.pathValues['\u0000suffix'] = pick(badPathValues, a);
      }
      return;
    case 'bad-query':
      draft.query.push(pick(badQueries, a));
      return;
    case 'bad-header': {
      const [name, value] = pick(badHeaders, a);
      draft.headers[name] = value;
      return;
    }
    case 'bad-auth':
      // Applied to the identity's headers by the caller.
      return;
  }
}

function encodePathValue(value: string): string {
  // Already percent-encoded junk goes in as it is; generated values are encoded.
  return /%/.test(value) ? value : encodeURIComponent(value);
}

/**
 * Requests for the operations: a valid-ish request, then (unless `mutationRate` is 0) one mutation
 * of it; sent as one of the identities.
 */
export function fuzzRequests(
  operations: readonly Operation[],
  identities: readonly Identity[],
  pools: FuzzPools,
  options: { mutated: boolean },
): fc.Arbitrary<FuzzRequest> {
  const perOperation = operations.map((operation) => {
    const body = operation.body
      ? schemaValue(operation.body.schema, '', pools)
      : fc.constant<unknown>(undefined);
    const pathValues = fc.record(
      Object.fromEntries(operation.pathParams.map((p) => [p.name, schemaValue(p.schema, p.name, pools)])),
    );
    const query = fc.record(
      Object.fromEntries(operation.query.map((q) => [q.name, schemaValue(q.schema, q.name, pools)])),
      { requiredKeys: operation.query.filter((q) => q.required).map((q) => q.name) },
    );
    const headers = fc.record(
      Object.fromEntries(
        operation.headers.map((h) => [
          h.name,
          h.name === 'if-match'
            ? fc.integer({ min: 1, max: 6 }).map((v) => `"${v}"`)
            : h.name === 'idempotency-key'
              ? fc.uuid()
              : schemaValue(h.schema, h.name, pools),
        ]),
      ),
      { requiredKeys: [] },
    );
    return fc.record({
      operation: fc.constant(operation),
      body,
      pathValues,
      query,
      headers,
      identity: fc.constantFrom(...identities),
      mutation: options.mutated ? fc.constantFrom(...mutationKinds) : fc.constant('none' as const),
      a: fc.nat(),
      b: fc.nat(),
    });
  });
  return fc.oneof(...perOperation).map((drawn) => {
    const { operation } = drawn;
    const draft: Draft = {
      body: drawn.body,
      hasBody: operation.body !== undefined,
      contentType: operation.body?.contentType,
      pathValues: Object.fromEntries(Object.entries(drawn.pathValues).map(([k, v]) => [k, String(v)])),
      query: Object.entries(drawn.query).map(
        ([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`,
      ),
      headers: Object.fromEntries(Object.entries(drawn.headers).map(([k, v]) => [k, String(v)])),
    };
    if (drawn.mutation !== 'none') mutate(draft, drawn.mutation, operation, drawn.a, drawn.b);
    let path = operation.path;
    for (const [name, value] of Object.entries(draft.pathValues)) {
      path = path.includes(`{${name}}`)
        ? path.replace(`{${name}}`, encodePathValue(value))
        : `${path}/${encodePathValue(value)}`;
    }
    const headers: Record<string, string> = { ...drawn.identity.headers, ...draft.headers };
    if (drawn.mutation === 'bad-auth') {
      const broken = pick(badAuth, drawn.a);
      for (const [name, value] of Object.entries(broken)) headers[name] = value;
      if (drawn.b % 2) delete headers['x-csrf-token'];
    }
    let payload: string | undefined;
    if (draft.hasBody) {
      payload =
        draft.rawBody ??
        (operation.body?.contentType === 'text/csv' &&
        typeof draft.body === 'string' &&
        drawn.mutation === 'none'
          ? draft.body
          : JSON.stringify(draft.body ?? null));
      if (draft.contentType) headers['content-type'] = draft.contentType;
    }
    // Ending a session the fuzzer sends with would turn the rest of the run into 401s.
    if (operation.method === 'DELETE' && operation.path === '/api/v1/session') delete headers['x-csrf-token'];
    return {
      operation: `${operation.method} ${operation.path}`,
      method: operation.method,
      url: `${path}${draft.query.length ? `?${draft.query.join('&')}` : ''}`,
      headers,
      ...(payload === undefined ? {} : { payload }),
      identity: drawn.identity.name,
      mutation: drawn.mutation,
    };
  });
}
