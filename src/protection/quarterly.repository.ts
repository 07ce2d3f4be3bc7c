import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { children, protectionCases, protectionQuarterlyLines, protectionQuarterlyUpdates } from '../db/schema.js';
import type { Actor } from '../http/context.js';

// Quarterly updates (protection.md §6): a township its own; civil affairs its region's.

export type QuarterlyUpdateRow = typeof protectionQuarterlyUpdates.$inferSelect;
export type QuarterlyLineRow = typeof protectionQuarterlyLines.$inferSelect;

/** A township reads its own updates, civil affairs its region's; no other role reads one. */
function scope(actor: Actor): SQL {
  if (actor.role === 'township') return eq(protectionQuarterlyUpdates.townshipCode, actor.townshipCode!);
  if (actor.role === 'civil_affairs') return eq(protectionQuarterlyUpdates.regionCode, actor.regionCode!);
  return sql`false`;
}

export async function insertQuarterlyUpdate(tx: Executor, row: typeof protectionQuarterlyUpdates.$inferInsert, lines: (typeof protectionQuarterlyLines.$inferInsert)[]): Promise<void> {
  await tx.insert(protectionQuarterlyUpdates).values(row);
  // A township's cases in a few hundred rows at a time.
  for (let start = 0; start < lines.length; start += 500) await tx.insert(protectionQuarterlyLines).values(lines.slice(start, start + 500));
}

export async function findQuarterlyUpdate(db: Executor, townshipCode: string, quarter: string): Promise<QuarterlyUpdateRow | undefined> {
  return (await db.select().from(protectionQuarterlyUpdates).where(and(eq(protectionQuarterlyUpdates.townshipCode, townshipCode), eq(protectionQuarterlyUpdates.quarter, quarter))).limit(1))[0];
}

export async function findQuarterlyUpdateInScope(db: Executor, actor: Actor, id: string): Promise<QuarterlyUpdateRow | undefined> {
  return (await db.select().from(protectionQuarterlyUpdates).where(and(eq(protectionQuarterlyUpdates.id, id), scope(actor))).limit(1))[0];
}

/** The updates of a quarter in the actor's scope. */
export async function quarterlyUpdatesOf(db: Executor, actor: Actor, quarter: string): Promise<QuarterlyUpdateRow[]> {
  return db.select().from(protectionQuarterlyUpdates).where(and(eq(protectionQuarterlyUpdates.quarter, quarter), scope(actor))).orderBy(asc(protectionQuarterlyUpdates.townshipCode));
}

/** The lines of updates, with each case's number and child's name. */
export async function linesOf(db: Executor, updateIds: string[]) {
  if (updateIds.length === 0) return [];
  return db
    .select({ line: protectionQuarterlyLines, number: protectionCases.number, childName: children.name })
    .from(protectionQuarterlyLines)
    .innerJoin(protectionCases, eq(protectionCases.id, protectionQuarterlyLines.caseId))
    .innerJoin(children, eq(children.id, protectionCases.childId))
    .where(inArray(protectionQuarterlyLines.updateId, updateIds))
    .orderBy(asc(protectionCases.number));
}

/** Every line about a set of cases, with its update's quarter (a child's file). */
export async function linesOfCases(db: Executor, caseIds: string[]) {
  if (caseIds.length === 0) return [];
  return db
    .select({ line: protectionQuarterlyLines, quarter: protectionQuarterlyUpdates.quarter, submittedOn: protectionQuarterlyUpdates.submittedOn })
    .from(protectionQuarterlyLines)
    .innerJoin(protectionQuarterlyUpdates, eq(protectionQuarterlyUpdates.id, protectionQuarterlyLines.updateId))
    .where(inArray(protectionQuarterlyLines.caseId, caseIds))
    .orderBy(asc(protectionQuarterlyUpdates.quarter));
}
