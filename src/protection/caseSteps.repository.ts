import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import {
  protectionCaseCategories,
  protectionCaseHolds,
  protectionCaseLiving,
  protectionChecks,
  protectionNoticeCases,
  protectionNotices,
  protectionObjections,
  protectionQuarterlyLines,
  protectionQuarterlyUpdates,
  protectionReviews,
} from '../db/schema.js';
import type { CaseHoldReason, ReviewRoute } from '../domain/protectionVocabulary.js';

// The steps of cases (protection.md §4): township checks, notices a case was on, objections,
// reviews, the categories and living arrangement found from a month on, holds. Each is only added
// to or decided; nothing is edited after the fact.

export type CheckRow = typeof protectionChecks.$inferSelect;
export type ObjectionRow = typeof protectionObjections.$inferSelect;
export type ReviewRow = typeof protectionReviews.$inferSelect;
export type CategoriesRow = typeof protectionCaseCategories.$inferSelect;
export type LivingRow = typeof protectionCaseLiving.$inferSelect;
export type HoldRow = typeof protectionCaseHolds.$inferSelect;
export type NoticeEntryRow = typeof protectionNoticeCases.$inferSelect & { notice: typeof protectionNotices.$inferSelect };

export async function insertCheck(tx: Executor, row: typeof protectionChecks.$inferInsert): Promise<void> {
  await tx.insert(protectionChecks).values(row);
}

export async function pendingCheckOf(tx: Executor, caseId: string): Promise<CheckRow | undefined> {
  return (await tx.select().from(protectionChecks).where(and(eq(protectionChecks.caseId, caseId), isNull(protectionChecks.decidedOn))).limit(1))[0];
}

export async function moveCheckReceipt(tx: Executor, id: string, receivedOn: string): Promise<void> {
  await tx.update(protectionChecks).set({ receivedOn }).where(eq(protectionChecks.id, id));
}

export async function decideCheck(tx: Executor, id: string, decision: Pick<CheckRow, 'decision' | 'reason' | 'noticeFrom' | 'decidedOn' | 'decidedByUserId' | 'decidedAt'>): Promise<void> {
  await tx.update(protectionChecks).set(decision).where(eq(protectionChecks.id, id));
}

export async function insertObjection(tx: Executor, row: typeof protectionObjections.$inferInsert): Promise<void> {
  await tx.insert(protectionObjections).values(row);
}

export async function insertReviews(tx: Executor, rows: (typeof protectionReviews.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await tx.insert(protectionReviews).values(rows);
}

export async function reviewsOfCase(tx: Executor, caseId: string): Promise<ReviewRow[]> {
  return tx.select().from(protectionReviews).where(eq(protectionReviews.caseId, caseId)).orderBy(asc(protectionReviews.id));
}

export async function decideReview(tx: Executor, id: string, decision: Pick<ReviewRow, 'status' | 'reason' | 'decidedOn' | 'decidedByUserId' | 'decidedAt'>): Promise<void> {
  await tx.update(protectionReviews).set(decision).where(eq(protectionReviews.id, id));
}

/** Pending reviews of a case end unanswered when another office refused it. */
export async function closePendingReviews(tx: Executor, caseId: string): Promise<void> {
  await tx
    .update(protectionReviews)
    .set({ status: 'closed' })
    .where(and(eq(protectionReviews.caseId, caseId), eq(protectionReviews.status, 'pending')));
}

export async function upsertCategories(tx: Executor, row: typeof protectionCaseCategories.$inferInsert): Promise<void> {
  await tx
    .insert(protectionCaseCategories)
    .values(row)
    .onConflictDoUpdate({ target: [protectionCaseCategories.caseId, protectionCaseCategories.fromMonth], set: { categories: row.categories, recordedByUserId: row.recordedByUserId, recordedAt: row.recordedAt } });
}

export async function upsertLiving(tx: Executor, row: typeof protectionCaseLiving.$inferInsert): Promise<void> {
  await tx
    .insert(protectionCaseLiving)
    .values(row)
    .onConflictDoUpdate({ target: [protectionCaseLiving.caseId, protectionCaseLiving.fromMonth], set: { livingArrangement: row.livingArrangement, recordedByUserId: row.recordedByUserId, recordedAt: row.recordedAt } });
}

/** Places a hold unless one of that reason is open; answers whether it was placed. */
export async function placeHold(tx: Executor, row: typeof protectionCaseHolds.$inferInsert): Promise<boolean> {
  const placed = await tx.insert(protectionCaseHolds).values(row).onConflictDoNothing().returning({ id: protectionCaseHolds.id });
  return placed.length > 0;
}

/** Ends the open holds of the reasons given; answers the reasons that were open. */
export async function releaseHolds(tx: Executor, caseId: string, reasons: readonly CaseHoldReason[], userId: string, at: Date): Promise<string[]> {
  const released = await tx
    .update(protectionCaseHolds)
    .set({ releasedByUserId: userId, releasedAt: at })
    .where(and(eq(protectionCaseHolds.caseId, caseId), inArray(protectionCaseHolds.reason, [...reasons]), isNull(protectionCaseHolds.releasedAt)))
    .returning({ reason: protectionCaseHolds.reason });
  return released.map((row) => row.reason);
}

/** Everything the answer of a set of cases needs, in a few reads. */
export interface CaseSteps {
  checks: CheckRow[];
  noticeEntries: NoticeEntryRow[];
  objections: ObjectionRow[];
  reviews: ReviewRow[];
  categories: CategoriesRow[];
  living: LivingRow[];
  holds: HoldRow[];
  reportedChanges: { caseId: string; quarter: string; submittedOn: string; submittedAt: Date; changes: unknown }[];
}

export async function stepsOfCases(db: Executor, caseIds: string[]): Promise<CaseSteps> {
  if (caseIds.length === 0) return { checks: [], noticeEntries: [], objections: [], reviews: [], categories: [], living: [], holds: [], reportedChanges: [] };
  const [checks, entries, objections, reviews, categories, living, holds, reported] = await Promise.all([
    db.select().from(protectionChecks).where(inArray(protectionChecks.caseId, caseIds)).orderBy(asc(protectionChecks.id)),
    db
      .select({ entry: protectionNoticeCases, notice: protectionNotices })
      .from(protectionNoticeCases)
      .innerJoin(protectionNotices, eq(protectionNotices.id, protectionNoticeCases.noticeId))
      .where(inArray(protectionNoticeCases.caseId, caseIds))
      .orderBy(asc(protectionNotices.id)),
    db.select().from(protectionObjections).where(inArray(protectionObjections.caseId, caseIds)).orderBy(asc(protectionObjections.id)),
    db.select().from(protectionReviews).where(inArray(protectionReviews.caseId, caseIds)).orderBy(asc(protectionReviews.id)),
    db.select().from(protectionCaseCategories).where(inArray(protectionCaseCategories.caseId, caseIds)).orderBy(asc(protectionCaseCategories.fromMonth)),
    db.select().from(protectionCaseLiving).where(inArray(protectionCaseLiving.caseId, caseIds)).orderBy(asc(protectionCaseLiving.fromMonth)),
    db.select().from(protectionCaseHolds).where(and(inArray(protectionCaseHolds.caseId, caseIds), isNull(protectionCaseHolds.releasedAt))).orderBy(asc(protectionCaseHolds.placedAt)),
    db
      .select({
        caseId: protectionQuarterlyLines.caseId,
        quarter: protectionQuarterlyUpdates.quarter,
        submittedOn: protectionQuarterlyUpdates.submittedOn,
        submittedAt: protectionQuarterlyUpdates.createdAt,
        changes: protectionQuarterlyLines.changes,
      })
      .from(protectionQuarterlyLines)
      .innerJoin(protectionQuarterlyUpdates, eq(protectionQuarterlyUpdates.id, protectionQuarterlyLines.updateId))
      .where(and(inArray(protectionQuarterlyLines.caseId, caseIds), eq(protectionQuarterlyLines.result, 'changed')))
      .orderBy(desc(protectionQuarterlyUpdates.quarter)),
  ]);
  return {
    checks,
    noticeEntries: entries.map((found) => ({ ...found.entry, notice: found.notice })),
    objections,
    reviews,
    categories,
    living,
    holds,
    reportedChanges: reported,
  };
}

/** The ids of cases with a pending review of this route, as a condition on the case id. */
export function pendingReviewOf(route: ReviewRoute, caseIdColumn: unknown) {
  return sql`exists (select 1 from ${protectionReviews} where ${protectionReviews.caseId} = ${caseIdColumn} and ${protectionReviews.route} = ${route} and ${protectionReviews.status} = 'pending')`;
}
