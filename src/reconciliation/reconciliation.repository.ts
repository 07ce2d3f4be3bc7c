import { and, asc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../http/context.js';
import type { Executor } from '../db/client.js';
import { nextCount } from '../db/counters.js';
import { inIdPages } from '../db/pages.js';
import { children, claims, reconciliationCounters, reconciliationLines, reconciliations } from '../db/schema.js';

export type ReconciliationRow = typeof reconciliations.$inferSelect;
export type ReconciliationLineRow = typeof reconciliationLines.$inferSelect;

/** Claims an actor may reconcile for an institution: its own, or those a reviewer's region pays. */
function claimsOfInstitution(actor: Actor, institutionId: string): SQL {
  const conditions: SQL[] = [eq(claims.institutionId, institutionId)];
  if (actor.role === 'reviewer') conditions.push(eq(claims.regionCode, actor.regionCode!));
  return and(...conditions)!;
}

export async function institutionHasClaimsInRegion(db: Executor, institutionId: string, regionCode: string) {
  const rows = await db
    .select({ id: claims.id })
    .from(claims)
    .where(and(eq(claims.institutionId, institutionId), eq(claims.regionCode, regionCode)))
    .limit(1);
  return rows.length > 0;
}

const claimColumns = {
  id: claims.id,
  externalRef: claims.externalRef,
  status: claims.status,
  approvedAmount: claims.approvedAmount,
};

/** Claims of the institution that a statement names. */
export async function claimsByRefs(db: Executor, actor: Actor, institutionId: string, refs: string[]) {
  if (refs.length === 0) return [];
  return db
    .select(claimColumns)
    .from(claims)
    .where(and(claimsOfInstitution(actor, institutionId), inArray(claims.externalRef, refs)));
}

/** Claims whose service month lies in the period (rejected and withdrawn ones the caller filters). */
export async function claimsInPeriod(db: Executor, actor: Actor, institutionId: string, from: string, to: string) {
  return db
    .select(claimColumns)
    .from(claims)
    .where(and(claimsOfInstitution(actor, institutionId), gte(claims.serviceMonth, from), lte(claims.serviceMonth, to)))
    .orderBy(asc(claims.id));
}

export async function insertReconciliation(db: Executor, row: typeof reconciliations.$inferInsert, lines: (typeof reconciliationLines.$inferInsert)[]) {
  await db.insert(reconciliations).values(row);
  for (let start = 0; start < lines.length; start += 1000) await db.insert(reconciliationLines).values(lines.slice(start, start + 1000));
}

/**
 * Reconciliations an actor may read: an institution every one that concerns it; a reviewer those
 * a reviewer ran for its region. One the institution ran itself is not shown to reviewers: it may
 * compare claims that other regions pay (api.md, Reconciliation).
 */
function reconciliationScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'institution':
      return eq(reconciliations.institutionId, actor.institutionId!);
    case 'reviewer':
      return eq(reconciliations.regionCode, actor.regionCode!);
    default:
      return sql`false`;
  }
}

export async function findReconciliationInScope(db: Executor, actor: Actor, id: string) {
  const rows = await db.select().from(reconciliations).where(and(eq(reconciliations.id, id), reconciliationScope(actor))).limit(1);
  return rows[0];
}

/** The lines of a report in order, each with the name of its claim's child (none for a line the system has no claim of). */
export async function linesOfReconciliation(db: Executor, id: string): Promise<(ReconciliationLineRow & { childName: string | null })[]> {
  const rows = await db
    .select({ line: reconciliationLines, childName: children.name })
    .from(reconciliationLines)
    .leftJoin(claims, eq(claims.id, reconciliationLines.claimId))
    .leftJoin(children, eq(children.id, claims.childId))
    .where(eq(reconciliationLines.reconciliationId, id))
    .orderBy(asc(reconciliationLines.lineNo));
  return rows.map((row) => ({ ...row.line, childName: row.childName }));
}

/** The next report number of a region and year: 511702-DZ-2026-3 (from 1 each year). */
export async function nextReconciliationNumber(db: Executor, regionCode: string, year: number): Promise<string> {
  return `${regionCode}-DZ-${year}-${await nextCount(db, reconciliationCounters, regionCode, year)}`;
}

/** The reconciliations an actor may read, newest first, without their lines. */
export async function listReconciliationsInScope(db: Executor, actor: Actor, query: { institutionId?: string | undefined; beforeId?: string | undefined; limit: number }) {
  const conditions: SQL[] = [reconciliationScope(actor)];
  if (query.institutionId) conditions.push(eq(reconciliations.institutionId, query.institutionId));
  return inIdPages(db.select().from(reconciliations).$dynamic(), reconciliations.id, conditions, { after: query.beforeId, limit: query.limit, newestFirst: true });
}
