import { ALLOWANCE_ROLLS } from './allowanceRollKey.js';
import { recordAudit, type AuditAction } from '../audit/audit.repository.js';
import { retryingConflicts, type Database, type Executor, type Transaction } from '../db/client.js';
import type { RequestContext } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { dueEntries, type AllowanceBeneficiary, type MonthEntry, type StoredHoldReason, type TierChange } from './allowanceRule.js';
import { findBeneficiaryInScope, liveMonthsOfChildren, openHoldsOf, tiersOf, type BeneficiaryRow, type HoldRow, type PlanRecord } from './beneficiaries.repository.js';
import { lockRegionRolls } from '../monthlyRoll/rolls.repository.js';
import { standardRows } from './standards.repository.js';

// A beneficiary's stored record as the pure rule takes it, and the due months of one record read
// inside the caller's transaction.

export function ruleBeneficiary(row: Omit<PlanRecord, 'childName' | 'status' | 'regionCode'>, childName: string, tiers: readonly TierChange[], holds: readonly (HoldRow | StoredHoldReason)[]): AllowanceBeneficiary {
  return {
    id: row.id,
    childId: row.childId,
    childName,
    communityName: row.communityName,
    communityCode: row.communityCode,
    startMonth: row.startMonth,
    lastMonth: row.lastMonth,
    exitFromMonth: row.exitFromMonth,
    lastVerifiedOn: row.lastVerifiedOn,
    tiers,
    openHolds: holds.map((hold) => (typeof hold === 'string' ? hold : (hold.reason as StoredHoldReason))),
    bank: row.bank,
    accountName: row.accountName,
    accountNumberSealed: row.accountNumberSealed!,
  };
}

/** The months of an approved record still due up to `throughMonth` (held or not); none for a record not approved. */
export async function dueMonthsOf(db: Executor, row: BeneficiaryRow, childName: string, throughMonth: string): Promise<MonthEntry[]> {
  if (row.status !== 'active' && row.status !== 'exited') return [];
  const [tiers, holds, liveMonths, standards] = await Promise.all([tiersOf(db, [row.id]), openHoldsOf(db, [row.id]), liveMonthsOfChildren(db, [row.childId]), standardRows(db)]);
  return dueEntries(ruleBeneficiary(row, childName, tiers.get(row.id) ?? [], holds.get(row.id) ?? []), throughMonth, row.regionCode, standards, liveMonths.get(row.childId) ?? new Set());
}

/**
 * A change of one record: under the region's roll lock and the record's row lock, in one
 * transaction. Every change of the care allowance in a region takes the region's roll lock first:
 * a roll being built never reads a beneficiary half-changed, and a hold or an exit never misses an
 * entry a concurrent build is writing.
 */
export async function changeBeneficiary<T>(
  db: Database,
  context: RequestContext,
  id: string,
  work: (tx: Transaction, row: BeneficiaryRow, childName: string) => Promise<T>,
): Promise<T> {
  return retryingConflicts(() =>
    db.transaction(async (tx) => {
      await lockRegionRolls(tx, ALLOWANCE_ROLLS, context.actor.regionCode!);
      const found = await findBeneficiaryInScope(tx, context.actor, id, { lock: true });
      if (!found) throw notFound('beneficiary');
      return work(tx, found.beneficiary, found.childName);
    }),
  );
}

export function auditBeneficiary(tx: Transaction, context: RequestContext, action: AuditAction, row: BeneficiaryRow, data: Record<string, unknown>) {
  return recordAudit(tx, context, { action, entityType: 'beneficiary', entityId: row.id, regionCode: row.regionCode, data: { childId: row.childId, ...data } });
}
