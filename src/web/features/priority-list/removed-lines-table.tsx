import { useId } from 'react';
import type { RequirementJson } from '../../../contract/index.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';

/** Rejected and withdrawn lines: off the list, but never out of sight. */
export function RemovedLinesTable({
  removed,
  categoryNames,
}: {
  readonly removed: readonly RequirementJson[];
  readonly categoryNames: ReadonlyMap<string, string>;
}) {
  const { t } = useI18n();
  const headingId = useId();
  const captionId = useId();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t.priorityList.removedHeading}</h2>
      <p className="muted">{t.priorityList.removedIntro}</p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
      <section className="table-scroll" aria-labelledby={captionId} tabIndex={0}>
        <table className="data-table">
          <caption id={captionId} className="visually-hidden">
            {t.priorityList.removedCaption}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t.priorityList.columns.ref}</th>
              <th scope="col">{t.priorityList.columns.title}</th>
              <th scope="col">{t.priorityList.columns.category}</th>
              <th scope="col">{t.priorityList.columns.status}</th>
            </tr>
          </thead>
          <tbody>
            {removed.map((requirement) => (
              <tr key={requirement.id}>
                <th scope="row" className="ref">
                  {requirement.ref}
                </th>
                <td className="title">
                  <Link href={paths.requirement(requirement.id)}>{requirement.title}</Link>
                </td>
                <td>{categoryNames.get(requirement.category) ?? requirement.category}</td>
                <td>
                  <span className={`status status-${requirement.status}`}>
                    {t.statuses[requirement.status]}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}
