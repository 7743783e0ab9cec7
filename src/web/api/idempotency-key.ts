/**
 * A fresh Idempotency-Key: a random UUID. `crypto.randomUUID` exists only in secure contexts
 * (https, localhost), so a plain-http deployment falls back to a version 4 UUID built from
 * `crypto.getRandomValues`, which every browser offers.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One key per submission: a retry of the same body (after a network failure, or after a missing
 * exchange rate was imported) reuses the key, so the server records it at most once; a changed
 * body is another submission with a new key, never a 409 for reusing the old one.
 */
export class SubmissionKeys {
  private last: { readonly body: string; readonly key: string } | null = null;

  keyFor(body: unknown): string {
    const text = JSON.stringify(body);
    if (this.last?.body !== text) this.last = { body: text, key: newIdempotencyKey() };
    return this.last.key;
  }

  /** After a success: the next submission, even of equal values, is a new one. */
  done(): void {
    this.last = null;
  }
}
