import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../db/client.js';
import { childSearchCondition } from '../children/children.repository.js';
import { allowanceEntries, allowanceRolls, allowanceTransfers, beneficiaries, beneficiaryHolds, beneficiaryTiers, children } from '../db/schema.js';
import type { Actor } from '../http/context.js';
import type { StoredHoldReason, Tier, TierChange } from './allowanceRule.js';
import { IDS_PER_LIST } from '../monthlyRoll/rolls.repository.js';
import { forEachInSlices } from '../monthlyRoll/slices.js';

// The care allowance's beneficiaries: their records, tiers and holds. Every query an actor makes
// goes through the scope condition: the region's reviewer, civil affairs and finance see the
// region's records.

export type BeneficiaryRow = typeof beneficiaries.$inferSelect;

export type HoldRow = typeof beneficiaryHolds.$inferSelect;

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

/**
 * The records an actor may see. `active` and `ended` are told apart by the current month: an
 * approved record is listed as active while its current month is payable (in its span), as ended
 * once its last month is past.
 */
export async function listBeneficiariesInScope(
  db: Executor,
  actor: Actor,
  query: {
    status?: string | undefined;
    communityName?: string | undefined;
    childId?: string | undefined;
    /** The child's name or part of it, or the keyed hash of a whole ID number or of its last 6 characters. */
    q?: Parameters<typeof childSearchCondition>[0] | undefined;
    afterId?: string | undefined;
    limit: number;
    currentMonth: string;
  },
) {
  const conditions: SQL[] = [beneficiaryScope(actor)];
  if (query.status === 'active') {
    conditions.push(eq(beneficiaries.status, 'active'), lte(beneficiaries.startMonth, query.currentMonth), gte(beneficiaries.lastMonth, query.currentMonth));
  } else if (query.status === 'ended') {
    conditions.push(eq(beneficiaries.status, 'active'), lt(beneficiaries.lastMonth, query.currentMonth));
  } else if (query.status) conditions.push(eq(beneficiaries.status, query.status));
  if (query.communityName) conditions.push(eq(beneficiaries.communityName, query.communityName));
  if (query.childId) conditions.push(eq(beneficiaries.childId, query.childId));
  if (query.q) conditions.push(childSearchCondition(query.q));
  if (query.afterId) conditions.push(gt(beneficiaries.id, query.afterId));
  return db
    .select({ beneficiary: beneficiaries, childName: children.name })
    .from(beneficiaries)
    .innerJoin(children, eq(children.id, beneficiaries.childId))
    .where(and(...conditions))
    .orderBy(asc(beneficiaries.id))
    .limit(query.limit + 1);
}

/** What a roll's plan needs of a record. */
export type PlanRecord = Pick<
  BeneficiaryRow,
  'id' | 'childId' | 'regionCode' | 'status' | 'communityName' | 'communityCode' | 'startMonth' | 'lastMonth' | 'exitFromMonth' | 'lastVerifiedOn' | 'bank' | 'accountName' | 'accountNumberSealed'
> & { childName: string };

const APPROVED = sql`status in ('active', 'exited')`;

/**
 * The approved records of a region (active, ended and exited): those a roll may pay. Read raw, in
 * one statement: a province has tens of thousands.
 */
export async function approvedRecordsOfRegion(db: Executor, regionCode: string): Promise<PlanRecord[]> {
  return selectRows<PlanRecord>(
    db,
    sql`select b.id::text as id, b.child_id::text as "childId", c.name as "childName", b.region_code as "regionCode", b.status,
          b.community_name as "communityName", b.community_code as "communityCode", b.start_month as "startMonth", b.last_month as "lastMonth",
          b.exit_from_month as "exitFromMonth", b.last_verified_on::text as "lastVerifiedOn", b.bank, b.account_name as "accountName", b.account_number_sealed as "accountNumberSealed"
        from ${beneficiaries} b join ${children} c on c.id = b.child_id where b.region_code = ${regionCode} and b.${APPROVED}
        -- In the order the roll numbers transfers (code point order, as the rule sorts), so that its sort finds them sorted.
        order by b.community_name collate "C", coalesce(b.community_code, '') collate "C", c.name collate "C", b.id::text collate "C"`,
  );
}

/** The tier changes of the region's approved records, each list in the order recorded. */
export async function tiersOfRegion(db: Executor, regionCode: string): Promise<Map<string, TierChange[]>> {
  const rows = await selectRows<{ beneficiaryId: string; fromMonth: string; tier: Tier }>(
    db,
    sql`select t.beneficiary_id::text as "beneficiaryId", t.from_month as "fromMonth", t.tier
        from ${beneficiaryTiers} t join ${beneficiaries} b on b.id = t.beneficiary_id where b.region_code = ${regionCode} and b.${APPROVED} order by t.seq`,
  );
  const map = new Map<string, TierChange[]>();
  await forEachInSlices(rows, (row) => {
    const list = map.get(row.beneficiaryId);
    if (list) list.push({ fromMonth: row.fromMonth, tier: row.tier });
    else map.set(row.beneficiaryId, [{ fromMonth: row.fromMonth, tier: row.tier }]);
  });
  return map;
}

/** The open stored holds of the region's approved records. */
export async function openHoldsOfRegion(db: Executor, regionCode: string): Promise<Map<string, StoredHoldReason[]>> {
  const rows = await selectRows<{ beneficiaryId: string; reason: StoredHoldReason }>(
    db,
    sql`select h.beneficiary_id::text as "beneficiaryId", h.reason from ${beneficiaryHolds} h join ${beneficiaries} b on b.id = h.beneficiary_id
        where b.region_code = ${regionCode} and b.${APPROVED} and h.released_at is null order by h.placed_at, h.id`,
  );
  const map = new Map<string, StoredHoldReason[]>();
  for (const row of rows) map.set(row.beneficiaryId, [...(map.get(row.beneficiaryId) ?? []), row.reason]);
  return map;
}

/** Where the child's exited records stopped: a new record starts no earlier (one record pays a month). */
export async function exitMonthsOfChild(db: Executor, childId: string): Promise<string[]> {
  const rows = await db
    .select({ exitFromMonth: beneficiaries.exitFromMonth })
    .from(beneficiaries)
    .where(and(eq(beneficiaries.childId, childId), eq(beneficiaries.status, 'exited')));
  return rows.map((row) => row.exitFromMonth!);
}

/** A tier change, added to the history (never replacing an earlier one). */
export async function insertTier(db: Executor, row: { beneficiaryId: string; fromMonth: string; tier: Tier; createdAt: Date }): Promise<void> {
  await db.insert(beneficiaryTiers).values(row);
}

export interface TierRecord extends TierChange {
  recordedAt: Date;
}

/** Each beneficiary's tier changes in the order they were recorded. */
export async function tiersOf(db: Executor, ids: readonly string[]): Promise<Map<string, TierRecord[]>> {
  const map = new Map<string, TierRecord[]>();
  for (let start = 0; start < ids.length; start += IDS_PER_LIST) {
    const rows = await db
      .select()
      .from(beneficiaryTiers)
      .where(inArray(beneficiaryTiers.beneficiaryId, ids.slice(start, start + IDS_PER_LIST)))
      .orderBy(asc(beneficiaryTiers.seq));
    for (const row of rows) {
      const list = map.get(row.beneficiaryId) ?? [];
      list.push({ fromMonth: row.fromMonth, tier: row.tier as Tier, recordedAt: row.createdAt });
      map.set(row.beneficiaryId, list);
    }
  }
  return map;
}

export async function openHoldsOf(db: Executor, ids: readonly string[]): Promise<Map<string, HoldRow[]>> {
  const map = new Map<string, HoldRow[]>();
  for (let start = 0; start < ids.length; start += IDS_PER_LIST) {
    const rows = await db
      .select()
      .from(beneficiaryHolds)
      .where(and(inArray(beneficiaryHolds.beneficiaryId, ids.slice(start, start + IDS_PER_LIST)), isNull(beneficiaryHolds.releasedAt)))
      .orderBy(asc(beneficiaryHolds.placedAt), asc(beneficiaryHolds.id));
    for (const row of rows) {
      const list = map.get(row.beneficiaryId) ?? [];
      list.push(row);
      map.set(row.beneficiaryId, list);
    }
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

/** The live entries of a child, under any of its records, with their roll and transfer status. */
export async function liveEntriesOfChild(db: Executor, childId: string) {
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
    .where(and(eq(allowanceEntries.childId, childId), eq(allowanceEntries.live, true)))
    .orderBy(asc(allowanceEntries.month));
}

/** The months of each child already in a live entry of any roll, across all of its records. */
export async function liveMonthsOfChildren(db: Executor, childIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  for (let start = 0; start < childIds.length; start += IDS_PER_LIST) {
    const rows = await db
      .select({ childId: allowanceEntries.childId, month: allowanceEntries.month })
      .from(allowanceEntries)
      .where(and(inArray(allowanceEntries.childId, childIds.slice(start, start + IDS_PER_LIST)), eq(allowanceEntries.live, true)));
    for (const row of rows) {
      const months = map.get(row.childId) ?? new Set<string>();
      months.add(row.month);
      map.set(row.childId, months);
    }
  }
  return map;
}

/**
 * The months already in a live entry of any roll of every child with an approved record in the
 * region, across all of each child's records (some may be of another region): what a roll of the
 * region must not pay again. One statement, however many children.
 */
export async function liveMonthsOfRegion(db: Executor, regionCode: string): Promise<Map<string, Set<string>>> {
  const rows = await selectRows<{ childId: string; month: string }>(
    db,
    sql`select child_id::text as "childId", month from ${allowanceEntries}
        where live and child_id in (select child_id from ${beneficiaries} where region_code = ${regionCode} and ${APPROVED})`,
  );
  const map = new Map<string, Set<string>>();
  await forEachInSlices(rows, (row) => {
    const months = map.get(row.childId);
    if (months) months.add(row.month);
    else map.set(row.childId, new Set([row.month]));
  });
  return map;
}

/** Whether the child holds a disability certificate now (none once revoked); its number stays sealed. */
export async function childHoldsCertificate(db: Executor, childId: string): Promise<boolean> {
  const rows = await db.select({ certificateNoSealed: children.certificateNoSealed }).from(children).where(eq(children.id, childId)).limit(1);
  return Boolean(rows[0]?.certificateNoSealed);
}
