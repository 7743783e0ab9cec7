/**
 * Reads the reports vitest and Playwright write (JSON) into counts and one line per failure, so that
 * `npm test` can end with the failures and the `N passed, N failed, N skipped` line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { JSONReport, JSONReportSuite } from '@playwright/test/reporter';
import type { JsonTestResults } from 'vitest/reporters';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** One line per failure: where it is and the first line of its message. */
  failures: string[];
}

/** The first meaningful line of an error message, without ANSI colours, kept short. */
export function firstLine(message: unknown): string {
  const text = String(message ?? '')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour codes reporters add
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0);
  return (text ?? 'no message').slice(0, 300);
}

export function vitestCounts(file: string, exitCode: number): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0, failures: ['vitest: no report written'] };
  const report: Partial<JsonTestResults> = JSON.parse(readFileSync(file, 'utf8'));
  const failures: string[] = [];
  let brokenFiles = 0;
  for (const result of report.testResults ?? []) {
    const where = relative(process.cwd(), result.name);
    const failed = (result.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const test of failed) {
      failures.push(
        `vitest ${where} > ${test.fullName ?? test.title}: ${firstLine(test.failureMessages?.[0])}`,
      );
    }
    // A file that fails to load has no failed test but is a failure all the same.
    if (result.status === 'failed' && failed.length === 0) {
      brokenFiles += 1;
      failures.push(`vitest ${where}: ${firstLine(result.message)}`);
    }
  }
  const counts = {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    failures,
  };
  if (exitCode !== 0 && counts.failed === 0) {
    counts.failed = 1;
    failures.push(
      `vitest exited ${exitCode} with every test passed (an unhandled error; see its output above)`,
    );
  }
  return counts;
}

function playwrightFailures(suites: JSONReportSuite[], path: string[] = []): string[] {
  const failures: string[] = [];
  for (const suite of suites) {
    const names = suite.title ? [...path, suite.title] : path;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status !== 'unexpected' && test.status !== 'flaky') continue;
        const error = test.results.find((result) => result.error)?.error?.message;
        failures.push(
          `playwright ${[...names, spec.title].join(' > ')} (${test.status}): ${firstLine(error)}`,
        );
      }
    }
    failures.push(...playwrightFailures(suite.suites ?? [], names));
  }
  return failures;
}

export function playwrightCounts(file: string): Counts {
  if (!existsSync(file))
    return { passed: 0, failed: 1, skipped: 0, failures: ['playwright: no report written'] };
  const report: Partial<JSONReport> = JSON.parse(readFileSync(file, 'utf8'));
  const stats = report.stats;
  const errors = (report.errors ?? []).map((error) => `playwright: ${firstLine(error.message)}`);
  return {
    passed: stats?.expected ?? 0,
    failed: (stats?.unexpected ?? 0) + (stats?.flaky ?? 0),
    skipped: stats?.skipped ?? 0,
    failures: [...playwrightFailures(report.suites ?? []), ...errors],
  };
}
