import { and, eq, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { inIdPages } from '../db/pages.js';
import { children, protectionCases, protectionReports } from '../db/schema.js';
import type { ReportStatus, VisitCheck } from '../domain/protectionVisitRule.js';
import type { Actor } from '../http/context.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { openProtection, sealProtection } from './caseSecrets.js';

// Mandatory reports (强制报告, protection.md §9), scoped by role inside every query: a township its
// own township's, civil affairs its region's. A report's note and the action taken are free text
// about a child, kept sealed (caseSecrets.ts): opened and sealed only here (`reportOf`,
// `sensitiveReportColumns`), with the cipher each function that reads or writes them is given.

type ReportRow = typeof protectionReports.$inferSelect;

export interface ReportRecord extends Omit<ReportRow, 'concerns' | 'status' | 'noteSealed' | 'actionTakenSealed'> {
  concerns: VisitCheck[];
  status: ReportStatus;
  note: string | null;
  actionTaken: string | null;
}

function reportOf(cipher: FieldCipher, row: ReportRow): ReportRecord {
  const { noteSealed, actionTakenSealed, ...plain } = row;
  return {
    ...plain,
    concerns: row.concerns as VisitCheck[],
    status: row.status as ReportStatus,
    note: openProtection(cipher, 'note', noteSealed),
    actionTaken: openProtection(cipher, 'note', actionTakenSealed),
  };
}

function sensitiveReportColumns(cipher: FieldCipher, values: { note?: string | null; actionTaken?: string | null }): Partial<typeof protectionReports.$inferInsert> {
  const columns: Partial<typeof protectionReports.$inferInsert> = {};
  if (values.note !== undefined) columns.noteSealed = sealProtection(cipher, 'note', values.note);
  if (values.actionTaken !== undefined) columns.actionTakenSealed = sealProtection(cipher, 'note', values.actionTaken);
  return columns;
}

export function reportScope(actor: Actor): SQL {
  if (actor.role === 'township') return eq(protectionReports.townshipCode, actor.townshipCode!);
  if (actor.role === 'civil_affairs') return eq(protectionReports.regionCode, actor.regionCode!);
  return sql`false`;
}

export type NewReport = Omit<typeof protectionReports.$inferInsert, 'noteSealed' | 'actionTakenSealed'> & { note: string | null };

export async function insertReport(tx: Executor, cipher: FieldCipher, report: NewReport): Promise<void> {
  const { note, ...plain } = report;
  await tx.insert(protectionReports).values({ ...plain, ...sensitiveReportColumns(cipher, { note }) } as typeof protectionReports.$inferInsert);
}

export type ReportPatch = Partial<Pick<ReportRow, 'status' | 'policeNotifiedAt' | 'policeRecordedByUserId' | 'policeNotified' | 'acknowledgedByUserId' | 'acknowledgedAt'>>;

export async function updateReport(tx: Executor, cipher: FieldCipher, id: string, patch: ReportPatch, sensitive: { actionTaken?: string } = {}): Promise<void> {
  await tx
    .update(protectionReports)
    .set({ ...patch, ...sensitiveReportColumns(cipher, sensitive) })
    .where(eq(protectionReports.id, id));
}

export interface ReportWithNames {
  report: ReportRecord;
  childName: string;
  caseNumber: string | null;
}

const listed = { row: protectionReports, childName: children.name, caseNumber: protectionCases.number };
const withNames = (cipher: FieldCipher, found: { row: ReportRow; childName: string; caseNumber: string | null }): ReportWithNames => ({
  report: reportOf(cipher, found.row),
  childName: found.childName,
  caseNumber: found.caseNumber,
});

function selectReports(db: Executor) {
  return db
    .select(listed)
    .from(protectionReports)
    .innerJoin(children, eq(children.id, protectionReports.childId))
    .leftJoin(protectionCases, eq(protectionCases.id, protectionReports.caseId))
    .$dynamic();
}

export async function findReportInScope(db: Executor, cipher: FieldCipher, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<ReportWithNames | undefined> {
  const query = selectReports(db)
    .where(and(eq(protectionReports.id, id), reportScope(actor)))
    .limit(1);
  const found = (await (options.lock ? query.for('update', { of: protectionReports }) : query))[0];
  return found ? withNames(cipher, found) : undefined;
}

/** A report just written, whoever asks. */
export async function findReport(db: Executor, cipher: FieldCipher, id: string): Promise<ReportWithNames | undefined> {
  const found = (await selectReports(db).where(eq(protectionReports.id, id)).limit(1))[0];
  return found ? withNames(cipher, found) : undefined;
}

export interface ReportFilter {
  status?: ReportStatus | undefined;
  childId?: string | undefined;
  /** Open and raised at or before this instant (the overdue cut-off). */
  overdueCutoff?: Date | undefined;
}

function filterConditions(actor: Actor, filter: ReportFilter): SQL[] {
  const conditions: SQL[] = [reportScope(actor)];
  if (filter.status) conditions.push(eq(protectionReports.status, filter.status));
  if (filter.childId) conditions.push(eq(protectionReports.childId, filter.childId));
  if (filter.overdueCutoff) conditions.push(and(eq(protectionReports.status, 'open'), lte(protectionReports.raisedAt, filter.overdueCutoff))!);
  return conditions;
}

/** A page of reports in scope, newest first (ids are UUIDv7: the order they were raised). */
export async function listReports(db: Executor, cipher: FieldCipher, actor: Actor, filter: ReportFilter, page: { after?: string | undefined; limit: number }): Promise<ReportWithNames[]> {
  const rows = await inIdPages(selectReports(db), protectionReports.id, filterConditions(actor, filter), { after: page.after, limit: page.limit, newestFirst: true });
  return rows.map((found) => withNames(cipher, found));
}

/** Open reports in scope and those of them past the cut-off, with the oldest overdue one's raisedAt. */
export async function countOpenReports(db: Executor, actor: Actor, overdueCutoff: Date): Promise<{ open: number; overdue: number; oldestOverdueRaisedAt: Date | null }> {
  const overdue = sql`${protectionReports.raisedAt} <= ${overdueCutoff.toISOString()}::timestamptz`;
  const rows = await db
    .select({
      open: sql<number>`count(*)::int`,
      overdue: sql<number>`(count(*) filter (where ${overdue}))::int`,
      oldest: sql<string | null>`min(${protectionReports.raisedAt}) filter (where ${overdue})`,
    })
    .from(protectionReports)
    .where(and(reportScope(actor), eq(protectionReports.status, 'open')));
  const row = rows[0];
  return { open: row?.open ?? 0, overdue: row?.overdue ?? 0, oldestOverdueRaisedAt: row?.oldest ? new Date(row.oldest) : null };
}
