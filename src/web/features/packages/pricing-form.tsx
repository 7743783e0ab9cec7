import { type FormEvent, useId, useRef, useState } from 'react';
import type { PackageJson, PackageTransitionJson } from '../../../contract/index.ts';
import { ApiError } from '../../api/client.ts';
import { SubmissionKeys } from '../../api/idempotency-key.ts';
import { formatCount } from '../../format/count.ts';
import { amountFromInput, formatMoney } from '../../format/money.ts';
import { amountOfCents, centsOf } from '../../format/usd-cents.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useSession } from '../session/session-provider.tsx';
import { isStale, type PackageWriteHandlers } from './package-writes.ts';

type LineErrors = Readonly<Record<string, (t: Messages) => string>>;

/** What the supplier typed for one line → the USD amount the API takes, or why it is not one. */
function priceOf(input: string): { amount: string } | { error: (t: Messages) => string } {
  if (!input.trim()) return { error: (t) => t.packageDetail.priceRequired };
  const parsed = amountFromInput(input, 'USD');
  if (!parsed.ok) {
    return parsed.reason === 'decimals'
      ? { error: (t) => t.form.amountDecimals('USD', 2) }
      : { error: (t) => t.packageDetail.priceInvalid };
  }
  if (centsOf(parsed.amount) === 0n) return { error: (t) => t.packageDetail.pricePositive };
  return { amount: parsed.amount };
}

/**
 * The supplier's pricing: one amount in US dollars for every line, sent together (the server prices
 * nothing unless every line is right). The total is summed here in cents, exactly as the server will.
 */
export function PricingForm({
  pkg,
  handlers,
}: {
  readonly pkg: PackageJson;
  readonly handlers: PackageWriteHandlers;
}) {
  const { t, locale } = useI18n();
  const { api } = useSession();
  const prefix = useId();
  const [values, setValues] = useState<Readonly<Record<string, string>>>(() =>
    Object.fromEntries(pkg.lines.map((line) => [line.id, line.amount?.amount ?? ''])),
  );
  const [errors, setErrors] = useState<LineErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const keys = useRef(new SubmissionKeys());
  const inputId = (lineId: string) => `${prefix}-line-${lineId}`;

  let total: bigint | null = 0n;
  for (const line of pkg.lines) {
    const price = priceOf(values[line.id] ?? '');
    const cents = 'amount' in price ? centsOf(price.amount) : null;
    total = total !== null && cents !== null ? total + cents : null;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const found: Record<string, (t: Messages) => string> = {};
    const lines: { lineId: string; amount: { amount: string; currency: string } }[] = [];
    for (const line of pkg.lines) {
      const price = priceOf(values[line.id] ?? '');
      if ('error' in price) found[line.id] = price.error;
      else lines.push({ lineId: line.id, amount: { amount: price.amount, currency: 'USD' } });
    }
    setErrors(found);
    setFailure(null);
    const firstInvalid = pkg.lines.find((line) => found[line.id]);
    if (firstInvalid) {
      document.getElementById(inputId(firstInvalid.id))?.focus();
      return;
    }
    const change: PackageTransitionJson = { to: 'priced', lines };
    setSubmitting(true);
    try {
      const updated = await api.transitionPackage(
        pkg,
        change,
        keys.current.keyFor({ id: pkg.id, version: pkg.version, ...change }),
      );
      keys.current.done();
      handlers.onChanged(updated, {
        tone: 'success',
        message: (m) => m.packageDetail.transitioned(updated.ref, m.packageStatuses[updated.status]),
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return;
      if (isStale(error)) {
        handlers.onStale();
        return;
      }
      // "/lines/2/amount" names the third line sent, which is the third line of the package.
      const byLine: Record<string, (t: Messages) => string> = {};
      if (error instanceof ApiError) {
        for (const fieldError of error.errors) {
          const index = /^\/lines\/(\d+)/.exec(fieldError.path)?.[1];
          const line = index === undefined ? undefined : pkg.lines[Number(index)];
          if (line) byLine[line.id] = (m) => errorMessage(m, error);
        }
      }
      setErrors(byLine);
      setFailure(error);
      const first = pkg.lines.find((line) => byLine[line.id]);
      if (first) document.getElementById(inputId(first.id))?.focus();
    } finally {
      setSubmitting(false);
    }
  }

  const hasErrors = Object.keys(errors).length > 0;
  const summary = failure !== null ? errorMessage(t, failure) : hasErrors ? t.form.fixErrors : null;

  return (
    <form className="pricing-form" aria-labelledby={`${prefix}-heading`} noValidate onSubmit={submit}>
      <h3 id={`${prefix}-heading`}>{t.packageDetail.pricingHeading}</h3>
      <p className="muted">{t.packageDetail.pricingIntro}</p>
      <div role="alert">{summary && <p className="notice notice-error">{summary}</p>}</div>
      <div className="pricing-grid">
        {pkg.lines.map((line) => {
          const id = inputId(line.id);
          const error = errors[line.id];
          return (
            <div className="field" key={line.id}>
              <label htmlFor={id}>
                {t.packageDetail.linePrice(line.requirementRef, formatCount(line.quantity, locale))}
              </label>
              <input
                id={id}
                name={`price-${line.requirementRef}`}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                value={values[line.id] ?? ''}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                onChange={(event) => {
                  const value = event.target.value;
                  setValues((current) => ({ ...current, [line.id]: value }));
                }}
              />
              {error && (
                <p id={`${id}-error`} className="field-error">
                  {error(t)}
                </p>
              )}
            </div>
          );
        })}
      </div>
      <p className="pricing-total">
        {t.packageDetail.pricingTotal}:{' '}
        <strong>
          {total === null ? '—' : formatMoney({ amount: amountOfCents(total), currency: 'USD' }, locale)}
        </strong>
      </p>
      <button type="submit" className="button button-primary" aria-disabled={submitting || undefined}>
        {submitting
          ? t.packageDetail.working
          : pkg.status === 'priced'
            ? t.packageDetail.repricingSubmit
            : t.packageDetail.pricingSubmit}
      </button>
    </form>
  );
}
