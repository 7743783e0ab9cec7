import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where `purl` runs as an operator would run it in a checkout. */
export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const purlBin = join(repositoryRoot, 'bin', 'purl.js');

export interface PurlOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PurlOptions {
  readonly databaseUrl: string;
  readonly auditKeyFile: string;
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs the real `purl` binary as a child process (tsx compiles the sources: one to three seconds a
 * start), without colour, and collects what it prints.
 */
export function purl(args: readonly string[], options: PurlOptions): Promise<PurlOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [purlBin, ...args], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        PURL_DATABASE_URL: options.databaseUrl,
        PURL_AUDIT_KEY_FILE: options.auditKeyFile,
        NO_COLOR: '1',
        ...options.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
