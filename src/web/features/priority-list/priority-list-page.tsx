import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MeJson, RequirementJson } from '../../../contract/index.ts';
import { ApiError, type RequestedTransition } from '../../api/client.ts';
import { formatCount } from '../../format/count.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useSession } from '../session/session-provider.tsx';
import { listPermissions } from './list-permissions.ts';
import { moveLine } from './move-line.ts';
import { actionsId, moveDownId, moveUpId, PriorityListTable } from './priority-list-table.tsx';
import { RemovedLinesTable } from './removed-lines-table.tsx';
import { RequirementForm } from './requirement-form.tsx';
import { RequirementImport } from './requirement-import.tsx';
import { type PriorityLine, usePriorityList } from './use-priority-list.ts';

/** A message about the last action, kept as a function of the catalogue so a language switch translates it. */
interface Notice {
  readonly tone: 'success' | 'warning' | 'error';
  readonly message: (t: Messages) => string;
}

/** Moves focus to the first of these elements that exists and is enabled (a moved or re-rendered row). */
function focusFirstOf(selectors: readonly string[]): void {
  for (const selector of selectors) {
    const element = document.querySelector<HTMLElement>(selector);
    if (element && !(element instanceof HTMLButtonElement && element.disabled)) {
      element.focus();
      return;
    }
  }
}

export function PriorityListPage({ me, autoFocus }: { readonly me: MeJson; readonly autoFocus: boolean }) {
  const { t, locale } = useI18n();
  const { api } = useSession();
  const permissions = useMemo(() => listPermissions(me.role), [me.role]);
  const { data, loading, loadError, reload } = usePriorityList(api, permissions.read);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [working, setWorking] = useState(false);
  const busy = useRef(false);
  const focusAfterUpdate = useRef<readonly string[] | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const ids = { heading: useId(), summary: useId(), region: useId(), caption: useId() };

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  useEffect(() => {
    if (!data || !focusAfterUpdate.current) return;
    focusFirstOf(focusAfterUpdate.current);
    focusAfterUpdate.current = null;
  }, [data]);

  const categoryNames = useMemo(
    () => new Map((data?.categories ?? []).map((category) => [category.code, category.name])),
    [data?.categories],
  );

  /** Runs one write at a time; a stale version reloads the list and says so. */
  async function perform(write: () => Promise<Notice>, focus: readonly string[]): Promise<void> {
    if (busy.current) return;
    busy.current = true;
    setWorking(true);
    try {
      const done = await write();
      focusAfterUpdate.current = focus;
      await reload();
      setNotice(done);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return;
      if (error instanceof ApiError && (error.status === 412 || error.code === 'RANK_NOT_PERMUTATION')) {
        focusAfterUpdate.current = focus;
        await reload();
        setNotice({ tone: 'warning', message: (m) => m.priorityList.stale });
      } else {
        setNotice({ tone: 'error', message: (m) => errorMessage(m, error) });
      }
    } finally {
      busy.current = false;
      setWorking(false);
    }
  }

  function move(line: PriorityLine, delta: -1 | 1) {
    if (!data) return;
    const { id, ref } = line.requirement;
    const order = moveLine(
      data.lines.map((each) => each.requirement.id),
      id,
      delta,
    );
    if (!order) return;
    const version = data.version;
    const focus =
      delta < 0 ? [`#${moveUpId(id)}`, `#${moveDownId(id)}`] : [`#${moveDownId(id)}`, `#${moveUpId(id)}`];
    void perform(async () => {
      const list = await api.reorderPriorityList(order, version);
      const rank = list.items.find((item) => item.id === id)?.rank ?? order.indexOf(id) + 1;
      return { tone: 'success', message: (m) => m.priorityList.moved(ref, rank) };
    }, focus);
  }

  function transition(line: PriorityLine, to: RequestedTransition) {
    const { id, ref } = line.requirement;
    const focus = [
      `#${actionsId(id)} button`,
      `#${moveUpId(id)}`,
      `#${moveDownId(id)}`,
      `[id="${ids.region}"]`,
    ];
    void perform(async () => {
      const updated = await api.transitionRequirement(line.requirement, to);
      return {
        tone: 'success',
        message: (m) => m.priorityList.transitioned(ref, m.statuses[updated.status]),
      };
    }, focus);
  }

  function approve() {
    if (!data) return;
    const version = data.version;
    void perform(async () => {
      const list = await api.approvePriorityList(version);
      return { tone: 'success', message: (m) => m.priorityList.approved(list.approvedVersion ?? version) };
    }, [`[id="${ids.summary}"]`]);
  }

  function created(requirement: RequirementJson) {
    const rank = requirement.rank;
    void reload();
    setNotice({
      tone: 'success',
      message: (m) => m.form.added(requirement.ref, rank ?? 0),
    });
  }

  if (!permissions.read) {
    return (
      <div className="page">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.priorityList.heading}
        </h1>
        <p className="notice notice-info">{t.priorityList.noAccess}</p>
      </div>
    );
  }

  const approved = data !== null && data.version > 0 && data.approvedVersion === data.version;

  return (
    <div className="page">
      <div className="page-heading">
        <h1 id={ids.heading} ref={headingRef} tabIndex={-1}>
          {t.priorityList.heading}
        </h1>
        <p className="muted">{t.priorityList.intro}</p>
      </div>

      <div role="status" className="live-region">
        {notice && notice.tone !== 'error' && (
          <p className={`notice notice-${notice.tone}`}>{notice.message(t)}</p>
        )}
      </div>
      <div role="alert" className="live-region">
        {notice?.tone === 'error' && <p className="notice notice-error">{notice.message(t)}</p>}
      </div>

      {data === null && loading && (
        <p className="loading" role="status">
          {t.priorityList.loading}
        </p>
      )}
      {data === null && !loading && loadError !== null && (
        <div className="notice notice-error" role="alert">
          <p>{t.priorityList.loadFailed}</p>
          <p>{errorMessage(t, loadError)}</p>
          <button type="button" className="button" onClick={() => void reload()}>
            {t.priorityList.retry}
          </button>
        </div>
      )}
      {data !== null && loadError !== null && (
        <div className="notice notice-error" role="alert">
          <p>{errorMessage(t, loadError)}</p>
          <button type="button" className="button" onClick={() => void reload()}>
            {t.priorityList.retry}
          </button>
        </div>
      )}

      {data !== null && (
        <>
          <div className="version-bar">
            <dl className="facts">
              <div>
                <dt>{t.priorityList.version}</dt>
                <dd>{formatCount(data.version, locale)}</dd>
              </div>
              <div>
                <dt>{t.priorityList.approvedVersion}</dt>
                <dd>
                  {data.approvedVersion === null
                    ? t.priorityList.notApproved
                    : formatCount(data.approvedVersion, locale)}
                </dd>
              </div>
            </dl>
            <p id={ids.summary} tabIndex={-1} className="version-summary">
              {approved ? t.priorityList.currentIsApproved : t.priorityList.currentNotApproved}{' '}
              <span className="muted">({t.priorityList.lineCount(data.lines.length)})</span>
            </p>
            {permissions.approve && !approved && data.version > 0 && (
              <button type="button" className="button button-primary" onClick={approve}>
                {t.priorityList.approve}
              </button>
            )}
          </div>

          {data.lines.length === 0 ? (
            <div className="empty">
              <p>{t.priorityList.empty}</p>
              {permissions.create && <p className="muted">{t.priorityList.emptyCanAdd}</p>}
            </div>
          ) : (
            <PriorityListTable
              lines={data.lines}
              categoryNames={categoryNames}
              permissions={permissions}
              regionId={ids.region}
              captionId={ids.caption}
              busy={working || loading}
              onMove={move}
              onTransition={transition}
            />
          )}

          {permissions.create && (
            <RequirementForm api={api} categories={data.categories} onCreated={created} />
          )}
          {permissions.importFile && <RequirementImport api={api} onImported={() => void reload()} />}
          {data.removed.length > 0 && (
            <RemovedLinesTable removed={data.removed} categoryNames={categoryNames} />
          )}
        </>
      )}
    </div>
  );
}
