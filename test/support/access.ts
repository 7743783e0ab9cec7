import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import { testPassword } from './api.ts';

/** A route as the app registered it: its options as every onRoute hook left them (config.action …). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly options: RouteOptions;
}

/**
 * Builds an app while recording every route it registers, options included. Fastify publishes each
 * new instance on the `fastify.initialization` diagnostics channel before any plugin or route is
 * added, so an onRoute hook added there sees every route, whoever registers it (our route files,
 * swagger-ui, the static files). HEAD routes that Fastify adds for each GET are left out.
 */
export async function collectRoutes<T>(
  build: () => Promise<T>,
): Promise<{ built: T; routes: () => RegisteredRoute[] }> {
  const captured: { url: string; options: RouteOptions }[] = [];
  const onInstance = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route) => {
      // The url now: Fastify reuses the options object for the trailing-slash twin of a prefixed route.
      captured.push({ url: route.url, options: route });
    });
  };
  subscribe('fastify.initialization', onInstance);
  let built: T;
  try {
    built = await build();
  } finally {
    unsubscribe('fastify.initialization', onInstance);
  }
  // Read lazily: later onRoute hooks (app.ts gives plugin routes their action) mutate the options.
  const routes = () =>
    captured.flatMap(({ url, options }) =>
      (Array.isArray(options.method) ? options.method : [options.method])
        .filter((method) => method !== 'HEAD')
        .map((method) => ({ method, url, options })),
    );
  return { built, routes };
}

/**
 * The routes a Fastify app registers, read from `printRoutes({ commonPrefix: false })`: a tree
 * whose lines are `├── /segment (GET, HEAD)`, each segment continuing its parent's path.
 * An independent second reading of the route table, to prove the collector above misses nothing.
 */
export function printedRoutes(app: FastifyInstance): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  const segments: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    if (!line.trim()) continue;
    const match = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) throw new Error(`cannot read the route line '${line}'`);
    const [, indent = '', segment = '', methods] = match;
    segments.length = indent.length / 4;
    segments.push(segment);
    for (const method of methods?.split(', ') ?? []) {
      if (method !== 'HEAD') routes.push({ method, url: segments.join('') });
    }
  }
  return routes;
}

export interface OpenApiDocument {
  readonly paths: Record<
    string,
    Record<
      string,
      {
        summary?: string;
        parameters?: { in: string; name: string; required?: boolean; schema?: { enum?: unknown[] } }[];
        responses?: Record<string, { content?: Record<string, unknown> }>;
      }
    >
  >;
}

export interface Operation {
  readonly method: string;
  /** OpenAPI's spelling, `/api/v1/pledges/{id}`. */
  readonly path: string;
  readonly queryParameters: readonly QueryParameter[];
  /** Content types of its success responses (an event stream must not be read to its end). */
  readonly produces: readonly string[];
}

export interface QueryParameter {
  readonly name: string;
  readonly required: boolean;
  /** The values an enumerated parameter takes; empty for any other. */
  readonly values: readonly string[];
}

const httpMethods = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);

/** Every path × method of the OpenAPI document. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => httpMethods.has(method))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        queryParameters: (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => ({
            name: parameter.name,
            required: parameter.required === true,
            values: (parameter.schema?.enum ?? []).map(String),
          })),
        produces: Object.entries(operation.responses ?? {})
          .filter(([status]) => /^2/.test(status))
          .flatMap(([, response]) => Object.keys(response.content ?? {})),
      })),
  );
}

/** Fastify's `/:id` in OpenAPI's spelling `/{id}`. */
export const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** A concrete URL: each `{name}` (or `:name`) replaced by `value(name)`, a wildcard by `wildcard`. */
export function fillPath(path: string, value: (name: string) => string, wildcard = 'index.html'): string {
  return path
    .replace(/\{([^}]+)\}|:([A-Za-z0-9_]+)/g, (_match, braced?: string, colon?: string) =>
      encodeURIComponent(value(braced ?? colon ?? '')),
    )
    .replace(/\*$/, wildcard);
}

/** How a request proves who sends it. */
export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'cookie'; readonly cookie: string; readonly csrfToken: string; readonly value: string }
  | { readonly kind: 'bearer'; readonly token: string };

export const noCredential: Credential = { kind: 'none' };

export function headersOf(credential: Credential): Record<string, string> {
  switch (credential.kind) {
    case 'none':
      return {};
    case 'cookie':
      return { cookie: credential.cookie, 'x-csrf-token': credential.csrfToken };
    case 'bearer':
      return { authorization: `Bearer ${credential.token}` };
  }
}

let addressCounter = 0;
/**
 * A client address of its own for each request, so the login throttle (per address) never answers
 * a test that is not about it. The throttle's own test sends from one fixed address instead.
 */
export function freshAddress(): string {
  addressCounter += 1;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export function send(
  app: FastifyInstance,
  method: string,
  url: string,
  credential: Credential,
  options: { body?: unknown; headers?: Record<string, string>; remoteAddress?: string } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: method as 'GET',
    url,
    remoteAddress: options.remoteAddress ?? freshAddress(),
    ...(options.body === undefined ? {} : { payload: options.body as object }),
    headers: { ...headersOf(credential), ...(options.headers ?? {}) },
  });
}

/** A new cookie session (the cookie, its CSRF token) for the account. */
export async function logInOver(
  app: FastifyInstance,
  email: string,
  password = testPassword,
): Promise<Extract<Credential, { kind: 'cookie' }>> {
  const response = await send(app, 'POST', '/api/v1/session', noCredential, { body: { email, password } });
  if (response.statusCode !== 200)
    throw new Error(`login of ${email}: ${response.statusCode} ${response.body}`);
  const value = response.cookies.find((cookie) => cookie.name === 'purl_session')?.value ?? '';
  return { kind: 'cookie', cookie: `purl_session=${value}`, csrfToken: response.json().csrfToken, value };
}

/** A new API token of the session's user, as a bearer credential. */
export async function issueToken(
  app: FastifyInstance,
  session: Credential,
  name = 'test token',
  expiresInDays?: number,
): Promise<Extract<Credential, { kind: 'bearer' }> & { id: string }> {
  const response = await send(app, 'POST', '/api/v1/tokens', session, {
    body: { name, ...(expiresInDays === undefined ? {} : { expiresInDays }) },
  });
  if (response.statusCode !== 201) throw new Error(`token: ${response.statusCode} ${response.body}`);
  return { kind: 'bearer', token: response.json().token, id: response.json().id };
}
