import { and, asc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { allowanceEntries, allowanceOverpaymentEntries, allowanceOverpayments, allowanceRecoveries, allowanceRefunds, allowanceRolls, beneficiaries, children } from '../db/schema.js';
import type { Actor } from '../http/context.js';

// Overpayments (应退尽退): the entries they are made of, recoveries and refunds. Civil affairs and
// finance of the region see them.

export type OverpaymentRow = typeof allowanceOverpayments.$inferSelect;

export function overpaymentScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'civil_affairs':
    case 'finance':
      return eq(allowanceOverpayments.regionCode, actor.regionCode!);
    default:
      return sql`false`;
  }
}

/** A beneficiary's live entries from a month on in issued or settled rolls: money sent. */
/**
 * A child's live entries of issued or settled rolls from a month on (money sent), under whichever of
 * its records, that no overpayment is recovering yet.
 */
export async function sentEntriesOfChildFrom(db: Executor, childId: string, fromMonth: string) {
  return db
    .select({ rollId: allowanceEntries.rollId, transferNo: allowanceEntries.transferNo, month: allowanceEntries.month, amount: allowanceEntries.amount })
    .from(allowanceEntries)
    .innerJoin(allowanceRolls, eq(allowanceRolls.id, allowanceEntries.rollId))
    .where(
      and(
        eq(allowanceEntries.childId, childId),
        eq(allowanceEntries.live, true),
        gte(allowanceEntries.month, fromMonth),
        inArray(allowanceRolls.status, ['issued', 'settled']),
        sql`not exists (select 1 from ${allowanceOverpaymentEntries} x where x.live and x.roll_id = ${allowanceEntries.rollId}
          and x.transfer_no = ${allowanceEntries.transferNo} and x.month = ${allowanceEntries.month})`,
      ),
    )
    .orderBy(asc(allowanceEntries.month));
}

/**
 * Months of a child payable again (a new record covers them): the overpayments of its records stop
 * recovering them. Returns the overpayments that shrank.
 */
export async function dropRecoveryOfMonths(db: Executor, childId: string, fromMonth: string, toMonth: string): Promise<string[]> {
  const rows = await db
    .update(allowanceOverpaymentEntries)
    .set({ live: false })
    .where(
      and(
        eq(allowanceOverpaymentEntries.live, true),
        gte(allowanceOverpaymentEntries.month, fromMonth),
        lte(allowanceOverpaymentEntries.month, toMonth),
        sql`${allowanceOverpaymentEntries.overpaymentId} in (select o.id from ${allowanceOverpayments} o join ${beneficiaries} b on b.id = o.beneficiary_id where b.child_id = ${childId})`,
      ),
    )
    .returning({ overpaymentId: allowanceOverpaymentEntries.overpaymentId });
  return [...new Set(rows.map((row) => row.overpaymentId))];
}

export async function insertOverpayment(
  db: Executor,
  row: typeof allowanceOverpayments.$inferInsert,
  entries: { rollId: string; transferNo: number; month: string; amount: string }[],
): Promise<void> {
  await db.insert(allowanceOverpayments).values(row);
  await db.insert(allowanceOverpaymentEntries).values(entries.map((entry) => ({ ...entry, overpaymentId: row.id })));
}

/** The overpayments a failed transfer shrinks: its entries stop counting. Returns their ids. */
export async function dropOverpaymentEntriesOfTransfer(db: Executor, rollId: string, transferNo: number): Promise<string[]> {
  const rows = await db
    .update(allowanceOverpaymentEntries)
    .set({ live: false })
    .where(and(eq(allowanceOverpaymentEntries.rollId, rollId), eq(allowanceOverpaymentEntries.transferNo, transferNo), eq(allowanceOverpaymentEntries.live, true)))
    .returning({ overpaymentId: allowanceOverpaymentEntries.overpaymentId });
  return [...new Set(rows.map((row) => row.overpaymentId))];
}

export async function liveOverpaymentTotal(db: Executor, overpaymentId: string): Promise<string> {
  const rows = await db
    .select({ total: sql<string>`coalesce(sum(${allowanceOverpaymentEntries.amount}), 0)::numeric(14,2)::text` })
    .from(allowanceOverpaymentEntries)
    .where(and(eq(allowanceOverpaymentEntries.overpaymentId, overpaymentId), eq(allowanceOverpaymentEntries.live, true)));
  return rows[0]!.total;
}

export async function overpaymentMonths(db: Executor, ids: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (ids.length === 0) return map;
  const rows = await db
    .select({ overpaymentId: allowanceOverpaymentEntries.overpaymentId, month: allowanceOverpaymentEntries.month })
    .from(allowanceOverpaymentEntries)
    .where(and(inArray(allowanceOverpaymentEntries.overpaymentId, [...ids]), eq(allowanceOverpaymentEntries.live, true)))
    .orderBy(asc(allowanceOverpaymentEntries.month));
  for (const row of rows) map.set(row.overpaymentId, [...(map.get(row.overpaymentId) ?? []), row.month]);
  return map;
}

export async function findOverpayment(db: Executor, id: string, options: { lock?: boolean } = {}) {
  const query = db.select().from(allowanceOverpayments).where(eq(allowanceOverpayments.id, id)).limit(1);
  const rows = options.lock ? await query.for('update') : await query;
  return rows[0];
}

export async function findOverpaymentInScope(db: Executor, actor: Actor, id: string, options: { lock?: boolean } = {}) {
  const query = db
    .select({ overpayment: allowanceOverpayments, childName: children.name })
    .from(allowanceOverpayments)
    .innerJoin(beneficiaries, eq(beneficiaries.id, allowanceOverpayments.beneficiaryId))
    .innerJoin(children, eq(children.id, beneficiaries.childId))
    .where(and(eq(allowanceOverpayments.id, id), overpaymentScope(actor)))
    .limit(1);
  const rows = options.lock ? await query.for('update', { of: allowanceOverpayments }) : await query;
  return rows[0];
}

export async function listOverpaymentsInScope(db: Executor, actor: Actor, query: { status?: string | undefined; afterId?: string | undefined; limit: number }) {
  const conditions: SQL[] = [overpaymentScope(actor)];
  if (query.status) conditions.push(eq(allowanceOverpayments.status, query.status));
  if (query.afterId) conditions.push(gt(allowanceOverpayments.id, query.afterId));
  return db
    .select({ overpayment: allowanceOverpayments, childName: children.name })
    .from(allowanceOverpayments)
    .innerJoin(beneficiaries, eq(beneficiaries.id, allowanceOverpayments.beneficiaryId))
    .innerJoin(children, eq(children.id, beneficiaries.childId))
    .where(and(...conditions))
    .orderBy(asc(allowanceOverpayments.id))
    .limit(query.limit + 1);
}

export async function updateOverpayment(db: Executor, id: string, patch: Partial<typeof allowanceOverpayments.$inferInsert>): Promise<void> {
  await db.update(allowanceOverpayments).set(patch).where(eq(allowanceOverpayments.id, id));
}

export async function insertRecovery(db: Executor, row: typeof allowanceRecoveries.$inferInsert): Promise<void> {
  await db.insert(allowanceRecoveries).values(row);
}

export async function recoveriesOf(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(allowanceRecoveries)
    .where(inArray(allowanceRecoveries.overpaymentId, [...ids]))
    .orderBy(asc(allowanceRecoveries.recordedAt));
}

export async function insertRefund(db: Executor, row: typeof allowanceRefunds.$inferInsert): Promise<void> {
  await db.insert(allowanceRefunds).values(row);
}

export async function refundsOf(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(allowanceRefunds)
    .where(inArray(allowanceRefunds.overpaymentId, [...ids]))
    .orderBy(asc(allowanceRefunds.recordedAt), asc(allowanceRefunds.id));
}
