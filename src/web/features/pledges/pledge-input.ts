import type { NewPledgeJson, PledgeJson } from '../../../contract/index.ts';
import { ApiError } from '../../api/client.ts';
import { amountFromInput } from '../../format/money.ts';
import type { Messages } from '../../i18n/en.ts';
import { errorMessage } from '../../i18n/error-message.ts';

/** The server's limits (src/core/limits.ts and the contract), checked here first to name the field. */
export const pledgeLimits = {
  forumLength: 200,
  sourceLength: 2048,
  notesLength: 4_000,
  earmarkCategories: 50,
} as const;

type Visibility = PledgeJson['visibility'];

export const visibilities: readonly Visibility[] = ['public', 'amount-undisclosed', 'restricted'];

export type PledgeField =
  | 'donor'
  | 'amount'
  | 'currency'
  | 'announcedOn'
  | 'forum'
  | 'source'
  | 'earmark'
  | 'visibility'
  | 'notes';

export const pledgeFieldOrder: readonly PledgeField[] = [
  'donor',
  'amount',
  'currency',
  'announcedOn',
  'forum',
  'source',
  'earmark',
  'visibility',
  'notes',
];

/** Messages are functions of the catalogue, so that switching language translates them too. */
export type PledgeFieldErrors = Partial<Record<PledgeField, (t: Messages) => string>>;

export interface PledgeValues {
  readonly donor: string;
  readonly amount: string;
  readonly currency: string;
  /** The amount is not known: it is sent as null, with visibility amount-undisclosed. */
  readonly undisclosed: boolean;
  readonly announcedOn: string;
  readonly forum: string;
  readonly source: string;
  readonly categories: readonly string[];
  readonly visibility: Visibility;
  readonly notes: string;
}

export interface PledgeRules {
  /** A donor's own code: the donor field is then not asked. */
  readonly fixedDonor: string | null;
  /** A coordinator cites the public source. */
  readonly sourceRequired: boolean;
}

const donorPattern = /^[A-Z][A-Z0-9-]{1,15}$/;

/** A real calendar day written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * The form's values → the body of POST /api/v1/pledges, or the fields to fix. It checks what it
 * can (the currency's scale as the browser knows it, a positive amount, the source of a
 * coordinator's pledge); the server decides the rest.
 */
export function validatePledge(
  values: PledgeValues,
  rules: PledgeRules,
): { errors: PledgeFieldErrors; pledge?: NewPledgeJson } {
  const errors: PledgeFieldErrors = {};
  const donor = rules.fixedDonor ?? values.donor.trim().toUpperCase();
  if (!donor) errors.donor = (t) => t.form.required;
  else if (!donorPattern.test(donor)) errors.donor = (t) => t.pledgeForm.donorInvalid;

  let amount: NewPledgeJson['amount'] = null;
  if (!values.undisclosed) {
    const currency = values.currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) errors.currency = (t) => t.form.currencyInvalid;
    const parsed = amountFromInput(values.amount, currency);
    if (!values.amount.trim()) errors.amount = (t) => t.form.required;
    else if (!parsed.ok) {
      const scale = parsed.scale;
      errors.amount =
        parsed.reason === 'decimals' && scale !== undefined
          ? (t) => t.form.amountDecimals(currency, scale)
          : (t) => t.form.amountInvalid;
    } else if (!/[1-9]/.test(parsed.amount)) errors.amount = (t) => t.pledgeForm.amountPositive;
    else amount = { amount: parsed.amount, currency };
  }

  const announcedOn = values.announcedOn.trim();
  if (!isIsoDate(announcedOn)) errors.announcedOn = (t) => t.pledgeForm.dateInvalid;
  const forum = values.forum.trim();
  if (forum.length > pledgeLimits.forumLength) {
    errors.forum = (t) => t.form.tooLong(pledgeLimits.forumLength);
  }
  const source = values.source.trim();
  if (!source && rules.sourceRequired) errors.source = (t) => t.pledgeForm.sourceRequired;
  else if (source.length > pledgeLimits.sourceLength) {
    errors.source = (t) => t.form.tooLong(pledgeLimits.sourceLength);
  } else if (source && !isWebAddress(source)) errors.source = (t) => t.pledgeForm.sourceInvalid;
  if (values.categories.length > pledgeLimits.earmarkCategories) {
    errors.earmark = (t) => t.form.tooLong(pledgeLimits.earmarkCategories);
  }
  if (values.notes.length > pledgeLimits.notesLength) {
    errors.notes = (t) => t.form.tooLong(pledgeLimits.notesLength);
  }
  if (Object.keys(errors).length) return { errors };

  const notes = values.notes.trim();
  return {
    errors,
    pledge: {
      donor,
      amount,
      announcedOn,
      ...(forum ? { forum } : {}),
      ...(source ? { source } : {}),
      ...(values.categories.length ? { earmark: { categories: [...values.categories].sort() } } : {}),
      visibility: values.undisclosed ? 'amount-undisclosed' : values.visibility,
      ...(notes ? { notes } : {}),
    },
  };
}

/** The field a problem document's `errors[].path` points at ("/amount/currency" → currency). */
export function fieldOfPath(path: string): PledgeField | undefined {
  const [first, second] = path.replace(/^\//, '').split('/');
  if (first === 'amount') return second === 'currency' ? 'currency' : 'amount';
  if (first === 'earmark') return 'earmark';
  return pledgeFieldOrder.find((field) => field === first && field !== 'currency');
}

const fieldOfCode: Partial<Record<ApiError['code'], PledgeField>> = {
  MONEY_INVALID: 'amount',
  MONEY_SCALE_INVALID: 'amount',
  MONEY_OUT_OF_RANGE: 'amount',
  CURRENCY_UNKNOWN: 'currency',
  FX_RATE_MISSING: 'currency',
  ORGANIZATION_UNKNOWN: 'donor',
  FORBIDDEN: 'donor',
  CATEGORY_UNKNOWN: 'earmark',
  PACKAGE_UNKNOWN: 'earmark',
  PLEDGE_DATE_OUT_OF_ORDER: 'announcedOn',
};

/**
 * The fields the server refused, each with a sentence in the user's language: the code's message,
 * or for a contract violation the server's own words about the field (English only).
 */
export function serverFieldErrors(error: ApiError, pledge: NewPledgeJson): PledgeFieldErrors {
  const errors: PledgeFieldErrors = {};
  const byCode = fieldOfCode[error.code];
  if (error.code === 'FX_RATE_MISSING' && pledge.amount) {
    const { currency } = pledge.amount;
    errors.currency = (t) => t.pledgeForm.fxRateMissing(currency, pledge.announcedOn);
  } else if (byCode) errors[byCode] = (t) => errorMessage(t, error);
  for (const fieldError of error.errors) {
    const field = fieldOfPath(fieldError.path);
    if (!field || errors[field]) continue;
    if (error.code !== 'VALIDATION_FAILED') errors[field] = (t) => errorMessage(t, error);
    else if (field === 'source') errors.source = (t) => t.pledgeForm.sourceRequired;
    else errors[field] = (t) => t.pledgeForm.notAccepted(fieldError.message);
  }
  return errors;
}

/** The sentence above the form for a refused submission. */
export function submissionMessage(error: unknown, pledge: NewPledgeJson | null, t: Messages): string {
  if (error instanceof ApiError && error.code === 'FX_RATE_MISSING' && pledge?.amount) {
    return t.pledgeForm.fxRateMissing(pledge.amount.currency, pledge.announcedOn);
  }
  return errorMessage(t, error);
}
