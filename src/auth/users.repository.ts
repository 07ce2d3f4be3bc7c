import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { users } from '../db/schema.js';

export type UserRow = typeof users.$inferSelect;

export async function findUserByTokenHash(db: Executor, tokenHash: string): Promise<UserRow | undefined> {
  const rows = await db.select().from(users).where(eq(users.tokenHash, tokenHash)).limit(1);
  return rows[0];
}

export async function insertUser(db: Executor, row: typeof users.$inferInsert): Promise<UserRow> {
  const rows = await db.insert(users).values(row).returning();
  return rows[0]!;
}

export async function countUsers(db: Executor): Promise<number> {
  const rows = await db.select({ count: sql<string>`count(*)` }).from(users);
  return Number(rows[0]!.count);
}

export async function listUsers(db: Executor, afterId: string | undefined, limit: number): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(afterId ? gt(users.id, afterId) : undefined)
    .orderBy(asc(users.id))
    .limit(limit + 1);
}

/** Disables every bootstrap admin still active; returns those it disabled. */
export async function disableBootstrapAdmins(db: Executor, at: Date): Promise<UserRow[]> {
  return db
    .update(users)
    .set({ disabledAt: at })
    .where(and(eq(users.bootstrap, true), isNull(users.disabledAt)))
    .returning();
}

export async function hasActiveBootstrapAdmin(db: Executor): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.bootstrap, true), isNull(users.disabledAt)))
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

/** Personal (not bootstrap) admins whose token works. */
export async function countActiveAdmins(db: Executor): Promise<number> {
  const rows = await db
    .select({ count: sql<string>`count(*)` })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.bootstrap, false), isNull(users.disabledAt)));
  return Number(rows[0]!.count);
}
