import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Failure } from '../core/errors.ts';
import { Limits } from '../core/limits.ts';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keyLength: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** scrypt parameters (RFC 7914): N=2^15, r=8, p=1 costs ~50 ms and 32 MiB per hash here. */
const cost = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const keyLengthBytes = 32;
const saltLengthBytes = 16;

export const Passwords = {
  check(password: string): void {
    if (password.length < Limits.passwordLengthMin) {
      throw new Failure(
        'PASSWORD_TOO_WEAK',
        `A password has at least ${Limits.passwordLengthMin} characters.`,
      );
    }
    if (password.length > Limits.passwordLengthMax) {
      throw new Failure('VALIDATION_FAILED', 'The password is too long.', [
        { path: '/password', message: 'too long' },
      ]);
    }
  },

  /** `scrypt$N$r$p$salt$hash`, salt and hash in base64; a fresh random salt per user. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(saltLengthBytes);
    const key = await scrypt(password, salt, keyLengthBytes, cost);
    return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
  },

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
      N: Number.parseInt(n, 10),
      r: Number.parseInt(r, 10),
      p: Number.parseInt(p, 10),
      maxmem: cost.maxmem,
    });
    return key.length === expected.length && timingSafeEqual(key, expected);
  },
} as const;

/** A hash of a random password: verifying against it costs what a real check costs. */
export const decoyPasswordHash = await Passwords.hash(randomBytes(24).toString('base64'));
