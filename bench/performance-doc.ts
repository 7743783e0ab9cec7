import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../docs/performance.md', import.meta.url);

/** Replaces (or appends) the `## title` section of docs/performance.md with `body`. */
export function replaceSection(title: string, body: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Performance\n';
  const heading = `## ${title}`;
  const start = text.indexOf(heading);
  const section = `${heading}\n\n${body.trim()}\n`;
  if (start < 0) {
    writeFileSync(path, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + heading.length);
  writeFileSync(path, `${text.slice(0, start)}${section}${next < 0 ? '' : text.slice(next)}`);
}
