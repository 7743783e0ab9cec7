import Type from 'typebox';
import type { AppContext } from '../../app/context.ts';
import { Failure } from '../../core/errors.ts';
import { pendingMigrations } from '../../store/migrate.ts';
import type { Router } from './route-helpers.ts';

export function healthRoutes(app: Router, context: AppContext): void {
  app.get(
    '/healthz',
    {
      config: { action: 'health.read' },
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ ok: Type.Boolean() }) },
      },
    },
    async () => ({ ok: true }),
  );

  app.get(
    '/readyz',
    {
      config: { action: 'health.read' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database answers and every migration is applied',
        response: { 200: Type.Object({ ok: Type.Boolean(), dialect: Type.String() }) },
      },
    },
    async () => {
      try {
        await context.store.ping();
        const pending = await pendingMigrations(context.store.db);
        if (pending.length) throw new Failure('NOT_READY', `${pending.length} migration(s) not applied yet.`);
      } catch (error) {
        if (error instanceof Failure) throw error;
        throw new Failure('NOT_READY', 'The database does not answer.');
      }
      return { ok: true, dialect: context.store.dialect };
    },
  );
}
