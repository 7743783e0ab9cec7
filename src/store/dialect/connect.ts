import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Connection {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** The URL without its password, for logs and status output. */
  readonly displayUrl: string;
}

export const defaultDatabaseUrl = 'sqlite:./data/purl.db';

/** `postgres://…`, `sqlite:PATH`, or unset for the embedded `./data/purl.db`. */
export function connect(url: string = defaultDatabaseUrl): Connection {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return { db: openPostgres(url), dialect: 'postgres', displayUrl: parsed.toString() };
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    const file = path === ':memory:' ? path : resolve(path);
    return { db: openSqlite(file), dialect: 'sqlite', displayUrl: `sqlite:${file}` };
  }
  throw new Error(`PURL_DATABASE_URL must start with postgres:// or sqlite: (got '${url.split(':')[0]}:…')`);
}
