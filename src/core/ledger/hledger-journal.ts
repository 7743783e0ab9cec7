import { assert } from '../errors.ts';
import { Currency, type CurrencyCode } from '../money/currency.ts';
import { Fraction } from '../money/fraction.ts';
import { Money } from '../money/money.ts';
import type { ConversionRecord, JournalEntry, Posting } from './journal-entry.ts';

/** A journal entry with the id the store gave it: what an export writes. */
export interface IdentifiedEntry extends JournalEntry {
  readonly id: string;
}

export interface HledgerJournalOptions {
  /**
   * Every currency the entries use. Each gets a commodity directive at the top of the file, so that
   * hledger shows each currency at its ISO 4217 scale (`0.00 GBP`, `0 JPY`) whatever it reads first.
   */
  readonly currencies: Iterable<CurrencyCode>;
  /** When the journal was written, for its opening comment (the core reads no clock). */
  readonly exportedAt?: string;
  /** Entries are joined into chunks of about this many characters (the last may be shorter). */
  readonly chunkSize?: number;
}

const postingIndent = '    ';
// The amount's last digit sits at this column (after the indent), as in docs/ledger.md: the file
// reads as a table, and an account of any length keeps the two spaces hledger needs before it.
const amountEndColumn = 52;
const defaultChunkSize = 64 * 1024;
// At the start of a description hledger and ledger-cli read `*`/`!` as a status and `(` as a code.
const descriptionStartsAsMarker = /^[*!(]/;
const descriptionForbidden = /[;\p{Cc}]/u;
const tagValueForbidden = /[,;\p{Cc}]/u;
const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Conversion facts are free text from the rate's source; a comment stays on its own line.
const controlCharacters = /\p{Cc}/gu;

function oneLine(text: string): string {
  return text.replace(controlCharacters, ' ');
}

function checkId(id: unknown, what: string): string {
  assert(typeof id === 'string' && idPattern.test(id), `${what} is an id without spaces or punctuation`);
  return id;
}

function postingLine(posting: Posting): string {
  const number = Money.format(posting.amount);
  const gap = Math.max(2, amountEndColumn - posting.account.length - number.length);
  return `${postingIndent}${posting.account}${' '.repeat(gap)}${number} ${posting.amount.currency}\n`;
}

function conversionLines(conversion: ConversionRecord): string {
  const target = conversion.to.currency;
  const residue = Fraction.parse(conversion.residue);
  assert(residue !== undefined, `the residue '${conversion.residue.slice(0, 40)}' is an exact number`);
  // A residue with no finite decimal is written exactly as a fraction; the decimal is for a reader.
  const approximate = Fraction.isDecimal(residue)
    ? ''
    : ` (about ${Fraction.toFixed(residue, Currency.scale(target) + 5, 'half-even')} ${target})`;
  return (
    `${postingIndent}; rate:${oneLine(conversion.rate)}, pair:${conversion.rateBase}/${conversion.rateQuote}, ` +
    `rate-date:${conversion.rateDate}, rate-source:${oneLine(conversion.rateSource).replace(/,/g, ' ')}\n` +
    `${postingIndent}; rounding:${conversion.rounding}, residue:${conversion.residue} ${target}${approximate}\n`
  );
}

/**
 * Writes journal entries as an hledger journal (docs/ledger.md, "Writing the journal for hledger"),
 * which Debian's hledger 1.25 and ledger-cli 3.3 read and balance to the same figures as
 * `Ledger.balances`:
 *
 *     commodity 1000.00 GBP
 *
 *     2026-04-01 GBR pledge P-1 paid  ; pledge:p1, stage:paid
 *         ; entry:e7
 *         pledges:paid:GBR                        150000000.00 GBP
 *         pledges:committed:GBR                  -150000000.00 GBP
 *
 * Amounts are exact decimals at the currency's scale with the ISO code as the commodity. A
 * conversion is written as its four postings, each currency balancing on its own, with the rate,
 * its date and source, the rounding and the residue in comments: no `@` price, so neither tool
 * converts anything itself. The entry id is the `entry` tag.
 */
export const HledgerJournal = {
  fileExtension: 'journal',

  /** The opening comment and one commodity directive per currency, each at its ISO 4217 scale. */
  preamble(options: Pick<HledgerJournalOptions, 'currencies' | 'exportedAt'>): string {
    const currencies = [...new Set(options.currencies)].sort();
    let text = '; PURL Desk journal: every entry of the funding ledger, in journal order (docs/ledger.md).\n';
    if (options.exportedAt !== undefined) text += `; Exported ${oneLine(options.exportedAt)}.\n`;
    text += '; Amounts are exact, in each currency at its ISO 4217 scale; nothing is converted by a price.\n';
    if (currencies.length) text += '\n';
    for (const currency of currencies) {
      assert(Currency.isKnown(currency), `'${String(currency).slice(0, 10)}' is a currency`);
      // hledger wants a decimal mark in the directive even for a currency without decimals ("1000.").
      text += `commodity 1000.${'0'.repeat(Currency.scale(currency))} ${currency}\n`;
    }
    return `${text}\n`;
  },

  /** One entry: the header line with its tags, the entry id, conversion facts, the postings, a blank line. */
  entry(entry: IdentifiedEntry): string {
    if (typeof entry !== 'object' || entry === null || !Array.isArray(entry.postings)) {
      throw new TypeError('HledgerJournal.entry takes a journal entry with its id');
    }
    const id = checkId(entry.id, 'an entry id');
    assert(
      typeof entry.description === 'string' &&
        entry.description.trim().length > 0 &&
        !descriptionForbidden.test(entry.description),
      'an entry description is one line of text without ";"',
    );
    const tags: string[] = [];
    for (const [name, value] of Object.entries(entry.tags)) {
      assert(/^[a-z][a-z0-9-]*$/.test(name), `'${name.slice(0, 40)}' is a tag name`);
      assert(!tagValueForbidden.test(value), `tag '${name}' has a value without commas`);
      tags.push(`${name}:${value}`);
    }
    if (entry.reverses !== null && !Object.hasOwn(entry.tags, 'reverses')) {
      tags.push(`reverses:${checkId(entry.reverses, 'the reversed entry id')}`);
    }
    // A description that would be read as a status or a code gets the entry id as its code first.
    const code = descriptionStartsAsMarker.test(entry.description) ? `(${id}) ` : '';
    let text = `${entry.date} ${code}${entry.description}${tags.length ? `  ; ${tags.join(', ')}` : ''}\n`;
    text += `${postingIndent}; entry:${id}\n`;
    if (entry.conversion !== null) text += conversionLines(entry.conversion);
    for (const posting of entry.postings) text += postingLine(posting);
    return `${text}\n`;
  },

  /**
   * The whole journal, lazily: the preamble, then every entry in the order given, joined into chunks
   * of about `chunkSize` characters. The entries may come from an async source (the store's batches),
   * so a journal of a million postings is written without ever being one string.
   */
  async *write(
    entries: AsyncIterable<IdentifiedEntry> | Iterable<IdentifiedEntry>,
    options: HledgerJournalOptions,
  ): AsyncGenerator<string> {
    const chunkSize = options.chunkSize ?? defaultChunkSize;
    assert(Number.isSafeInteger(chunkSize) && chunkSize > 0, 'the chunk size is a positive integer');
    let chunk = HledgerJournal.preamble(options);
    for await (const entry of entries) {
      chunk += HledgerJournal.entry(entry);
      if (chunk.length >= chunkSize) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length) yield chunk;
  },
} as const;
