import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SqliteStatementThread, SqliteThreadError } from '../../src/store/dialect/sqlite-statement-thread.ts';

/**
 * The thread that reads the audit chain for verification while the caller hashes: its own
 * connection to the file, answers in the order asked, blobs handed over whole, SQLite's failures
 * reported with their code, and what is committed on another connection seen.
 */
describe('SqliteStatementThread', () => {
  let folder: string;
  let file: string;
  let writer: SqliteDatabase.Database;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'purl-thread-'));
    file = join(folder, 'thread.db');
    writer = new SqliteDatabase(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('create table item (id integer primary key, name text, data blob)');
    const insert = writer.prepare('insert into item (id, name, data) values (?, ?, ?)');
    for (let id = 1; id <= 100; id += 1) insert.run(id, `item ${id}`, Buffer.from([id, id + 1, id + 2]));
  });

  afterAll(() => {
    writer.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('answers each call with its first row, in the order the calls were made', async () => {
    const thread = new SqliteStatementThread<{ total: number; names: string }>(
      file,
      "select sum(id) as total, group_concat(name, ',') as names from item where id > ? and id <= ?",
    );
    try {
      const answers = await Promise.all([thread.get(0, 3), thread.get(3, 5), thread.get(98, 200)]);
      expect(answers).toEqual([
        { total: 6, names: 'item 1,item 2,item 3' },
        { total: 9, names: 'item 4,item 5' },
        { total: 199, names: 'item 99,item 100' },
      ]);
    } finally {
      await thread.close();
    }
  });

  test('hands over blobs as bytes, and sees what another connection has committed since', async () => {
    const thread = new SqliteStatementThread<{ data: Uint8Array | null }>(
      file,
      "select cast(group_concat(data, x'ff') as blob) as data from item where id >= ? and id <= ?",
    );
    try {
      const row = await thread.get(1, 2);
      expect(row?.data && [...row.data]).toEqual([1, 2, 3, 0xff, 2, 3, 4]);
      writer.prepare('insert into item (id, name, data) values (?, ?, ?)').run(101, 'late', Buffer.from([9]));
      const late = await thread.get(101, 101);
      expect([...(late?.data ?? [])]).toEqual([9]);
    } finally {
      writer.prepare('delete from item where id = 101').run();
      await thread.close();
    }
  });

  test('reports a failure of SQLite with its code, and goes on answering', async () => {
    const thread = new SqliteStatementThread<{ value: string }>(
      file,
      "select json_object('data', data) as value from item where id = ?",
    );
    try {
      const failure = await thread.get(1).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SqliteThreadError);
      expect(failure).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringMatching(/BLOB/) });
      expect(await thread.get(1000)).toBeUndefined();
    } finally {
      await thread.close();
    }
  });

  test('refuses calls once closed, and a file that does not exist', async () => {
    const thread = new SqliteStatementThread<{ one: number }>(file, 'select 1 as one');
    expect(await thread.get()).toEqual({ one: 1 });
    await thread.close();
    await expect(thread.get()).rejects.toThrow(/closed/);
    const missing = new SqliteStatementThread<{ one: number }>(join(folder, 'missing.db'), 'select 1 as one');
    await expect(missing.get()).rejects.toThrow();
    await missing.close();
  });
});
