import { type FormEvent, useId, useState } from 'react';
import type { CategoryJson, NewRequirementJson, RequirementJson } from '../../../contract/index.ts';
import { type ApiClient, ApiError } from '../../api/client.ts';
import { amountFromInput } from '../../format/money.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';

/** The server's limits (src/core/limits.ts), checked here first so that the message names the field. */
const titleLengthMax = 200;
const unitLengthMax = 40;
const notesLengthMax = 4_000;
const quantityMax = 1_000_000_000;

/** Suggestions only: any ISO 4217 code may be typed. */
const commonCurrencies = ['USD', 'EUR', 'GBP', 'CAD', 'NOK', 'SEK', 'DKK', 'PLN', 'CHF', 'JPY', 'AUD'];

type Field = 'title' | 'category' | 'quantity' | 'unit' | 'amount' | 'currency' | 'notes';
const fieldOrder: readonly Field[] = ['title', 'category', 'quantity', 'unit', 'amount', 'currency', 'notes'];

/** Messages are kept as functions of the catalogue, so that switching language translates them too. */
type FieldErrors = Partial<Record<Field, (t: Messages) => string>>;

interface Values {
  readonly title: string;
  readonly category: string;
  readonly quantity: string;
  readonly unit: string;
  readonly amount: string;
  readonly currency: string;
  readonly notes: string;
}

const emptyValues: Values = {
  title: '',
  category: '',
  quantity: '',
  unit: '',
  amount: '',
  currency: 'USD',
  notes: '',
};

function validate(values: Values): { errors: FieldErrors; requirement?: NewRequirementJson } {
  const errors: FieldErrors = {};
  const title = values.title.trim();
  const unit = values.unit.trim();
  if (!title) errors.title = (t) => t.form.required;
  else if (title.length > titleLengthMax) errors.title = (t) => t.form.tooLong(titleLengthMax);
  if (!values.category) errors.category = (t) => t.form.chooseOne;
  const quantity = /^\d{1,10}$/.test(values.quantity.trim())
    ? Number.parseInt(values.quantity.trim(), 10)
    : Number.NaN;
  if (!(quantity >= 1 && quantity <= quantityMax)) errors.quantity = (t) => t.form.quantityInvalid;
  if (!unit) errors.unit = (t) => t.form.required;
  else if (unit.length > unitLengthMax) errors.unit = (t) => t.form.tooLong(unitLengthMax);
  const currency = values.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) errors.currency = (t) => t.form.currencyInvalid;
  const amount = amountFromInput(values.amount, currency);
  if (!values.amount.trim()) errors.amount = (t) => t.form.required;
  else if (!amount.ok) {
    const scale = amount.scale;
    errors.amount =
      amount.reason === 'decimals' && scale !== undefined
        ? (t) => t.form.amountDecimals(currency, scale)
        : (t) => t.form.amountInvalid;
  }
  if (values.notes.length > notesLengthMax) errors.notes = (t) => t.form.tooLong(notesLengthMax);
  if (Object.keys(errors).length || !amount.ok) return { errors };
  return {
    errors,
    requirement: {
      title,
      category: values.category,
      quantity,
      unit,
      unitCost: { amount: amount.amount, currency },
      ...(values.notes.trim() ? { notes: values.notes.trim() } : {}),
    },
  };
}

const fieldOfPath: Readonly<Record<string, Field>> = {
  '/title': 'title',
  '/category': 'category',
  '/quantity': 'quantity',
  '/unit': 'unit',
  '/unitCost': 'amount',
  '/unitCost/amount': 'amount',
  '/unitCost/currency': 'currency',
  '/notes': 'notes',
};

const fieldOfCode: Partial<Record<ApiError['code'], Field>> = {
  MONEY_INVALID: 'amount',
  MONEY_SCALE_INVALID: 'amount',
  MONEY_OUT_OF_RANGE: 'amount',
  CURRENCY_UNKNOWN: 'currency',
  CATEGORY_UNKNOWN: 'category',
};

/** The fields the server refused, with the message of its code (its own words are English only). */
function serverFieldErrors(error: ApiError): FieldErrors {
  const errors: FieldErrors = {};
  const message = (t: Messages) => errorMessage(t, error);
  const byCode = fieldOfCode[error.code];
  if (byCode) errors[byCode] = message;
  for (const fieldError of error.errors) {
    const field = fieldOfPath[fieldError.path];
    if (field) errors[field] = message;
  }
  return errors;
}

export function RequirementForm({
  api,
  categories,
  onCreated,
}: {
  readonly api: ApiClient;
  readonly categories: readonly CategoryJson[];
  readonly onCreated: (requirement: RequirementJson) => void;
}) {
  const { t } = useI18n();
  const prefix = useId();
  const idOf = (field: Field) => `${prefix}-${field}`;
  const [values, setValues] = useState<Values>(emptyValues);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const set = (field: keyof Values) => (event: { target: { value: string } }) =>
    setValues((current) => ({
      ...current,
      [field]: field === 'currency' ? event.target.value.toUpperCase() : event.target.value,
    }));

  function focusFirst(failed: FieldErrors) {
    const first = fieldOrder.find((field) => failed[field]);
    if (first) document.getElementById(idOf(first))?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const checked = validate(values);
    setErrors(checked.errors);
    setFormError(null);
    if (!checked.requirement) {
      focusFirst(checked.errors);
      return;
    }
    setSubmitting(true);
    try {
      const created = await api.createRequirement(checked.requirement);
      setValues({ ...emptyValues, category: values.category, currency: values.currency });
      onCreated(created);
    } catch (error) {
      const failed = error instanceof ApiError ? serverFieldErrors(error) : {};
      setErrors(failed);
      setFormError(error);
      focusFirst(failed);
    } finally {
      setSubmitting(false);
    }
  }

  /** The ids that describe a field: its hint, then its error. */
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

  const hasErrors = Object.keys(errors).length > 0;
  const summary = formError ? errorMessage(t, formError) : hasErrors ? t.form.fixErrors : null;

  return (
    <section className="panel" aria-labelledby={`${prefix}-heading`}>
      <h2 id={`${prefix}-heading`}>{t.form.heading}</h2>
      <p className="muted">{t.form.intro}</p>
      <form className="requirement-form" noValidate onSubmit={submit}>
        <div role="alert">{summary && <p className="notice notice-error">{summary}</p>}</div>
        <div className="form-grid">
          <div className="field field-wide">
            <label htmlFor={idOf('title')}>{t.form.title}</label>
            <input
              {...inputProps('title')}
              type="text"
              maxLength={titleLengthMax}
              value={values.title}
              onChange={set('title')}
            />
            {fieldError('title')}
          </div>
          <div className="field">
            <label htmlFor={idOf('category')}>{t.form.category}</label>
            <select {...inputProps('category')} value={values.category} onChange={set('category')}>
              <option value="">{t.form.chooseCategory}</option>
              {categories.map((category) => (
                <option key={category.code} value={category.code}>
                  {category.name}
                </option>
              ))}
            </select>
            {fieldError('category')}
          </div>
          <div className="field">
            <label htmlFor={idOf('quantity')}>{t.form.quantity}</label>
            <input
              {...inputProps('quantity')}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={values.quantity}
              onChange={set('quantity')}
            />
            {fieldError('quantity')}
          </div>
          <div className="field">
            <label htmlFor={idOf('unit')}>{t.form.unit}</label>
            <input
              {...inputProps('unit', true)}
              type="text"
              maxLength={unitLengthMax}
              value={values.unit}
              onChange={set('unit')}
            />
            <p id={`${idOf('unit')}-hint`} className="hint">
              {t.form.unitHint}
            </p>
            {fieldError('unit')}
          </div>
          <fieldset className="field-wide money-fieldset">
            <legend>{t.form.unitCost}</legend>
            <div className="money-fields">
              <div className="field">
                <label htmlFor={idOf('amount')}>{t.form.amount}</label>
                <input
                  {...inputProps('amount', true)}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  value={values.amount}
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
          </fieldset>
          <div className="field field-wide">
            <label htmlFor={idOf('notes')}>
              {t.form.notes} <span className="muted">({t.form.optional})</span>
            </label>
            <textarea
              {...inputProps('notes')}
              rows={3}
              maxLength={notesLengthMax}
              value={values.notes}
              onChange={set('notes')}
            />
            {fieldError('notes')}
          </div>
        </div>
        <button type="submit" className="button button-primary" aria-disabled={submitting || undefined}>
          {submitting ? t.form.submitting : t.form.submit}
        </button>
      </form>
    </section>
  );
}
