/**
 * `npm run bench`: runs every benchmark of bench/ in turn (each `bench/<name>.ts` script: not this
 * one, and not a module that exports helpers for the others), with its defaults, each in its own
 * process; stops at the first that fails. Each prints its table and rewrites its section of
 * docs/performance.md.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, repositoryRoot } from './support/bench-kit.ts';

const benchmarks = readdirSync(join(repositoryRoot, 'bench'))
  .filter((name) => name.endsWith('.ts') && name !== 'run-all.ts')
  .filter((name) => !/^export /m.test(readFileSync(join(repositoryRoot, 'bench', name), 'utf8')))
  .sort();

for (const name of benchmarks) {
  log(`running bench/${name}`);
  const started = Date.now();
  const outcome = spawnSync(process.execPath, ['--import', 'tsx', join('bench', name)], {
    cwd: repositoryRoot,
    stdio: 'inherit',
  });
  if (outcome.status !== 0) {
    log(`bench/${name} failed (exit ${outcome.status ?? outcome.signal})`);
    process.exit(outcome.status ?? 1);
  }
  log(`bench/${name} done in ${Math.round((Date.now() - started) / 1000)} s`);
}
log(`${benchmarks.length} benchmarks run: ${benchmarks.join(', ')}`);
