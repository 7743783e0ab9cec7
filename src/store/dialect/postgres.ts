import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../database.ts';

const int8Oid = 20;
const numericOid = 1700;

/**
 * PostgreSQL returns int8 and numeric as strings; here, the one place, they become bigint (int8)
 * or stay exact strings (numeric). The parsers are set on this pool only, not globally.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === int8Oid) return (text: string) => BigInt(text);
    if (oid === numericOid) return (text: string) => text;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export function openPostgres(connectionString: string, poolSize = 10): Kysely<Database> {
  const pool = new pg.Pool({ connectionString, max: poolSize, types: types as pg.CustomTypesConfig });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
