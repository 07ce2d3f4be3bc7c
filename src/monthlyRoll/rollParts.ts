import { recordAudit, type AuditAction, type AuditEntityType } from '../audit/audit.repository.js';
import { userNames } from '../auth/users.repository.js';
import { retryingConflicts, type Database, type Executor, type Transaction } from '../db/client.js';
import { formatMoney, money } from '../domain/money.js';
import type { Actor, RequestContext } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { iso, isoOrNull } from '../http/schemas.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { amountInChineseWords } from '../pdf/chineseAmount.js';
import type { RollEntryView, RollProgramme, TransferView } from './programme.js';
import { findRollInScope, lockRegionRolls, type RollFigures, type RollRow } from './rolls.repository.js';
import { forEachInSlices, nextTurn, SLICE } from './slices.js';

// What a programme's roll actions share: the plan of a region's roll, a roll's presentation, and
// the transaction every change of a roll runs in.

export type RollStatus = 'draft' | 'published' | 'issued' | 'settled' | 'cancelled';

/** The programme's plan of a region's roll; its rule is planned in slices, other requests running between. */
export function planFor(db: Executor, programme: RollProgramme, regionCode: string, month: string) {
  return programme.plan(db, regionCode, month);
}

export async function entriesByTransfer(entries: RollEntryView[]): Promise<Map<number, RollEntryView[]>> {
  const map = new Map<number, RollEntryView[]>();
  await forEachInSlices(entries, (entry) => {
    const list = map.get(entry.transferNo);
    if (list) list.push(entry);
    else map.set(entry.transferNo, [entry]);
  });
  return map;
}

/** A planner run a slice at a time with a turn of the event loop between: a province has tens of thousands of payees. */
export async function runInSlices<Plan>(planner: { readonly done: boolean; next(limit: number): void; plan(): Plan }): Promise<Plan> {
  while (!planner.done) {
    planner.next(SLICE);
    await nextTurn();
  }
  return planner.plan();
}

export function presentHeldOf(programme: RollProgramme, held: Awaited<ReturnType<RollProgramme['plan']>>['held']) {
  return held.map((item) => programme.presentHeld(item));
}

export function presentTransfer(programme: RollProgramme, actor: Actor, cipher: FieldCipher, transfer: TransferView, entries: RollEntryView[]) {
  return {
    transferNo: transfer.transferNo,
    [programme.payeeKey]: transfer.payeeId,
    childName: transfer.childName,
    ...programme.presentPlace(transfer),
    accountName: transfer.accountName,
    accountNumber: programme.accountNumberFor(actor, cipher, transfer.accountNumberSealed),
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

/** A roll's header and figures, as listed and as the head of GET …/rolls/:id; `names` from namesOfRollPeople. */
export function presentRollSummary(programme: RollProgramme, roll: RollRow, figures: RollFigures, names: ReadonlyMap<string, string>) {
  const total = formatMoney(money(figures.total));
  return {
    id: roll.id,
    number: roll.number,
    regionCode: roll.regionCode,
    month: roll.month,
    status: roll.status as RollStatus,
    ...(programme.notice ? { noticeFrom: roll.noticeFrom, noticeTo: roll.noticeTo } : {}),
    [programme.countKey]: figures.payeeCount,
    entryCount: figures.entryCount,
    total,
    totalInWords: amountInChineseWords(total),
    [programme.split.name]: Object.fromEntries(Object.keys(programme.split.keys).map((key) => [key, formatMoney(money(figures.split[key]!))])),
    arrearsTotal: formatMoney(money(figures.arrears)),
    sha256: roll.sha256,
    issuedAt: isoOrNull(roll.issuedAt),
    createdAt: iso(roll.createdAt),
    builtBy: { id: roll.createdByUserId, name: names.get(roll.createdByUserId) ?? '' },
    issuedBy: roll.issuedByUserId ? { id: roll.issuedByUserId, name: names.get(roll.issuedByUserId) ?? '' } : null,
  };
}

/** A change to a roll: under the region's roll lock and the roll's row lock, in one transaction. */
export function changeRoll<T>(db: Database, programme: RollProgramme, context: RequestContext, id: string, work: (tx: Transaction, roll: RollRow) => Promise<T>): Promise<T> {
  return retryingConflicts(() =>
    db.transaction(async (tx) => {
      await lockRegionRolls(tx, programme, context.actor.regionCode!);
      const roll = await findRollInScope(tx, programme, context.actor, id, { lock: true });
      if (!roll) throw notFound('roll');
      return work(tx, roll);
    }),
  );
}

/** The programme's audit action on a roll: `roll.issued`, `protection_roll.issued`. */
export function auditRoll(tx: Executor, context: RequestContext, programme: RollProgramme, verb: string, roll: Pick<RollRow, 'id' | 'regionCode' | 'number'>, data: Record<string, unknown>) {
  return recordAudit(tx, context, {
    action: `${programme.audit.roll}.${verb}` as AuditAction,
    entityType: programme.audit.roll as AuditEntityType,
    entityId: roll.id,
    regionCode: roll.regionCode,
    data: { number: roll.number, ...data },
  });
}
