import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.ts';
import { Limits } from '../core/limits.ts';
import { buildApp } from './app.ts';

export interface ServeOptions {
  readonly context: AppContext;
  readonly host: string;
  readonly port: number;
  readonly webRoot?: string;
  readonly logLevel?: string;
}

/**
 * The server's log options. Fastify logs no headers by default; should a serializer ever log them,
 * the ones that carry credentials (session cookie, bearer token, CSRF token) are removed.
 * test/api/no-secrets-in-logs.test.ts runs the app with exactly these options.
 */
export function serverLoggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      remove: true,
    },
  };
}

export const defaultWebRoot = fileURLToPath(new URL('../../dist/web', import.meta.url));

/**
 * Listens, and stops cleanly on SIGTERM/SIGINT: in-flight requests finish, then the database
 * closes. A broken invariant stops the process after its 500 is answered.
 */
export async function serve(options: ServeOptions): Promise<FastifyInstance> {
  const app = await buildApp({
    context: options.context,
    logger: serverLoggerOptions(options.logLevel ?? 'info'),
    webRoot: options.webRoot ?? defaultWebRoot,
    onInvariantViolation: (error) => {
      app.log.fatal({ err: error }, 'invariant violated; stopping');
      void shutdown(70);
    },
  });
  let stopping = false;
  async function shutdown(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    app.log.info({ code }, 'stopping: finishing in-flight requests');
    // A request that does not finish within the grace period does not keep the process alive.
    const grace = setTimeout(() => {
      app.log.warn({ graceMs: Limits.shutdownGraceMs }, 'in-flight requests did not finish; exiting');
      process.exit(code === 0 ? 1 : code);
    }, Limits.shutdownGraceMs);
    grace.unref();
    await app.close();
    await options.context.store.close();
    app.log.info('stopped');
    process.exit(code);
  }
  process.once('SIGTERM', () => void shutdown(0));
  process.once('SIGINT', () => void shutdown(0));
  await app.listen({ host: options.host, port: options.port });
  return app;
}
