import { and, desc, eq, inArray, isNotNull, isNull, ne, notInArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { inIdPages } from '../db/pages.js';
import { apiTokens, passwordHistory, recoveryCodes, users } from '../db/schema.js';
import { PASSWORD_HISTORY_LENGTH } from './settings.js';

export type UserRow = typeof users.$inferSelect;

export async function insertUser(db: Executor, row: typeof users.$inferInsert): Promise<UserRow> {
  const rows = await db.insert(users).values(row).returning();
  return rows[0]!;
}

export async function countUsers(db: Executor): Promise<number> {
  const rows = await db.select({ count: sql<string>`count(*)` }).from(users);
  return Number(rows[0]!.count);
}

export async function listUsers(db: Executor, afterId: string | undefined, limit: number): Promise<UserRow[]> {
  return inIdPages(db.select().from(users).$dynamic(), users.id, [], { after: afterId, limit });
}

/** Names of users by id (who asked for a change, who reset an account). */
export async function userNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return (await db.select().from(users).where(eq(users.username, username)).limit(1))[0];
}

export async function usernameTaken(db: Executor, username: string): Promise<boolean> {
  return (await db.select({ id: users.id }).from(users).where(eq(users.username, username)).limit(1)).length > 0;
}

/** Disables every bootstrap admin still active and revokes its token; returns those it disabled. */
export async function disableBootstrapAdmins(db: Executor, at: Date): Promise<UserRow[]> {
  const retired = await db
    .update(users)
    .set({ disabledAt: at })
    .where(and(eq(users.bootstrap, true), isNull(users.disabledAt)))
    .returning();
  for (const admin of retired) {
    await db.update(apiTokens).set({ revokedAt: at, revokedReason: 'bootstrap_closed' }).where(and(eq(apiTokens.userId, admin.id), isNull(apiTokens.revokedAt)));
  }
  return retired;
}

export async function hasActiveBootstrapAdmin(db: Executor): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.bootstrap, true), isNull(users.disabledAt)))
    .limit(1);
  return rows.length > 0;
}

/** Whether a personal admin has ever activated: from then on two admins act on every account. */
export async function personalAdminHasActivated(db: Executor): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.bootstrap, false), isNotNull(users.activatedAt)))
    .limit(1);
  return rows.length > 0;
}

export async function findUser(db: Executor, id: string, options: { lock?: boolean } = {}): Promise<UserRow | undefined> {
  const query = db.select().from(users).where(eq(users.id, id)).limit(1);
  const rows = options.lock ? await query.for('update') : await query;
  return rows[0];
}

export async function updateUser(db: Executor, id: string, patch: Partial<typeof users.$inferInsert>): Promise<UserRow> {
  return (await db.update(users).set(patch).where(eq(users.id, id)).returning())[0]!;
}

/** Personal admins who can sign in (enabled, activated), other than the one named. */
export async function countOtherWorkingAdmins(db: Executor, exceptId: string): Promise<number> {
  const rows = await db
    .select({ count: sql<string>`count(*)` })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.bootstrap, false), isNull(users.disabledAt), isNotNull(users.activatedAt), ne(users.id, exceptId)));
  return Number(rows[0]!.count);
}

/** The hashes of the user's last passwords, newest first (the current one among them). */
export async function recentPasswordHashes(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .select({ passwordHash: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, userId))
    .orderBy(desc(passwordHistory.setAt), desc(passwordHistory.id))
    .limit(PASSWORD_HISTORY_LENGTH);
  return rows.map((row) => row.passwordHash);
}

/** Records a new password in the history and keeps only the last five. */
export async function rememberPassword(db: Executor, userId: string, passwordHash: string, at: Date): Promise<void> {
  await db.insert(passwordHistory).values({ id: newId(), userId, passwordHash, setAt: at });
  const kept = await db
    .select({ id: passwordHistory.id })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, userId))
    .orderBy(desc(passwordHistory.setAt), desc(passwordHistory.id))
    .limit(PASSWORD_HISTORY_LENGTH);
  await db.delete(passwordHistory).where(and(eq(passwordHistory.userId, userId), notInArray(passwordHistory.id, kept.map((row) => row.id))));
}

export async function replaceRecoveryCodes(db: Executor, userId: string, codeHashes: string[]): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  if (codeHashes.length) await db.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ id: newId(), userId, codeHash })));
}

/** Spends an unused recovery code of the user; answers whether there was one. */
export async function spendRecoveryCode(db: Executor, userId: string, codeHash: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: at })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return rows.length > 0;
}

/** Accepts a TOTP time step once: false when that step or a later one was accepted already. */
export async function claimTotpStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), sql`(${users.totpLastStep} is null or ${users.totpLastStep} < ${step})`))
    .returning({ id: users.id });
  return rows.length > 0;
}
