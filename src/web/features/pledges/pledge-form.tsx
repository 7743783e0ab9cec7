import { type FormEvent, useId, useRef, useState } from 'react';
import type { CategoryJson, NewPledgeJson, PledgeJson } from '../../../contract/index.ts';
import { type ApiClient, ApiError } from '../../api/client.ts';
import { SubmissionKeys } from '../../api/idempotency-key.ts';
import { todayUtc } from '../../format/date.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import {
  type PledgeField,
  type PledgeFieldErrors,
  type PledgeRules,
  type PledgeValues,
  pledgeFieldOrder,
  pledgeLimits,
  serverFieldErrors,
  submissionMessage,
  validatePledge,
  visibilities,
} from './pledge-input.ts';

/** Suggestions only: any ISO 4217 code may be typed. */
const commonCurrencies = ['EUR', 'USD', 'GBP', 'CAD', 'NOK', 'SEK', 'DKK', 'PLN', 'CHF', 'AUD', 'NZD', 'JPY'];

function initialValues(): PledgeValues {
  return {
    donor: '',
    amount: '',
    currency: 'EUR',
    undisclosed: false,
    announcedOn: todayUtc(),
    forum: '',
    source: '',
    categories: [],
    visibility: 'public',
    notes: '',
  };
}

/**
 * The pledge form: a donor records its own, a coordinator one announced in public on a donor's
 * behalf. The submission carries an Idempotency-Key that a retry of the same values reuses, so a
 * pledge is recorded once however often the button is pressed.
 */
export function PledgeForm({
  api,
  categories,
  categoriesFailed,
  rules,
  onRecorded,
}: {
  readonly api: ApiClient;
  readonly categories: readonly CategoryJson[];
  readonly categoriesFailed: boolean;
  readonly rules: PledgeRules;
  readonly onRecorded: (pledge: PledgeJson) => void;
}) {
  const { t } = useI18n();
  const prefix = useId();
  const idOf = (field: PledgeField) => `${prefix}-${field}`;
  const [values, setValues] = useState<PledgeValues>(initialValues);
  const [errors, setErrors] = useState<PledgeFieldErrors>({});
  const [failure, setFailure] = useState<{ error: unknown; pledge: NewPledgeJson } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const keys = useRef(new SubmissionKeys());

  const set =
    (field: 'donor' | 'amount' | 'currency' | 'announcedOn' | 'forum' | 'source' | 'notes') =>
    (event: { target: { value: string } }) =>
      setValues((current) => ({
        ...current,
        [field]:
          field === 'currency' || field === 'donor' ? event.target.value.toUpperCase() : event.target.value,
      }));

  function toggleCategory(code: string, checked: boolean) {
    setValues((current) => ({
      ...current,
      categories: checked
        ? [...current.categories.filter((each) => each !== code), code]
        : current.categories.filter((each) => each !== code),
    }));
  }

  function focusFirst(failed: PledgeFieldErrors) {
    const first = pledgeFieldOrder.find((field) => failed[field]);
    if (!first) return;
    const target =
      first === 'earmark'
        ? document.querySelector<HTMLElement>(`[id="${idOf('earmark')}"] input`)
        : document.getElementById(idOf(first));
    target?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const checked = validatePledge(values, rules);
    setErrors(checked.errors);
    setFailure(null);
    if (!checked.pledge) {
      focusFirst(checked.errors);
      return;
    }
    const pledge = checked.pledge;
    setSubmitting(true);
    try {
      const recorded = await api.createPledge(pledge, keys.current.keyFor(pledge));
      keys.current.done();
      onRecorded(recorded);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return;
      const failed = error instanceof ApiError ? serverFieldErrors(error, pledge) : {};
      setErrors(failed);
      setFailure({ error, pledge });
      focusFirst(failed);
    } finally {
      setSubmitting(false);
    }
  }

  /** The ids that describe a field: its hint, then its error. */
  const describedBy = (field: PledgeField, hint: boolean) =>
    [hint ? `${idOf(field)}-hint` : '', errors[field] ? `${idOf(field)}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;

  const fieldError = (field: PledgeField) => {
    const message = errors[field];
    return message ? (
      <p id={`${idOf(field)}-error`} className="field-error">
        {message(t)}
      </p>
    ) : null;
  };

  const inputProps = (field: PledgeField, hint = false) => ({
    id: idOf(field),
    name: field,
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': describedBy(field, hint),
  });

  const hasErrors = Object.keys(errors).length > 0;
  const summary = failure
    ? submissionMessage(failure.error, failure.pledge, t)
    : hasErrors
      ? t.form.fixErrors
      : null;
  const optional = <span className="muted">({t.form.optional})</span>;
  const visibility = values.undisclosed ? 'amount-undisclosed' : values.visibility;

  return (
    <form className="pledge-form" noValidate onSubmit={submit}>
      <div role="alert">{summary && <p className="notice notice-error">{summary}</p>}</div>
      <div className="form-grid">
        {rules.fixedDonor === null && (
          <div className="field">
            <label htmlFor={idOf('donor')}>{t.pledgeForm.donor}</label>
            <input
              {...inputProps('donor', true)}
              type="text"
              maxLength={16}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              pattern="[A-Z][A-Z0-9\-]{1,15}"
              value={values.donor}
              onChange={set('donor')}
            />
            <p id={`${idOf('donor')}-hint`} className="hint">
              {t.pledgeForm.donorHint}
            </p>
            {fieldError('donor')}
          </div>
        )}
        <div className="field">
          <label htmlFor={idOf('announcedOn')}>{t.pledgeForm.announcedOn}</label>
          <input
            {...inputProps('announcedOn', true)}
            type="date"
            value={values.announcedOn}
            onChange={set('announcedOn')}
          />
          <p id={`${idOf('announcedOn')}-hint`} className="hint">
            {t.pledgeForm.dateHint}
          </p>
          {fieldError('announcedOn')}
        </div>

        <fieldset className="field-wide money-fieldset">
          <legend>{t.pledgeForm.money}</legend>
          <div className="money-fields">
            <div className="field">
              <label htmlFor={idOf('amount')}>{t.form.amount}</label>
              <input
                {...inputProps('amount', true)}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                disabled={values.undisclosed}
                value={values.undisclosed ? '' : values.amount}
                onChange={set('amount')}
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
                disabled={values.undisclosed}
                value={values.currency}
                onChange={set('currency')}
              />
              <datalist id={`${prefix}-currencies`}>
                {commonCurrencies.map((code) => (
                  <option key={code} value={code} />
                ))}
              </datalist>
              <p id={`${idOf('currency')}-hint`} className="hint">
                {t.form.currencyHint}
              </p>
              {fieldError('currency')}
            </div>
          </div>
          <div className="checkbox-field">
            <input
              id={`${prefix}-undisclosed`}
              type="checkbox"
              checked={values.undisclosed}
              aria-describedby={`${prefix}-undisclosed-hint`}
              onChange={(event) => {
                const undisclosed = event.target.checked;
                setValues((current) => ({ ...current, undisclosed }));
              }}
            />
            <div>
              <label htmlFor={`${prefix}-undisclosed`}>{t.pledgeForm.undisclosed}</label>
              <p id={`${prefix}-undisclosed-hint`} className="hint">
                {t.pledgeForm.undisclosedHint}
              </p>
            </div>
          </div>
        </fieldset>

        <div className="field">
          <label htmlFor={idOf('forum')}>
            {t.pledgeForm.forum} {optional}
          </label>
          <input
            {...inputProps('forum', true)}
            type="text"
            maxLength={pledgeLimits.forumLength}
            value={values.forum}
            onChange={set('forum')}
          />
          <p id={`${idOf('forum')}-hint`} className="hint">
            {t.pledgeForm.forumHint}
          </p>
          {fieldError('forum')}
        </div>
        <div className="field field-span-2">
          <label htmlFor={idOf('source')}>
            {t.pledgeForm.source} {!rules.sourceRequired && optional}
          </label>
          <input
            {...inputProps('source', true)}
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            maxLength={pledgeLimits.sourceLength}
            required={rules.sourceRequired}
            aria-required={rules.sourceRequired || undefined}
            value={values.source}
            onChange={set('source')}
          />
          <p id={`${idOf('source')}-hint`} className="hint">
            {t.pledgeForm.sourceHint}
          </p>
          {fieldError('source')}
        </div>

        <fieldset
          className="field-wide checkbox-fieldset"
          id={idOf('earmark')}
          aria-describedby={describedBy('earmark', true)}
        >
          <legend>
            {t.pledgeForm.earmark} {optional}
          </legend>
          <p id={`${idOf('earmark')}-hint`} className="hint">
            {categoriesFailed ? t.pledgeForm.categoriesFailed : t.pledgeForm.earmarkHint}
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
                    checked={values.categories.includes(category.code)}
                    onChange={(event) => toggleCategory(category.code, event.target.checked)}
                  />
                  <label htmlFor={id}>{category.name}</label>
                </div>
              );
            })}
          </div>
          {fieldError('earmark')}
        </fieldset>

        <div className="field">
          <label htmlFor={idOf('visibility')}>{t.pledgeForm.visibility}</label>
          <select
            {...inputProps('visibility', true)}
            value={visibility}
            disabled={values.undisclosed}
            onChange={(event) => {
              const chosen = visibilities.find((each) => each === event.target.value);
              if (chosen) setValues((current) => ({ ...current, visibility: chosen }));
            }}
          >
            {visibilities.map((each) => (
              <option key={each} value={each}>
                {t.visibilities[each]}
              </option>
            ))}
          </select>
          <p id={`${idOf('visibility')}-hint`} className="hint">
            {values.undisclosed ? t.pledgeForm.visibilityLocked : t.visibilityHints[visibility]}
          </p>
          {fieldError('visibility')}
        </div>
        <div className="field field-span-2">
          <label htmlFor={idOf('notes')}>
            {t.pledgeForm.notes} {optional}
          </label>
          <textarea
            {...inputProps('notes')}
            rows={3}
            maxLength={pledgeLimits.notesLength}
            value={values.notes}
            onChange={set('notes')}
          />
          {fieldError('notes')}
        </div>
      </div>
      <button type="submit" className="button button-primary" aria-disabled={submitting || undefined}>
        {submitting ? t.pledgeForm.submitting : t.pledgeForm.submit}
      </button>
    </form>
  );
}
