import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Sha256Hex } from '../core/audit/audit-event.ts';

/**
 * Bearer secrets (session cookies, API tokens) are `<id>.<secret>`: the id finds the row, the
 * secret is checked against a salted SHA-256 hash. The secret is 256 random bits, so a fast hash
 * is enough; the salt means equal secrets never share a hash and a dump gives nothing usable.
 */
export interface IssuedSecret {
  readonly id: string;
  /** What the holder presents; shown once, never stored. */
  readonly presented: string;
  readonly salt: string;
  readonly secretHash: string;
}

export function saltedHash(sha256: Sha256Hex, salt: string, secret: string): string {
  return sha256(`${salt}:${secret}`);
}

export function issueSecret(id: string, sha256: Sha256Hex): IssuedSecret {
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('base64url');
  return { id, presented: `${id}.${secret}`, salt, secretHash: saltedHash(sha256, salt, secret) };
}

/** Splits a presented secret; undefined when it is not of our form (a malformed cookie or header). */
export function splitPresented(presented: string): { id: string; secret: string } | undefined {
  const match = /^([A-Za-z0-9-]{8,64})\.([A-Za-z0-9_-]{20,128})$/.exec(presented);
  return match?.[1] && match[2] ? { id: match[1], secret: match[2] } : undefined;
}

export function secretMatches(
  sha256: Sha256Hex,
  salt: string,
  secret: string,
  expectedHash: string,
): boolean {
  const a = Buffer.from(saltedHash(sha256, salt, secret), 'hex');
  const b = Buffer.from(expectedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
