import { assert } from '../errors.ts';
import { Limits } from '../limits.ts';
import type { CurrencyCode } from '../money/currency.ts';

/**
 * A ledger account, named the way hledger names accounts: components separated by colons, from the
 * general to the particular (`pledges:committed:GBR`). A component is a lower-case word
 * (`pledges`, `committed`) or an upper-case code (`GBR`, `PKG-9`, `EUR-USD`), never a space, so the
 * plain-text journal cannot be misread. See docs/ledger.md for the chart of accounts.
 */
export type AccountName = string;

const componentPattern = /^(?:[a-z][a-z0-9-]*|[A-Z][A-Z0-9-]*)$/;
const codePattern = /^[A-Z][A-Z0-9-]*$/;

/** The top-level accounts; hledger gives assets, income and equity their usual meaning. */
export const topLevelAccounts = [
  'assets',
  'liabilities',
  'equity',
  'income',
  'expenses',
  'pledges',
  'donors',
  'packages',
  'allocations',
] as const;

export const pledgeStageAccounts = ['announced', 'committed', 'paid'] as const;
export type PledgeStageAccount = (typeof pledgeStageAccounts)[number];

function code(value: string, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what} is a code string`);
  assert(codePattern.test(value), `${what} '${value.slice(0, 20)}' is an upper-case code`);
  return value;
}

export const Account = {
  /** True for a well-formed name under one of `topLevelAccounts`, within the length and depth limits. */
  isValid(name: string): boolean {
    if (typeof name !== 'string') throw new TypeError('Account.isValid takes an account name string');
    if (name.length === 0 || name.length > Limits.accountNameLengthMax) return false;
    const components = name.split(':');
    return (
      components.length <= Limits.accountDepthMax &&
      (topLevelAccounts as readonly string[]).includes(components[0] ?? '') &&
      components.every((component) => componentPattern.test(component))
    );
  },

  /** True when `name` is `ancestor` or one of its sub-accounts (hledger's tree). */
  isWithin(name: AccountName, ancestor: AccountName): boolean {
    if (typeof name !== 'string' || typeof ancestor !== 'string') {
      throw new TypeError('Account.isWithin takes account name strings');
    }
    return name === ancestor || name.startsWith(`${ancestor}:`);
  },

  /** Memorandum: the money a donor has announced, net of reversals (a credit balance). */
  donor(donorCode: string): AccountName {
    return `donors:${code(donorCode, 'A donor code')}`;
  },

  /** Memorandum: the money of a donor's pledges that is at `stage` now (a debit balance). */
  pledges(stage: PledgeStageAccount, donorCode: string): AccountName {
    assert((pledgeStageAccounts as readonly string[]).includes(stage), `'${stage}' is a pledge stage`);
    return `pledges:${stage}:${code(donorCode, 'A donor code')}`;
  },

  /** The money received and held for the programme, every currency a commodity of one account. */
  pool: 'assets:pool' as AccountName,

  /** The money received from a donor (a credit balance); its mirror is `pledges:paid:<DONOR>`. */
  contributions(donorCode: string): AccountName {
    return `income:contributions:${code(donorCode, 'A donor code')}`;
  },

  /** The USD allocated to a package (a debit balance): what its active allocations sum to. */
  package(packageRef: string): AccountName {
    return `packages:${code(packageRef, 'A package reference')}`;
  },

  /** The money of a donor's pledges allocated to packages, in the pledges' own currencies (a credit). */
  allocations(donorCode: string): AccountName {
    return `allocations:${code(donorCode, 'A donor code')}`;
  },

  /**
   * The exchange account of a conversion from `from` into `to`, one per currency of the pair, named
   * as hledger names them (`equity:conversion:EUR-USD:EUR`, `equity:conversion:EUR-USD:USD`).
   */
  conversion(from: CurrencyCode, to: CurrencyCode, currency: CurrencyCode): AccountName {
    assert(currency === from || currency === to, 'a conversion account holds one currency of its pair');
    return `equity:conversion:${code(from, 'A currency')}-${code(to, 'A currency')}:${currency}`;
  },
} as const;
