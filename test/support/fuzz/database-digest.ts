import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../src/store/database.ts';
import type { DialectName } from '../../../src/store/dialect/connect.ts';

function canonical(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export async function tableNames(db: Kysely<Database>, dialect: DialectName): Promise<string[]> {
  const query =
    dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`
      : sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`;
  return (await query.execute(db)).rows.map((row) => row.name);
}

/** A digest per table (its rows, canonical and sorted), and one of them all. */
export async function databaseDigest(
  db: Kysely<Database>,
  dialect: DialectName,
  options: { exclude?: readonly string[] } = {},
): Promise<{ all: string; tables: Record<string, string> }> {
  const tables: Record<string, string> = {};
  const all = createHash('sha256');
  const names = (await tableNames(db, dialect)).filter((name) => !options.exclude?.includes(name));
  if (dialect === 'postgres') {
    // Hashed in the server, one query for every table: the rows never cross the wire.
    const parts = names.map(
      (name) =>
        sql<{
          name: string;
          digest: string;
        }>`select ${name}::text as name, md5(count(*)::text || ':' || coalesce(string_agg(row_to_json(t)::text, E'\n' order by row_to_json(t)::text), '')) as digest from ${sql.table(name)} t`,
    );
    const rows = (
      await sql<{ name: string; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(db)
    ).rows;
    for (const row of rows.sort((a, b) => a.name.localeCompare(b.name))) {
      tables[row.name] = row.digest;
      all.update(`${row.name}=${row.digest}\n`);
    }
    return { all: all.digest('hex'), tables };
  }
  for (const name of names) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
    const lines = rows.map(canonical).sort();
    const digest = createHash('sha256')
      .update(`${rows.length}\n${lines.join('\n')}`)
      .digest('hex');
    tables[name] = digest;
    all.update(`${name}=${digest}\n`);
  }
  return { all: all.digest('hex'), tables };
}

/** The tables whose digest differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
