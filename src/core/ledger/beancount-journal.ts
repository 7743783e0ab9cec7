import { assert } from '../errors.ts';
import { Currency, type CurrencyCode } from '../money/currency.ts';
import { Fraction } from '../money/fraction.ts';
import { Money } from '../money/money.ts';
import type { AccountName } from './account.ts';
import type { IdentifiedEntry } from './hledger-journal.ts';
import type { ConversionRecord, Posting } from './journal-entry.ts';

export interface BeancountJournalOptions {
  /** Every currency the entries use: one `commodity` directive each. */
  readonly currencies: Iterable<CurrencyCode>;
  /** Every account the entries use: one `open` directive each, before any entry. */
  readonly accounts: Iterable<AccountName>;
  /** When the journal was written, for its opening comment (the core reads no clock). */
  readonly exportedAt?: string;
  /** Entries are joined into chunks of about this many characters (the last may be shorter). */
  readonly chunkSize?: number;
}

/** Beancount's five account types; PURL Desk's own top-level names map onto them. */
const beancountRoots: Readonly<Record<string, string>> = {
  assets: 'Assets',
  liabilities: 'Liabilities',
  equity: 'Equity',
  income: 'Income',
  expenses: 'Expenses',
};
/** Where the memorandum accounts (pledges, donors, packages, allocations) go: they balance each other. */
const memorandumRoot = 'Equity:Memorandum';
// Beancount opens accounts by date; every account is opened before any entry, whatever its date.
const openedOn = '1970-01-01';
const indent = '  ';
const amountEndColumn = 60;
const defaultChunkSize = 64 * 1024;
const beancountComponent = /^[\p{Lu}\p{Nd}][\p{L}\p{Nd}-]*$/u;
const metadataKey = /^[a-z][a-zA-Z0-9_-]*$/;
const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const controlCharacters = /\p{Cc}/gu;

/** A double-quoted Beancount string: backslash and quote escaped, one line. */
function quoted(text: string): string {
  return `"${text.replace(controlCharacters, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function capitalised(component: string): string {
  return component.charAt(0).toUpperCase() + component.slice(1);
}

function checkId(id: unknown, what: string): string {
  assert(typeof id === 'string' && idPattern.test(id), `${what} is an id without spaces or punctuation`);
  return id;
}

function metadataLine(key: string, value: string): string {
  assert(metadataKey.test(key), `'${key.slice(0, 40)}' is a metadata key`);
  return `${indent}${key}: ${quoted(value)}\n`;
}

function postingLine(posting: Posting): string {
  const account = BeancountJournal.account(posting.account);
  const number = Money.format(posting.amount);
  const gap = Math.max(2, amountEndColumn - account.length - number.length);
  return `${indent}${account}${' '.repeat(gap)}${number} ${posting.amount.currency}\n`;
}

function conversionLines(conversion: ConversionRecord): string {
  const target = conversion.to.currency;
  const residue = Fraction.parse(conversion.residue);
  assert(residue !== undefined, `the residue '${conversion.residue.slice(0, 40)}' is an exact number`);
  return (
    metadataLine('rate', conversion.rate) +
    metadataLine('pair', `${conversion.rateBase}/${conversion.rateQuote}`) +
    metadataLine('rate-date', conversion.rateDate) +
    metadataLine('rate-source', conversion.rateSource) +
    metadataLine('rounding', conversion.rounding) +
    metadataLine('residue', `${conversion.residue} ${target}`)
  );
}

/**
 * Writes journal entries as a Beancount ledger (docs/ledger.md, "The journal for Beancount"):
 *
 *     2026-04-01 * "GBR pledge P-1 paid"
 *       entry: "e7"
 *       pledge: "p1"
 *       stage: "paid"
 *       Equity:Memorandum:Pledges:Paid:GBR          150000000.00 GBP
 *       Equity:Memorandum:Pledges:Committed:GBR    -150000000.00 GBP
 *
 * Beancount allows only its five account types at the top, each component starting with a capital
 * letter or a digit: `assets:pool` is `Assets:Pool`, and the memorandum accounts, which are no
 * money anyone holds, go under `Equity:Memorandum` (`pledges:paid:GBR` is
 * `Equity:Memorandum:Pledges:Paid:GBR`), where they balance each other to zero. Amounts are exact
 * decimals at the currency's scale; a conversion is its four postings with no price, each currency
 * balancing on its own, its rate and residue in metadata. Tags become metadata (`stage: "paid"`).
 */
export const BeancountJournal = {
  fileExtension: 'beancount',

  /** The Beancount name of a PURL Desk account; `accountOf` undoes it for the chart of docs/ledger.md. */
  account(name: AccountName): string {
    const [root = '', ...rest] = name.split(':');
    const mapped = beancountRoots[root];
    const components = mapped
      ? [mapped, ...rest.map(capitalised)]
      : [memorandumRoot, capitalised(root), ...rest.map(capitalised)];
    const account = components.join(':');
    assert(
      account.split(':').every((component) => beancountComponent.test(component)),
      `account '${name.slice(0, 60)}' maps to a Beancount account name`,
    );
    return account;
  },

  /** The PURL Desk account of a Beancount name written by `account`. */
  accountOf(beancountName: string): AccountName {
    const memorandum = `${memorandumRoot}:`;
    const tail = beancountName.startsWith(memorandum)
      ? beancountName.slice(memorandum.length)
      : beancountName;
    return (
      tail
        .split(':')
        // A word was capitalised (it has lower-case letters); a code was written as it is.
        .map((component) => (/[a-z]/.test(component) ? component.toLowerCase() : component))
        .join(':')
    );
  },

  /** The opening comment, options, one commodity per currency and one open directive per account. */
  preamble(options: Pick<BeancountJournalOptions, 'currencies' | 'accounts' | 'exportedAt'>): string {
    const currencies = [...new Set(options.currencies)].sort();
    const accounts = [
      ...new Set([...options.accounts].map((account) => BeancountJournal.account(account))),
    ].sort();
    let text =
      '; PURL Desk ledger for Beancount: every entry of the funding ledger, in journal order (docs/ledger.md).\n';
    if (options.exportedAt !== undefined)
      text += `; Exported ${options.exportedAt.replace(controlCharacters, ' ')}.\n`;
    text += '; Amounts are exact, in each currency at its ISO 4217 scale; nothing is converted by a price.\n';
    text += `; Memorandum accounts (promised money nobody holds yet) are under ${memorandumRoot}.\n\n`;
    text += `option "title" ${quoted('PURL Desk funding ledger')}\n`;
    text += 'option "operating_currency" "USD"\n\n';
    for (const currency of currencies) {
      assert(Currency.isKnown(currency), `'${String(currency).slice(0, 10)}' is a currency`);
      text += `${openedOn} commodity ${currency}\n`;
    }
    if (currencies.length) text += '\n';
    for (const account of accounts) text += `${openedOn} open ${account}\n`;
    return `${text}\n`;
  },

  /** One transaction: the header, the entry id and tags as metadata, conversion facts, the postings. */
  entry(entry: IdentifiedEntry): string {
    if (typeof entry !== 'object' || entry === null || !Array.isArray(entry.postings)) {
      throw new TypeError('BeancountJournal.entry takes a journal entry with its id');
    }
    const id = checkId(entry.id, 'an entry id');
    assert(
      typeof entry.description === 'string' && entry.description.trim().length > 0,
      'an entry has a description',
    );
    let text = `${entry.date} * ${quoted(entry.description)}\n`;
    text += metadataLine('entry', id);
    for (const [name, value] of Object.entries(entry.tags)) text += metadataLine(name, value);
    if (entry.reverses !== null && !Object.hasOwn(entry.tags, 'reverses')) {
      text += metadataLine('reverses', checkId(entry.reverses, 'the reversed entry id'));
    }
    if (entry.conversion !== null) text += conversionLines(entry.conversion);
    for (const posting of entry.postings) text += postingLine(posting);
    return `${text}\n`;
  },

  /** The whole ledger, lazily, in chunks of about `chunkSize` characters (see HledgerJournal.write). */
  async *write(
    entries: AsyncIterable<IdentifiedEntry> | Iterable<IdentifiedEntry>,
    options: BeancountJournalOptions,
  ): AsyncGenerator<string> {
    const chunkSize = options.chunkSize ?? defaultChunkSize;
    assert(Number.isSafeInteger(chunkSize) && chunkSize > 0, 'the chunk size is a positive integer');
    let chunk = BeancountJournal.preamble(options);
    for await (const entry of entries) {
      chunk += BeancountJournal.entry(entry);
      if (chunk.length >= chunkSize) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length) yield chunk;
  },
} as const;
