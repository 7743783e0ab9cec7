import { useEffect, useRef, useState } from 'react';
import type { RequestedTransition } from '../../api/client.ts';
import { formatCount } from '../../format/count.ts';
import { formatMoney } from '../../format/money.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';
import type { ListPermissions } from './list-permissions.ts';
import type { PriorityLine } from './use-priority-list.ts';

/** Transitions that take a line off the list for good ask for a second click. */
type FinalTransition = 'rejected' | 'withdrawn';
const isFinal = (to: RequestedTransition): to is FinalTransition => to === 'rejected' || to === 'withdrawn';

interface Confirming {
  readonly id: string;
  readonly to: FinalTransition;
}

export const moveUpId = (id: string) => `move-up-${id}`;
export const moveDownId = (id: string) => `move-down-${id}`;
export const actionsId = (id: string) => `actions-${id}`;
const transitionId = (id: string, to: RequestedTransition) => `transition-${to}-${id}`;
const confirmId = (id: string) => `confirm-${id}`;

export function PriorityListTable({
  lines,
  categoryNames,
  permissions,
  regionId,
  captionId,
  busy,
  onMove,
  onTransition,
}: {
  readonly lines: readonly PriorityLine[];
  readonly categoryNames: ReadonlyMap<string, string>;
  readonly permissions: ListPermissions;
  readonly regionId: string;
  readonly captionId: string;
  readonly busy: boolean;
  readonly onMove: (line: PriorityLine, delta: -1 | 1) => void;
  readonly onTransition: (line: PriorityLine, to: RequestedTransition) => void;
}) {
  const { t, locale } = useI18n();
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const returnFocusTo = useRef<string | null>(null);
  const showActions = lines.some((line) => permissions.transitionsFor(line.requirement.status).length > 0);

  useEffect(() => {
    if (confirming) {
      document.getElementById(confirmId(confirming.id))?.focus();
    } else if (returnFocusTo.current) {
      document.getElementById(returnFocusTo.current)?.focus();
      returnFocusTo.current = null;
    }
  }, [confirming]);

  function cancel(pending: Confirming) {
    returnFocusTo.current = transitionId(pending.id, pending.to);
    setConfirming(null);
  }

  return (
    // The region scrolls sideways on a narrow screen; it is focusable so that keyboards can scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-scroll" id={regionId} aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table priority-table" aria-busy={busy || undefined}>
        <caption id={captionId}>{t.priorityList.caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="numeric">
              {t.priorityList.columns.rank}
            </th>
            {permissions.reorder && <th scope="col">{t.priorityList.columns.order}</th>}
            <th scope="col">{t.priorityList.columns.ref}</th>
            <th scope="col">{t.priorityList.columns.title}</th>
            <th scope="col">{t.priorityList.columns.category}</th>
            <th scope="col" className="numeric">
              {t.priorityList.columns.quantity}
            </th>
            <th scope="col" className="numeric">
              {t.priorityList.columns.estimatedCost}
            </th>
            <th scope="col">{t.priorityList.columns.status}</th>
            {showActions && <th scope="col">{t.priorityList.columns.actions}</th>}
          </tr>
        </thead>
        <tbody>
          {lines.map((line, index) => {
            const { requirement } = line;
            const { id, ref } = requirement;
            const transitions = permissions.transitionsFor(requirement.status);
            const pending = confirming?.id === id ? confirming : null;
            return (
              <tr key={id}>
                <td className="numeric rank" data-label={t.priorityList.columns.rank}>
                  {formatCount(line.rank, locale)}
                </td>
                {permissions.reorder && (
                  <td className="order" data-label={t.priorityList.columns.order}>
                    <div className="button-row">
                      <button
                        type="button"
                        id={moveUpId(id)}
                        className="button button-small"
                        aria-label={t.priorityList.moveUpLabel(ref)}
                        disabled={index === 0}
                        onClick={() => onMove(line, -1)}
                      >
                        <span aria-hidden="true">↑</span>
                        {t.priorityList.moveUp}
                      </button>
                      <button
                        type="button"
                        id={moveDownId(id)}
                        className="button button-small"
                        aria-label={t.priorityList.moveDownLabel(ref)}
                        disabled={index === lines.length - 1}
                        onClick={() => onMove(line, 1)}
                      >
                        <span aria-hidden="true">↓</span>
                        {t.priorityList.moveDown}
                      </button>
                    </div>
                  </td>
                )}
                <th scope="row" className="ref">
                  {ref}
                </th>
                <td className="title">
                  <Link href={paths.requirement(id)}>{requirement.title}</Link>
                </td>
                <td className="category" data-label={t.priorityList.columns.category}>
                  {categoryNames.get(requirement.category) ?? requirement.category}
                </td>
                <td className="numeric quantity" data-label={t.priorityList.columns.quantity}>
                  {formatCount(requirement.quantity, locale)} {requirement.unit}
                </td>
                <td className="numeric cost" data-label={t.priorityList.columns.estimatedCost}>
                  {formatMoney(requirement.estimatedCost, locale)}
                </td>
                <td className="status-cell" data-label={t.priorityList.columns.status}>
                  <span className={`status status-${requirement.status}`}>
                    {t.statuses[requirement.status]}
                  </span>
                </td>
                {showActions && (
                  <td className="actions" id={actionsId(id)} data-label={t.priorityList.columns.actions}>
                    {pending ? (
                      <div className="confirm">
                        <p>{t.priorityList.confirm[pending.to](ref)}</p>
                        <div className="button-row">
                          <button
                            type="button"
                            id={confirmId(id)}
                            className="button button-small button-danger"
                            aria-label={t.priorityList.confirmYesLabel[pending.to](ref)}
                            onClick={() => {
                              setConfirming(null);
                              onTransition(line, pending.to);
                            }}
                          >
                            {t.priorityList.confirmYes[pending.to]}
                          </button>
                          <button
                            type="button"
                            className="button button-small"
                            aria-label={t.priorityList.cancelLabel(ref)}
                            onClick={() => cancel(pending)}
                          >
                            {t.priorityList.cancel}
                          </button>
                        </div>
                      </div>
                    ) : (
                      <div className="button-row">
                        {transitions.map((to) => (
                          <button
                            key={to}
                            type="button"
                            id={transitionId(id, to)}
                            className={`button button-small${isFinal(to) ? ' button-quiet-danger' : ' button-primary'}`}
                            aria-label={t.priorityList.transitionLabel[to](ref)}
                            onClick={() => (isFinal(to) ? setConfirming({ id, to }) : onTransition(line, to))}
                          >
                            {t.priorityList.transitions[to]}
                          </button>
                        ))}
                      </div>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
