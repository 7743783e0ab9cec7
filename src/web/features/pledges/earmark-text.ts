import type { PledgeJson } from '../../../contract/index.ts';
import type { Messages } from '../../i18n/en.ts';

/** What the pledge's money may fund, in words: category names, a package, or any line. */
export function earmarkText(
  earmark: PledgeJson['earmark'],
  categoryNames: ReadonlyMap<string, string>,
  t: Messages,
): string {
  if (earmark.categories?.length) {
    return earmark.categories.map((code) => categoryNames.get(code) ?? code).join(', ');
  }
  if (earmark.packageId) return t.pledges.earmarkPackage(earmark.packageId);
  return t.pledges.earmarkAny;
}
