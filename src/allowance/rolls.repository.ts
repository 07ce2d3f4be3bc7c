import { and, asc, eq, gt, gte, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../db/client.js';
import { allowanceEntries, allowanceObjections, allowanceRollDocuments, allowanceRolls, allowanceTransfers, beneficiaries, children } from '../db/schema.js';
import type { Actor } from '../http/context.js';
import { nextTurn } from './slices.js';

// The care allowance's monthly rolls: their transfers, entries, objections and documents. The
// region's reviewer and civil affairs see its rolls; finance sees a roll only once it is issued.

export type RollRow = typeof allowanceRolls.$inferSelect;


/** Ids per `in (…)` list: PostgreSQL takes at most 65,535 parameters in one statement. */
export const IDS_PER_LIST = 2000;

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

/** Rows per INSERT … SELECT FROM unnest(…): the driver writes each statement's arrays in one stretch of the request thread. */
const UNNEST_CHUNK_ROWS = 2000;

/** Each column of `rows` as one text[] parameter: rows go in few statements, no SQL built per row. */
function columnsOf<Row extends Record<string, unknown>>(rows: readonly Row[], keys: readonly (keyof Row)[]): SQL {
  return sql.join(
    keys.map((key) => sql`${sql.param(rows.map((row) => (row[key] === null || row[key] === undefined ? null : String(row[key]))))}::text[]`),
    sql`, `,
  );
}

/** `insert` for each chunk of rows, with a turn of the event loop between chunks. */
async function inChunks<Row>(rows: readonly Row[], insert: (chunk: readonly Row[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += UNNEST_CHUNK_ROWS) {
    if (start > 0) await nextTurn();
    await insert(rows.slice(start, start + UNNEST_CHUNK_ROWS));
  }
}

/**
 * A roll's transfers (a province's roll has tens of thousands): the columns go as arrays of text,
 * cast here, which both drivers pass as they are.
 */
export async function insertTransfers(db: Executor, rows: (typeof allowanceTransfers.$inferInsert)[]): Promise<void> {
  await inChunks(rows, (chunk) =>
    db.execute(sql`
      insert into ${allowanceTransfers} (roll_id, transfer_no, beneficiary_id, child_name, community_name, community_code, bank, account_name, account_number, amount, status)
      select roll_id::uuid, transfer_no::int, beneficiary_id::uuid, child_name, community_name, community_code, bank, account_name, account_number, amount::numeric(14,2), status
      from unnest(${columnsOf(chunk, ['rollId', 'transferNo', 'beneficiaryId', 'childName', 'communityName', 'communityCode', 'bank', 'accountName', 'accountNumber', 'amount', 'status'])})
        as t(roll_id, transfer_no, beneficiary_id, child_name, community_name, community_code, bank, account_name, account_number, amount, status)`),
  );
}

/** A roll's entries, as its transfers. */
export async function insertEntries(db: Executor, rows: (typeof allowanceEntries.$inferInsert)[]): Promise<void> {
  await inChunks(rows, (chunk) =>
    db.execute(sql`
      insert into ${allowanceEntries} (roll_id, transfer_no, beneficiary_id, child_id, month, tier, fund, standard_id, amount, live)
      select roll_id::uuid, transfer_no::int, beneficiary_id::uuid, child_id::uuid, month, tier, fund, standard_id::uuid, amount::numeric(14,2), live::boolean
      from unnest(${columnsOf(chunk, ['rollId', 'transferNo', 'beneficiaryId', 'childId', 'month', 'tier', 'fund', 'standardId', 'amount', 'live'])})
        as t(roll_id, transfer_no, beneficiary_id, child_id, month, tier, fund, standard_id, amount, live)`),
  );
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

/** A transfer of a roll as its readers need it. */
export interface TransferView {
  transferNo: number;
  beneficiaryId: string;
  childName: string;
  communityName: string;
  communityCode: string | null;
  bank: string;
  accountName: string;
  accountNumber: string;
  amount: string;
  status: string;
  failureReason: string | null;
}
export type TransferRow = TransferView;

/** The transfers that are part of a roll (not taken off), in number order; a province's roll has tens of thousands. */
export async function transfersOf(db: Executor, rollId: string): Promise<TransferView[]> {
  const rows = await selectRows<TransferView & { transferNo: number | string }>(
    db,
    sql`select transfer_no as "transferNo", beneficiary_id::text as "beneficiaryId", child_name as "childName", community_name as "communityName",
          community_code as "communityCode", bank, account_name as "accountName", account_number as "accountNumber", amount::text as amount, status,
          failure_reason as "failureReason"
        from ${allowanceTransfers} where roll_id = ${rollId} and status <> 'removed' order by transfer_no`,
  );
  for (const row of rows) row.transferNo = Number(row.transferNo);
  return rows;
}

export interface RollEntryView {
  transferNo: number;
  beneficiaryId: string;
  month: string;
  tier: string;
  fund: string;
  amount: string;
}

/** The entries that are part of a roll (not taken off), by transfer and month. */
export async function entriesOfRoll(db: Executor, rollId: string): Promise<RollEntryView[]> {
  const rows = await selectRows<RollEntryView & { transferNo: number | string }>(
    db,
    sql`select transfer_no as "transferNo", beneficiary_id::text as "beneficiaryId", month, tier, fund, amount::text as amount
        from ${allowanceEntries} where roll_id = ${rollId} and removed_reason is null order by transfer_no, month`,
  );
  for (const row of rows) row.transferNo = Number(row.transferNo);
  return rows;
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

/**
 * Per community, in transfer order: what the summary PDF lists, summed by PostgreSQL. A community
 * is its code when it has one, else its name (two villages of one name are two lines); it is
 * named as its first transfer names it.
 */
export async function communityFiguresOf(db: Executor, roll: Pick<RollRow, 'id' | 'month'>) {
  const rows = await selectRows<{ name: string; code: string | null; transferCount: number | string; entryCount: number | string; county: string; hardship: string; arrears: string; total: string }>(
    db,
    sql`select (array_agg(t.community_name order by t.transfer_no))[1] as name, (array_agg(t.community_code order by t.transfer_no))[1] as code,
          count(distinct t.transfer_no) as "transferCount", count(*) as "entryCount",
          coalesce(sum(e.amount) filter (where e.fund = 'county'), 0)::numeric(14,2)::text as county,
          coalesce(sum(e.amount) filter (where e.fund = 'hardship'), 0)::numeric(14,2)::text as hardship,
          coalesce(sum(e.amount) filter (where e.month < ${roll.month}), 0)::numeric(14,2)::text as arrears,
          sum(e.amount)::numeric(14,2)::text as total
        from ${allowanceTransfers} t
        join ${allowanceEntries} e on e.roll_id = t.roll_id and e.transfer_no = t.transfer_no and e.removed_reason is null
        where t.roll_id = ${roll.id} and t.status <> 'removed'
        group by coalesce('code:' || t.community_code, 'name:' || t.community_name)
        order by min(t.transfer_no)`,
  );
  return rows.map((row) => ({ ...row, transferCount: Number(row.transferCount), entryCount: Number(row.entryCount) }));
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
