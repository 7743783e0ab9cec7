import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { InvariantViolation } from '../../src/core/errors.ts';
import { Account } from '../../src/core/ledger/account.ts';
import { HledgerJournal, type IdentifiedEntry } from '../../src/core/ledger/hledger-journal.ts';
import { JournalEntry } from '../../src/core/ledger/journal-entry.ts';
import { Ledger } from '../../src/core/ledger/ledger.ts';
import { Currency } from '../../src/core/money/currency.ts';
import { Money } from '../../src/core/money/money.ts';
import { Rate } from '../../src/core/money/rate.ts';
import {
  differences,
  hledgerBalances,
  hledgerCheck,
  ledgerCliBalances,
  purlFigures,
} from '../support/plain-text-accounting.ts';

const gbp = Currency.parse('GBP');
const usd = Currency.parse('USD');

function stage(id: string, date: string, donor: string, ref: string, to: 'announced' | 'committed' | 'paid') {
  return (previous: 'announced' | 'committed' | null, amount: Money, pledge: string): IdentifiedEntry => {
    const postings = [
      { account: Account.pledges(to, donor), amount },
      {
        account: previous === null ? Account.donor(donor) : Account.pledges(previous, donor),
        amount: Money.negate(amount),
      },
    ];
    if (to === 'paid') {
      postings.push(
        { account: Account.pool, amount },
        { account: Account.contributions(donor), amount: Money.negate(amount) },
      );
    }
    const entry = JournalEntry.create({
      date,
      description: `${donor} pledge ${ref} ${to}`,
      postings,
      tags: { pledge: pledge, stage: to },
    });
    return { ...entry, id };
  };
}

/** The journal of docs/ledger.md, "An example journal", built by the core. */
function exampleEntries(): IdentifiedEntry[] {
  const gbr = Money.parse('150000000.00', 'GBP');
  const deu = Money.parse('300000000.00', 'EUR');
  const nor = Money.parse('2000000000.00', 'NOK');
  const nld = Money.parse('90000000.00', 'EUR');
  const e4 = stage('e4', '2026-02-12', 'NLD', 'P-4', 'announced')(null, nld, 'p4');
  const conversion = JournalEntry.conversion({
    date: '2026-04-02',
    description: 'Convert GBR contribution to USD',
    from: { account: Account.pool, amount: gbr },
    to: { account: Account.pool, currency: usd },
    rate: Rate.parse('0.7677219863', {
      base: usd,
      quote: gbp,
      date: '2026-04-01',
      source: 'ECB (USD cross)',
    }),
    rounding: 'half-even',
  });
  return [
    stage('e1', '2026-02-12', 'GBR', 'P-1', 'announced')(null, gbr, 'p1'),
    stage('e2', '2026-02-12', 'DEU', 'P-2', 'announced')(null, deu, 'p2'),
    stage('e3', '2026-02-12', 'NOR', 'P-3', 'announced')(null, nor, 'p3'),
    e4,
    stage('e5', '2026-03-02', 'GBR', 'P-1', 'committed')('announced', gbr, 'p1'),
    stage('e6', '2026-03-02', 'DEU', 'P-2', 'committed')('announced', deu, 'p2'),
    stage('e7', '2026-04-01', 'GBR', 'P-1', 'paid')('committed', gbr, 'p1'),
    { ...conversion, id: 'e8' },
    {
      ...JournalEntry.reverse(e4, 'e4', {
        date: '2026-02-25',
        description: 'Reversal of NLD pledge P-4 announced (misreported)',
      }),
      id: 'e9',
    },
  ];
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

const folder = mkdtempSync(join(tmpdir(), 'purl-hledger-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the hledger journal', () => {
  test('writes the example journal of docs/ledger.md character for character', () => {
    const docs = readFileSync(new URL('../../docs/ledger.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('## An example journal'));
    const block = /```\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    expect(exampleEntries().map(HledgerJournal.entry).join('')).toBe(`${block}\n`);
  });

  test('declares every currency at its ISO 4217 scale, a currency without decimals too', () => {
    const preamble = HledgerJournal.preamble({
      currencies: ['USD', 'JPY', 'KWD', 'USD'].map(Currency.parse),
      exportedAt: '2026-04-02T10:00:00.000Z',
    });
    expect(preamble.split('\n').filter((line) => line.startsWith('commodity'))).toEqual([
      'commodity 1000. JPY',
      'commodity 1000.000 KWD',
      'commodity 1000.00 USD',
    ]);
    expect(preamble).toContain('; Exported 2026-04-02T10:00:00.000Z.');
  });

  test('gives a description that would read as a status or a code the entry id as its code', () => {
    const entry = JournalEntry.create({
      date: '2026-02-12',
      description: '*(re)announced',
      postings: [
        { account: 'pledges:announced:GBR', amount: Money.parse('1.00', 'GBP') },
        { account: 'donors:GBR', amount: Money.parse('-1.00', 'GBP') },
      ],
    });
    expect(HledgerJournal.entry({ ...entry, id: 'e1' }).split('\n')[0]).toBe(
      '2026-02-12 (e1) *(re)announced',
    );
  });

  test('refuses an entry id that would break the tag it is written in', () => {
    const [first] = exampleEntries();
    expect(() => HledgerJournal.entry({ ...first!, id: 'e1, stage:paid' })).toThrow(InvariantViolation);
  });

  test('streams in chunks of about the requested size that join to the whole journal', async () => {
    const entries = exampleEntries();
    const options = { currencies: [gbp, usd, Currency.parse('EUR'), Currency.parse('NOK')] };
    const chunks: string[] = [];
    for await (const chunk of HledgerJournal.write(entries, { ...options, chunkSize: 500 }))
      chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(500);
    expect(chunks.join('')).toBe(
      HledgerJournal.preamble(options) + entries.map(HledgerJournal.entry).join(''),
    );
  });

  test('hledger and ledger-cli read it and balance every account as Ledger.balances does', async () => {
    const entries = exampleEntries();
    const currencies = [...new Set(entries.flatMap((entry) => entry.postings.map((p) => p.amount.currency)))];
    const file = join(folder, 'example.journal');
    writeFileSync(file, await text(HledgerJournal.write(entries, { currencies })));
    await hledgerCheck(file);
    const ours = purlFigures(
      Ledger.balances(Ledger.postingsOf(entries)).map(({ account, balance }) => ({
        account,
        balance: Money.toJson(balance),
      })),
    );
    expect(ours.amounts.get('assets:pool USD')).toBe('195383228.14');
    expect(differences(ours, await hledgerBalances(file), ['PURL Desk', 'hledger'])).toEqual([]);
    expect(differences(ours, await ledgerCliBalances(file), ['PURL Desk', 'ledger-cli'])).toEqual([]);
  });
});
