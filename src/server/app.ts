import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import type { AppContext } from '../app/context.ts';
import { Failure, InvariantViolation } from '../core/errors.ts';
import { Limits } from '../core/limits.ts';
import { problemOf } from './http-errors.ts';
import { accessPlugin } from './plugins/access.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { allocationRoutes } from './routes/allocation.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { directoryRoutes } from './routes/directory.routes.ts';
import { eventRoutes } from './routes/event.routes.ts';
import { fxRateRoutes } from './routes/fx-rate.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { importRoutes } from './routes/import.routes.ts';
import { ledgerRoutes } from './routes/ledger.routes.ts';
import { packageRoutes } from './routes/package.routes.ts';
import { pledgeRoutes } from './routes/pledge.routes.ts';
import { publicRoutes } from './routes/public.routes.ts';
import { requirementRoutes } from './routes/requirement.routes.ts';
import { sessionRoutes } from './routes/session.routes.ts';
import { tokenRoutes } from './routes/token.routes.ts';
import { fieldErrors, validatorCompiler } from './validation.ts';
import { dashboardPaths, indexPage, indexWithPublicSummary } from './web-index.ts';

export interface AppOptions {
  readonly context: AppContext;
  readonly logger?: FastifyServerOptions['logger'];
  /** The built web app (vite build output); served at / when present. */
  readonly webRoot?: string;
  /** Set the Secure flag on cookies (behind HTTPS). */
  readonly secureCookies?: boolean;
  /** Called after a broken invariant was answered with 500; main.ts stops the process. */
  readonly onInvariantViolation?: (error: InvariantViolation) => void;
}

const version = '0.1.0';

/** Builds the HTTP application without listening: tests use `inject()`, main.ts listens. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: Limits.bodyLimitBytes,
    requestTimeout: Limits.requestTimeoutMs,
    connectionTimeout: Limits.connectionIdleTimeoutMs,
    keepAliveTimeout: Limits.keepAliveTimeoutMs,
    genReqId: () => options.context.newId(),
    // A URL that is not valid percent-encoding, or a path parameter longer than the router keeps,
    // is refused before routing; without this Fastify answers its own JSON, not a problem document.
    frameworkErrors: (error, request, reply) => {
      const problem =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? problemOf('VALIDATION_FAILED', 'A path parameter is too long.', [
              { path: 'params:/', message: 'is too long' },
            ])
          : problemOf('MALFORMED_REQUEST', 'The URL is not valid percent-encoded UTF-8.');
      void (reply as FastifyReply)
        .code(problem.status)
        .header('x-request-id', request.id)
        .type('application/problem+json')
        .send(problem);
    },
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // The API takes JSON bodies. Fastify's built-in text/plain parser would pass a string on to the
  // JSON schema, and a text body would get 422 "must be object" instead of 415.
  app.removeContentTypeParser('text/plain');

  await app.register(cookie);
  // Every answer names the request id its log lines carry, so a report can be matched to the logs;
  // and carries helmet's headers, computed once (src/server/plugins/security-headers.ts).
  await app.register(securityHeadersPlugin, {
    // Everything the web app and the API reference load comes from this origin; nothing inline
    // runs, nothing frames us. Inline styles are allowed for the reference page's widgets.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    ...(options.secureCookies ? {} : { strictTransportSecurity: false }),
  });
  await app.register(rateLimit, { global: false });
  app.addHook('onRoute', (route) => {
    // Routes that plugins register (the API reference, the web app's files) are public reading;
    // every route of the API itself must name its action, or the access plugin refuses to start.
    if (route.config?.action) return;
    if (route.url.startsWith('/api/docs'))
      route.config = { ...(route.config ?? {}), action: 'api-docs.read' };
    else if (
      !route.url.startsWith('/api/') &&
      !route.url.startsWith('/healthz') &&
      !route.url.startsWith('/readyz')
    ) {
      route.config = { ...(route.config ?? {}), action: 'web.read' };
    }
  });
  await app.register(accessPlugin, { context: options.context });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PURL Desk API',
        version,
        description:
          'The ledger behind the Prioritised Ukraine Requirements List. Money is `{ amount, currency }` with a decimal string; errors are application/problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'purl_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { deepLinking: true } });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let problem: ReturnType<typeof problemOf>;
    if ((error as unknown) instanceof Failure) {
      const failure = error as unknown as Failure;
      problem = problemOf(failure.code, failure.detail, failure.errors);
    } else if ('validation' in error && error.validation) {
      problem = problemOf(
        'VALIDATION_FAILED',
        'The request does not match the contract.',
        fieldErrors(error.validation as never, error.validationContext),
      );
    } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      problem = problemOf('UNSUPPORTED_MEDIA_TYPE', 'Send application/json.');
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      problem = problemOf(
        'BODY_TOO_LARGE',
        `The body limit is ${request.routeOptions.bodyLimit ?? Limits.bodyLimitBytes} bytes.`,
      );
    } else if (error.statusCode === 400 || error.code?.startsWith('FST_ERR_CTP')) {
      problem = problemOf('MALFORMED_REQUEST', 'The body is not valid JSON.');
    } else if (error.statusCode === 429) {
      problem = problemOf('RATE_LIMITED');
    } else {
      request.log.error({ err: error }, 'unexpected error');
      problem = problemOf('INTERNAL');
      if ((error as unknown) instanceof InvariantViolation) {
        reply.raw.once('finish', () =>
          options.onInvariantViolation?.(error as unknown as InvariantViolation),
        );
      }
    }
    return reply.code(problem.status).type('application/problem+json').send(problem);
  });

  const webRoot = options.webRoot;
  const indexFile = webRoot ? join(webRoot, 'index.html') : undefined;
  // Read once: the built page does not change while the server runs.
  const index = indexFile && existsSync(indexFile) ? indexPage(readFileSync(indexFile, 'utf8')) : null;
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (webRoot && (request.method === 'GET' || request.method === 'HEAD') && dashboardPaths.has(path)) {
      // The dashboard's figures come with the page (src/server/web-index.ts); without them, it asks.
      const html = index
        ? await indexWithPublicSummary(index, options.context).catch((error: unknown) => {
            request.log.warn({ err: error }, 'index.html without the public summary');
            return null;
          })
        : null;
      if (html !== null)
        return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
      return reply.sendFile('index.html');
    }
    if (
      webRoot &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !request.url.startsWith('/api/')
    ) {
      return reply.sendFile('index.html');
    }
    return reply
      .code(404)
      .type('application/problem+json')
      .send(problemOf('ROUTE_NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}.`));
  });

  await app.register(async (api) => {
    const router = api.withTypeProvider<TypeBoxTypeProvider>();
    healthRoutes(router, options.context);
    sessionRoutes(router, options.context, { secureCookies: options.secureCookies ?? false });
    tokenRoutes(router, options.context);
    directoryRoutes(router, options.context);
    requirementRoutes(router, options.context);
    pledgeRoutes(router, options.context);
    packageRoutes(router, options.context);
    allocationRoutes(router, options.context);
    publicRoutes(router, options.context);
    fxRateRoutes(router, options.context);
    importRoutes(router, options.context);
    ledgerRoutes(router, options.context);
    auditRoutes(router, options.context);
    eventRoutes(router, options.context);
    router.get(
      '/api/v1/openapi.json',
      { config: { action: 'api-docs.read' }, schema: { hide: true } },
      async () => app.swagger(),
    );
  });

  if (webRoot && indexFile && existsSync(indexFile)) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      // `/` is answered by the not-found handler above, with the public summary in the page.
      index: false,
    });
  }

  return app;
}
