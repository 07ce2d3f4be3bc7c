import { and, asc, eq, gt, gte, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../db/client.js';
import type { MonthlyRollTables } from '../db/schema.js';
import type { Actor } from '../http/context.js';
import type { RollEntryView, RollProgramme, RollSplit, TransferView } from './programme.js';
import { nextTurn } from './slices.js';

// A programme's monthly rolls: their transfers, entries and stored documents. The roles a
// programme names read its region's rolls; finance reads a roll only once it is issued.

export type RollRow = MonthlyRollTables['rolls']['$inferSelect'];

/** Ids per `in (…)` list: PostgreSQL takes at most 65,535 parameters in one statement. */
export const IDS_PER_LIST = 2000;

export function rollScope(programme: Pick<RollProgramme, 'tables' | 'readers'>, actor: Actor): SQL {
  const { rolls } = programme.tables;
  if (actor.role === 'finance') {
    // The roll is civil affairs' own work until it is issued to finance.
    return and(eq(rolls.regionCode, actor.regionCode!), inArray(rolls.status, ['issued', 'settled']))!;
  }
  if (programme.readers.includes(actor.role)) return eq(rolls.regionCode, actor.regionCode!);
  return sql`false`;
}

/** Serialises roll building per region: "after the region's last roll" must hold when written. */
export async function lockRegionRolls(db: Executor, programme: Pick<RollProgramme, 'key'>, regionCode: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`${programme.key}-rolls:${regionCode}`}))`);
}

export async function latestRollMonth(db: Executor, t: MonthlyRollTables, regionCode: string): Promise<string | null> {
  const rows = await db
    .select({ month: sql<string | null>`max(${t.rolls.month})` })
    .from(t.rolls)
    .where(and(eq(t.rolls.regionCode, regionCode), ne(t.rolls.status, 'cancelled')));
  return rows[0]?.month ?? null;
}

export async function countRollsOfMonth(db: Executor, t: MonthlyRollTables, regionCode: string, month: string): Promise<number> {
  const rows = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(t.rolls)
    .where(and(eq(t.rolls.regionCode, regionCode), eq(t.rolls.month, month)));
  return rows[0]?.count ?? 0;
}

export async function insertRoll(db: Executor, t: MonthlyRollTables, row: MonthlyRollTables['rolls']['$inferInsert']): Promise<void> {
  await db.insert(t.rolls).values(row);
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

/** The stored name of a column (the payee's and the place's differ by programme). */
const named = (column: { name: string }) => sql.identifier(column.name);

/**
 * A roll's transfers (a province's roll has tens of thousands): the columns go as arrays of text,
 * cast here, which both drivers pass as they are.
 */
export async function insertTransfers(db: Executor, t: MonthlyRollTables, rows: MonthlyRollTables['transfers']['$inferInsert'][]): Promise<void> {
  const { payeeId, placeName, placeCode } = t.transfers;
  await inChunks(rows, (chunk) =>
    db.execute(sql`
      insert into ${t.transfers} (roll_id, transfer_no, ${named(payeeId)}, child_name, ${named(placeName)}, ${named(placeCode)}, bank, account_name, account_number_sealed, amount, status)
      select roll_id::uuid, transfer_no::int, payee_id::uuid, child_name, place_name, place_code, bank, account_name, account_number_sealed, amount::numeric(14,2), status
      from unnest(${columnsOf(chunk, ['rollId', 'transferNo', 'payeeId', 'childName', 'placeName', 'placeCode', 'bank', 'accountName', 'accountNumberSealed', 'amount', 'status'])})
        as t(roll_id, transfer_no, payee_id, child_name, place_name, place_code, bank, account_name, account_number_sealed, amount, status)`),
  );
}

/** A roll's entries, as its transfers. */
export async function insertEntries(db: Executor, t: MonthlyRollTables, rows: MonthlyRollTables['entries']['$inferInsert'][]): Promise<void> {
  await inChunks(rows, (chunk) =>
    db.execute(sql`
      insert into ${t.entries} (roll_id, transfer_no, ${named(t.entries.payeeId)}, child_id, month, tier, fund, standard_id, amount, live)
      select roll_id::uuid, transfer_no::int, payee_id::uuid, child_id::uuid, month, tier, fund, standard_id::uuid, amount::numeric(14,2), live::boolean
      from unnest(${columnsOf(chunk, ['rollId', 'transferNo', 'payeeId', 'childId', 'month', 'tier', 'fund', 'standardId', 'amount', 'live'])})
        as t(roll_id, transfer_no, payee_id, child_id, month, tier, fund, standard_id, amount, live)`),
  );
}

export async function findRollInScope(db: Executor, programme: RollProgramme, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<RollRow | undefined> {
  const { rolls } = programme.tables;
  const query = db.select().from(rolls).where(and(eq(rolls.id, id), rollScope(programme, actor))).limit(1);
  const rows = options.lock ? await query.for('update') : await query;
  return rows[0];
}

export async function updateRoll(db: Executor, t: MonthlyRollTables, id: string, patch: Partial<MonthlyRollTables['rolls']['$inferInsert']>): Promise<void> {
  await db.update(t.rolls).set(patch).where(eq(t.rolls.id, id));
}

export async function listRollsInScope(
  db: Executor,
  programme: RollProgramme,
  actor: Actor,
  query: { month?: string | undefined; status?: string | undefined; afterId?: string | undefined; limit: number },
): Promise<RollRow[]> {
  const { rolls } = programme.tables;
  const conditions: SQL[] = [rollScope(programme, actor)];
  if (query.month) conditions.push(eq(rolls.month, query.month));
  if (query.status) conditions.push(eq(rolls.status, query.status));
  if (query.afterId) conditions.push(gt(rolls.id, query.afterId));
  return db.select().from(rolls).where(and(...conditions)).orderBy(asc(rolls.id)).limit(query.limit + 1);
}

/** The transfers that are part of a roll (not taken off), in number order; a province's roll has tens of thousands. */
export async function transfersOf(db: Executor, t: MonthlyRollTables, rollId: string): Promise<TransferView[]> {
  const rows = await selectRows<TransferView & { transferNo: number | string }>(
    db,
    sql`select transfer_no as "transferNo", ${named(t.transfers.payeeId)}::text as "payeeId", child_name as "childName", ${named(t.transfers.placeName)} as "placeName",
          ${named(t.transfers.placeCode)} as "placeCode", bank, account_name as "accountName", account_number_sealed as "accountNumberSealed", amount::text as amount, status,
          failure_reason as "failureReason"
        from ${t.transfers} where roll_id = ${rollId} and status <> 'removed' order by transfer_no`,
  );
  for (const row of rows) row.transferNo = Number(row.transferNo);
  return rows;
}

/** The entries that are part of a roll (not taken off), by transfer and month. */
export async function entriesOfRoll(db: Executor, t: MonthlyRollTables, rollId: string): Promise<RollEntryView[]> {
  const rows = await selectRows<RollEntryView & { transferNo: number | string }>(
    db,
    sql`select transfer_no as "transferNo", ${named(t.entries.payeeId)}::text as "payeeId", month, tier, fund, amount::text as amount
        from ${t.entries} where roll_id = ${rollId} and removed_reason is null order by transfer_no, month`,
  );
  for (const row of rows) row.transferNo = Number(row.transferNo);
  return rows;
}

export interface RollFigures {
  payeeCount: number;
  entryCount: number;
  total: string;
  /** The total of each key of the programme's split. */
  split: Record<string, string>;
  arrears: string;
}

/** The sums of each split key, as selected columns named by the key. */
function splitSums(split: RollSplit, amount: SQL, column: SQL): Record<string, SQL<string>> {
  return Object.fromEntries(
    Object.entries(split.keys).map(([key, value]) => [`split_${key}`, sql<string>`coalesce(sum(${amount}) filter (where ${column} = ${value}), 0)::numeric(14,2)::text`]),
  );
}

function splitOf(split: RollSplit, row: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.keys(split.keys).map((key) => [key, String(row[`split_${key}`])]));
}

/**
 * Totals over the entries that are part of each roll, for any number of rolls in one grouped
 * statement (arrears: entries for months before their roll's month).
 */
export async function rollFiguresOf(db: Executor, programme: Pick<RollProgramme, 'tables' | 'split'>, rollIds: readonly string[]): Promise<Map<string, RollFigures>> {
  const { rolls, entries } = programme.tables;
  const map = new Map<string, RollFigures>();
  if (rollIds.length === 0) return map;
  const rows = await db
    .select({
      rollId: entries.rollId,
      payeeCount: sql<number>`count(distinct ${entries.payeeId})::int`,
      entryCount: sql<number>`count(*)::int`,
      total: sql<string>`coalesce(sum(${entries.amount}), 0)::numeric(14,2)::text`,
      ...splitSums(programme.split, sql`${entries.amount}`, sql`${entries[programme.split.column]}`),
      arrears: sql<string>`coalesce(sum(${entries.amount}) filter (where ${entries.month} < ${rolls.month}), 0)::numeric(14,2)::text`,
    })
    .from(entries)
    .innerJoin(rolls, eq(rolls.id, entries.rollId))
    .where(and(inArray(entries.rollId, [...rollIds]), isNull(entries.removedReason)))
    .groupBy(entries.rollId);
  for (const row of rows) {
    map.set(row.rollId, { payeeCount: Number(row.payeeCount), entryCount: Number(row.entryCount), total: row.total, split: splitOf(programme.split, row), arrears: row.arrears });
  }
  const none = { payeeCount: 0, entryCount: 0, total: '0.00', split: Object.fromEntries(Object.keys(programme.split.keys).map((key) => [key, '0.00'])), arrears: '0.00' };
  for (const id of rollIds) if (!map.has(id)) map.set(id, none);
  return map;
}

/** Totals over the entries that are part of one roll. */
export async function rollFigures(db: Executor, programme: Pick<RollProgramme, 'tables' | 'split'>, rollId: string): Promise<RollFigures> {
  return (await rollFiguresOf(db, programme, [rollId])).get(rollId)!;
}

/**
 * Per place of the summary, in transfer order, summed by PostgreSQL: each community (its code when
 * it has one, else its name: two villages of one name are two lines), or the first digits of the
 * place code (a township). A place is named as its first transfer names it.
 */
export async function placeFiguresOf(db: Executor, programme: Pick<RollProgramme, 'tables' | 'split' | 'summaryGroup'>, roll: Pick<RollRow, 'id' | 'month'>) {
  const { transfers, entries } = programme.tables;
  const placeName = sql`t.${named(transfers.placeName)}`;
  const placeCode = sql`t.${named(transfers.placeCode)}`;
  const prefix = programme.summaryGroup.codePrefix;
  const group = prefix === null ? sql`coalesce('code:' || ${placeCode}, 'name:' || ${placeName})` : sql`left(${placeCode}, ${sql.raw(String(prefix))})`;
  const code = prefix === null ? sql`(array_agg(${placeCode} order by t.transfer_no))[1]` : sql`left(min(${placeCode}), ${sql.raw(String(prefix))})`;
  const rows = await selectRows<Record<string, string | number | null> & { name: string; code: string | null; transferCount: number | string; entryCount: number | string; arrears: string; total: string }>(
    db,
    sql`select (array_agg(${placeName} order by t.transfer_no))[1] as name, ${code} as code,
          count(distinct t.transfer_no) as "transferCount", count(*) as "entryCount",
          ${sql.join(
            Object.entries(programme.split.keys).map(([key, value]) => sql`coalesce(sum(e.amount) filter (where e.${sql.identifier(programme.split.column)} = ${value}), 0)::numeric(14,2)::text as ${sql.identifier(`split_${key}`)}`),
            sql`, `,
          )},
          coalesce(sum(e.amount) filter (where e.month < ${roll.month}), 0)::numeric(14,2)::text as arrears,
          sum(e.amount)::numeric(14,2)::text as total
        from ${transfers} t
        join ${entries} e on e.roll_id = t.roll_id and e.transfer_no = t.transfer_no and e.removed_reason is null
        where t.roll_id = ${roll.id} and t.status <> 'removed'
        group by ${group}
        order by min(t.transfer_no)`,
  );
  return rows.map((row) => ({
    name: row.name,
    code: row.code,
    transferCount: Number(row.transferCount),
    entryCount: Number(row.entryCount),
    split: splitOf(programme.split, row),
    arrears: row.arrears,
    total: row.total,
  }));
}

/**
 * Takes a payee's entries off draft and published rolls (only `rollId`'s when given; only months
 * from `fromMonth` on when given): they stop being live and leave the roll, and each transfer is
 * brought to the sum of what is left (removed when nothing is). Returns the rolls touched.
 */
export async function takeOffEntries(
  db: Executor,
  t: MonthlyRollTables,
  payeeId: string,
  reason: 'objection' | 'hold' | 'exit',
  options: { rollId?: string; fromMonth?: string } = {},
): Promise<string[]> {
  const { entries, rolls, transfers } = t;
  const conditions: SQL[] = [
    eq(entries.payeeId, payeeId),
    isNull(entries.removedReason),
    sql`${entries.rollId} in (select ${rolls.id} from ${rolls} where ${rolls.status} in ('draft', 'published'))`,
  ];
  if (options.rollId) conditions.push(eq(entries.rollId, options.rollId));
  if (options.fromMonth) conditions.push(gte(entries.month, options.fromMonth));
  const removed = await db
    .update(entries)
    .set({ live: false, removedReason: reason })
    .where(and(...conditions))
    .returning({ rollId: entries.rollId, transferNo: entries.transferNo });
  const touched = new Map<string, { rollId: string; transferNo: number }>();
  for (const row of removed) touched.set(`${row.rollId}/${row.transferNo}`, row);
  for (const { rollId, transferNo } of touched.values()) {
    await db.execute(sql`
      update ${transfers} t set
        amount = case when left_over.total > 0 then left_over.total else t.amount end,
        status = case when left_over.total > 0 then t.status else 'removed' end,
        removed_reason = case when left_over.total > 0 then t.removed_reason else ${reason} end
      from (select coalesce(sum(amount), 0) as total from ${entries}
            where roll_id = ${rollId} and transfer_no = ${transferNo} and removed_reason is null) left_over
      where t.roll_id = ${rollId} and t.transfer_no = ${transferNo}`);
  }
  return [...new Set(removed.map((row) => row.rollId))];
}

/** A cancelled roll's entries stop being live: their months are due again. */
export async function endEntriesOfRoll(db: Executor, t: MonthlyRollTables, rollId: string): Promise<void> {
  await db.update(t.entries).set({ live: false }).where(eq(t.entries.rollId, rollId));
}

/** A bank account as a transfer carries it: the number sealed. */
export interface SealedTransferAccount {
  bank: string;
  accountName: string;
  accountNumberSealed: string | null;
}

/** A payee's transfers in draft and published rolls take `patch` (their numbers stay); issued rolls keep what they sent. Returns the rolls changed. */
async function updateOpenTransfersOf(db: Executor, t: MonthlyRollTables, payeeId: string, patch: Partial<MonthlyRollTables['transfers']['$inferInsert']>): Promise<string[]> {
  const { transfers, rolls } = t;
  const rows = await db
    .update(transfers)
    .set(patch)
    .where(
      and(
        eq(transfers.payeeId, payeeId),
        ne(transfers.status, 'removed'),
        sql`${transfers.rollId} in (select ${rolls.id} from ${rolls} where ${rolls.status} in ('draft', 'published'))`,
      ),
    )
    .returning({ rollId: transfers.rollId });
  return rows.map((row) => row.rollId);
}

/** A payee's new account reaches its transfers in draft and published rolls. */
export function moveOpenTransfersToAccount(db: Executor, t: MonthlyRollTables, payeeId: string, account: SealedTransferAccount): Promise<string[]> {
  return updateOpenTransfersOf(db, t, payeeId, { bank: account.bank, accountName: account.accountName, accountNumberSealed: account.accountNumberSealed });
}

/** A payee's new place (a child moved) reaches its transfers in draft and published rolls. */
export function moveOpenTransfersToPlace(db: Executor, t: MonthlyRollTables, payeeId: string, place: { placeName: string; placeCode: string | null }): Promise<string[]> {
  return updateOpenTransfersOf(db, t, payeeId, { placeName: place.placeName, placeCode: place.placeCode });
}

export async function recordTransferResult(
  db: Executor,
  t: MonthlyRollTables,
  rollId: string,
  transferNo: number,
  result: { status: 'paid' | 'failed'; failureReason: string | null; userId: string; at: Date },
): Promise<void> {
  await db
    .update(t.transfers)
    .set({ status: result.status, failureReason: result.failureReason, resultRecordedAt: result.at, resultRecordedByUserId: result.userId })
    .where(and(eq(t.transfers.rollId, rollId), eq(t.transfers.transferNo, transferNo)));
  if (result.status === 'failed') {
    await db
      .update(t.entries)
      .set({ live: false })
      .where(and(eq(t.entries.rollId, rollId), eq(t.entries.transferNo, transferNo)));
  }
}

export async function pendingTransferCount(db: Executor, t: MonthlyRollTables, rollId: string): Promise<number> {
  const rows = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(t.transfers)
    .where(and(eq(t.transfers.rollId, rollId), eq(t.transfers.status, 'pending')));
  return rows[0]?.count ?? 0;
}

export async function insertRollDocument(db: Executor, t: MonthlyRollTables, row: MonthlyRollTables['rollDocuments']['$inferInsert']): Promise<void> {
  await db.insert(t.rollDocuments).values(row);
}

export async function findRollDocument(db: Executor, t: MonthlyRollTables, rollId: string) {
  const rows = await db.select().from(t.rollDocuments).where(eq(t.rollDocuments.rollId, rollId)).limit(1);
  return rows[0];
}
