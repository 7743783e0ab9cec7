import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MeJson, ProposalJson } from '../../../contract/index.ts';
import { ApiError } from '../../api/client.ts';
import { formatCount } from '../../format/count.ts';
import { amountFromInput, formatMoney } from '../../format/money.ts';
import { centsOf } from '../../format/usd-cents.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link, useRouter } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';
import { useCategories } from '../pledges/use-categories.ts';
import { useSession } from '../session/session-provider.tsx';
import { packagePermissions } from './package-permissions.ts';

/** What the detail page says after it was reached from this one. */
export interface CreatedNotice {
  readonly created: string;
}

export function isCreatedNotice(state: unknown): state is CreatedNotice {
  return typeof state === 'object' && state !== null && typeof (state as CreatedNotice).created === 'string';
}

const nameLengthMax = 200;

/**
 * The coordinator's proposal: the next package from the top validated requirements up to a target,
 * with every requirement left out and why; "Create package" saves it as a draft.
 */
export function NewPackagePage({ me, autoFocus }: { readonly me: MeJson; readonly autoFocus: boolean }) {
  const { t } = useI18n();
  const { api } = useSession();
  const { navigate } = useRouter();
  const permissions = useMemo(() => packagePermissions(me), [me]);
  const categories = useCategories(api);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const ids = { target: useId(), hint: useId(), error: useId(), result: useId() };
  const [target, setTarget] = useState('');
  const [targetError, setTargetError] = useState<((t: Messages) => string) | null>(null);
  const [proposing, setProposing] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [proposal, setProposal] = useState<ProposalJson | null>(null);

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  useEffect(() => {
    if (proposal) resultRef.current?.focus();
  }, [proposal]);

  async function propose(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (proposing) return;
    const parsed = amountFromInput(target, 'USD');
    const error: ((m: Messages) => string) | null = !parsed.ok
      ? parsed.reason === 'decimals'
        ? (m) => m.form.amountDecimals('USD', 2)
        : (m) => m.proposal.targetInvalid
      : centsOf(parsed.amount) === 0n
        ? (m) => m.proposal.targetPositive
        : null;
    setTargetError(() => error);
    setFailure(null);
    if (error || !parsed.ok) {
      document.getElementById(ids.target)?.focus();
      return;
    }
    setProposing(true);
    try {
      setProposal(await api.proposePackage({ amount: parsed.amount, currency: 'USD' }));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'UNAUTHENTICATED') return;
      setFailure(caught);
    } finally {
      setProposing(false);
    }
  }

  if (!permissions.create) {
    return (
      <div className="page">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.proposal.heading}
        </h1>
        <p className="notice notice-info">{t.proposal.noAccess}</p>
      </div>
    );
  }

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href={paths.packages}>{t.proposal.back}</Link>
      </p>
      <div className="page-heading">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.proposal.heading}
        </h1>
        <p className="muted">{t.proposal.intro}</p>
      </div>

      <form className="panel panel-flush proposal-form" noValidate onSubmit={propose}>
        <div role="alert">
          {failure !== null && <p className="notice notice-error">{errorMessage(t, failure)}</p>}
        </div>
        <div className="transition-fields">
          <div className="field">
            <label htmlFor={ids.target}>{t.proposal.target}</label>
            <input
              id={ids.target}
              name="target"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={target}
              aria-invalid={targetError ? true : undefined}
              aria-describedby={targetError ? `${ids.hint} ${ids.error}` : ids.hint}
              onChange={(event) => setTarget(event.target.value)}
            />
            <p id={ids.hint} className="hint">
              {t.proposal.targetHint}
            </p>
            {targetError && (
              <p id={ids.error} className="field-error">
                {targetError(t)}
              </p>
            )}
          </div>
          <div className="button-row transition-buttons">
            <button type="submit" className="button button-primary" aria-disabled={proposing || undefined}>
              {proposing ? t.proposal.proposing : t.proposal.propose}
            </button>
          </div>
        </div>
      </form>

      {proposal && (
        <section className="panel panel-flush" aria-labelledby={ids.result}>
          <h2 id={ids.result} ref={resultRef} tabIndex={-1}>
            {t.proposal.resultHeading}
          </h2>
          <ProposalView proposal={proposal} categoryNames={categories.names} />
          <CreateForm
            key={JSON.stringify(proposal)}
            proposal={proposal}
            onCreated={(pkg) =>
              navigate(paths.package(pkg.id), {
                replace: true,
                state: { created: pkg.ref } satisfies CreatedNotice,
              })
            }
          />
        </section>
      )}
    </div>
  );
}

function ProposalView({
  proposal,
  categoryNames,
}: {
  readonly proposal: ProposalJson;
  readonly categoryNames: ReadonlyMap<string, string>;
}) {
  const { t, locale } = useI18n();
  const ids = { lines: useId(), left: useId(), leftHeading: useId(), english: useId() };
  const columns = t.proposal.columns;
  return (
    <>
      <dl className="detail-facts proposal-facts">
        <div>
          <dt>{t.packages.target}</dt>
          <dd>{formatMoney(proposal.target, locale)}</dd>
        </div>
        <div>
          <dt>{t.proposal.total}</dt>
          <dd>{formatMoney(proposal.total, locale)}</dd>
        </div>
        <div>
          <dt>{t.proposal.remaining}</dt>
          <dd>{formatMoney(proposal.remaining, locale)}</dd>
        </div>
      </dl>

      {proposal.lines.length === 0 ? (
        <p className="notice notice-warning">{t.proposal.noLines}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-scroll proposal-lines" aria-labelledby={ids.lines} tabIndex={0}>
          <table className="data-table">
            <caption id={ids.lines}>{t.proposal.linesCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{columns.ref}</th>
                <th scope="col">{columns.category}</th>
                <th scope="col" className="numeric">
                  {columns.quantity}
                </th>
                <th scope="col" className="numeric">
                  {columns.estimate}
                </th>
              </tr>
            </thead>
            <tbody>
              {proposal.lines.map((line) => (
                <tr key={line.requirementId}>
                  <th scope="row" className="ref">
                    {line.ref}
                  </th>
                  <td>{categoryNames.get(line.category) ?? line.category}</td>
                  <td className="numeric">{formatCount(line.quantity, locale)}</td>
                  <td className="numeric">{formatMoney(line.estimatedAmount, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <h3 id={ids.leftHeading} className="subheading">
        {t.proposal.notIncludedHeading}
      </h3>
      {proposal.notIncluded.length === 0 ? (
        <p className="muted">{t.proposal.notIncludedNone}</p>
      ) : (
        <>
          {proposal.notIncludedCount > proposal.notIncluded.length && (
            <p className="muted">
              {t.proposal.notIncludedMore(proposal.notIncluded.length, proposal.notIncludedCount)}
            </p>
          )}
          {/* The reasons come from the server in English: they are marked so, for readers and screen readers. */}
          <p id={ids.english} className="hint">
            {t.proposal.reasonsInEnglish}
          </p>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
          <section className="table-scroll" aria-labelledby={ids.left} tabIndex={0}>
            <table className="data-table not-included" aria-describedby={ids.english}>
              <caption id={ids.left}>{t.proposal.notIncludedCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{columns.ref}</th>
                  <th scope="col" className="numeric">
                    {columns.unitsLeft}
                  </th>
                  <th scope="col" className="numeric">
                    {columns.estimate}
                  </th>
                  <th scope="col">{columns.reason}</th>
                </tr>
              </thead>
              <tbody>
                {proposal.notIncluded.map((left) => (
                  <tr key={left.requirementId}>
                    <th scope="row" className="ref">
                      {left.ref}
                    </th>
                    <td className="numeric">{formatCount(left.quantity, locale)}</td>
                    <td className="numeric">
                      {left.estimatedAmount ? (
                        formatMoney(left.estimatedAmount, locale)
                      ) : (
                        <span className="muted">{t.proposal.unknownEstimate}</span>
                      )}
                    </td>
                    <td className="reason" lang="en">
                      {left.reason}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </>
  );
}

function CreateForm({
  proposal,
  onCreated,
}: {
  readonly proposal: ProposalJson;
  readonly onCreated: (pkg: { readonly id: string; readonly ref: string }) => void;
}) {
  const { t } = useI18n();
  const { api } = useSession();
  const ids = { name: useId(), error: useId() };
  const [name, setName] = useState(proposal.name);
  const [nameError, setNameError] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);

  if (proposal.lines.length === 0) return null;

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (creating) return;
    const trimmed = name.trim();
    if (!trimmed) {
      setNameError(true);
      document.getElementById(ids.name)?.focus();
      return;
    }
    setNameError(false);
    setFailure(null);
    setCreating(true);
    try {
      const pkg = await api.createPackage({
        name: trimmed,
        target: proposal.target,
        lines: proposal.lines.map((line) => ({ requirementId: line.requirementId, quantity: line.quantity })),
      });
      onCreated(pkg);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return;
      setFailure(error);
    } finally {
      setCreating(false);
    }
  }

  return (
    <form className="create-package" noValidate onSubmit={create}>
      <div role="alert">
        {failure !== null && <p className="notice notice-error">{errorMessage(t, failure)}</p>}
      </div>
      <div className="transition-fields">
        <div className="field field-name">
          <label htmlFor={ids.name}>{t.proposal.name}</label>
          <input
            id={ids.name}
            name="name"
            type="text"
            maxLength={nameLengthMax}
            value={name}
            aria-invalid={nameError || undefined}
            aria-describedby={nameError ? ids.error : undefined}
            onChange={(event) => setName(event.target.value)}
          />
          {nameError && (
            <p id={ids.error} className="field-error">
              {t.form.required}
            </p>
          )}
        </div>
        <div className="button-row transition-buttons">
          <button type="submit" className="button button-primary" aria-disabled={creating || undefined}>
            {creating ? t.proposal.creating : t.proposal.create}
          </button>
        </div>
      </div>
    </form>
  );
}
