import { and, asc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { inIdPages } from '../db/pages.js';
import { children, protectionCases, protectionNoticeCases, protectionNotices } from '../db/schema.js';
import type { Actor } from '../http/context.js';

// Village notices (公示, protection.md §4.3): a township its own villages' notices; civil affairs its
// region's. A notice holds no personal data itself: its cases' names come from the children.

export type NoticeRow = typeof protectionNotices.$inferSelect;

export function noticeScope(actor: Actor): SQL | undefined {
  if (actor.role === 'township') return eq(protectionNotices.townshipCode, actor.townshipCode!);
  if (actor.role === 'civil_affairs') return eq(protectionNotices.regionCode, actor.regionCode!);
  return undefined;
}

export async function findNoticeInScope(db: Executor, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<NoticeRow | undefined> {
  const scope = noticeScope(actor);
  if (!scope) return undefined;
  const query = db.select().from(protectionNotices).where(and(eq(protectionNotices.id, id), scope)).limit(1);
  return (await (options.lock ? query.for('update') : query))[0];
}

/** The village's open notice that started on `noticeFrom`, locked: a case agreed that day joins it. */
export async function findOpenNotice(tx: Executor, villageCode: string, noticeFrom: string): Promise<NoticeRow | undefined> {
  return (
    await tx
      .select()
      .from(protectionNotices)
      .where(and(eq(protectionNotices.villageCode, villageCode), eq(protectionNotices.noticeFrom, noticeFrom), eq(protectionNotices.status, 'open')))
      .limit(1)
      .for('update')
  )[0];
}

export async function insertNotice(tx: Executor, row: typeof protectionNotices.$inferInsert): Promise<NoticeRow> {
  return (await tx.insert(protectionNotices).values(row).returning())[0]!;
}

export async function closeNotice(tx: Executor, id: string, closedOn: string, userId: string): Promise<void> {
  await tx.update(protectionNotices).set({ status: 'closed', closedOn, closedByUserId: userId }).where(eq(protectionNotices.id, id));
}

export async function addCaseToNotice(tx: Executor, row: typeof protectionNoticeCases.$inferInsert): Promise<void> {
  await tx.insert(protectionNoticeCases).values(row);
}

/** Takes a case off the notices it is still on (an objection, a withdrawal); answers those notices' ids. */
export async function takeCaseOffNotices(tx: Executor, caseId: string, on: string, reason: 'objection' | 'withdrawn'): Promise<string[]> {
  const rows = await tx
    .update(protectionNoticeCases)
    .set({ removedOn: on, removedReason: reason })
    .where(and(eq(protectionNoticeCases.caseId, caseId), isNull(protectionNoticeCases.removedOn)))
    .returning({ noticeId: protectionNoticeCases.noticeId });
  return rows.map((row) => row.noticeId);
}

/** The notice a case is on now (its status is notice). */
export async function currentNoticeOf(tx: Executor, caseId: string): Promise<NoticeRow | undefined> {
  return (
    await tx
      .select({ notice: protectionNotices })
      .from(protectionNoticeCases)
      .innerJoin(protectionNotices, eq(protectionNotices.id, protectionNoticeCases.noticeId))
      .where(and(eq(protectionNoticeCases.caseId, caseId), isNull(protectionNoticeCases.removedOn), eq(protectionNotices.status, 'open')))
      .limit(1)
  )[0]?.notice;
}

export interface NoticeCaseLine {
  caseId: string;
  number: string;
  status: string;
  categories: string[];
  childName: string;
}

/** The cases still on each notice, in the order they joined, with what a notice may print. */
export async function casesOnNotices(db: Executor, noticeIds: string[]): Promise<Map<string, NoticeCaseLine[]>> {
  const byNotice = new Map<string, NoticeCaseLine[]>(noticeIds.map((id) => [id, []]));
  if (noticeIds.length === 0) return byNotice;
  const rows = await db
    .select({
      noticeId: protectionNoticeCases.noticeId,
      caseId: protectionCases.id,
      number: protectionCases.number,
      status: protectionCases.status,
      categories: protectionCases.categories,
      childName: children.name,
    })
    .from(protectionNoticeCases)
    .innerJoin(protectionCases, eq(protectionCases.id, protectionNoticeCases.caseId))
    .innerJoin(children, eq(children.id, protectionCases.childId))
    .where(and(inArray(protectionNoticeCases.noticeId, noticeIds), isNull(protectionNoticeCases.removedOn)))
    .orderBy(asc(protectionNoticeCases.addedOn), asc(protectionCases.id));
  for (const { noticeId, ...line } of rows) byNotice.get(noticeId)!.push(line);
  return byNotice;
}

export async function listNoticesInScope(db: Executor, actor: Actor, filter: { villageCode?: string | undefined; status?: 'open' | 'closed' | undefined; afterId?: string | undefined; limit: number }) {
  const scope = noticeScope(actor);
  if (!scope) return [];
  const conditions: SQL[] = [scope];
  if (filter.villageCode) conditions.push(eq(protectionNotices.villageCode, filter.villageCode));
  if (filter.status) conditions.push(eq(protectionNotices.status, filter.status));
  return inIdPages(db.select().from(protectionNotices).$dynamic(), protectionNotices.id, conditions, { after: filter.afterId, limit: filter.limit });
}
