import { defineConfig } from '@playwright/test';
import { e2ePort } from './e2e/support/e2e-accounts.ts';

/**
 * Browser journeys in the Debian Chromium (never a downloaded browser), against a real server on a
 * fresh SQLite database with the demo data. `npm test` builds the web app first; by hand, run
 * `npx vite build` before `npx playwright test`.
 */
export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // tools/test.ts names the JSON file with PLAYWRIGHT_JSON_OUTPUT_NAME; by hand it lands in .test-output.
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME || '.test-output/playwright.json' }],
  ],
  use: {
    baseURL: `http://127.0.0.1:${e2ePort}`,
    locale: 'en-GB',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: 'node --import tsx e2e/support/serve-e2e.ts',
    url: `http://127.0.0.1:${e2ePort}/readyz`,
    env: { PURL_E2E_PORT: String(e2ePort) },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  },
});
