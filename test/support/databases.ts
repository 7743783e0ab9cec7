import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type AppContext, createContext, sha256Hex } from '../../src/app/context.ts';
import { connect, type DialectName } from '../../src/store/dialect/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { Store } from '../../src/store/unit-of-work.ts';

/** Every store and API test runs once per dialect, against a real database of that dialect. */
export const dialects: readonly DialectName[] = ['sqlite', 'postgres'];

export function postgresAdminUrl(): string {
  const url = process.env.PURL_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      'PURL_TEST_POSTGRES_URL is not set. Run the suite with `npm test` (it starts a throwaway PostgreSQL), ' +
        'or point PURL_TEST_POSTGRES_URL at a server where this user may CREATE DATABASE.',
    );
  }
  return url;
}

export interface TestDatabase {
  readonly dialect: DialectName;
  readonly url: string;
  readonly context: AppContext;
  /** Closes the connection and drops the database. */
  dispose(): Promise<void>;
}

/** A new, empty, migrated database of the dialect, used by one test file or one test. */
export async function freshDatabase(dialect: DialectName): Promise<TestDatabase> {
  const name = `purl_t_${randomBytes(6).toString('hex')}`;
  let url: string;
  let drop: () => Promise<void>;
  if (dialect === 'postgres') {
    const adminUrl = postgresAdminUrl();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const parsed = new URL(adminUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    drop = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  } else {
    const file = join(tmpdir(), `${name}.db`);
    url = `sqlite:${file}`;
    drop = async () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    };
  }
  const connection = connect(url);
  await migrateToLatest(connection.db);
  const context = createContext(new Store(connection.db, connection.dialect, sha256Hex));
  return {
    dialect,
    url,
    context,
    async dispose() {
      await context.store.close();
      await drop();
    },
  };
}
