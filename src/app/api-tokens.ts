import type { Actor } from '../core/directory/organization.ts';
import { Failure } from '../core/errors.ts';
import { Limits } from '../core/limits.ts';
import type { StoredApiToken } from '../store/api-token.repository.ts';
import { type AppContext, audit, authorize, timestamp } from './context.ts';
import { issueSecret, secretMatches, splitPresented } from './secrets.ts';
import { actorOf } from './sessions.ts';

export interface IssuedToken {
  readonly token: StoredApiToken;
  /** The bearer value, shown once. */
  readonly presented: string;
}

/** A personal API token of the caller, acting with the caller's role; it expires and can be revoked. */
export async function createApiToken(
  context: AppContext,
  actor: Actor,
  input: { name: string; expiresInDays?: number },
): Promise<IssuedToken> {
  authorize(actor, 'token.create');
  const days = input.expiresInDays ?? Limits.tokenLifetimeDaysDefault;
  const now = context.now();
  const secret = issueSecret(context.newId(), context.sha256);
  const token: StoredApiToken = {
    id: secret.id,
    userId: actor.userId,
    name: input.name,
    salt: secret.salt,
    secretHash: secret.secretHash,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString(),
    revokedAt: null,
  };
  await context.store.transaction(async (repositories) => {
    await repositories.apiTokens.insert(token);
    await audit(context, repositories, actor, {
      action: 'token.create',
      objectType: 'api-token',
      objectId: token.id,
      before: null,
      after: { name: token.name, expiresAt: token.expiresAt },
    });
  });
  return { token, presented: secret.presented };
}

export async function listApiTokens(context: AppContext, actor: Actor): Promise<StoredApiToken[]> {
  authorize(actor, 'token.list');
  return context.store.read.apiTokens.listForUser(actor.userId);
}

/** Revokes one of the caller's own tokens; someone else's token is 404, as if it did not exist. */
export async function revokeApiToken(context: AppContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'token.revoke');
  await context.store.transaction(async (repositories) => {
    const token = await repositories.apiTokens.findById(id);
    if (!token || token.userId !== actor.userId) throw new Failure('NOT_FOUND', 'No such token.');
    if (token.revokedAt === null) await repositories.apiTokens.revoke(id, timestamp(context));
    await audit(context, repositories, actor, {
      action: 'token.revoke',
      objectType: 'api-token',
      objectId: id,
      before: { revokedAt: token.revokedAt },
      after: { revoked: true },
    });
  });
}

/** The actor behind a bearer token, or undefined when it is malformed, unknown, expired, revoked or its user disabled. */
export async function resolveApiToken(context: AppContext, presented: string): Promise<Actor | undefined> {
  const parts = splitPresented(presented);
  if (!parts) return undefined;
  const token = await context.store.read.apiTokens.findById(parts.id);
  if (!token || token.revokedAt !== null || token.expiresAt <= timestamp(context)) return undefined;
  if (!secretMatches(context.sha256, token.salt, parts.secret, token.secretHash)) return undefined;
  const user = await context.store.read.users.findById(token.userId);
  if (!user || user.disabled) return undefined;
  return actorOf(user);
}
