import { type ReactNode, useId } from 'react';
import type { AllocationPlanJson } from '../../../contract/index.ts';
import { formatMoney } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';
import { allocationsByLine, differenceUsd, linesByPackage, type PlanAllocation } from './plan-figures.ts';

type Shortfall = AllocationPlanJson['shortfalls'][number];
type ShortfallMoney = Shortfall['eligible'];

/** A region that scrolls sideways on a narrow screen, reachable by keyboard. */
function ScrollRegion({
  labelledBy,
  children,
}: {
  readonly labelledBy: string;
  readonly children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-scroll" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </section>
  );
}

/** One allocation as the reader needs it: whose money, in its own currency, and what the line receives. */
function AllocationText({ allocation }: { readonly allocation: PlanAllocation }) {
  const { t, locale } = useI18n();
  const usd = formatMoney(allocation.usd, locale);
  const own = formatMoney(allocation.amount, locale);
  return (
    <>
      <span className="ref">{allocation.pledgeRef}</span> ({allocation.donor}):{' '}
      <span className="money">
        {allocation.amount.currency === 'USD' ? usd : t.allocation.converted(own, usd)}
      </span>
    </>
  );
}

/** The plan's lines, a table per open package, each line with the pledges this plan gives it. */
export function PlanByPackage({
  plan,
  categoryNames,
}: {
  readonly plan: AllocationPlanJson;
  readonly categoryNames: ReadonlyMap<string, string>;
}) {
  const { t, locale } = useI18n();
  const byLine = allocationsByLine(plan.allocations);
  const prefix = useId();
  const columns = t.allocation.columns;
  if (plan.lines.length === 0) return <p className="empty">{t.allocation.noLines}</p>;
  return (
    <>
      {linesByPackage(plan.lines).map((group) => {
        const captionId = `${prefix}-${group.packageId}`;
        return (
          <div className="plan-package" key={group.packageId}>
            <h3 className="subheading">
              <Link href={paths.package(group.packageId)}>{group.packageRef}</Link>
            </h3>
            <ScrollRegion labelledBy={captionId}>
              <table className="data-table plan-table">
                <caption id={captionId}>{t.allocation.packageCaption(group.packageRef)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{columns.line}</th>
                    <th scope="col">{columns.requirement}</th>
                    <th scope="col">{columns.category}</th>
                    <th scope="col" className="numeric">
                      {columns.price}
                    </th>
                    <th scope="col" className="numeric">
                      {columns.before}
                    </th>
                    <th scope="col" className="numeric">
                      {columns.planned}
                    </th>
                    <th scope="col" className="numeric">
                      {columns.missing}
                    </th>
                    <th scope="col">{columns.fundedBy}</th>
                  </tr>
                </thead>
                <tbody>
                  {group.lines.map((line) => {
                    const allocations = byLine.get(line.lineId) ?? [];
                    return (
                      <tr key={line.lineId} data-line={t.allocation.lineName(line.packageRef, line.lineNo)}>
                        <th scope="row" className="line-name">
                          {t.allocation.lineName(line.packageRef, line.lineNo)}
                        </th>
                        <td className="ref">{line.requirementRef}</td>
                        <td>{categoryNames.get(line.category) ?? line.category}</td>
                        <td className="numeric">{formatMoney(line.price, locale)}</td>
                        <td className="numeric">{formatMoney(line.allocatedBefore, locale)}</td>
                        <td className="numeric planned">{formatMoney(line.planned, locale)}</td>
                        <td className="numeric missing">{formatMoney(line.missing, locale)}</td>
                        <td className="funded-by">
                          {allocations.length === 0 ? (
                            <span className="muted">{t.allocation.nothing}</span>
                          ) : (
                            <ul className="plain-list">
                              {allocations.map((allocation) => (
                                <li key={`${allocation.pledgeId}:${allocation.lineId}`}>
                                  <AllocationText allocation={allocation} />
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </ScrollRegion>
          </div>
        );
      })}
    </>
  );
}

/** Each line left short, with the server's sentence and the data it is built from. */
export function Shortfalls({ plan }: { readonly plan: AllocationPlanJson }) {
  const { t, locale } = useI18n();
  const noteId = useId();
  if (plan.shortfalls.length === 0)
    return <p className="notice notice-success">{t.allocation.noShortfalls}</p>;
  return (
    <>
      <p id={noteId} className="hint">
        {t.allocation.reasonsInEnglish}
      </p>
      <ul className="shortfall-list">
        {plan.shortfalls.map((shortfall) => {
          const line = t.allocation.lineName(shortfall.packageRef, shortfall.lineNo);
          return (
            <li key={shortfall.lineId}>
              <article className="shortfall" aria-label={line}>
                <h3 className="subheading">
                  {t.allocation.shortfallHeading(line, formatMoney(shortfall.missing, locale))}
                </h3>
                <p className="reason" lang="en" aria-describedby={noteId}>
                  {shortfall.reason}
                </p>
                <ShortfallMoneyTable
                  line={line}
                  kind={t.allocation.eligibleHeading}
                  money={shortfall.eligible}
                />
                {shortfall.swappable.pledges > 0 && (
                  <ShortfallMoneyTable
                    line={line}
                    kind={t.allocation.swappableHeading}
                    money={shortfall.swappable}
                  />
                )}
              </article>
            </li>
          );
        })}
      </ul>
    </>
  );
}

function ShortfallMoneyTable({
  line,
  kind,
  money,
}: {
  readonly line: string;
  readonly kind: string;
  readonly money: ShortfallMoney;
}) {
  const { t, locale } = useI18n();
  const captionId = useId();
  const columns = t.allocation.moneyColumns;
  return (
    <div className="shortfall-money">
      <h4>{kind}</h4>
      {money.pledges === 0 ? (
        <p className="muted">{t.allocation.noMoney}</p>
      ) : (
        <>
          <p>
            {t.allocation.moneySummary(money.pledges, formatMoney(money.total, locale))}{' '}
            {money.listed.length < money.pledges && t.allocation.moneyListed(money.listed.length)}
          </p>
          <ScrollRegion labelledBy={captionId}>
            <table className="data-table money-table">
              <caption id={captionId} className="visually-hidden">
                {t.allocation.moneyCaption(line, kind)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{columns.pledge}</th>
                  <th scope="col">{columns.donor}</th>
                  <th scope="col" className="numeric">
                    {columns.available}
                  </th>
                  <th scope="col" className="numeric">
                    {columns.used}
                  </th>
                  <th scope="col">{columns.usedBy}</th>
                </tr>
              </thead>
              <tbody>
                {money.listed.map((pledge, index) => (
                  <tr key={pledge.pledgeId ?? `others-${index}`}>
                    <th scope="row" className="ref">
                      {pledge.pledgeRef ?? t.allocation.otherDonors}
                    </th>
                    <td>{pledge.donor ?? '—'}</td>
                    <td className="numeric">{formatMoney(pledge.available, locale)}</td>
                    <td className="numeric">{formatMoney(pledge.used, locale)}</td>
                    <td>
                      {pledge.usedBy.length === 0 ? (
                        <span className="muted">—</span>
                      ) : (
                        <ul className="plain-list">
                          {pledge.usedBy.map((use) => (
                            <li key={use.lineId}>
                              {use.higherPriority
                                ? t.allocation.lineName(use.packageRef, use.lineNo)
                                : t.allocation.thisLine}
                              : {formatMoney(use.amount, locale)}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </div>
  );
}

/** Where each pledge's unallocated money goes under the plan; other donors aggregated in a donor's view. */
export function PledgeUses({
  plan,
  lineNames,
  only,
  caption,
}: {
  readonly plan: AllocationPlanJson;
  readonly lineNames: ReadonlyMap<string, string>;
  /** Show these pledges only (the hypothetical ones of a preview). */
  readonly only?: (pledge: AllocationPlanJson['pledges'][number]) => boolean;
  readonly caption?: string;
}) {
  const { t, locale } = useI18n();
  const captionId = useId();
  const columns = t.allocation.pledgeColumns;
  const pledges = only ? plan.pledges.filter(only) : plan.pledges;
  const others = only ? null : plan.otherDonors;
  if (pledges.length === 0 && !others) return <p className="muted">{t.allocation.noPledges}</p>;
  return (
    <ScrollRegion labelledBy={captionId}>
      <table className="data-table pledge-use-table">
        <caption id={captionId}>{caption ?? t.allocation.pledgesCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{columns.pledge}</th>
            <th scope="col">{columns.donor}</th>
            <th scope="col" className="numeric">
              {columns.available}
            </th>
            <th scope="col" className="numeric">
              {columns.allocated}
            </th>
            <th scope="col" className="numeric">
              {columns.remaining}
            </th>
            <th scope="col">{columns.lines}</th>
          </tr>
        </thead>
        <tbody>
          {pledges.map((pledge) => (
            <tr key={pledge.pledgeId}>
              <th scope="row" className="ref">
                {pledge.hypothetical ? (
                  <>
                    {pledge.pledgeRef}{' '}
                    <span className="status package-draft">{t.allocation.hypothetical}</span>
                  </>
                ) : (
                  <Link href={paths.pledge(pledge.pledgeId)}>{pledge.pledgeRef}</Link>
                )}
              </th>
              <td>{pledge.donor}</td>
              <td className="numeric">{formatMoney(pledge.available, locale)}</td>
              <td className="numeric allocated">{formatMoney(pledge.allocated, locale)}</td>
              <td className="numeric">{formatMoney(pledge.remaining, locale)}</td>
              <td>
                {pledge.lines.length === 0 ? (
                  <span className="muted">{t.allocation.nothing}</span>
                ) : (
                  <ul className="plain-list">
                    {pledge.lines.map((use) => (
                      <li key={use.lineId}>
                        {lineNames.get(use.lineId) ?? use.packageRef}: {formatMoney(use.amount, locale)}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
          {others && others.pledges > 0 && (
            <tr>
              <th scope="row">{t.allocation.otherDonorsRow(others.pledges)}</th>
              <td>—</td>
              <td className="numeric">{formatMoney(others.available, locale)}</td>
              <td className="numeric">{formatMoney(others.allocated, locale)}</td>
              <td className="numeric">
                {formatMoney(differenceUsd(others.available, others.allocated), locale)}
              </td>
              <td>—</td>
            </tr>
          )}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** "PKG-9 line 2 (REQ-0042)" for every line id of the plan. */
export function lineNamesOf(
  plan: AllocationPlanJson,
  lineName: (ref: string, lineNo: number) => string,
): ReadonlyMap<string, string> {
  return new Map(
    plan.lines.map((line) => [
      line.lineId,
      `${lineName(line.packageRef, line.lineNo)} (${line.requirementRef})`,
    ]),
  );
}
