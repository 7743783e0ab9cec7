import { randomBytes } from 'node:crypto';
import type { Actor } from '../core/directory/organization.ts';
import { Emails } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import { Limits } from '../core/limits.ts';
import type { UserWithOrganization } from '../store/user.repository.ts';
import { type AppContext, audit, authorize, timestamp } from './context.ts';
import { decoyPasswordHash, Passwords } from './passwords.ts';
import { issueSecret, saltedHash, secretMatches, splitPresented } from './secrets.ts';

export interface SessionGrant {
  /** The cookie value: shown to the client once, stored only as a salted hash. */
  readonly sessionToken: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly actor: Actor;
  readonly user: UserWithOrganization;
}

export function actorOf(user: UserWithOrganization): Actor {
  return {
    userId: user.id,
    email: user.email,
    role: user.role,
    organizationId: user.organizationId,
    organizationCode: user.organizationCode,
  };
}

/**
 * Logs a user in. A wrong password, an unknown email, a disabled account and a locked one give the
 * same answer after the same work (the password is always checked, against a decoy hash for unknown
 * emails), so the reply says nothing about which accounts exist or are locked.
 * `Limits.loginFailuresBeforeLockout` consecutive failures lock the account for
 * `Limits.loginLockoutSeconds`, counted in the database across every server process; a successful
 * login forgets the failures.
 */
export async function logIn(context: AppContext, email: string, password: string): Promise<SessionGrant> {
  const credentials = await context.store.read.users.credentialsByEmail(Emails.normalize(email));
  const valid = await Passwords.verify(password, credentials?.passwordHash ?? decoyPasswordHash);
  if (!credentials) throw new Failure('INVALID_CREDENTIALS');
  const now = context.now();
  const lockedUntil = await context.store.read.loginFailures.lockedUntil(credentials.user.id);
  // While locked, attempts are refused and not counted: the lock ends when it says it ends.
  if (lockedUntil !== null && lockedUntil > now.toISOString()) throw new Failure('INVALID_CREDENTIALS');
  if (!valid) {
    const lockUntil = new Date(now.getTime() + Limits.loginLockoutSeconds * 1000).toISOString();
    await context.store.read.loginFailures.recordFailure(
      credentials.user.id,
      Limits.loginFailuresBeforeLockout,
      lockUntil,
    );
    throw new Failure('INVALID_CREDENTIALS');
  }
  if (credentials.user.disabled) throw new Failure('INVALID_CREDENTIALS');
  const session = issueSecret(context.newId(), context.sha256);
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + Limits.sessionLifetimeSeconds * 1000).toISOString();
  const actor = actorOf(credentials.user);
  await context.store.transaction(async (repositories) => {
    await repositories.loginFailures.clear(credentials.user.id);
    await repositories.sessions.deleteExpired(now.toISOString());
    await repositories.sessions.insert({
      id: session.id,
      userId: credentials.user.id,
      salt: session.salt,
      secretHash: session.secretHash,
      csrfHash: saltedHash(context.sha256, session.salt, csrfToken),
      createdAt: now.toISOString(),
      expiresAt,
    });
    await audit(context, repositories, actor, {
      action: 'session.create',
      objectType: 'user',
      objectId: credentials.user.id,
      before: null,
      after: { session: session.id, expiresAt },
    });
  });
  return { sessionToken: session.presented, csrfToken, expiresAt, actor, user: credentials.user };
}

export interface ResolvedSession {
  readonly id: string;
  readonly actor: Actor;
  /** Checks the x-csrf-token header of a state-changing request, in constant time. */
  readonly csrfMatches: (presented: string | undefined) => boolean;
}

/** The actor behind a session cookie, or undefined when it is malformed, unknown, expired or disabled. */
export async function resolveSession(
  context: AppContext,
  cookie: string,
): Promise<ResolvedSession | undefined> {
  const parts = splitPresented(cookie);
  if (!parts) return undefined;
  const session = await context.store.read.sessions.findById(parts.id);
  if (!session || session.expiresAt <= timestamp(context)) return undefined;
  if (!secretMatches(context.sha256, session.salt, parts.secret, session.secretHash)) return undefined;
  const user = await context.store.read.users.findById(session.userId);
  if (!user || user.disabled) return undefined;
  return {
    id: session.id,
    actor: actorOf(user),
    csrfMatches: (presented) =>
      presented !== undefined && secretMatches(context.sha256, session.salt, presented, session.csrfHash),
  };
}

export async function logOut(context: AppContext, actor: Actor, sessionId: string): Promise<void> {
  await context.store.transaction(async (repositories) => {
    await repositories.sessions.delete(sessionId);
    await audit(context, repositories, actor, {
      action: 'session.delete',
      objectType: 'user',
      objectId: actor.userId,
      before: { session: sessionId },
      after: null,
    });
  });
}

/**
 * Lifts the lockout of an account (and forgets its failed logins) before the lock runs out: an
 * administrator's answer to a user locked out by someone guessing its password. Audited when there
 * was anything to lift.
 */
export async function unlockUser(
  context: AppContext,
  actor: Actor,
  email: string,
): Promise<{ user: UserWithOrganization; lockedUntil: string | null; failures: number }> {
  authorize(actor, 'user.unlock');
  return context.store.transaction(async (repositories) => {
    const user = await repositories.users.findByEmail(Emails.normalize(email));
    if (!user) throw new Failure('NOT_FOUND', 'No such user.');
    const cleared = await repositories.loginFailures.clear(user.id);
    if (!cleared) return { user, lockedUntil: null, failures: 0 };
    const locked = cleared.lockedUntil !== null && cleared.lockedUntil > timestamp(context);
    await audit(context, repositories, actor, {
      action: 'user.unlock',
      objectType: 'user',
      objectId: user.id,
      before: { failures: cleared.failures, lockedUntil: cleared.lockedUntil },
      after: null,
    });
    return { user, lockedUntil: locked ? cleared.lockedUntil : null, failures: cleared.failures };
  });
}
