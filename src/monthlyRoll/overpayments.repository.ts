import { and, asc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { users, type MonthlyRollTables } from '../db/schema.js';
import type { Actor } from '../http/context.js';

// A programme's overpayments (应退尽退): the entries they are made of, recoveries, refunds and
// waivers. Civil affairs and finance of the region see them.

export type OverpaymentRow = MonthlyRollTables['overpayments']['$inferSelect'];
export type WaiverRow = MonthlyRollTables['waivers']['$inferSelect'];

export function overpaymentScope(t: MonthlyRollTables, actor: Actor): SQL {
  switch (actor.role) {
    case 'civil_affairs':
    case 'finance':
      return eq(t.overpayments.regionCode, actor.regionCode!);
    default:
      return sql`false`;
  }
}

/**
 * A child's live entries of issued or settled rolls from a month on (money sent), under whichever of
 * its records, that no overpayment is recovering yet.
 */
export async function sentEntriesOfChildFrom(db: Executor, t: MonthlyRollTables, childId: string, fromMonth: string) {
  const { entries, rolls, overpaymentEntries } = t;
  return db
    .select({ rollId: entries.rollId, transferNo: entries.transferNo, month: entries.month, amount: entries.amount })
    .from(entries)
    .innerJoin(rolls, eq(rolls.id, entries.rollId))
    .where(
      and(
        eq(entries.childId, childId),
        eq(entries.live, true),
        gte(entries.month, fromMonth),
        inArray(rolls.status, ['issued', 'settled']),
        sql`not exists (select 1 from ${overpaymentEntries} x where x.live and x.roll_id = ${entries.rollId}
          and x.transfer_no = ${entries.transferNo} and x.month = ${entries.month})`,
      ),
    )
    .orderBy(asc(entries.month));
}

/**
 * Months of a child payable again (a new record pays them: a span, or the months it pays): the
 * overpayments of the child's records (`payeeIdsOfChild`: a subquery of the programme's payees of
 * the child) stop recovering them. Returns the overpayments that shrank.
 */
export async function dropRecoveryOfMonths(db: Executor, t: MonthlyRollTables, payeeIdsOfChild: SQL, months: { from: string; to: string } | readonly string[]): Promise<string[]> {
  if (Array.isArray(months) && months.length === 0) return [];
  const range = months as { from: string; to: string };
  const { overpaymentEntries, overpayments } = t;
  const rows = await db
    .update(overpaymentEntries)
    .set({ live: false })
    .where(
      and(
        eq(overpaymentEntries.live, true),
        ...(Array.isArray(months) ? [inArray(overpaymentEntries.month, [...months])] : [gte(overpaymentEntries.month, range.from), lte(overpaymentEntries.month, range.to)]),
        sql`${overpaymentEntries.overpaymentId} in (select o.id from ${overpayments} o where o.${sql.identifier(overpayments.payeeId.name)} in (${payeeIdsOfChild}))`,
      ),
    )
    .returning({ overpaymentId: overpaymentEntries.overpaymentId });
  return [...new Set(rows.map((row) => row.overpaymentId))];
}

export async function insertOverpayment(
  db: Executor,
  t: MonthlyRollTables,
  row: MonthlyRollTables['overpayments']['$inferInsert'],
  entries: { rollId: string; transferNo: number; month: string; amount: string }[],
): Promise<void> {
  await db.insert(t.overpayments).values(row);
  await db.insert(t.overpaymentEntries).values(entries.map((entry) => ({ ...entry, overpaymentId: row.id })));
}

/** The overpayments a failed transfer shrinks: its entries stop counting. Returns their ids. */
export async function dropOverpaymentEntriesOfTransfer(db: Executor, t: MonthlyRollTables, rollId: string, transferNo: number): Promise<string[]> {
  const { overpaymentEntries } = t;
  const rows = await db
    .update(overpaymentEntries)
    .set({ live: false })
    .where(and(eq(overpaymentEntries.rollId, rollId), eq(overpaymentEntries.transferNo, transferNo), eq(overpaymentEntries.live, true)))
    .returning({ overpaymentId: overpaymentEntries.overpaymentId });
  return [...new Set(rows.map((row) => row.overpaymentId))];
}

export async function liveOverpaymentTotal(db: Executor, t: MonthlyRollTables, overpaymentId: string): Promise<string> {
  const { overpaymentEntries } = t;
  const rows = await db
    .select({ total: sql<string>`coalesce(sum(${overpaymentEntries.amount}), 0)::numeric(14,2)::text` })
    .from(overpaymentEntries)
    .where(and(eq(overpaymentEntries.overpaymentId, overpaymentId), eq(overpaymentEntries.live, true)));
  return rows[0]!.total;
}

export async function overpaymentMonths(db: Executor, t: MonthlyRollTables, ids: readonly string[]): Promise<Map<string, string[]>> {
  const { overpaymentEntries } = t;
  const map = new Map<string, string[]>();
  if (ids.length === 0) return map;
  const rows = await db
    .select({ overpaymentId: overpaymentEntries.overpaymentId, month: overpaymentEntries.month })
    .from(overpaymentEntries)
    .where(and(inArray(overpaymentEntries.overpaymentId, [...ids]), eq(overpaymentEntries.live, true)))
    .orderBy(asc(overpaymentEntries.month));
  for (const row of rows) map.set(row.overpaymentId, [...(map.get(row.overpaymentId) ?? []), row.month]);
  return map;
}

export async function findOverpayment(db: Executor, t: MonthlyRollTables, id: string, options: { lock?: boolean } = {}) {
  const query = db.select().from(t.overpayments).where(eq(t.overpayments.id, id)).limit(1);
  const rows = options.lock ? await query.for('update') : await query;
  return rows[0];
}

export async function findOverpaymentInScope(db: Executor, t: MonthlyRollTables, actor: Actor, id: string, options: { lock?: boolean } = {}) {
  const query = db
    .select()
    .from(t.overpayments)
    .where(and(eq(t.overpayments.id, id), overpaymentScope(t, actor)))
    .limit(1);
  const rows = options.lock ? await query.for('update') : await query;
  return rows[0];
}

export async function listOverpaymentsInScope(db: Executor, t: MonthlyRollTables, actor: Actor, query: { status?: string | undefined; afterId?: string | undefined; limit: number }) {
  const conditions: SQL[] = [overpaymentScope(t, actor)];
  if (query.status) conditions.push(eq(t.overpayments.status, query.status));
  if (query.afterId) conditions.push(gt(t.overpayments.id, query.afterId));
  return db
    .select()
    .from(t.overpayments)
    .where(and(...conditions))
    .orderBy(asc(t.overpayments.id))
    .limit(query.limit + 1);
}

export async function updateOverpayment(db: Executor, t: MonthlyRollTables, id: string, patch: Partial<MonthlyRollTables['overpayments']['$inferInsert']>): Promise<void> {
  await db.update(t.overpayments).set(patch).where(eq(t.overpayments.id, id));
}

export async function insertRecovery(db: Executor, t: MonthlyRollTables, row: MonthlyRollTables['recoveries']['$inferInsert']): Promise<void> {
  await db.insert(t.recoveries).values(row);
}

export async function recoveriesOf(db: Executor, t: MonthlyRollTables, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(t.recoveries)
    .where(inArray(t.recoveries.overpaymentId, [...ids]))
    .orderBy(asc(t.recoveries.recordedAt));
}

export async function insertRefund(db: Executor, t: MonthlyRollTables, row: MonthlyRollTables['refunds']['$inferInsert']): Promise<void> {
  await db.insert(t.refunds).values(row);
}

export async function refundsOf(db: Executor, t: MonthlyRollTables, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(t.refunds)
    .where(inArray(t.refunds.overpaymentId, [...ids]))
    .orderBy(asc(t.refunds.recordedAt), asc(t.refunds.id));
}

/** A pending waiver with the name of the user who asked for it. */
export type PendingWaiver = WaiverRow & { requestedByName: string };

export async function pendingWaiversOf(db: Executor, t: MonthlyRollTables, overpaymentIds: readonly string[]): Promise<Map<string, PendingWaiver>> {
  const map = new Map<string, PendingWaiver>();
  if (overpaymentIds.length === 0) return map;
  const rows = await db
    .select({ waiver: t.waivers, requestedByName: users.name })
    .from(t.waivers)
    .innerJoin(users, eq(users.id, t.waivers.requestedByUserId))
    .where(and(inArray(t.waivers.overpaymentId, [...overpaymentIds]), eq(t.waivers.status, 'pending')))
    .orderBy(asc(t.waivers.id));
  for (const row of rows) map.set(row.waiver.overpaymentId, { ...row.waiver, requestedByName: row.requestedByName });
  return map;
}

export async function insertWaiver(db: Executor, t: MonthlyRollTables, row: MonthlyRollTables['waivers']['$inferInsert']): Promise<void> {
  await db.insert(t.waivers).values(row);
}

/** Closes a pending waiver: confirmed (it took effect) or replaced (by a later request). */
export async function closeWaiver(db: Executor, t: MonthlyRollTables, id: string, status: 'confirmed' | 'replaced', decidedByUserId: string, decidedAt: Date): Promise<void> {
  await db
    .update(t.waivers)
    .set({ status, decidedByUserId, decidedAt })
    .where(and(eq(t.waivers.id, id), eq(t.waivers.status, 'pending')));
}
