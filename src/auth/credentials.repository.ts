import { and, desc, eq, gt, inArray, isNull, lt, ne, or } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { apiTokens, sessions, users } from '../db/schema.js';

// Sessions and bearer tokens as the database keeps them: looked up by the SHA-256 of what the
// client holds, ended or revoked by marking them (the rows stay for the record).

export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type ApiTokenKind = 'personal' | 'legacy' | 'password_setup' | 'bootstrap';

export async function findSessionWithUser(db: Executor, tokenHash: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const rows = await db.select({ session: sessions, user: users }).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.tokenHash, tokenHash)).limit(1);
  return rows[0];
}

export async function findTokenWithUser(db: Executor, tokenHash: string): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const rows = await db.select({ token: apiTokens, user: users }).from(apiTokens).innerJoin(users, eq(users.id, apiTokens.userId)).where(eq(apiTokens.tokenHash, tokenHash)).limit(1);
  return rows[0];
}

export async function insertSession(db: Executor, row: typeof sessions.$inferInsert): Promise<SessionRow> {
  return (await db.insert(sessions).values(row).returning())[0]!;
}

/** Records a session's last use, never moving it back. */
export async function recordSessionUse(db: Executor, sessionId: string, at: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: at }).where(and(eq(sessions.id, sessionId), lt(sessions.lastSeenAt, at)));
}

export async function recordTokenUse(db: Executor, tokenId: string, at: Date): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: at })
    .where(and(eq(apiTokens.id, tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, at))));
}

export async function endSession(db: Executor, sessionId: string, at: Date, reason: string): Promise<SessionRow | undefined> {
  return (await db.update(sessions).set({ endedAt: at, endReason: reason }).where(and(eq(sessions.id, sessionId), isNull(sessions.endedAt))).returning())[0];
}

/** Ends every session of a user still open (but the one kept); answers how many it ended. */
export async function endUserSessions(db: Executor, userId: string, at: Date, reason: string, keepSessionId?: string): Promise<number> {
  const conditions = [eq(sessions.userId, userId), isNull(sessions.endedAt)];
  if (keepSessionId) conditions.push(ne(sessions.id, keepSessionId));
  return (await db.update(sessions).set({ endedAt: at, endReason: reason }).where(and(...conditions)).returning({ id: sessions.id })).length;
}

/** Sessions of a user that have not ended, by sign-in, newest first (the caller drops the expired). */
export async function listOpenSessions(db: Executor, userId: string, now: Date): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.createdAt))
    .limit(200);
}

export async function findUserSession(db: Executor, userId: string, sessionId: string): Promise<SessionRow | undefined> {
  return (await db.select().from(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId))).limit(1))[0];
}

export async function insertApiToken(db: Executor, row: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  return (await db.insert(apiTokens).values(row).returning())[0]!;
}

/** Revokes a user's tokens still in force (of the kinds given, or all); answers how many. */
export async function revokeUserTokens(db: Executor, userId: string, at: Date, reason: string, kinds?: ApiTokenKind[]): Promise<number> {
  const conditions = [eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)];
  if (kinds) conditions.push(inArray(apiTokens.kind, kinds));
  return (await db.update(apiTokens).set({ revokedAt: at, revokedReason: reason }).where(and(...conditions)).returning({ id: apiTokens.id })).length;
}

export async function revokeToken(db: Executor, tokenId: string, at: Date, reason: string): Promise<ApiTokenRow | undefined> {
  return (await db.update(apiTokens).set({ revokedAt: at, revokedReason: reason }).where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt))).returning())[0];
}

export async function findUserToken(db: Executor, userId: string, tokenId: string): Promise<ApiTokenRow | undefined> {
  return (await db.select().from(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId))).limit(1))[0];
}

/** A user's tokens, newest first; revoked and expired ones too, so the owner sees what ended. */
export async function listUserTokens(db: Executor, userId: string): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt)).limit(500);
}


/** The session's password was changed: it is no longer restricted to the account's own pages. */
export async function clearMustChangePassword(db: Executor, sessionId: string): Promise<void> {
  await db.update(sessions).set({ mustChangePassword: false }).where(eq(sessions.id, sessionId));
}
