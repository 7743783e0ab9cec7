import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { Currency } from '../../src/core/money/currency.ts';
import { Money } from '../../src/core/money/money.ts';

/**
 * Balances as the independent tools print them, read into one shape so that PURL Desk's own figures
 * can be compared with hledger's and ledger-cli's account by account, currency by currency.
 */
export interface BalanceFigures {
  /** Every account the report lists, including those whose balance is zero. */
  readonly accounts: ReadonlySet<string>;
  /** `account currency` → the non-zero balance as the exact decimal string the tool printed. */
  readonly amounts: ReadonlyMap<string, string>;
}

const run = promisify(execFile);
const zero = /^-?0(?:\.0+)?$/;
const toolOutputMax = 1024 * 1024 * 1024;

function figures(rows: Iterable<{ account: string; currency: string; amount: string }>): BalanceFigures {
  const accounts = new Set<string>();
  const amounts = new Map<string, string>();
  for (const { account, currency, amount } of rows) {
    accounts.add(account);
    if (zero.test(amount)) continue;
    const key = `${account} ${currency}`;
    if (amounts.has(key)) throw new Error(`the report lists ${key} twice`);
    amounts.set(key, amount);
  }
  return { accounts, amounts };
}

/** PURL Desk's balances (`GET /api/v1/ledger/accounts` items, or `Money.toJson` of the report). */
export function purlFigures(
  items: readonly { account: string; balance: { amount: string; currency: string } }[],
): BalanceFigures {
  return figures(
    items.map((item) => ({
      account: item.account,
      currency: item.balance.currency,
      amount: item.balance.amount,
    })),
  );
}

/** `hledger bal -O csv --layout=bare`: `"account","commodity","balance"` rows. */
export function parseHledgerCsv(text: string): BalanceFigures {
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return figures(
    rows.map((row) => {
      const { account, commodity, balance } = row;
      if (account === undefined || commodity === undefined || balance === undefined) {
        throw new Error(`not an hledger bare CSV row: ${JSON.stringify(row)}`);
      }
      return { account, currency: commodity, amount: balance };
    }),
  );
}

const reportLine = /^\s*(-?\d+(?:\.\d+)?)(?: ([A-Z]{3}))?(?: {2,}(\S+))?\s*$/;

/**
 * The flat balance report both tools print by default (`ledger bal --flat`, `hledger bal --flat`):
 * one amount per line, right-aligned; an account with several currencies has its other amounts on
 * the lines just above its name; a zero balance is a bare `0`.
 */
export function parseBalanceReport(text: string): BalanceFigures {
  const rows: { account: string; currency: string; amount: string }[] = [];
  let pending: { currency: string; amount: string }[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const match = reportLine.exec(line);
    if (!match) throw new Error(`cannot read the balance report line '${line}'`);
    const [, amount = '', currency = '', account] = match;
    pending.push({ currency, amount });
    if (account === undefined) continue;
    for (const figure of pending) rows.push({ account, ...figure });
    pending = [];
  }
  if (pending.length) throw new Error('the balance report ends with amounts of no account');
  return figures(rows);
}

/** What differs between two sets of figures, one line each, empty when they are identical. */
export function differences(
  left: BalanceFigures,
  right: BalanceFigures,
  names: readonly [string, string],
): string[] {
  const [leftName, rightName] = names;
  const found: string[] = [];
  for (const account of left.accounts)
    if (!right.accounts.has(account)) found.push(`${account}: only in ${leftName}`);
  for (const account of right.accounts)
    if (!left.accounts.has(account)) found.push(`${account}: only in ${rightName}`);
  for (const key of new Set([...left.amounts.keys(), ...right.amounts.keys()])) {
    const a = left.amounts.get(key) ?? '0';
    const b = right.amounts.get(key) ?? '0';
    if (a !== b) found.push(`${key}: ${leftName} ${a}, ${rightName} ${b}`);
  }
  return found.sort();
}

/** Runs `hledger -f FILE bal` (flat, every account, no total) and reads its CSV. */
export async function hledgerBalances(file: string): Promise<BalanceFigures> {
  const { stdout } = await run(
    'hledger',
    ['-f', file, 'balance', '--flat', '--empty', '--no-total', '-O', 'csv', '--layout=bare'],
    { maxBuffer: toolOutputMax },
  );
  return parseHledgerCsv(stdout);
}

/** Runs `ledger -f FILE bal` (Debian's ledger-cli; flat, every account, no total) and reads its report. */
export async function ledgerCliBalances(file: string): Promise<BalanceFigures> {
  const { stdout } = await run('ledger', ['-f', file, 'balance', '--flat', '--empty', '--no-total'], {
    maxBuffer: toolOutputMax,
  });
  return parseBalanceReport(stdout);
}

/** Runs `hledger -f FILE check` (parses, and every entry balances): throws with hledger's message if not. */
export async function hledgerCheck(file: string): Promise<void> {
  await run('hledger', ['-f', file, 'check'], { maxBuffer: toolOutputMax });
}

/** What a structural reading of a Beancount file found: the balances, and every rule it breaks. */
export interface BeancountReading {
  readonly figures: BalanceFigures;
  readonly transactions: number;
  readonly problems: readonly string[];
}

const beancountAccount =
  /^(?:Assets|Liabilities|Equity|Income|Expenses)(?::[\p{Lu}\p{Nd}][\p{L}\p{Nd}-]*)+$/u;
const beancountString = '"(?:[^"\\\\\\n]|\\\\.)*"';
const beancountLines = {
  option: new RegExp(`^option ${beancountString} ${beancountString}$`),
  commodity: /^(\d{4}-\d{2}-\d{2}) commodity ([A-Z][A-Z0-9'._-]{0,22}[A-Z0-9])$/,
  open: /^(\d{4}-\d{2}-\d{2}) open (\S+)$/,
  transaction: new RegExp(`^(\\d{4}-\\d{2}-\\d{2}) [*!] ${beancountString}$`),
  metadata: new RegExp(`^ {2}[a-z][a-zA-Z0-9_-]*: ${beancountString}$`),
  posting: /^ {2}(\S+) {2,}(-?\d+(?:\.\d+)?) ([A-Z][A-Z0-9'._-]{0,22}[A-Z0-9])$/,
};

/**
 * Reads a Beancount file the way `bean-check` would judge the subset PURL Desk writes, for machines
 * without Beancount: every line is an option, a commodity, an open directive, a transaction header,
 * its metadata or a posting; every account is a valid Beancount name opened on or before its first
 * use; every currency is declared; every transaction balances exactly in each currency. Balances are
 * summed per account (mapped back to PURL Desk's names by `accountOf`) and currency, exactly.
 */
export function readBeancount(text: string, accountOf: (beancountName: string) => string): BeancountReading {
  const problems: string[] = [];
  const commodities = new Set<string>();
  const opened = new Map<string, string>();
  const sums = new Map<string, { account: string; currency: string; minor: bigint }>();
  const accounts = new Set<string>();
  let transactions = 0;
  let current: { line: number; date: string; postings: number; byCurrency: Map<string, bigint> } | null =
    null;
  const close = () => {
    if (!current) return;
    if (current.postings < 2)
      problems.push(`line ${current.line}: a transaction with fewer than two postings`);
    for (const [currency, sum] of current.byCurrency)
      if (sum !== 0n) problems.push(`line ${current.line}: the transaction does not balance in ${currency}`);
    current = null;
  };
  text.split('\n').forEach((line, index) => {
    const number = index + 1;
    if (line.trim() === '' || line.startsWith(';')) {
      if (line.trim() === '') close();
      return;
    }
    if (beancountLines.option.test(line)) return;
    const commodity = beancountLines.commodity.exec(line);
    if (commodity) {
      commodities.add(commodity[2] ?? '');
      return;
    }
    const open = beancountLines.open.exec(line);
    if (open) {
      const [, date = '', account = ''] = open;
      if (!beancountAccount.test(account))
        problems.push(`line ${number}: '${account}' is not a Beancount account`);
      if (opened.has(account)) problems.push(`line ${number}: ${account} is opened twice`);
      opened.set(account, date);
      accounts.add(accountOf(account));
      return;
    }
    const header = beancountLines.transaction.exec(line);
    if (header) {
      close();
      transactions += 1;
      current = { line: number, date: header[1] ?? '', postings: 0, byCurrency: new Map() };
      return;
    }
    if (current && current.postings === 0 && beancountLines.metadata.test(line)) return;
    const posting = beancountLines.posting.exec(line);
    if (current && posting) {
      const [, account = '', amount = '', currency = ''] = posting;
      const openedOn = opened.get(account);
      if (openedOn === undefined || openedOn > current.date)
        problems.push(`line ${number}: ${account} is used before it is opened`);
      if (!commodities.has(currency)) problems.push(`line ${number}: ${currency} is not declared`);
      let minor: bigint;
      try {
        const negative = amount.startsWith('-');
        const parsed = Money.parse(negative ? amount.slice(1) : amount, currency).minor;
        minor = negative ? -parsed : parsed;
      } catch (error) {
        problems.push(`line ${number}: ${(error as Error).message}`);
        return;
      }
      current.postings += 1;
      current.byCurrency.set(currency, (current.byCurrency.get(currency) ?? 0n) + minor);
      const name = accountOf(account);
      const key = `${name} ${currency}`;
      const sum = sums.get(key) ?? { account: name, currency, minor: 0n };
      sum.minor += minor;
      sums.set(key, sum);
      return;
    }
    problems.push(`line ${number}: not Beancount syntax: ${line.slice(0, 80)}`);
  });
  close();
  const rows = [...sums.values()].map((sum) => ({
    account: sum.account,
    currency: sum.currency,
    amount: Money.format(Money.of(sum.minor, Currency.parse(sum.currency))),
  }));
  const figured = figures(rows);
  return { figures: { accounts, amounts: figured.amounts }, transactions, problems };
}

/** Runs Beancount's own `bean-check FILE`; rejects when it reports an error. */
export async function beanCheck(file: string): Promise<void> {
  // Debian's `beancount` package; `npm test` and `.ci/run` install it, so a missing tool fails here.
  await run('bean-check', [file], { maxBuffer: toolOutputMax });
}
