import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../core/directory/organization.ts';
import { Emails } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import { Limits } from '../core/limits.ts';
import type { UserWithOrganization } from '../store/user.repository.ts';
import { type AppContext, audit, timestamp } from './context.ts';
import { decoyPasswordHash, Passwords } from './passwords.ts';

export interface SessionGrant {
  /** The cookie value: shown to the client once, stored only as its hash. */
  readonly sessionToken: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly actor: Actor;
  readonly user: UserWithOrganization;
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
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
 * Logs a user in. A wrong password, an unknown email and a disabled account give the same answer
 * after the same work (a decoy hash is checked for unknown emails), so the reply says nothing about
 * which accounts exist.
 */
export async function logIn(context: AppContext, email: string, password: string): Promise<SessionGrant> {
  const credentials = await context.store.read.users.credentialsByEmail(Emails.normalize(email));
  const valid = await Passwords.verify(password, credentials?.passwordHash ?? decoyPasswordHash);
  if (!credentials || !valid || credentials.user.disabled) throw new Failure('INVALID_CREDENTIALS');
  const sessionToken = newToken();
  const csrfToken = newToken();
  const now = context.now();
  const expiresAt = new Date(now.getTime() + Limits.sessionLifetimeSeconds * 1000).toISOString();
  const actor = actorOf(credentials.user);
  await context.store.transaction(async (repositories) => {
    await repositories.sessions.deleteExpired(now.toISOString());
    await repositories.sessions.insert({
      idHash: context.sha256(sessionToken),
      userId: credentials.user.id,
      csrfHash: context.sha256(csrfToken),
      createdAt: now.toISOString(),
      expiresAt,
    });
    await audit(context, repositories, actor, {
      action: 'session.create',
      objectType: 'user',
      objectId: credentials.user.id,
      before: null,
      after: { expiresAt },
    });
  });
  return { sessionToken, csrfToken, expiresAt, actor, user: credentials.user };
}

export interface ResolvedSession {
  readonly actor: Actor;
  readonly csrfHash: string;
}

/** The actor behind a session cookie, or undefined when it is unknown, expired or disabled. */
export async function resolveSession(
  context: AppContext,
  sessionToken: string,
): Promise<ResolvedSession | undefined> {
  const session = await context.store.read.sessions.findByIdHash(context.sha256(sessionToken));
  if (!session || session.expiresAt <= timestamp(context)) return undefined;
  const user = await context.store.read.users.findById(session.userId);
  if (!user || user.disabled) return undefined;
  return { actor: actorOf(user), csrfHash: session.csrfHash };
}

/** Compares the header's CSRF token to the session's, in constant time. */
export function csrfMatches(context: AppContext, csrfHash: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(context.sha256(presented), 'hex');
  const b = Buffer.from(csrfHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function logOut(context: AppContext, actor: Actor, sessionToken: string): Promise<void> {
  await context.store.transaction(async (repositories) => {
    await repositories.sessions.delete(context.sha256(sessionToken));
    await audit(context, repositories, actor, {
      action: 'session.delete',
      objectType: 'user',
      objectId: actor.userId,
      before: null,
      after: null,
    });
  });
}
