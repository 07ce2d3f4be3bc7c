import { and, asc, desc, eq, gt, gte, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import {
  allowanceEntries,
  allowanceObjections,
  allowanceOverpaymentEntries,
  allowanceOverpayments,
  allowanceRecoveries,
  allowanceRollDocuments,
  allowanceRolls,
  allowanceStandards,
  allowanceTransfers,
  beneficiaries,
  beneficiaryHolds,
  beneficiaryTiers,
  children,
} from '../db/schema.js';
import type { Actor } from '../http/context.js';
import type { StoredHoldReason, Tier, TierChange } from './allowanceRule.js';

// The care allowance's tables. Every query an actor makes goes through a scope condition here:
// the region's reviewer, civil affairs and finance see the region's records; finance sees a roll
// only once it is issued.

export type BeneficiaryRow = typeof beneficiaries.$inferSelect;
export type RollRow = typeof allowanceRolls.$inferSelect;
export type TransferRow = typeof allowanceTransfers.$inferSelect;
export type OverpaymentRow = typeof allowanceOverpayments.$inferSelect;
export type HoldRow = typeof beneficiaryHolds.$inferSelect;

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const INSERT_CHUNK_ROWS = 2000;

export function beneficiaryScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'reviewer':
    case 'civil_affairs':
    case 'finance':
      return eq(beneficiaries.regionCode, actor.regionCode!);
    default:
      return sql`false`;
  }
}

export function rollScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'reviewer':
    case 'civil_affairs':
      return eq(allowanceRolls.regionCode, actor.regionCode!);
    case 'finance':
      // The roll is civil affairs' own work until it is issued to finance.
      return and(eq(allowanceRolls.regionCode, actor.regionCode!), inArray(allowanceRolls.status, ['issued', 'settled']))!;
    default:
      return sql`false`;
  }
}

export function overpaymentScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'civil_affairs':
    case 'finance':
      return eq(allowanceOverpayments.regionCode, actor.regionCode!);
    default:
      return sql`false`;
  }
}

// Beneficiaries.

export async function insertBeneficiary(db: Executor, row: typeof beneficiaries.$inferInsert): Promise<BeneficiaryRow> {
  return (await db.insert(beneficiaries).values(row).returning())[0]!;
}

export async function updateBeneficiary(db: Executor, id: string, patch: Partial<typeof beneficiaries.$inferInsert>): Promise<void> {
  await db.update(beneficiaries).set(patch).where(eq(beneficiaries.id, id));
}

export async function findLiveBeneficiaryOfChild(db: Executor, childId: string): Promise<BeneficiaryRow | undefined> {
  const rows = await db
    .select()
    .from(beneficiaries)
    .where(and(eq(beneficiaries.childId, childId), inArray(beneficiaries.status, ['pending', 'active'])))
    .limit(1);
  return rows[0];
}

export async function findBeneficiaryInScope(db: Executor, actor: Actor, id: string, options: { lock?: boolean } = {}) {
  const query = db
    .select({ beneficiary: beneficiaries, childName: children.name })
    .from(beneficiaries)
    .innerJoin(children, eq(children.id, beneficiaries.childId))
    .where(and(eq(beneficiaries.id, id), beneficiaryScope(actor)))
    .limit(1);
  const rows = options.lock ? await query.for('update', { of: beneficiaries }) : await query;
  return rows[0];
}

export async function listBeneficiariesInScope(
  db: Executor,
  actor: Actor,
  query: { status?: string | undefined; communityName?: string | undefined; childId?: string | undefined; afterId?: string | undefined; limit: number },
) {
  const conditions: SQL[] = [beneficiaryScope(actor)];
  if (query.status) conditions.push(eq(beneficiaries.status, query.status));
  if (query.communityName) conditions.push(eq(beneficiaries.communityName, query.communityName));
  if (query.childId) conditions.push(eq(beneficiaries.childId, query.childId));
  if (query.afterId) conditions.push(gt(beneficiaries.id, query.afterId));
  return db
    .select({ beneficiary: beneficiaries, childName: children.name })
    .from(beneficiaries)
    .innerJoin(children, eq(children.id, beneficiaries.childId))
    .where(and(...conditions))
    .orderBy(asc(beneficiaries.id))
    .limit(query.limit + 1);
}

/** The approved records of a region (active and exited): those a roll may pay. */
export async function approvedBeneficiariesOfRegion(db: Executor, regionCode: string) {
  return db
    .select({ beneficiary: beneficiaries, childName: children.name })
    .from(beneficiaries)
    .innerJoin(children, eq(children.id, beneficiaries.childId))
    .where(and(eq(beneficiaries.regionCode, regionCode), inArray(beneficiaries.status, ['active', 'exited'])));
}

export async function insertTier(db: Executor, row: { beneficiaryId: string; fromMonth: string; tier: Tier; createdAt: Date }): Promise<void> {
  await db
    .insert(beneficiaryTiers)
    .values(row)
    .onConflictDoUpdate({ target: [beneficiaryTiers.beneficiaryId, beneficiaryTiers.fromMonth], set: { tier: row.tier, createdAt: row.createdAt } });
}

export async function tiersOf(db: Executor, ids: readonly string[]): Promise<Map<string, TierChange[]>> {
  const map = new Map<string, TierChange[]>();
  if (ids.length === 0) return map;
  const rows = await db.select().from(beneficiaryTiers).where(inArray(beneficiaryTiers.beneficiaryId, [...ids])).orderBy(asc(beneficiaryTiers.fromMonth));
  for (const row of rows) {
    const list = map.get(row.beneficiaryId) ?? [];
    list.push({ fromMonth: row.fromMonth, tier: row.tier as Tier });
    map.set(row.beneficiaryId, list);
  }
  return map;
}

export async function openHoldsOf(db: Executor, ids: readonly string[]): Promise<Map<string, HoldRow[]>> {
  const map = new Map<string, HoldRow[]>();
  if (ids.length === 0) return map;
  const rows = await db
    .select()
    .from(beneficiaryHolds)
    .where(and(inArray(beneficiaryHolds.beneficiaryId, [...ids]), isNull(beneficiaryHolds.releasedAt)))
    .orderBy(asc(beneficiaryHolds.placedAt));
  for (const row of rows) {
    const list = map.get(row.beneficiaryId) ?? [];
    list.push(row);
    map.set(row.beneficiaryId, list);
  }
  return map;
}

/** Places a hold unless one for the same reason is open; true when a hold was placed. */
export async function placeHold(
  db: Executor,
  row: { id: string; beneficiaryId: string; reason: StoredHoldReason; note: string | null; rollId: string | null; placedByUserId: string; placedAt: Date },
): Promise<boolean> {
  const inserted = await db.insert(beneficiaryHolds).values(row).onConflictDoNothing().returning({ id: beneficiaryHolds.id });
  return inserted.length > 0;
}

/** Ends the open holds of the given reasons; the reasons ended. */
export async function releaseHolds(db: Executor, beneficiaryId: string, reasons: readonly StoredHoldReason[], userId: string, at: Date): Promise<string[]> {
  const released = await db
    .update(beneficiaryHolds)
    .set({ releasedAt: at, releasedByUserId: userId })
    .where(and(eq(beneficiaryHolds.beneficiaryId, beneficiaryId), isNull(beneficiaryHolds.releasedAt), inArray(beneficiaryHolds.reason, [...reasons])))
    .returning({ reason: beneficiaryHolds.reason });
  return released.map((row) => row.reason);
}

/** The entries of a beneficiary that are part of a roll (live or failed), with their roll. */
export async function entriesOfBeneficiary(db: Executor, beneficiaryId: string) {
  return db
    .select({
      month: allowanceEntries.month,
      amount: allowanceEntries.amount,
      live: allowanceEntries.live,
      rollId: allowanceRolls.id,
      rollNumber: allowanceRolls.number,
      rollStatus: allowanceRolls.status,
      transferStatus: allowanceTransfers.status,
    })
    .from(allowanceEntries)
    .innerJoin(allowanceRolls, eq(allowanceRolls.id, allowanceEntries.rollId))
    .innerJoin(allowanceTransfers, and(eq(allowanceTransfers.rollId, allowanceEntries.rollId), eq(allowanceTransfers.transferNo, allowanceEntries.transferNo)))
    .where(and(eq(allowanceEntries.beneficiaryId, beneficiaryId), eq(allowanceEntries.live, true)))
    .orderBy(asc(allowanceEntries.month));
}

/** The months of each child already in a live entry of any roll, across all of its records. */
export async function liveMonthsOfChildren(db: Executor, childIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  for (let start = 0; start < childIds.length; start += INSERT_CHUNK_ROWS) {
    const rows = await db
      .select({ childId: allowanceEntries.childId, month: allowanceEntries.month })
      .from(allowanceEntries)
      .where(and(inArray(allowanceEntries.childId, childIds.slice(start, start + INSERT_CHUNK_ROWS)), eq(allowanceEntries.live, true)));
    for (const row of rows) {
      const months = map.get(row.childId) ?? new Set<string>();
      months.add(row.month);
      map.set(row.childId, months);
    }
  }
  return map;
}

// Standards.

/** Every standard, newest first; the rule picks the one in force for each month. */
export async function standardRows(db: Executor) {
  return db.select().from(allowanceStandards).orderBy(desc(allowanceStandards.effectiveFrom), asc(allowanceStandards.id));
}

export async function insertStandard(db: Executor, row: typeof allowanceStandards.$inferInsert) {
  return (await db.insert(allowanceStandards).values(row).returning())[0]!;
}

// Rolls.

/** Serialises roll building per region: "after the region's last roll" must hold when written. */
export async function lockRegionRolls(db: Executor, regionCode: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`allowance-rolls:${regionCode}`}))`);
}

export async function latestRollMonth(db: Executor, regionCode: string): Promise<string | null> {
  const rows = await db
    .select({ month: sql<string | null>`max(${allowanceRolls.month})` })
    .from(allowanceRolls)
    .where(and(eq(allowanceRolls.regionCode, regionCode), ne(allowanceRolls.status, 'cancelled')));
  return rows[0]?.month ?? null;
}

export async function countRollsOfMonth(db: Executor, regionCode: string, month: string): Promise<number> {
  const rows = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(allowanceRolls)
    .where(and(eq(allowanceRolls.regionCode, regionCode), eq(allowanceRolls.month, month)));
  return rows[0]?.count ?? 0;
}

export async function insertRoll(db: Executor, row: typeof allowanceRolls.$inferInsert): Promise<void> {
  await db.insert(allowanceRolls).values(row);
}

export async function insertTransfers(db: Executor, rows: (typeof allowanceTransfers.$inferInsert)[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) await db.insert(allowanceTransfers).values(rows.slice(start, start + INSERT_CHUNK_ROWS));
}

export async function insertEntries(db: Executor, rows: (typeof allowanceEntries.$inferInsert)[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) await db.insert(allowanceEntries).values(rows.slice(start, start + INSERT_CHUNK_ROWS));
}

export async function findRollInScope(db: Executor, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<RollRow | undefined> {
  const query = db.select().from(allowanceRolls).where(and(eq(allowanceRolls.id, id), rollScope(actor))).limit(1);
  const rows = options.lock ? await query.for('update') : await query;
  return rows[0];
}

export async function updateRoll(db: Executor, id: string, patch: Partial<typeof allowanceRolls.$inferInsert>): Promise<void> {
  await db.update(allowanceRolls).set(patch).where(eq(allowanceRolls.id, id));
}

export async function listRollsInScope(
  db: Executor,
  actor: Actor,
  query: { month?: string | undefined; status?: string | undefined; afterId?: string | undefined; limit: number },
): Promise<RollRow[]> {
  const conditions: SQL[] = [rollScope(actor)];
  if (query.month) conditions.push(eq(allowanceRolls.month, query.month));
  if (query.status) conditions.push(eq(allowanceRolls.status, query.status));
  if (query.afterId) conditions.push(gt(allowanceRolls.id, query.afterId));
  return db.select().from(allowanceRolls).where(and(...conditions)).orderBy(asc(allowanceRolls.id)).limit(query.limit + 1);
}

/** The transfers that are part of a roll (not taken off), in number order. */
export async function transfersOf(db: Executor, rollId: string): Promise<TransferRow[]> {
  return db
    .select()
    .from(allowanceTransfers)
    .where(and(eq(allowanceTransfers.rollId, rollId), ne(allowanceTransfers.status, 'removed')))
    .orderBy(asc(allowanceTransfers.transferNo));
}

/** The entries that are part of a roll (not taken off), by transfer and month. */
export async function entriesOfRoll(db: Executor, rollId: string) {
  return db
    .select({
      transferNo: allowanceEntries.transferNo,
      beneficiaryId: allowanceEntries.beneficiaryId,
      month: allowanceEntries.month,
      tier: allowanceEntries.tier,
      fund: allowanceEntries.fund,
      amount: allowanceEntries.amount,
      live: allowanceEntries.live,
    })
    .from(allowanceEntries)
    .where(and(eq(allowanceEntries.rollId, rollId), isNull(allowanceEntries.removedReason)))
    .orderBy(asc(allowanceEntries.transferNo), asc(allowanceEntries.month));
}

/** Totals over the entries that are part of the roll. */
export async function rollFigures(db: Executor, roll: Pick<RollRow, 'id' | 'month'>) {
  const rows = await db
    .select({
      beneficiaryCount: sql<number>`count(distinct ${allowanceEntries.beneficiaryId})::int`,
      entryCount: sql<number>`count(*)::int`,
      total: sql<string>`coalesce(sum(${allowanceEntries.amount}), 0)::numeric(14,2)::text`,
      county: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.fund} = 'county'), 0)::numeric(14,2)::text`,
      hardship: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.fund} = 'hardship'), 0)::numeric(14,2)::text`,
      arrears: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.month} < ${roll.month}), 0)::numeric(14,2)::text`,
    })
    .from(allowanceEntries)
    .where(and(eq(allowanceEntries.rollId, roll.id), isNull(allowanceEntries.removedReason)));
  return rows[0]!;
}

export async function objectionsOf(db: Executor, rollId: string) {
  return db
    .select({ objection: allowanceObjections, childName: children.name })
    .from(allowanceObjections)
    .innerJoin(beneficiaries, eq(beneficiaries.id, allowanceObjections.beneficiaryId))
    .innerJoin(children, eq(children.id, beneficiaries.childId))
    .where(eq(allowanceObjections.rollId, rollId))
    .orderBy(asc(allowanceObjections.recordedAt));
}

export async function insertObjection(db: Executor, row: typeof allowanceObjections.$inferInsert): Promise<void> {
  await db.insert(allowanceObjections).values(row);
}

/**
 * Takes a beneficiary's entries off draft and published rolls (only `rollId`'s when given; only
 * months from `fromMonth` on when given): they stop being live and leave the roll, and each
 * transfer is brought to the sum of what is left (removed when nothing is). Returns the rolls
 * touched.
 */
export async function takeOffEntries(
  db: Executor,
  beneficiaryId: string,
  reason: 'objection' | 'hold' | 'exit',
  options: { rollId?: string; fromMonth?: string } = {},
): Promise<string[]> {
  const conditions: SQL[] = [
    eq(allowanceEntries.beneficiaryId, beneficiaryId),
    isNull(allowanceEntries.removedReason),
    sql`${allowanceEntries.rollId} in (select ${allowanceRolls.id} from ${allowanceRolls} where ${allowanceRolls.status} in ('draft', 'published'))`,
  ];
  if (options.rollId) conditions.push(eq(allowanceEntries.rollId, options.rollId));
  if (options.fromMonth) conditions.push(gte(allowanceEntries.month, options.fromMonth));
  const removed = await db
    .update(allowanceEntries)
    .set({ live: false, removedReason: reason })
    .where(and(...conditions))
    .returning({ rollId: allowanceEntries.rollId, transferNo: allowanceEntries.transferNo });
  const touched = new Map<string, { rollId: string; transferNo: number }>();
  for (const row of removed) touched.set(`${row.rollId}/${row.transferNo}`, row);
  for (const { rollId, transferNo } of touched.values()) {
    await db.execute(sql`
      update ${allowanceTransfers} t set
        amount = case when left_over.total > 0 then left_over.total else t.amount end,
        status = case when left_over.total > 0 then t.status else 'removed' end,
        removed_reason = case when left_over.total > 0 then t.removed_reason else ${reason} end
      from (select coalesce(sum(amount), 0) as total from ${allowanceEntries}
            where roll_id = ${rollId} and transfer_no = ${transferNo} and removed_reason is null) left_over
      where t.roll_id = ${rollId} and t.transfer_no = ${transferNo}`);
  }
  return [...new Set(removed.map((row) => row.rollId))];
}

/** A cancelled roll's entries stop being live: their months are due again. */
export async function endEntriesOfRoll(db: Executor, rollId: string): Promise<void> {
  await db.update(allowanceEntries).set({ live: false }).where(eq(allowanceEntries.rollId, rollId));
}

export async function recordTransferResult(
  db: Executor,
  rollId: string,
  transferNo: number,
  result: { status: 'paid' | 'failed'; failureReason: string | null; userId: string; at: Date },
): Promise<void> {
  await db
    .update(allowanceTransfers)
    .set({ status: result.status, failureReason: result.failureReason, resultRecordedAt: result.at, resultRecordedByUserId: result.userId })
    .where(and(eq(allowanceTransfers.rollId, rollId), eq(allowanceTransfers.transferNo, transferNo)));
  if (result.status === 'failed') {
    await db
      .update(allowanceEntries)
      .set({ live: false })
      .where(and(eq(allowanceEntries.rollId, rollId), eq(allowanceEntries.transferNo, transferNo)));
  }
}

export async function pendingTransferCount(db: Executor, rollId: string): Promise<number> {
  const rows = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(allowanceTransfers)
    .where(and(eq(allowanceTransfers.rollId, rollId), eq(allowanceTransfers.status, 'pending')));
  return rows[0]?.count ?? 0;
}

export async function insertRollDocument(db: Executor, row: typeof allowanceRollDocuments.$inferInsert): Promise<void> {
  await db.insert(allowanceRollDocuments).values(row);
}

export async function findRollDocument(db: Executor, rollId: string) {
  const rows = await db.select().from(allowanceRollDocuments).where(eq(allowanceRollDocuments.rollId, rollId)).limit(1);
  return rows[0];
}

// Overpayments.

/** A beneficiary's live entries from a month on in issued or settled rolls: money sent. */
export async function sentEntriesFrom(db: Executor, beneficiaryId: string, fromMonth: string) {
  return db
    .select({ rollId: allowanceEntries.rollId, transferNo: allowanceEntries.transferNo, month: allowanceEntries.month, amount: allowanceEntries.amount })
    .from(allowanceEntries)
    .innerJoin(allowanceRolls, eq(allowanceRolls.id, allowanceEntries.rollId))
    .where(
      and(
        eq(allowanceEntries.beneficiaryId, beneficiaryId),
        eq(allowanceEntries.live, true),
        gte(allowanceEntries.month, fromMonth),
        inArray(allowanceRolls.status, ['issued', 'settled']),
      ),
    )
    .orderBy(asc(allowanceEntries.month));
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

// Statistics.

/** Per China month of the recorded result, the paid transfers' entries by fund, in a year. */
export async function paidByMonth(db: Executor, regionCode: string, year: number) {
  const month = sql<string>`to_char(${allowanceTransfers.resultRecordedAt} at time zone 'Asia/Shanghai', 'YYYY-MM')`;
  return db
    .select({
      month,
      county: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.fund} = 'county'), 0)::numeric(14,2)::text`,
      hardship: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.fund} = 'hardship'), 0)::numeric(14,2)::text`,
      arrears: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.month} < ${allowanceRolls.month}), 0)::numeric(14,2)::text`,
    })
    .from(allowanceTransfers)
    .innerJoin(allowanceRolls, eq(allowanceRolls.id, allowanceTransfers.rollId))
    .innerJoin(allowanceEntries, and(eq(allowanceEntries.rollId, allowanceTransfers.rollId), eq(allowanceEntries.transferNo, allowanceTransfers.transferNo), isNull(allowanceEntries.removedReason)))
    .where(and(eq(allowanceRolls.regionCode, regionCode), eq(allowanceTransfers.status, 'paid'), sql`${month} like ${`${year}-%`}`))
    .groupBy(month)
    .orderBy(month);
}

/** Active beneficiaries of a region counted by the tier in force in `month`. */
export async function activeByTier(db: Executor, regionCode: string, month: string): Promise<{ tier: string; count: number }[]> {
  // The month is bound once, in a subquery, so that the grouped expression has no parameter of its own.
  const rows = await db.execute(sql`
    select tier, count(*)::int as count from (
      select (select t.tier from ${beneficiaryTiers} t where t.beneficiary_id = b.id and t.from_month <= ${month}
              order by t.from_month desc limit 1) as tier
      from ${beneficiaries} b where b.region_code = ${regionCode} and b.status = 'active'
    ) tiers group by tier`);
  const list = ((rows as unknown as { rows?: unknown[] }).rows ?? (rows as unknown as unknown[])) as { tier: string; count: number }[];
  return list.map((row) => ({ tier: row.tier, count: Number(row.count) }));
}

export async function overpaymentTotals(db: Executor, regionCode: string) {
  const rows = await db
    .select({
      open: sql<string>`coalesce(sum(greatest(${allowanceOverpayments.amount} - ${allowanceOverpayments.recovered}, 0)) filter (where ${allowanceOverpayments.status} in ('open', 'partially_recovered')), 0)::numeric(14,2)::text`,
      recovered: sql<string>`coalesce(sum(${allowanceOverpayments.recovered}), 0)::numeric(14,2)::text`,
    })
    .from(allowanceOverpayments)
    .where(eq(allowanceOverpayments.regionCode, regionCode));
  return rows[0]!;
}

