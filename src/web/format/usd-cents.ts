/**
 * Sums of US-dollar amounts typed in a form, in cents as bigints: never through a JS number, so the
 * total a supplier sees is the total the server will compute.
 */
const usdPattern = /^(\d+)\.(\d{2})$/;

/** "4000000.50" → 400000050n; null for anything that is not a USD amount with two decimals. */
export function centsOf(amount: string): bigint | null {
  const match = usdPattern.exec(amount);
  if (!match) return null;
  const [, dollars = '0', cents = '00'] = match;
  return BigInt(dollars) * 100n + BigInt(cents);
}

/** 400000050n → "4000000.50". */
export function amountOfCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const magnitude = cents < 0n ? -cents : cents;
  return `${sign}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, '0')}`;
}
