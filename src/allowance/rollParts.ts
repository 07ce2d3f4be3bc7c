import { recordAudit, type AuditAction } from '../audit/audit.repository.js';
import { userNames } from '../auth/users.repository.js';
import { retryingConflicts, type Database, type Executor, type Transaction } from '../db/client.js';
import { formatMoney, money } from '../domain/money.js';
import type { Actor, RequestContext } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { iso, isoOrNull } from '../http/schemas.js';
import { amountInChineseWords } from '../pdf/chineseAmount.js';
import { createRollPlanner, type HeldBeneficiary } from './allowanceRule.js';
import { accountNumberFor } from './beneficiaries.service.js';
import { approvedRecordsOfRegion, liveMonthsOfRegion, openHoldsOfRegion, tiersOfRegion } from './beneficiaries.repository.js';
import { ruleBeneficiary } from './beneficiaryFacts.js';
import { findRollInScope, lockRegionRolls, type RollEntryView, type RollFigures, type RollRow, type TransferRow } from './rolls.repository.js';
import { forEachInSlices, mapInSlices, nextTurn, SLICE } from './slices.js';
import { standardRows } from './standards.repository.js';

// What the roll actions share: the plan of a region's roll, a roll's presentation, and the
// transaction every change of a roll runs in.

export type RollStatus = 'draft' | 'published' | 'issued' | 'settled' | 'cancelled';

/** What the rule needs to plan a roll of a region for a month, read in one go. */
export async function planFor(db: Executor, regionCode: string, month: string) {
  const [rows, tiers, holds, liveMonths, standards] = await Promise.all([
    approvedRecordsOfRegion(db, regionCode),
    tiersOfRegion(db, regionCode),
    openHoldsOfRegion(db, regionCode),
    liveMonthsOfRegion(db, regionCode),
    standardRows(db),
  ]);
  const beneficiaries = await mapInSlices(rows, (row) => ruleBeneficiary(row, row.childName, tiers.get(row.id) ?? [], holds.get(row.id) ?? []));
  // A province has tens of thousands of beneficiaries: planned in slices, other requests run between.
  const planner = createRollPlanner({ month, regionCode, beneficiaries, standards, liveMonthsByChild: liveMonths });
  while (!planner.done) {
    planner.next(SLICE);
    await nextTurn();
  }
  return planner.plan();
}

export type RollEntry = RollEntryView;

export async function entriesByTransfer(entries: RollEntry[]): Promise<Map<number, RollEntry[]>> {
  const map = new Map<number, RollEntry[]>();
  await forEachInSlices(entries, (entry) => {
    const list = map.get(entry.transferNo);
    if (list) list.push(entry);
    else map.set(entry.transferNo, [entry]);
  });
  return map;
}

export function presentHeld(held: HeldBeneficiary[]) {
  return held.map((item) => ({ beneficiaryId: item.beneficiaryId, childName: item.childName, community: item.communityName, reason: item.reason, months: item.months, amount: item.amount }));
}

export function presentTransfer(actor: Actor, transfer: TransferRow, entries: RollEntry[]) {
  return {
    transferNo: transfer.transferNo,
    beneficiaryId: transfer.beneficiaryId,
    childName: transfer.childName,
    community: transfer.communityName,
    communityCode: transfer.communityCode,
    accountName: transfer.accountName,
    accountNumber: accountNumberFor(actor, transfer.accountNumber),
    bank: transfer.bank,
    months: entries.map((entry) => entry.month),
    amount: formatMoney(money(transfer.amount)),
    status: transfer.status as 'pending' | 'paid' | 'failed',
    failureReason: transfer.failureReason,
  };
}

/** The names of the people of some rolls: who built each (经办) and who issued it (审核). */
export function namesOfRollPeople(db: Executor, rolls: readonly RollRow[]): Promise<Map<string, string>> {
  return userNames(db, rolls.flatMap((roll) => [roll.createdByUserId, ...(roll.issuedByUserId ? [roll.issuedByUserId] : [])]));
}

/** A roll's header and figures, as listed and as the head of GET /allowance/rolls/:id; `names` from namesOfRollPeople. */
export function presentRollSummary(roll: RollRow, figures: RollFigures, names: ReadonlyMap<string, string>) {
  const total = formatMoney(money(figures.total));
  return {
    id: roll.id,
    number: roll.number,
    regionCode: roll.regionCode,
    month: roll.month,
    status: roll.status as RollStatus,
    noticeFrom: roll.noticeFrom,
    noticeTo: roll.noticeTo,
    beneficiaryCount: figures.beneficiaryCount,
    entryCount: figures.entryCount,
    total,
    totalInWords: amountInChineseWords(total),
    byFund: { county: formatMoney(money(figures.county)), hardship: formatMoney(money(figures.hardship)) },
    arrearsTotal: formatMoney(money(figures.arrears)),
    sha256: roll.sha256,
    issuedAt: isoOrNull(roll.issuedAt),
    createdAt: iso(roll.createdAt),
    builtBy: { id: roll.createdByUserId, name: names.get(roll.createdByUserId) ?? '' },
    issuedBy: roll.issuedByUserId ? { id: roll.issuedByUserId, name: names.get(roll.issuedByUserId) ?? '' } : null,
  };
}

/** A change to a roll: under the region's roll lock and the roll's row lock, in one transaction. */
export function changeRoll<T>(db: Database, context: RequestContext, id: string, work: (tx: Transaction, roll: RollRow) => Promise<T>): Promise<T> {
  return retryingConflicts(() =>
    db.transaction(async (tx) => {
      await lockRegionRolls(tx, context.actor.regionCode!);
      const roll = await findRollInScope(tx, context.actor, id, { lock: true });
      if (!roll) throw notFound('roll');
      return work(tx, roll);
    }),
  );
}

export function auditRoll(tx: Executor, context: RequestContext, action: AuditAction, roll: RollRow, data: Record<string, unknown>) {
  return recordAudit(tx, context, { action, entityType: 'roll', entityId: roll.id, regionCode: roll.regionCode, data: { number: roll.number, ...data } });
}
