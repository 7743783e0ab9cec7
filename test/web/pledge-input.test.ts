import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/web/api/client.ts';
import { SubmissionKeys } from '../../src/web/api/idempotency-key.ts';
import {
  fieldOfPath,
  type PledgeValues,
  serverFieldErrors,
  validatePledge,
} from '../../src/web/features/pledges/pledge-input.ts';
import { en } from '../../src/web/i18n/en.ts';
import { uk } from '../../src/web/i18n/uk.ts';

const values: PledgeValues = {
  donor: 'gbr',
  amount: '150 000 000',
  currency: 'gbp',
  undisclosed: false,
  announcedOn: '2026-02-11',
  forum: ' UDCG, Brussels ',
  source: 'https://www.gov.uk/news',
  categories: ['rocket-artillery', 'air-defence'],
  visibility: 'public',
  notes: '',
};
const coordinator = { fixedDonor: null, sourceRequired: true };
const donor = { fixedDonor: 'GBR', sourceRequired: false };

describe('validatePledge', () => {
  it('turns what a coordinator typed into the exact body of the API', () => {
    expect(validatePledge(values, coordinator)).toEqual({
      errors: {},
      pledge: {
        donor: 'GBR',
        amount: { amount: '150000000.00', currency: 'GBP' },
        announcedOn: '2026-02-11',
        forum: 'UDCG, Brussels',
        source: 'https://www.gov.uk/news',
        earmark: { categories: ['air-defence', 'rocket-artillery'] },
        visibility: 'public',
      },
    });
  });

  it('sends a null amount with visibility amount-undisclosed when the amount is not disclosed', () => {
    const checked = validatePledge(
      { ...values, undisclosed: true, amount: 'not a number', visibility: 'restricted' },
      coordinator,
    );
    expect(checked.errors).toEqual({});
    expect(checked.pledge?.amount).toBeNull();
    expect(checked.pledge?.visibility).toBe('amount-undisclosed');
  });

  it('rejects an amount with too many decimals for its currency, naming the scale', () => {
    const checked = validatePledge({ ...values, amount: '150000000.001' }, coordinator);
    expect(checked.pledge).toBeUndefined();
    expect(checked.errors.amount?.(en)).toBe(en.form.amountDecimals('GBP', 2));
    expect(
      validatePledge({ ...values, amount: '5.5', currency: 'JPY' }, coordinator).errors.amount?.(en),
    ).toBe(en.form.amountDecimals('JPY', 0));
  });

  it('rejects a zero pledge', () => {
    expect(validatePledge({ ...values, amount: '0,00' }, coordinator).errors.amount?.(en)).toBe(
      en.pledgeForm.amountPositive,
    );
  });

  it('requires the source of a coordinator’s pledge but not of a donor’s own', () => {
    expect(validatePledge({ ...values, source: ' ' }, coordinator).errors.source?.(uk)).toBe(
      uk.pledgeForm.sourceRequired,
    );
    const own = validatePledge({ ...values, source: '', donor: 'ignored' }, donor);
    expect(own.errors).toEqual({});
    expect(own.pledge?.donor).toBe('GBR');
    expect(own.pledge).not.toHaveProperty('source');
  });

  it('refuses a source that is not a web address, such as a javascript: URL', () => {
    for (const source of ['javascript:alert(1)', 'www.gov.uk', 'ftp://example.org/x']) {
      expect(validatePledge({ ...values, source }, coordinator).errors.source?.(en)).toBe(
        en.pledgeForm.sourceInvalid,
      );
    }
  });

  it('refuses a malformed donor code and an impossible date', () => {
    const checked = validatePledge({ ...values, donor: 'G', announcedOn: '2026-02-30' }, coordinator);
    expect(Object.keys(checked.errors).sort()).toEqual(['announcedOn', 'donor']);
  });
});

describe('server errors next to the fields', () => {
  const body = validatePledge(values, coordinator).pledge;
  if (!body) throw new Error('the sample values are valid');

  it('maps problem+json paths to the fields of the form', () => {
    expect(fieldOfPath('/amount/amount')).toBe('amount');
    expect(fieldOfPath('/amount')).toBe('amount');
    expect(fieldOfPath('/amount/currency')).toBe('currency');
    expect(fieldOfPath('/earmark/categories/0')).toBe('earmark');
    expect(fieldOfPath('/source')).toBe('source');
    expect(fieldOfPath('/currency')).toBeUndefined();
    expect(fieldOfPath('headers:/idempotency-key')).toBeUndefined();
  });

  it('says which currency and date lack a rate when FX_RATE_MISSING', () => {
    const errors = serverFieldErrors(new ApiError(422, 'FX_RATE_MISSING', 'no rate'), body);
    expect(errors.currency?.(en)).toBe(en.pledgeForm.fxRateMissing('GBP', '2026-02-11'));
  });

  it('shows an unknown donor at the donor field and the server’s words for a contract violation', () => {
    const unknown = serverFieldErrors(
      new ApiError(422, 'ORGANIZATION_UNKNOWN', 'x', [{ path: '/donor', message: 'unknown donor' }]),
      body,
    );
    expect(unknown.donor?.(uk)).toBe(uk.errors.byCode.ORGANIZATION_UNKNOWN);
    const invalid = serverFieldErrors(
      new ApiError(400, 'VALIDATION_FAILED', 'x', [{ path: '/forum', message: 'must be shorter' }]),
      body,
    );
    expect(invalid.forum?.(en)).toBe(en.pledgeForm.notAccepted('must be shorter'));
  });
});

describe('SubmissionKeys', () => {
  it('reuses the key for a retry of the same body and takes a new one for changed values or after a success', () => {
    const keys = new SubmissionKeys();
    const first = keys.keyFor({ a: 1 });
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys.keyFor({ a: 1 })).toBe(first);
    const second = keys.keyFor({ a: 2 });
    expect(second).not.toBe(first);
    keys.done();
    expect(keys.keyFor({ a: 2 })).not.toBe(second);
  });
});
