/**
 * The server of the browser journeys: a fresh SQLite file in a temporary folder, migrated, loaded
 * with the demo data (every demo user with the fixed e2e password), serving the built web app.
 * Playwright starts it as its webServer and stops it with SIGTERM; the folder is deleted on exit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoData } from '../../demo/demo-data.ts';
import { createContext, sha256Hex } from '../../src/app/context.ts';
import { loadDemo } from '../../src/app/load-demo.ts';
import { serve } from '../../src/server/main.ts';
import { connect } from '../../src/store/dialect/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { Store } from '../../src/store/unit-of-work.ts';
import { e2eAccounts, e2ePassword, e2ePort } from './e2e-accounts.ts';

const folder = mkdtempSync(join(tmpdir(), 'purl-e2e-'));
process.once('exit', () => rmSync(folder, { recursive: true, force: true }));

for (const email of Object.values(e2eAccounts)) {
  if (!demoData.users.some((user) => user.email === email)) {
    throw new Error(`the demo data has no user ${email}; update e2e/support/e2e-accounts.ts`);
  }
}

const connection = connect(`sqlite:${join(folder, 'purl-e2e.db')}`);
await migrateToLatest(connection.db);
const context = createContext(new Store(connection.db, connection.dialect, sha256Hex));
await loadDemo(context, demoData, { onlyIfEmpty: false, password: e2ePassword });
await serve({
  context,
  host: '127.0.0.1',
  port: e2ePort,
  webRoot: fileURLToPath(new URL('../../dist/web', import.meta.url)),
  logLevel: 'warn',
});
