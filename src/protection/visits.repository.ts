import { and, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { children, protectionCases, protectionReports, protectionVisits } from '../db/schema.js';
import type { CheckResult, VisitChecks } from '../domain/protectionVisitRule.js';
import type { Actor } from '../http/context.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { openProtection, sealProtection } from './caseSecrets.js';

// Visits (走访, protection.md §9), scoped by role inside every query: a township its own
// township's, civil affairs its region's, nobody else any. A visit's note is free text about a
// child, kept sealed (caseSecrets.ts): it is opened and sealed only here, through `visitOf` and
// `visitColumns`, with the cipher each function that reads or writes it is given (as the cases'
// sensitive columns in cases.repository.ts).

type VisitRow = typeof protectionVisits.$inferSelect;

export interface VisitRecord {
  id: string;
  caseId: string;
  childId: string;
  regionCode: string;
  townshipCode: string;
  visitedOn: string;
  visitor: string;
  visitorRole: string;
  checks: VisitChecks;
  note: string | null;
  recordedByUserId: string;
  recordedAt: Date;
}

function visitOf(cipher: FieldCipher, row: VisitRow): VisitRecord {
  return {
    id: row.id,
    caseId: row.caseId,
    childId: row.childId,
    regionCode: row.regionCode,
    townshipCode: row.townshipCode,
    visitedOn: row.visitedOn,
    visitor: row.visitor,
    visitorRole: row.visitorRole,
    checks: {
      guardianship: row.guardianship as CheckResult,
      living: row.living as CheckResult,
      schooling: row.schooling as CheckResult,
      health: row.health as CheckResult,
      safety: row.safety as CheckResult,
    },
    note: openProtection(cipher, 'note', row.noteSealed),
    recordedByUserId: row.recordedByUserId,
    recordedAt: row.recordedAt,
  };
}

function visitColumns(cipher: FieldCipher, visit: VisitRecord): typeof protectionVisits.$inferInsert {
  const { checks, note, ...plain } = visit;
  return { ...plain, ...checks, noteSealed: sealProtection(cipher, 'note', note) };
}

export function visitScope(actor: Actor): SQL {
  if (actor.role === 'township') return eq(protectionVisits.townshipCode, actor.townshipCode!);
  if (actor.role === 'civil_affairs') return eq(protectionVisits.regionCode, actor.regionCode!);
  return sql`false`;
}

export async function insertVisit(tx: Executor, cipher: FieldCipher, visit: VisitRecord): Promise<void> {
  await tx.insert(protectionVisits).values(visitColumns(cipher, visit));
}

export interface VisitWithNames {
  visit: VisitRecord;
  caseNumber: string;
  childName: string;
  reportId: string | null;
}

const listed = {
  row: protectionVisits,
  caseNumber: protectionCases.number,
  childName: children.name,
  reportId: protectionReports.id,
};

/** Visits with their case's number, the child's name and the report a danger raised. */
function selectVisits(db: Executor) {
  return db
    .select(listed)
    .from(protectionVisits)
    .innerJoin(protectionCases, eq(protectionCases.id, protectionVisits.caseId))
    .innerJoin(children, eq(children.id, protectionVisits.childId))
    .leftJoin(protectionReports, eq(protectionReports.visitId, protectionVisits.id))
    .$dynamic();
}

function withNames(cipher: FieldCipher, found: { row: VisitRow; caseNumber: string; childName: string; reportId: string | null }): VisitWithNames {
  return { visit: visitOf(cipher, found.row), caseNumber: found.caseNumber, childName: found.childName, reportId: found.reportId };
}

export interface VisitFilter {
  caseId?: string | undefined;
  childId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** A page of visits in scope, newest visit first (by visitedOn, then id). */
export async function listVisits(db: Executor, cipher: FieldCipher, actor: Actor, filter: VisitFilter, page: { after?: { date: string; id: string } | undefined; limit: number }): Promise<VisitWithNames[]> {
  const cursor = page.after
    ? or(lt(protectionVisits.visitedOn, page.after.date), and(eq(protectionVisits.visitedOn, page.after.date), lt(protectionVisits.id, page.after.id)))
    : undefined;
  const rows = await selectVisits(db)
    .where(
      and(
        visitScope(actor),
        filter.caseId ? eq(protectionVisits.caseId, filter.caseId) : undefined,
        filter.childId ? eq(protectionVisits.childId, filter.childId) : undefined,
        filter.from ? gte(protectionVisits.visitedOn, filter.from) : undefined,
        filter.to ? lte(protectionVisits.visitedOn, filter.to) : undefined,
        cursor,
      ),
    )
    .orderBy(desc(protectionVisits.visitedOn), desc(protectionVisits.id))
    .limit(page.limit + 1);
  return rows.map((found) => withNames(cipher, found));
}

/** One visit just written, with its names. */
export async function findVisit(db: Executor, cipher: FieldCipher, id: string): Promise<VisitWithNames | undefined> {
  const rows = await selectVisits(db).where(eq(protectionVisits.id, id)).limit(1);
  return rows[0] ? withNames(cipher, rows[0]) : undefined;
}

/** Each case's latest visit day (cases never visited are absent). */
export async function lastVisitsOf(db: Executor, caseIds: readonly string[]): Promise<Map<string, string>> {
  if (caseIds.length === 0) return new Map();
  const latest = new Map<string, string>();
  // A region's cases in slices, so that the parameter list stays bounded.
  for (let start = 0; start < caseIds.length; start += 1000) {
    const rows = await db
      .select({ caseId: protectionVisits.caseId, visitedOn: sql<string>`max(${protectionVisits.visitedOn})::text` })
      .from(protectionVisits)
      .where(inArray(protectionVisits.caseId, caseIds.slice(start, start + 1000)))
      .groupBy(protectionVisits.caseId);
    for (const row of rows) latest.set(row.caseId, row.visitedOn);
  }
  return latest;
}

/** Visits of a region made in a year (statistics §10, by visitedOn). */
export async function countVisitsInYear(db: Executor, regionCode: string, year: number): Promise<number> {
  const rows = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(protectionVisits)
    .where(and(eq(protectionVisits.regionCode, regionCode), gte(protectionVisits.visitedOn, `${year}-01-01`), lte(protectionVisits.visitedOn, `${year}-12-31`)));
  return rows[0]?.count ?? 0;
}
