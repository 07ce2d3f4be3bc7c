import { and, asc, eq, gt, gte, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { allowanceEntries, allowanceObjections, allowanceRollDocuments, allowanceRolls, allowanceTransfers, beneficiaries, children } from '../db/schema.js';
import type { Actor } from '../http/context.js';

// The care allowance's monthly rolls: their transfers, entries, objections and documents. The
// region's reviewer and civil affairs see its rolls; finance sees a roll only once it is issued.

export type RollRow = typeof allowanceRolls.$inferSelect;

export type TransferRow = typeof allowanceTransfers.$inferSelect;

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
export const INSERT_CHUNK_ROWS = 2000;

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

export interface RollFigures {
  beneficiaryCount: number;
  entryCount: number;
  total: string;
  county: string;
  hardship: string;
  arrears: string;
}

const NO_FIGURES: RollFigures = { beneficiaryCount: 0, entryCount: 0, total: '0.00', county: '0.00', hardship: '0.00', arrears: '0.00' };

/**
 * Totals over the entries that are part of each roll, for any number of rolls in one grouped
 * statement (arrears: entries for months before their roll's month).
 */
export async function rollFiguresOf(db: Executor, rollIds: readonly string[]): Promise<Map<string, RollFigures>> {
  const map = new Map<string, RollFigures>();
  if (rollIds.length === 0) return map;
  const rows = await db
    .select({
      rollId: allowanceEntries.rollId,
      beneficiaryCount: sql<number>`count(distinct ${allowanceEntries.beneficiaryId})::int`,
      entryCount: sql<number>`count(*)::int`,
      total: sql<string>`coalesce(sum(${allowanceEntries.amount}), 0)::numeric(14,2)::text`,
      county: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.fund} = 'county'), 0)::numeric(14,2)::text`,
      hardship: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.fund} = 'hardship'), 0)::numeric(14,2)::text`,
      arrears: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.month} < ${allowanceRolls.month}), 0)::numeric(14,2)::text`,
    })
    .from(allowanceEntries)
    .innerJoin(allowanceRolls, eq(allowanceRolls.id, allowanceEntries.rollId))
    .where(and(inArray(allowanceEntries.rollId, [...rollIds]), isNull(allowanceEntries.removedReason)))
    .groupBy(allowanceEntries.rollId);
  for (const { rollId, ...figures } of rows) map.set(rollId, { ...figures, beneficiaryCount: Number(figures.beneficiaryCount), entryCount: Number(figures.entryCount) });
  for (const id of rollIds) if (!map.has(id)) map.set(id, NO_FIGURES);
  return map;
}

/** Totals over the entries that are part of one roll. */
export async function rollFigures(db: Executor, rollId: string): Promise<RollFigures> {
  return (await rollFiguresOf(db, [rollId])).get(rollId)!;
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

/**
 * A beneficiary's transfers in draft and published rolls carry its new account (their numbers
 * stay); issued rolls keep what they sent. Returns the rolls changed.
 */
export async function moveOpenTransfersToAccount(db: Executor, beneficiaryId: string, account: { bank: string; accountName: string; accountNumber: string }): Promise<string[]> {
  const rows = await db
    .update(allowanceTransfers)
    .set({ bank: account.bank, accountName: account.accountName, accountNumber: account.accountNumber })
    .where(
      and(
        eq(allowanceTransfers.beneficiaryId, beneficiaryId),
        ne(allowanceTransfers.status, 'removed'),
        sql`${allowanceTransfers.rollId} in (select ${allowanceRolls.id} from ${allowanceRolls} where ${allowanceRolls.status} in ('draft', 'published'))`,
      ),
    )
    .returning({ rollId: allowanceTransfers.rollId });
  return rows.map((row) => row.rollId);
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
