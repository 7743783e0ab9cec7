import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { AllocationPlanJson, CategoryJson } from '../../../contract/index.ts';
import { type ApiClient, ApiError } from '../../api/client.ts';
import { amountFromInput, formatMoney } from '../../format/money.ts';
import { centsOf } from '../../format/usd-cents.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { increasedLines, sumUsd } from './plan-figures.ts';
import { lineNamesOf, PledgeUses } from './plan-view.tsx';

const donorPattern = /^[A-Z][A-Z0-9-]{1,15}$/;
const commonCurrencies = ['USD', 'EUR', 'GBP', 'CAD', 'NOK', 'SEK', 'DKK', 'PLN', 'CHF', 'AUD', 'NZD', 'JPY'];

type Field = 'donor' | 'amount' | 'currency' | 'earmark';
const fieldOrder: readonly Field[] = ['donor', 'amount', 'currency', 'earmark'];
type FieldErrors = Partial<Record<Field, (t: Messages) => string>>;

interface Outcome {
  readonly base: AllocationPlanJson;
  readonly preview: AllocationPlanJson;
}

/** The field a refusal of the preview is about, if it is about one. */
const fieldOfCode: Partial<Record<ApiError['code'], Field>> = {
  ORGANIZATION_UNKNOWN: 'donor',
  FORBIDDEN: 'donor',
  MONEY_INVALID: 'amount',
  MONEY_SCALE_INVALID: 'amount',
  MONEY_OUT_OF_RANGE: 'amount',
  CURRENCY_UNKNOWN: 'currency',
  FX_RATE_MISSING: 'currency',
  CATEGORY_UNKNOWN: 'earmark',
};

/**
 * The what-if form: one hypothetical committed pledge (a donor's own, or any donor's for a
 * coordinator), previewed against the plan without it, both computed by the server at the same
 * moment; shows the lines whose funding would increase and where the pledge's money would go.
 */
export function WhatIfForm({
  api,
  fixedDonor,
  categories,
}: {
  readonly api: ApiClient;
  /** A donor's own organisation: it previews pledges of its own only. */
  readonly fixedDonor: string | null;
  readonly categories: readonly CategoryJson[];
}) {
  const { t, locale } = useI18n();
  const prefix = useId();
  const idOf = (field: Field) => `${prefix}-${field}`;
  const [donor, setDonor] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [earmark, setEarmark] = useState<readonly string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<((t: Messages) => string) | null>(null);
  const [working, setWorking] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (outcome) resultRef.current?.focus();
  }, [outcome]);

  function focusFirst(found: FieldErrors) {
    const first = fieldOrder.find((field) => found[field]);
    if (!first) return;
    const target =
      first === 'earmark'
        ? document.querySelector<HTMLElement>(`[id="${idOf('earmark')}"] input`)
        : document.getElementById(idOf(first));
    target?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (working) return;
    const found: FieldErrors = {};
    const code = fixedDonor ?? donor.trim();
    if (!donorPattern.test(code)) found.donor = (m) => m.allocation.whatIf.donorInvalid;
    const currencyCode = currency.trim();
    if (!/^[A-Z]{3}$/.test(currencyCode)) found.currency = (m) => m.form.currencyInvalid;
    const parsed = amountFromInput(amount, currencyCode);
    if (!parsed.ok) {
      const scale = parsed.scale ?? 0;
      found.amount =
        parsed.reason === 'decimals'
          ? (m) => m.form.amountDecimals(currencyCode, scale)
          : (m) => m.form.amountInvalid;
    } else if (!/[1-9]/.test(parsed.amount)) {
      found.amount = (m) => m.pledgeForm.amountPositive;
    }
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0 || !parsed.ok) {
      focusFirst(found);
      return;
    }
    const pledge = {
      donor: code,
      amount: { amount: parsed.amount, currency: currencyCode },
      ...(earmark.length > 0 ? { earmark: { categories: [...earmark].sort() } } : {}),
    };
    setWorking(true);
    try {
      const [base, preview] = await Promise.all([
        api.previewAllocation({ pledges: [] }),
        api.previewAllocation({ pledges: [pledge] }),
      ]);
      setOutcome({ base, preview });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return;
      setOutcome(null);
      const field = error instanceof ApiError ? fieldOfCode[error.code] : undefined;
      const message =
        error instanceof ApiError && error.code === 'FX_RATE_MISSING'
          ? (m: Messages) => m.allocation.whatIf.fxRateMissing(currencyCode)
          : (m: Messages) => errorMessage(m, error);
      if (field) {
        const byField: FieldErrors = { [field]: message };
        setErrors(byField);
        focusFirst(byField);
      }
      setFailure(() => message);
    } finally {
      setWorking(false);
    }
  }

  const describedBy = (field: Field, hint: boolean) =>
    [hint ? `${idOf(field)}-hint` : '', errors[field] ? `${idOf(field)}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  const fieldError = (field: Field) => {
    const message = errors[field];
    return message ? (
      <p id={`${idOf(field)}-error`} className="field-error">
        {message(t)}
      </p>
    ) : null;
  };
  const inputProps = (field: Field, hint = false) => ({
    id: idOf(field),
    name: field,
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': describedBy(field, hint),
  });
  const optional = <span className="muted">({t.form.optional})</span>;

  return (
    <>
      <form className="what-if-form" noValidate onSubmit={submit}>
        <div role="alert">{failure && <p className="notice notice-error">{failure(t)}</p>}</div>
        <div className="form-grid">
          <div className="field">
            {fixedDonor ? (
              <>
                <span className="field-label">{t.allocation.whatIf.donor}</span>
                <p className="fixed-value">{t.allocation.whatIf.donorFixed(fixedDonor)}</p>
              </>
            ) : (
              <>
                <label htmlFor={idOf('donor')}>{t.allocation.whatIf.donor}</label>
                <input
                  {...inputProps('donor', true)}
                  type="text"
                  maxLength={16}
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellCheck={false}
                  value={donor}
                  onChange={(event) => setDonor(event.target.value.toUpperCase())}
                />
                <p id={`${idOf('donor')}-hint`} className="hint">
                  {t.allocation.whatIf.donorHint}
                </p>
                {fieldError('donor')}
              </>
            )}
          </div>
          <fieldset className="field-span-2 money-fieldset">
            <legend>{t.allocation.whatIf.money}</legend>
            <div className="money-fields">
              <div className="field">
                <label htmlFor={idOf('amount')}>{t.form.amount}</label>
                <input
                  {...inputProps('amount', true)}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  value={amount}
                  onChange={(event) => setAmount(event.target.value)}
                />
                <p id={`${idOf('amount')}-hint`} className="hint">
                  {t.form.amountHint}
                </p>
                {fieldError('amount')}
              </div>
              <div className="field field-currency">
                <label htmlFor={idOf('currency')}>{t.form.currency}</label>
                <input
                  {...inputProps('currency', true)}
                  type="text"
                  maxLength={3}
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellCheck={false}
                  list={`${prefix}-currencies`}
                  value={currency}
                  onChange={(event) => setCurrency(event.target.value.toUpperCase())}
                />
                <datalist id={`${prefix}-currencies`}>
                  {commonCurrencies.map((each) => (
                    <option key={each} value={each} />
                  ))}
                </datalist>
                <p id={`${idOf('currency')}-hint`} className="hint">
                  {t.form.currencyHint}
                </p>
                {fieldError('currency')}
              </div>
            </div>
          </fieldset>
          <fieldset
            className="field-wide checkbox-fieldset"
            id={idOf('earmark')}
            aria-describedby={describedBy('earmark', true)}
          >
            <legend>
              {t.allocation.whatIf.earmark} {optional}
            </legend>
            <p id={`${idOf('earmark')}-hint`} className="hint">
              {t.allocation.whatIf.earmarkHint}
            </p>
            <div className="checkbox-grid">
              {categories.map((category) => {
                const id = `${prefix}-category-${category.code}`;
                return (
                  <div className="checkbox-field" key={category.code}>
                    <input
                      id={id}
                      type="checkbox"
                      name="earmark"
                      value={category.code}
                      checked={earmark.includes(category.code)}
                      onChange={(event) => {
                        const checked = event.target.checked;
                        setEarmark((current) =>
                          checked
                            ? [...current.filter((each) => each !== category.code), category.code]
                            : current.filter((each) => each !== category.code),
                        );
                      }}
                    />
                    <label htmlFor={id}>{category.name}</label>
                  </div>
                );
              })}
            </div>
            {fieldError('earmark')}
          </fieldset>
        </div>
        <button type="submit" className="button button-primary" aria-disabled={working || undefined}>
          {working ? t.allocation.whatIf.previewing : t.allocation.whatIf.submit}
        </button>
      </form>

      {outcome && (
        <div className="what-if-result" aria-busy={working || undefined}>
          <h3 ref={resultRef} tabIndex={-1}>
            {t.allocation.whatIf.resultHeading}
          </h3>
          <WhatIfResult outcome={outcome} locale={locale} />
        </div>
      )}
    </>
  );
}

function WhatIfResult({ outcome, locale }: { readonly outcome: Outcome; readonly locale: string }) {
  const { t } = useI18n();
  const captionId = useId();
  const { base, preview } = outcome;
  const changes = increasedLines(base, preview);
  const hypothetical = preview.pledges.filter((pledge) => pledge.hypothetical);
  const allocated = sumUsd(hypothetical.map((pledge) => pledge.allocated));
  const available = sumUsd(hypothetical.map((pledge) => pledge.available));
  const columns = t.allocation.whatIf.columns;
  const lineNames = lineNamesOf(preview, t.allocation.lineName);
  return (
    <>
      <p className="what-if-summary">
        {t.allocation.whatIf.wouldProvide(formatMoney(allocated, locale), formatMoney(available, locale))}{' '}
        {t.allocation.whatIf.stillShort(preview.shortfalls.length)}
      </p>
      {changes.length === 0 ? (
        <p className="notice notice-info">
          {(centsOf(allocated.amount) ?? 0n) > 0n
            ? t.allocation.whatIf.replacesOther
            : t.allocation.whatIf.noChange}
        </p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-scroll" aria-labelledby={captionId} tabIndex={0}>
          <table className="data-table increased-table">
            <caption id={captionId}>{t.allocation.whatIf.increasedCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{columns.line}</th>
                <th scope="col">{columns.requirement}</th>
                <th scope="col" className="numeric">
                  {columns.before}
                </th>
                <th scope="col" className="numeric">
                  {columns.after}
                </th>
                <th scope="col" className="numeric">
                  {columns.increase}
                </th>
              </tr>
            </thead>
            <tbody>
              {changes.map((change) => (
                <tr key={change.line.lineId}>
                  <th scope="row">{t.allocation.lineName(change.line.packageRef, change.line.lineNo)}</th>
                  <td className="ref">{change.line.requirementRef}</td>
                  <td className="numeric">{formatMoney(change.before, locale)}</td>
                  <td className="numeric">{formatMoney(change.after, locale)}</td>
                  <td className="numeric increase">{formatMoney(change.increase, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {hypothetical.length > 0 && (
        <PledgeUses
          plan={preview}
          lineNames={lineNames}
          only={(pledge) => pledge.hypothetical}
          caption={t.allocation.whatIf.pledgeUseCaption}
        />
      )}
    </>
  );
}
