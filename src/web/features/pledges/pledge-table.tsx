import type { Ref } from 'react';
import type { PledgeJson } from '../../../contract/index.ts';
import { formatDate } from '../../format/date.ts';
import { formatMoney } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';
import { earmarkText } from './earmark-text.ts';
import { SourceLink } from './source-link.tsx';
import { UsdValue } from './usd-value.tsx';

export function StageBadge({ stage }: { readonly stage: PledgeJson['stage'] }) {
  const { t } = useI18n();
  return <span className={`status stage-${stage}`}>{t.stages[stage]}</span>;
}

/** One page of the register; every figure exact, from its decimal string. */
export function PledgeTable({
  pledges,
  categoryNames,
  showDonor,
  captionId,
  busy,
  regionRef,
}: {
  readonly pledges: readonly PledgeJson[];
  readonly categoryNames: ReadonlyMap<string, string>;
  readonly showDonor: boolean;
  readonly captionId: string;
  readonly busy: boolean;
  readonly regionRef: Ref<HTMLElement>;
}) {
  const { t, locale } = useI18n();
  const columns = t.pledges.columns;
  return (
    // The region scrolls sideways on a narrow screen; it is focusable so that keyboards can scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-scroll" aria-labelledby={captionId} tabIndex={0} ref={regionRef}>
      <table className="data-table pledge-table" aria-busy={busy || undefined}>
        <caption id={captionId}>{t.pledges.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{columns.ref}</th>
            {showDonor && <th scope="col">{columns.donor}</th>}
            <th scope="col" className="numeric">
              {columns.amount}
            </th>
            <th scope="col" className="numeric">
              {columns.usd}
            </th>
            <th scope="col">{columns.announced}</th>
            <th scope="col">{columns.forum}</th>
            <th scope="col">{columns.stage}</th>
            <th scope="col">{columns.earmark}</th>
            <th scope="col">{columns.visibility}</th>
            <th scope="col">{columns.source}</th>
          </tr>
        </thead>
        <tbody>
          {pledges.map((pledge) => (
            <tr key={pledge.id}>
              <th scope="row" className="ref">
                <Link href={paths.pledge(pledge.id)}>{pledge.ref}</Link>
              </th>
              {showDonor && <td className="donor">{pledge.donor}</td>}
              <td className="numeric amount">
                {pledge.amount ? (
                  <span className="money">{formatMoney(pledge.amount, locale)}</span>
                ) : (
                  <span className="muted">{t.pledges.undisclosed}</span>
                )}
              </td>
              <td className="numeric usd">
                <UsdValue pledge={pledge} />
              </td>
              <td className="date">
                <time dateTime={pledge.announcedOn}>{formatDate(pledge.announcedOn, locale)}</time>
              </td>
              <td className="forum">{pledge.forum || <span className="muted">{t.pledges.none}</span>}</td>
              <td className="stage">
                <StageBadge stage={pledge.stage} />
              </td>
              <td className="earmark">{earmarkText(pledge.earmark, categoryNames, t)}</td>
              <td className="visibility">{t.visibilities[pledge.visibility]}</td>
              <td className="source">
                <SourceLink source={pledge.source} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
