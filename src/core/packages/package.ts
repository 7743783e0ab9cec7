import { assert, Failure, type FieldError } from '../errors.ts';
import type { CurrencyCode } from '../money/currency.ts';
import { Fraction } from '../money/fraction.ts';
import { Money } from '../money/money.ts';
import type { PackageStatus } from './package-status.ts';

/**
 * One line of a package: a quantity of one requirement, in its capability category, and the
 * amount the supplier priced it at (null until priced, always USD).
 */
export interface PackageLine {
  readonly id: string;
  readonly packageId: string;
  /** The order the line was added in; breaks ties between lines whose requirements share a rank. */
  readonly lineNo: number;
  readonly requirementId: string;
  readonly requirementRef: string;
  readonly category: string;
  readonly quantity: number;
  readonly amount: Money | null;
  readonly deliveredQuantity: number;
  readonly receivedQuantity: number;
}

/** A package: what the supplier can deliver for a target of roughly $500M, ranked among packages. */
export interface Package {
  readonly id: string;
  readonly ref: string;
  readonly name: string;
  readonly rank: number;
  readonly target: Money;
  readonly status: PackageStatus;
  readonly lines: readonly PackageLine[];
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface LinePrice {
  readonly lineId: string;
  readonly amount: Money;
}

/** Decimal places of a coverage ratio ("0.4123" is 41.23 %). */
export const coverageDecimals = 4;

function requireUsd(money: Money, path: string, what: string): void {
  if (money.currency !== 'USD') {
    throw new Failure('VALIDATION_FAILED', `${what} is in USD.`, [{ path, message: 'must be in USD' }]);
  }
}

export const Packages = {
  /** References are stable and human: PKG-1, PKG-9. */
  ref(sequenceNumber: number): string {
    return `PKG-${sequenceNumber}`;
  },

  /** A target is a positive USD amount. */
  checkTarget(target: Money): Money {
    requireUsd(target, '/target/currency', 'A package target');
    if (target.minor <= 0n) throw new Failure('MONEY_OUT_OF_RANGE', 'A package target is positive.');
    return target;
  },

  /** The price: the sum of the line amounts once every line is priced; null before. */
  price(pkg: Package): Money | null {
    if (pkg.lines.length === 0 || pkg.lines.some((line) => line.amount === null)) return null;
    return Money.sum(
      'USD' as CurrencyCode,
      pkg.lines.map((line) => line.amount as Money),
    );
  },

  /**
   * Allocated / price as an exact decimal string with `coverageDecimals` places, rounded down (so
   * "1.0000" is only ever shown for a package that is fully covered); null while unpriced.
   */
  coverage(allocatedMinor: bigint, price: Money | null): string | null {
    if (typeof allocatedMinor !== 'bigint') throw new TypeError('Packages.coverage takes bigint minor units');
    if (price === null || price.minor === 0n) return null;
    return Fraction.toFixed(Fraction.of(allocatedMinor, price.minor), coverageDecimals, 'down');
  },

  /**
   * The supplier's pricing: one positive USD amount for every line of the package, each line once.
   * Anything else is refused with every problem listed, and nothing is priced.
   */
  priceLines(pkg: Package, prices: readonly LinePrice[], updatedAt: string): Package {
    const errors: FieldError[] = [];
    const byLine = new Map<string, Money>();
    prices.forEach((price, index) => {
      const path = `/lines/${index}`;
      if (!pkg.lines.some((line) => line.id === price.lineId)) {
        errors.push({ path: `${path}/lineId`, message: `'${price.lineId}' is not a line of ${pkg.ref}` });
      } else if (byLine.has(price.lineId)) {
        errors.push({ path: `${path}/lineId`, message: `'${price.lineId}' is priced twice` });
      }
      byLine.set(price.lineId, price.amount);
    });
    for (const line of pkg.lines) {
      if (!byLine.has(line.id)) {
        errors.push({ path: '/lines', message: `line '${line.id}' (${line.requirementRef}) has no amount` });
      }
    }
    if (errors.length) {
      throw new Failure(
        'PACKAGE_PRICING_INCOMPLETE',
        `The pricing gives one amount for each of the ${pkg.lines.length} lines of ${pkg.ref}, each once.`,
        errors.slice(0, 50),
      );
    }
    prices.forEach((price, index) => {
      requireUsd(price.amount, `/lines/${index}/amount/currency`, 'A line amount');
      if (price.amount.minor <= 0n) {
        throw new Failure('MONEY_OUT_OF_RANGE', 'A line amount is positive.', [
          { path: `/lines/${index}/amount/amount`, message: 'must be positive' },
        ]);
      }
    });
    return {
      ...pkg,
      status: 'priced',
      lines: pkg.lines.map((line) => ({ ...line, amount: byLine.get(line.id) ?? null })),
      version: pkg.version + 1,
      updatedAt,
    };
  },

  /**
   * The system's move to `funded`: an open package whose active allocations (USD minor units) reach
   * its price becomes funded; any other package comes back unchanged (the same object).
   */
  markFunded(pkg: Package, allocatedMinor: bigint, updatedAt: string): Package {
    if (typeof allocatedMinor !== 'bigint')
      throw new TypeError('Packages.markFunded takes bigint minor units');
    const price = Packages.price(pkg);
    if (pkg.status !== 'open' || price === null || allocatedMinor < price.minor) return pkg;
    return { ...pkg, status: 'funded', version: pkg.version + 1, updatedAt };
  },

  /** Whether every line has been delivered and received in full. */
  isFullyReceived(pkg: Package): boolean {
    return pkg.lines.length > 0 && pkg.lines.every((line) => line.receivedQuantity === line.quantity);
  },

  /** The lines in priority order: by their requirement's current rank, ties (and unranked) by line number. */
  linesInPriorityOrder<T extends { readonly lineNo: number }>(
    lines: readonly T[],
    rankOf: (line: T) => number | null,
  ): T[] {
    return [...lines].sort((a, b) => {
      const rankA = rankOf(a);
      const rankB = rankOf(b);
      if (rankA !== rankB) {
        if (rankA === null) return 1;
        if (rankB === null) return -1;
        return rankA - rankB;
      }
      return a.lineNo - b.lineNo;
    });
  },

  /** Checks the invariants every stored package keeps; a failure is a programming error. */
  assertSound(pkg: Package): void {
    for (const line of pkg.lines) {
      assert(line.quantity > 0, `${pkg.ref} line ${line.lineNo} has a positive quantity`);
      assert(
        0 <= line.receivedQuantity &&
          line.receivedQuantity <= line.deliveredQuantity &&
          line.deliveredQuantity <= line.quantity,
        `${pkg.ref} line ${line.lineNo}: received ≤ delivered ≤ quantity`,
      );
      assert(line.amount === null || line.amount.currency === 'USD', `${pkg.ref} lines are priced in USD`);
    }
  },
} as const;
