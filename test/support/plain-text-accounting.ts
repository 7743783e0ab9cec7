import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';

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
