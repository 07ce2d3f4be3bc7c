import { and, eq, gte, inArray, lt, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { applications, batches, children, claims, regionTargets, settlements } from '../db/schema.js';

// The dashboard's figures, each one SQL aggregate over a region. Money is summed by PostgreSQL
// as numeric and read back as text.

const CHINA_ZONE = sql.raw(`'Asia/Shanghai'`);

export async function childrenAided(db: Executor, regionCode: string, year: number): Promise<number> {
  const rows = await db
    .select({ count: sql<number>`count(distinct ${claims.childId})::int` })
    .from(claims)
    .where(and(eq(claims.regionCode, regionCode), eq(claims.serviceYear, year), inArray(claims.status, ['approved', 'batched', 'paid'])));
  return rows[0]!.count;
}

export async function targetOf(db: Executor, regionCode: string, year: number): Promise<number | undefined> {
  const rows = await db
    .select({ target: regionTargets.childrenTarget })
    .from(regionTargets)
    .where(and(eq(regionTargets.regionCode, regionCode), eq(regionTargets.year, year)));
  return rows[0]?.target;
}

/** Sets a target and returns its id (kept when an existing target is changed). */
export async function upsertTarget(db: Executor, row: typeof regionTargets.$inferInsert): Promise<string> {
  const rows = await db
    .insert(regionTargets)
    .values(row)
    .onConflictDoUpdate({
      target: [regionTargets.regionCode, regionTargets.year],
      set: { childrenTarget: row.childrenTarget, updatedByUserId: row.updatedByUserId, updatedAt: row.updatedAt },
    })
    .returning({ id: regionTargets.id });
  return rows[0]!.id;
}

/** Approved amounts of a year by service and month of approval, China time. */
export async function approvedByServiceAndMonth(db: Executor, regionCode: string, year: number) {
  const month = sql<string>`to_char(${settlements.approvedAt} at time zone ${CHINA_ZONE}, 'YYYY-MM')`;
  return db
    .select({ service: claims.service, month, total: sql<string>`sum(${settlements.approvedAmount})::numeric(14,2)::text` })
    .from(settlements)
    .innerJoin(claims, eq(claims.id, settlements.claimId))
    .where(and(eq(claims.regionCode, regionCode), sql`${month} like ${`${year}-%`}`))
    .groupBy(claims.service, month)
    .orderBy(month, claims.service);
}

/** Paid amounts of a year by service and month of payment. */
export async function paidByServiceAndMonth(db: Executor, regionCode: string, year: number) {
  const month = sql<string>`to_char(${batches.paidAt}, 'YYYY-MM')`;
  return db
    .select({ service: claims.service, month, total: sql<string>`sum(${claims.approvedAmount})::numeric(14,2)::text` })
    .from(claims)
    .innerJoin(batches, eq(batches.id, claims.batchId))
    .where(and(eq(batches.regionCode, regionCode), eq(batches.status, 'paid'), sql`${month} like ${`${year}-%`}`))
    .groupBy(claims.service, month)
    .orderBy(month, claims.service);
}

/** Claims waiting for review, with their age in whole days at a China date. */
export async function waitingForReview(db: Executor, regionCode: string, today: string) {
  const ageDays = sql<number>`(${today}::date - (${claims.submittedAt} at time zone ${CHINA_ZONE})::date)`;
  const rows = await db
    .select({
      count: sql<number>`count(*)::int`,
      total: sql<string>`coalesce(sum(${claims.estimateSubsidy}), 0)::numeric(14,2)::text`,
      oldestDays: sql<number | null>`max(${ageDays})::int`,
      upTo7: sql<number>`(count(*) filter (where ${ageDays} <= 7))::int`,
      upTo30: sql<number>`(count(*) filter (where ${ageDays} between 8 and 30))::int`,
      over30: sql<number>`(count(*) filter (where ${ageDays} > 30))::int`,
    })
    .from(claims)
    .where(and(eq(claims.regionCode, regionCode), eq(claims.status, 'submitted')));
  return rows[0]!;
}

export async function batchesWaitingForPayment(db: Executor, regionCode: string, today: string) {
  const rows = await db
    .select({
      count: sql<number>`count(*)::int`,
      total: sql<string>`coalesce(sum(${batches.total}), 0)::numeric(14,2)::text`,
      oldestDays: sql<number | null>`max(${today}::date - (${batches.issuedAt} at time zone ${CHINA_ZONE})::date)::int`,
    })
    .from(batches)
    .where(and(eq(batches.regionCode, regionCode), eq(batches.status, 'issued')));
  return rows[0]!;
}

/** Decisions counted per (day received, day decided), China dates: a few hundred pairs a year. */
export interface DecisionCount {
  receivedOn: string;
  decidedOn: string;
  count: number;
}

const chinaDateOf = (column: AnyColumn) => sql<string>`to_char(${column} at time zone ${CHINA_ZONE}, 'YYYY-MM-DD')`;

/** Applications of the region's children decided (approved or rejected) between two instants. */
export async function applicationDecisions(db: Executor, regionCode: string, from: Date, until: Date): Promise<DecisionCount[]> {
  const decidedOn = chinaDateOf(applications.decidedAt);
  return db
    .select({ receivedOn: sql<string>`to_char(${applications.receivedOn}, 'YYYY-MM-DD')`, decidedOn, count: sql<number>`count(*)::int` })
    .from(applications)
    .innerJoin(children, eq(children.id, applications.childId))
    .where(and(eq(children.regionCode, regionCode), inArray(applications.status, ['approved', 'rejected']), gte(applications.decidedAt, from), lt(applications.decidedAt, until)))
    .groupBy(applications.receivedOn, decidedOn);
}

/**
 * Claims the region pays whose latest submission a reviewer decided (approved, rejected or
 * returned; a withdrawal after a return keeps the return) between two instants.
 */
export async function claimDecisions(db: Executor, regionCode: string, from: Date, until: Date): Promise<DecisionCount[]> {
  const receivedOn = chinaDateOf(claims.submittedAt);
  const decidedOn = chinaDateOf(claims.decidedAt);
  return db
    .select({ receivedOn, decidedOn, count: sql<number>`count(*)::int` })
    .from(claims)
    .where(
      and(
        eq(claims.regionCode, regionCode),
        inArray(claims.status, ['approved', 'rejected', 'returned', 'batched', 'paid', 'withdrawn']),
        gte(claims.decidedAt, from),
        lt(claims.decidedAt, until),
      ),
    )
    .groupBy(receivedOn, decidedOn);
}

/** Pending applications of the region's children received on or before a day. */
export async function applicationsWaitingSince(db: Executor, regionCode: string, overdue: (regionColumn: typeof children.regionCode, receivedOnOrBefore: (day: string) => SQL) => SQL) {
  const rows = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(applications)
    .innerJoin(children, eq(children.id, applications.childId))
    .where(and(eq(children.regionCode, regionCode), eq(applications.status, 'pending'), overdue(children.regionCode, (day) => sql`${applications.receivedOn} <= ${day}::date`)));
  return rows[0]!.count;
}

/** Submitted claims the region pays, submitted before an instant. */
export async function claimsWaitingSince(db: Executor, regionCode: string, overdue: (regionColumn: typeof claims.regionCode, submittedBefore: (instant: Date) => SQL) => SQL) {
  const rows = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(claims)
    .where(and(eq(claims.regionCode, regionCode), eq(claims.status, 'submitted'), overdue(claims.regionCode, (instant) => lt(claims.submittedAt, instant))));
  return rows[0]!.count;
}
