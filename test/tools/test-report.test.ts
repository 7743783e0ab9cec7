// npm test ends with one line per failure, read from the reports vitest and Playwright write: this runs
// both on small fixture suites (a pass, a failure, a file that cannot load) and reads their real reports.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { firstLine, playwrightCounts, vitestCounts } from '../../tools/test-report.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const root = process.cwd();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'purl-test-report-'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runTool(tool: string, args: string[]): number {
  const result = spawnSync(join(root, 'node_modules', '.bin', tool), args, {
    cwd: dir,
    encoding: 'utf8',
    // Colours on, to see that they are stripped; npm test's own Playwright report name left out.
    env: { ...process.env, CI: '1', FORCE_COLOR: '1', PLAYWRIGHT_JSON_OUTPUT_NAME: undefined },
  });
  return result.status ?? 1;
}

describe('vitest report', () => {
  test('counts each test and names the failed one and the file that could not load', () => {
    writeFileSync(
      join(dir, 'sample.test.ts'),
      [
        "import { describe, expect, test } from 'vitest';",
        "describe('totals', () => {",
        "  test('adds', () => expect(1 + 1).toBe(2));",
        "  test('sums the pledges', () => expect(2 + 2).toBe(5));",
        '});',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'broken.test.ts'), "throw new Error('cannot load the fixture');\n");
    const report = join(dir, 'vitest.json');
    const exit = runTool('vitest', ['run', '--root', dir, '--reporter=json', `--outputFile=${report}`]);
    expect(exit).not.toBe(0);

    const counts = vitestCounts(report, exit);
    expect(counts).toMatchObject({ passed: 1, failed: 2, skipped: 0 });
    expect(counts.failures).toHaveLength(2);
    const failed = counts.failures.find((line) => line.includes('sample.test.ts'));
    expect(failed).toMatch(
      /^vitest .*sample\.test\.ts > totals sums the pledges: AssertionError: expected 4 to be 5/,
    );
    const broken = counts.failures.find((line) => line.includes('broken.test.ts'));
    expect(broken).toMatch(/^vitest .*broken\.test\.ts: .*cannot load the fixture/);
  });

  test('a run that exits non-zero with every test passed is a failure with a reason', () => {
    writeFileSync(join(dir, 'pass.json'), JSON.stringify({ numPassedTests: 3, testResults: [] }));
    expect(vitestCounts(join(dir, 'pass.json'), 1)).toMatchObject({
      passed: 3,
      failed: 1,
      failures: [expect.stringMatching(/^vitest exited 1 with every test passed/)],
    });
    expect(vitestCounts(join(dir, 'missing.json'), 1)).toMatchObject({
      failed: 1,
      failures: ['vitest: no report written'],
    });
  });
});

describe('Playwright report', () => {
  test('counts each test and names the failed one with its describe blocks and first error line', () => {
    const fixtures = join(dir, 'e2e');
    mkdirSync(fixtures, { recursive: true });
    writeFileSync(
      join(fixtures, 'sample.spec.ts'),
      [
        "import { expect, test } from '@playwright/test';",
        "test.describe('dashboard', () => {",
        "  test('shows a total', () => expect(1).toBe(1));",
        "  test('shows the currency', () => expect('USD').toBe('GBP'));",
        '});',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'playwright.config.mjs'),
      "export default { testDir: './e2e', retries: 0, workers: 1, reporter: [['json', { outputFile: 'playwright.json' }]] };\n",
    );
    const exit = runTool('playwright', ['test', '--config', join(dir, 'playwright.config.mjs')]);
    expect(exit).not.toBe(0);

    const counts = playwrightCounts(join(dir, 'playwright.json'));
    expect(counts).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
    expect(counts.failures).toEqual([
      expect.stringMatching(
        /^playwright sample\.spec\.ts > dashboard > shows the currency \(unexpected\): Error: expect\(received\)\.toBe\(expected\)/,
      ),
    ]);
  });
});

test('firstLine drops colour codes and blank lines, and keeps 300 characters at most', () => {
  expect(firstLine('\n  \u001b[31mAssertionError\u001b[39m: expected 1\n    at x')).toBe(
    'AssertionError: expected 1',
  );
  expect(firstLine(undefined)).toBe('no message');
  expect(firstLine('x'.repeat(500))).toHaveLength(300);
});
