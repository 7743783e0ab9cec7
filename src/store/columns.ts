import { InvariantViolation } from '../core/errors.ts';

/** Reads a counting integer column (rank, version, quantity) whatever the dialect returns. */
export function readInteger(value: number | bigint | string): number {
  // A bigint (SQLite with safe integers) converts directly: a million-row walk reads one per row.
  const result =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint'
        ? Number(value)
        : Number.parseInt(String(value), 10);
  if (!Number.isSafeInteger(result))
    throw new InvariantViolation(`integer column out of range: ${String(value)}`);
  return result;
}

/** Reads a money column (minor units) exactly: PostgreSQL int8 arrives as a string or bigint. */
export function readMinorUnits(value: bigint | number | string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new InvariantViolation(`money column is not an integer: ${String(value)}`);
}

export function readBoolean(value: number | bigint | boolean): boolean {
  return value === true || value === 1 || value === 1n;
}
