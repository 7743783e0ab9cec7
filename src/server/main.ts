import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.ts';
import { buildApp } from './app.ts';

export interface ServeOptions {
  readonly context: AppContext;
  readonly host: string;
  readonly port: number;
  readonly webRoot?: string;
  readonly logLevel?: string;
}

export const defaultWebRoot = fileURLToPath(new URL('../../dist/web', import.meta.url));

/**
 * Listens, and stops cleanly on SIGTERM/SIGINT: in-flight requests finish, then the database
 * closes. A broken invariant stops the process after its 500 is answered.
 */
export async function serve(options: ServeOptions): Promise<FastifyInstance> {
  const app = await buildApp({
    context: options.context,
    logger: {
      level: options.logLevel ?? 'info',
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
        remove: true,
      },
    },
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
    await app.close();
    await options.context.store.close();
    process.exit(code);
  }
  process.once('SIGTERM', () => void shutdown(0));
  process.once('SIGINT', () => void shutdown(0));
  await app.listen({ host: options.host, port: options.port });
  return app;
}
