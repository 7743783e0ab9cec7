/**
 * Prints the access policy table of src/core/access/policy.ts as Markdown, for docs/security.md:
 *
 *   node --import tsx tools/policy-table.ts
 *
 * The document keeps the output between the `policy-table` markers; test/api/access-matrix.test.ts
 * fails when the two differ, so the document cannot drift from the code.
 */
import { pathToFileURL } from 'node:url';
import { actions, Policy } from '../src/core/access/policy.ts';
import { type Principal, roles } from '../src/core/access/roles.ts';

const columns: readonly Principal[] = ['public', ...roles];

export function policyTableMarkdown(): string {
  const header = `| action | ${columns.join(' | ')} |`;
  const rule = `|---|${columns.map(() => ':-:').join('|')}|`;
  const rows = actions.map(
    (action) =>
      `| \`${action}\` | ${columns.map((principal) => (Policy.allows(principal, action) ? '✓' : '')).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(policyTableMarkdown());
}
