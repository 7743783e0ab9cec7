import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { MeJson } from '../../../contract/index.ts';
import { type ApiClient, ApiError } from '../../api/client.ts';
import type { AuditEventJson, AuditHeadJson, AuditVerdictJson } from '../../api/oversight-json.ts';
import { formatCount } from '../../format/count.ts';
import { formatDateTime } from '../../format/date-time.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { withQuery } from '../../routing/query.ts';
import { Link, useRouter } from '../../routing/router.tsx';
import { type AuditFilter, auditCriteria, paths } from '../../routing/routes.ts';
import { DownloadLinks } from '../layout/download-links.tsx';
import { hasRows, PageStates, Pagination } from '../paging/pagination.tsx';
import { useCursorPages } from '../paging/use-cursor-pages.ts';
import { isIsoDate } from '../pledges/pledge-input.ts';
import { useSession } from '../session/session-provider.tsx';
import { Abbreviated } from './abbreviated.tsx';

const readers: readonly MeJson['role'][] = ['auditor', 'admin'];
/** The API's limits of the two text criteria (the object id's and the email's lengths). */
const objectLengthMax = 64;
const actorLengthMax = 254;

/**
 * The audit chain for an auditor or an administrator: its integrity (the head, the signing key, a
 * full verification on demand) and its events, searched by object, actor and UTC days. The search
 * lives in the address, so a search is a link.
 */
export function AuditPage({
  me,
  filter,
  autoFocus,
}: {
  readonly me: MeJson;
  readonly filter: AuditFilter;
  readonly autoFocus: boolean;
}) {
  const { t } = useI18n();
  const { api } = useSession();
  const { navigate } = useRouter();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  if (!readers.includes(me.role)) {
    return (
      <div className="page">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.audit.heading}
        </h1>
        <p className="notice notice-info">{t.audit.noAccess}</p>
      </div>
    );
  }

  return (
    <div className="page audit-page">
      <div className="page-heading">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.audit.heading}
        </h1>
        <p className="muted">{t.audit.intro}</p>
      </div>
      <Integrity api={api} />
      <AuditFilters filter={filter} onApply={(next) => navigate(paths.audit(next))} />
      {/* The API route with the search's criteria: the download holds the events the search selects. */}
      <DownloadLinks url={withQuery('/api/v1/audit', auditCriteria(filter))} what={t.downloads.audit} />
      <AuditResults key={JSON.stringify(filter)} api={api} filter={filter} />
    </div>
  );
}

/** The head of the chain and its signing keys (public), and the verification button. */
function Integrity({ api }: { readonly api: ApiClient }) {
  const { t, locale } = useI18n();
  const ids = { heading: useId(), hint: useId() };
  const [head, setHead] = useState<AuditHeadJson | null>(null);
  const [headError, setHeadError] = useState<unknown>(null);
  const [verdict, setVerdict] = useState<AuditVerdictJson | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api.auditHead().then(
      (result) => {
        if (!cancelled) setHead(result);
      },
      (error: unknown) => {
        if (!cancelled) setHeadError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  async function verify() {
    if (verifying) return;
    setVerifying(true);
    setVerdict(null);
    setVerifyError(null);
    try {
      setVerdict(await api.verifyAuditChain());
    } catch (error) {
      setVerifyError(error);
    } finally {
      setVerifying(false);
    }
  }

  return (
    <section className="panel integrity" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t.audit.integrityHeading}</h2>
      {head === null && headError === null && (
        <p className="loading" role="status">
          {t.audit.headLoading}
        </p>
      )}
      {headError !== null && (
        <div className="notice notice-error" role="alert">
          <p>{t.audit.headFailed}</p>
          <p>{errorMessage(t, headError)}</p>
        </div>
      )}
      {head !== null && (
        <>
          <dl className="facts">
            <div>
              <dt>{t.audit.headSeq}</dt>
              <dd>{formatCount(head.seq, locale)}</dd>
            </div>
            <div>
              <dt>{t.audit.headHash}</dt>
              <dd>
                <code className="hash-full">{head.hash}</code>
              </dd>
            </div>
            <div>
              <dt>{t.audit.checkpoint}</dt>
              <dd>
                {head.checkpoint
                  ? t.audit.checkpointValue(
                      formatCount(head.checkpoint.seq, locale),
                      formatDateTime(head.checkpoint.signedAt, locale),
                    )
                  : t.audit.noCheckpoint}
              </dd>
            </div>
          </dl>
          {head.publicKeys.length === 0 ? (
            <p className="muted">{t.audit.noKeys}</p>
          ) : (
            head.publicKeys.map((key) => (
              <figure key={key.keyId} className="public-key">
                <figcaption>{t.audit.publicKey(key.keyId)}</figcaption>
                <pre>{key.publicKeyPem.trim()}</pre>
              </figure>
            ))
          )}
        </>
      )}
      <div className="verify">
        <button
          type="button"
          className="button button-primary"
          aria-describedby={ids.hint}
          aria-disabled={verifying || undefined}
          onClick={() => void verify()}
        >
          {verifying ? t.audit.verifying : t.audit.verify}
        </button>
        <p id={ids.hint} className="hint">
          {t.audit.verifyHint}
        </p>
      </div>
      <div role="status" className="verdict-region">
        {verdict?.ok === true && (
          <div className="notice notice-success">
            <p>
              {t.audit.verifiedOk(
                formatCount(verdict.length, locale),
                formatCount(verdict.checkpoints, locale),
              )}
            </p>
            <p>
              {t.audit.verifiedHead}: <code className="hash-full">{verdict.head}</code>
            </p>
          </div>
        )}
        {verdict?.ok === false && (
          <div className="notice notice-error">
            <p>
              <strong>
                {t.audit.verifiedBad(
                  verdict.firstBadSeq === undefined ? '?' : formatCount(verdict.firstBadSeq, locale),
                )}
              </strong>
            </p>
            {verdict.reason && (
              <p>
                {t.audit.verifiedReason}: <span lang="en">{verdict.reason}</span>
              </p>
            )}
          </div>
        )}
      </div>
      {verifyError !== null && (
        <div className="notice notice-error" role="alert">
          <p>{t.audit.verifyFailed}</p>
          <p>{errorMessage(t, verifyError)}</p>
        </div>
      )}
    </section>
  );
}

type FilterField = 'object' | 'actor' | 'from' | 'to';

function AuditFilters({
  filter,
  onApply,
}: {
  readonly filter: AuditFilter;
  readonly onApply: (filter: AuditFilter) => void;
}) {
  const { t } = useI18n();
  const prefix = useId();
  const idOf = (field: FilterField) => `${prefix}-${field}`;
  const [values, setValues] = useState<Record<FilterField, string>>(() => textOf(filter));
  const [errors, setErrors] = useState<Partial<Record<FilterField, string>>>({});

  // The back button changes the search under the form: show what the list shows.
  useEffect(() => {
    setValues(textOf(filter));
    setErrors({});
  }, [filter]);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const object = values.object.trim();
    const actor = values.actor.trim();
    const found: Partial<Record<FilterField, string>> = {};
    if (object.length > objectLengthMax) found.object = t.audit.tooLong(objectLengthMax);
    if (actor.length > actorLengthMax) found.actor = t.audit.tooLong(actorLengthMax);
    if (values.from && !isIsoDate(values.from)) found.from = t.audit.dateInvalid;
    if (values.to && !isIsoDate(values.to)) found.to = t.audit.dateInvalid;
    if (!found.from && !found.to && values.from && values.to && values.to < values.from) {
      found.to = t.audit.rangeInvalid;
    }
    setErrors(found);
    const first = (['object', 'actor', 'from', 'to'] as const).find((field) => found[field]);
    if (first) {
      document.getElementById(idOf(first))?.focus();
      return;
    }
    onApply({
      object: object || null,
      actor: actor || null,
      from: values.from || null,
      to: values.to || null,
    });
  }

  const field = (name: FilterField, label: string, hint: string, type: 'text' | 'date') => (
    <div className="field">
      <label htmlFor={idOf(name)}>{label}</label>
      <input
        id={idOf(name)}
        name={name}
        type={type}
        autoComplete="off"
        spellCheck={false}
        value={values[name]}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={`${idOf(name)}-hint${errors[name] ? ` ${idOf(name)}-error` : ''}`}
        onChange={(event) => setValues({ ...values, [name]: event.target.value })}
      />
      <p id={`${idOf(name)}-hint`} className="hint">
        {hint}
      </p>
      {errors[name] && (
        <p id={`${idOf(name)}-error`} className="field-error">
          {errors[name]}
        </p>
      )}
    </div>
  );

  const filtered = Object.values(filter).some((value) => value !== null);
  return (
    <form className="filters" aria-labelledby={`${prefix}-heading`} noValidate onSubmit={apply}>
      <h2 id={`${prefix}-heading`} className="filters-heading">
        {t.audit.filters}
      </h2>
      <div className="filters-fields">
        {field('object', t.audit.object, t.audit.objectHint, 'text')}
        {field('actor', t.audit.actor, t.audit.actorHint, 'text')}
        {field('from', t.audit.from, t.audit.dateHint, 'date')}
        {field('to', t.audit.to, t.audit.dateHint, 'date')}
        <div className="filters-actions button-row">
          <button type="submit" className="button">
            {t.audit.apply}
          </button>
          {filtered && (
            <button
              type="button"
              className="button"
              onClick={() => onApply({ object: null, actor: null, from: null, to: null })}
            >
              {t.audit.clear}
            </button>
          )}
        </div>
      </div>
    </form>
  );
}

function textOf(filter: AuditFilter): Record<FilterField, string> {
  return {
    object: filter.object ?? '',
    actor: filter.actor ?? '',
    from: filter.from ?? '',
    to: filter.to ?? '',
  };
}

/** The pages of one search; a new search mounts a new one, back at page 1. */
function AuditResults({ api, filter }: { readonly api: ApiClient; readonly filter: AuditFilter }) {
  const { t, locale } = useI18n();
  const pages = useCursorPages<AuditEventJson>((cursor) => api.auditEvents({ ...filter, cursor }));
  const captionId = useId();
  const columns = t.audit.columns;
  const filtered = Object.values(filter).some((value) => value !== null);
  const errorText = (error: unknown) =>
    error instanceof ApiError && error.code === 'VALIDATION_FAILED' && error.errors.length > 0
      ? `${errorMessage(t, error)} (${error.errors.map((each) => each.path.replace(/^querystring:?\//, '')).join(', ')})`
      : errorMessage(t, error);
  return (
    <>
      <PageStates
        pages={pages}
        loadingText={t.audit.loading}
        failedText={t.audit.loadFailed}
        emptyText={filtered ? t.audit.emptyFiltered : t.audit.empty}
        retryText={t.audit.retry}
        errorText={errorText}
      />
      {hasRows(pages) && pages.page && (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
          <section className="table-scroll" aria-labelledby={captionId} tabIndex={0} ref={pages.regionRef}>
            <table className="data-table audit-table" aria-busy={pages.loading || undefined}>
              <caption id={captionId}>{t.audit.caption}</caption>
              <thead>
                <tr>
                  <th scope="col" className="numeric">
                    {columns.seq}
                  </th>
                  <th scope="col">{columns.time}</th>
                  <th scope="col">{columns.actor}</th>
                  <th scope="col">{columns.organization}</th>
                  <th scope="col">{columns.action}</th>
                  <th scope="col">{columns.object}</th>
                  <th scope="col">{columns.hash}</th>
                </tr>
              </thead>
              <tbody>
                {pages.page.items.map((event) => (
                  <tr key={event.seq}>
                    <th scope="row" className="numeric">
                      {event.seq}
                    </th>
                    <td className="time">
                      <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt, locale)}</time>
                    </td>
                    <td>
                      {event.actorUserId ? (
                        <Abbreviated value={event.actorUserId} keep={8} />
                      ) : (
                        <span className="muted">{t.audit.system}</span>
                      )}
                    </td>
                    <td>{event.actorOrganization ?? <span className="muted">{t.audit.system}</span>}</td>
                    <td>
                      <code>{event.action}</code>
                    </td>
                    <td className="object">
                      <span className="object-type">{event.objectType}</span>{' '}
                      <Link
                        href={paths.audit({ object: event.objectId, actor: null, from: null, to: null })}
                        aria-label={t.audit.eventsOf(`${event.objectType} ${event.objectId}`)}
                        title={event.objectId}
                      >
                        <code>{abbreviate(event.objectId, 8)}</code>
                      </Link>
                    </td>
                    <td>
                      <Abbreviated value={event.hash} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <Pagination pages={pages} label={t.audit.pagination} />
        </>
      )}
    </>
  );
}

function abbreviate(value: string, keep: number): string {
  return value.length <= keep + 1 ? value : `${value.slice(0, keep)}…`;
}
