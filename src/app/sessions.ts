import { randomBytes } from 'node:crypto';
import type { Actor } from '../core/directory/organization.ts';
import { Emails } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import { Limits } from '../core/limits.ts';
import type { UserWithOrganization } from '../store/user.repository.ts';
import { type AppContext, audit, timestamp } from './context.ts';
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
 * Logs a user in. A wrong password, an unknown email and a disabled account give the same answer
 * after the same work (a decoy hash is checked for unknown emails), so the reply says nothing about
 * which accounts exist.
 */
export async function logIn(context: AppContext, email: string, password: string): Promise<SessionGrant> {
  const credentials = await context.store.read.users.credentialsByEmail(Emails.normalize(email));
  const valid = await Passwords.verify(password, credentials?.passwordHash ?? decoyPasswordHash);
  if (!credentials || !valid || credentials.user.disabled) throw new Failure('INVALID_CREDENTIALS');
  const session = issueSecret(context.newId(), context.sha256);
  const csrfToken = randomBytes(32).toString('base64url');
  const now = context.now();
  const expiresAt = new Date(now.getTime() + Limits.sessionLifetimeSeconds * 1000).toISOString();
  const actor = actorOf(credentials.user);
  await context.store.transaction(async (repositories) => {
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
