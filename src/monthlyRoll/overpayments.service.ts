import { recordAudit, type AuditAction, type AuditEntityType } from '../audit/audit.repository.js';
import { retryingConflicts, type Database, type Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate } from '../domain/chinaTime.js';
import { formatMoney, money, sumMoney, type Money } from '../domain/money.js';
import type { RequestContext } from '../http/context.js';
import type { SQL } from 'drizzle-orm';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { requireSecondPerson } from '../http/fourEyes.js';
import { decodeCursor, page } from '../http/pagination.js';
import { iso } from '../http/schemas.js';
import type { RollProgramme } from './programme.js';
import {
  dropOverpaymentEntriesOfTransfer,
  dropRecoveryOfMonths,
  findOverpayment,
  findOverpaymentInScope,
  insertOverpayment,
  insertRecovery,
  insertRefund,
  listOverpaymentsInScope,
  liveOverpaymentTotal,
  overpaymentMonths,
  recoveriesOf,
  refundsOf,
  sentEntriesOfChildFrom,
  updateOverpayment,
  closeWaiver,
  insertWaiver,
  pendingWaiversOf,
  type OverpaymentRow,
} from './overpayments.repository.js';
import { lockRegionRolls } from './rolls.repository.js';

// Overpayments (应退尽退) of a monthly programme: what was paid or sent for months an exit made
// unpayable, what was recovered or waived of it, and what was recovered beyond it and is owed back
// (refunds). The programme names its audit actions and its payee.

export type OverpaymentStatus = 'open' | 'partially_recovered' | 'recovered' | 'waived' | 'cancelled' | 'refund_due' | 'refunded';

/** What was recovered beyond the amount and not yet paid back: recovered − refunded − amount, when above zero. */
export function refundDueOf(overpayment: { amount: Money; recovered: Money; refunded: Money }): Money {
  const due = overpayment.recovered.minus(overpayment.refunded).minus(overpayment.amount);
  return due.isNegative() ? money('0') : due;
}

/**
 * An overpayment's status from its figures (allowance.md, Corrections and edges): money owed back
 * comes first (refund_due); then a waiver stands; then what was kept against the amount.
 */
export function overpaymentStatusOf(figures: { amount: Money; recovered: Money; refunded: Money; waived: boolean }): OverpaymentStatus {
  if (refundDueOf(figures).greaterThan(0)) return 'refund_due';
  // A refund is made only of what was owed back: once one was made, what was kept covers the amount.
  if (figures.refunded.greaterThan(0)) return 'refunded';
  if (figures.waived) return 'waived';
  const kept = figures.recovered.minus(figures.refunded);
  if (figures.amount.isZero()) return 'cancelled';
  if (kept.greaterThanOrEqualTo(figures.amount)) return 'recovered';
  return kept.isZero() ? 'open' : 'partially_recovered';
}

const figuresOf = (row: OverpaymentRow) => ({ amount: money(row.amount), recovered: money(row.recovered), refunded: money(row.refunded), waived: row.waiveReason !== null });

/** Recoveries and waivers apply while something is left to recover: open or partially recovered. */
const waivable = (row: OverpaymentRow) => row.status === 'open' || row.status === 'partially_recovered';

function requireWaivable(row: OverpaymentRow) {
  if (!waivable(row)) throw invalidState(`the overpayment is ${row.status}; only an open or partially recovered overpayment is waived`);
}

/** What is left to recover: the amount less what was kept of the recoveries. */
const leftToRecover = (row: OverpaymentRow) => money(row.amount).minus(money(row.recovered).minus(money(row.refunded)));

/** The programme's audit action on an overpayment: `overpayment.created`, `protection_overpayment.created`. */
function auditOverpayment(tx: Transaction, context: RequestContext, programme: RollProgramme, verb: string, overpayment: Pick<OverpaymentRow, 'id' | 'regionCode'>, data: Record<string, unknown>) {
  return recordAudit(tx, context, {
    action: `${programme.audit.overpayment}.${verb}` as AuditAction,
    entityType: programme.audit.overpayment as AuditEntityType,
    entityId: overpayment.id,
    regionCode: overpayment.regionCode,
    data,
  });
}

/** The payee an exit ends: its record, child, region and first month. */
export interface ExitingPayee {
  id: string;
  childId: string;
  regionCode: string;
  startMonth: string;
}

/**
 * An exit from a month at or before a month already sent in an issued roll: one overpayment for
 * those entries (the child's money sent for the record's months from the exit on, whichever record
 * it was sent under). Called inside the exit's transaction.
 */
export async function recordOverpaymentForExit(tx: Transaction, context: RequestContext, programme: RollProgramme, payee: ExitingPayee, fromMonth: string) {
  const t = programme.tables;
  const sent = await sentEntriesOfChildFrom(tx, t, payee.childId, fromMonth > payee.startMonth ? fromMonth : payee.startMonth);
  if (sent.length === 0) return;
  const amount = formatMoney(sumMoney(sent.map((entry) => money(entry.amount))));
  const id = newId();
  await insertOverpayment(
    tx,
    t,
    { id, payeeId: payee.id, regionCode: payee.regionCode, amount, recovered: '0.00', status: 'open', createdAt: context.now },
    sent.map((entry) => ({ rollId: entry.rollId, transferNo: entry.transferNo, month: entry.month, amount: entry.amount })),
  );
  await auditOverpayment(tx, context, programme, 'created', { id, regionCode: payee.regionCode }, { [programme.payeeKey]: payee.id, months: sent.map((entry) => entry.month), amount });
}

/**
 * Overpayments some of whose entries stopped counting (their transfer failed: nothing was paid; or
 * a new record made their months payable again): each shrinks to what still counts, audited as
 * reduced whether or not it reaches zero. Money recovered beyond the new amount is owed back
 * (refund_due); one that comes to zero with nothing recovered is cancelled. Called inside the
 * transaction that dropped the entries.
 */
async function shrinkOverpayments(tx: Transaction, context: RequestContext, programme: RollProgramme, overpaymentIds: readonly string[], why: Record<string, unknown>) {
  const t = programme.tables;
  for (const overpaymentId of overpaymentIds) {
    const overpayment = (await findOverpayment(tx, t, overpaymentId, { lock: true }))!;
    const amount = money(await liveOverpaymentTotal(tx, t, overpaymentId));
    const figures = { ...figuresOf(overpayment), amount };
    const status = overpaymentStatusOf(figures);
    await updateOverpayment(tx, t, overpaymentId, { amount: formatMoney(amount), status });
    const payee = { [programme.payeeKey]: overpayment.payeeId };
    await auditOverpayment(tx, context, programme, 'reduced', overpayment, {
      ...payee,
      ...why,
      before: formatMoney(money(overpayment.amount)),
      after: formatMoney(amount),
      refundDue: formatMoney(refundDueOf(figures)),
      status,
    });
    if (status === 'cancelled' && overpayment.status !== 'cancelled') {
      await auditOverpayment(tx, context, programme, 'cancelled', overpayment, { ...payee, ...why, before: overpayment.amount });
    }
  }
}

/** A failed transfer paid nothing: the overpayments that counted its entries shrink. Called inside the results' transaction. */
export async function shrinkOverpaymentsForFailedTransfer(tx: Transaction, context: RequestContext, programme: RollProgramme, rollId: string, transferNo: number) {
  await shrinkOverpayments(tx, context, programme, await dropOverpaymentEntriesOfTransfer(tx, programme.tables, rollId, transferNo), { reason: 'transfer_failed', rollId, transferNo });
}

/**
 * A record approved for months whose money was sent under an earlier record of the child and is
 * being recovered (it exited from a month the new record starts in): the months the new record
 * pays are payable again and counted as paid, so the overpayments stop recovering them. `payeeIdsOfChild`: the
 * programme's records of the child, as a subquery. Called inside the approval's transaction.
 */
export async function stopRecoveringMonthsOf(
  tx: Transaction,
  context: RequestContext,
  programme: RollProgramme,
  payee: { id: string; months: { from: string; to: string } | readonly string[] },
  payeeIdsOfChild: SQL,
  newPayeeKey: string,
) {
  const shrunk = await dropRecoveryOfMonths(tx, programme.tables, payeeIdsOfChild, payee.months);
  await shrinkOverpayments(tx, context, programme, shrunk, { reason: 'payable_under_new_record', [newPayeeKey]: payee.id });
}

/** A recovery's or refund's amount: more than 0.00, on a day not after today. */
function positiveAmount(context: RequestContext, body: { amount: string; on: string }): Money {
  const today = chinaDate(context.now);
  if (body.on > today) throw validationFailed(`on is after today (${today})`, [{ field: 'on' }]);
  const amount = money(body.amount);
  if (amount.isZero()) throw validationFailed('an amount is more than 0.00', [{ field: 'amount' }]);
  return amount;
}

export interface OverpaymentListQuery {
  status?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** What an overpayment's answer is read with: its months, movements, pending waiver and child's name. */
interface OverpaymentReads {
  months: Map<string, string[]>;
  recoveries: Awaited<ReturnType<typeof recoveriesOf>>;
  refunds: Awaited<ReturnType<typeof refundsOf>>;
  waivers: Awaited<ReturnType<typeof pendingWaiversOf>>;
  childNames: Map<string, string>;
}

function presentOverpayment(programme: RollProgramme, overpayment: OverpaymentRow, reads: OverpaymentReads) {
  const { months, recoveries, refunds, waivers, childNames } = reads;
  // A waiver asked for while the overpayment was open no longer applies once it closed otherwise.
  const waiver = waivable(overpayment) ? waivers.get(overpayment.id) : undefined;
  const figures = figuresOf(overpayment);
  const remaining = figures.amount.minus(figures.recovered.minus(figures.refunded));
  const closed = ['waived', 'cancelled', 'refund_due', 'refunded', 'recovered'].includes(overpayment.status);
  return {
    id: overpayment.id,
    [programme.payeeKey]: overpayment.payeeId,
    childName: childNames.get(overpayment.payeeId) ?? '',
    months: months.get(overpayment.id) ?? [],
    amount: formatMoney(figures.amount),
    recovered: formatMoney(figures.recovered),
    remaining: formatMoney(remaining.isNegative() || closed ? money('0') : remaining),
    refunded: formatMoney(figures.refunded),
    refundDue: formatMoney(refundDueOf(figures)),
    status: overpayment.status as OverpaymentStatus,
    waiveReason: overpayment.waiveReason,
    pendingWaiver: waiver ? { reason: waiver.reason, requestedBy: { id: waiver.requestedByUserId, name: waiver.requestedByName }, requestedAt: iso(waiver.requestedAt) } : null,
    recoveries: recoveries
      .filter((recovery) => recovery.overpaymentId === overpayment.id)
      .map((recovery) => ({ amount: formatMoney(money(recovery.amount)), on: recovery.recoveredOn, voucherNo: recovery.voucherNo, recordedAt: iso(recovery.recordedAt) })),
    refunds: refunds
      .filter((refund) => refund.overpaymentId === overpayment.id)
      .map((refund) => ({ amount: formatMoney(money(refund.amount)), on: refund.refundedOn, voucherNo: refund.voucherNo, recordedAt: iso(refund.recordedAt) })),
    createdAt: iso(overpayment.createdAt),
  };
}

/** The service; `Answer` is the programme's overpayment schema's type (its payee key named). */
export function createOverpaymentsService<Answer = ReturnType<typeof presentOverpayment>>(deps: { db: Database; programme: RollProgramme }) {
  const { db, programme } = deps;
  const t = programme.tables;

  async function presentAll(rows: OverpaymentRow[]): Promise<Answer[]> {
    const ids = rows.map((row) => row.id);
    const [months, recoveries, refunds, waivers, childNames] = await Promise.all([
      overpaymentMonths(db, t, ids),
      recoveriesOf(db, t, ids),
      refundsOf(db, t, ids),
      pendingWaiversOf(db, t, ids),
      programme.childNamesOfPayees(db, [...new Set(rows.map((row) => row.payeeId))]),
    ]);
    return rows.map((overpayment) => presentOverpayment(programme, overpayment, { months, recoveries, refunds, waivers, childNames }) as Answer);
  }
  async function change(context: RequestContext, id: string, work: (tx: Transaction, overpayment: OverpaymentRow) => Promise<void>) {
    await retryingConflicts(() =>
      db.transaction(async (tx) => {
        await lockRegionRolls(tx, programme, context.actor.regionCode!);
        const found = await findOverpaymentInScope(tx, t, context.actor, id, { lock: true });
        if (!found) throw notFound('overpayment');
        await work(tx, found);
      }),
    );
  }

  async function get(context: RequestContext, id: string) {
    const found = await findOverpaymentInScope(db, t, context.actor, id);
    if (!found) throw notFound('overpayment');
    return (await presentAll([found]))[0]!;
  }

  return {
    async list(context: RequestContext, query: OverpaymentListQuery) {
      const rows = await listOverpaymentsInScope(db, t, context.actor, { ...query, afterId: decodeCursor(query.cursor) });
      const result = page(rows, query.limit);
      return { items: await presentAll(result.items), nextCursor: result.nextCursor };
    },

    get,

    async recover(context: RequestContext, id: string, body: { amount: string; on: string; voucherNo: string }) {
      const amount = positiveAmount(context, body);
      await change(context, id, async (tx, overpayment) => {
        if (overpayment.status !== 'open' && overpayment.status !== 'partially_recovered') throw invalidState(`the overpayment is ${overpayment.status}`);
        const figures = figuresOf(overpayment);
        const left = leftToRecover(overpayment);
        if (amount.greaterThan(left)) throw new AppError('AMOUNT_MISMATCH', `${formatMoney(amount)} is more than what is left to recover, ${formatMoney(left)}`);
        const recovered = figures.recovered.plus(amount);
        const status = overpaymentStatusOf({ ...figures, recovered });
        await insertRecovery(tx, t, { id: newId(), overpaymentId: id, amount: formatMoney(amount), recoveredOn: body.on, voucherNo: body.voucherNo, recordedByUserId: context.actor.id, recordedAt: context.now });
        await updateOverpayment(tx, t, id, { recovered: formatMoney(recovered), status });
        await auditOverpayment(tx, context, programme, 'recovered', overpayment, { amount: formatMoney(amount), on: body.on, voucherNo: body.voucherNo, recovered: formatMoney(recovered), status });
      });
      return get(context, id);
    },

    /** POST …/refunds: money recovered beyond the amount, paid back to the family. */
    async refund(context: RequestContext, id: string, body: { amount: string; on: string; voucherNo: string }) {
      const amount = positiveAmount(context, body);
      await change(context, id, async (tx, overpayment) => {
        const figures = figuresOf(overpayment);
        const due = refundDueOf(figures);
        if (amount.greaterThan(due)) throw new AppError('AMOUNT_MISMATCH', `${formatMoney(amount)} is more than what is owed back to the family, ${formatMoney(due)}`);
        const refunded = figures.refunded.plus(amount);
        const status = overpaymentStatusOf({ ...figures, refunded });
        await insertRefund(tx, t, { id: newId(), overpaymentId: id, amount: formatMoney(amount), refundedOn: body.on, voucherNo: body.voucherNo, recordedByUserId: context.actor.id, recordedAt: context.now });
        await updateOverpayment(tx, t, id, { refunded: formatMoney(refunded), status });
        await auditOverpayment(tx, context, programme, 'refunded', overpayment, {
          amount: formatMoney(amount),
          on: body.on,
          voucherNo: body.voucherNo,
          refunded: formatMoney(refunded),
          refundDue: formatMoney(refundDueOf({ ...figures, refunded })),
          status,
        });
      });
      return get(context, id);
    },

    /**
     * POST …/waive: one civil affairs officer asks to waive what is left; the overpayment stays open
     * (recoveries go on) until another confirms. A pending request is replaced.
     */
    async waive(context: RequestContext, id: string, reason: string) {
      await change(context, id, async (tx, overpayment) => {
        requireWaivable(overpayment);
        const pending = (await pendingWaiversOf(tx, t, [id])).get(id);
        if (pending) await closeWaiver(tx, t, pending.id, 'replaced', context.actor.id, context.now);
        const waiverId = newId();
        await insertWaiver(tx, t, { id: waiverId, overpaymentId: id, reason, status: 'pending', requestedByUserId: context.actor.id, requestedAt: context.now });
        await auditOverpayment(tx, context, programme, 'waive_requested', overpayment, {
          waiverId,
          reason,
          remaining: formatMoney(leftToRecover(overpayment)),
          replaces: pending ? { waiverId: pending.id, requestedByUserId: pending.requestedByUserId } : null,
        });
      });
      return get(context, id);
    },

    /** POST …/waive/confirm: another civil affairs officer than the asker waives what is left. */
    async confirmWaiver(context: RequestContext, id: string) {
      await change(context, id, async (tx, overpayment) => {
        requireWaivable(overpayment);
        const pending = (await pendingWaiversOf(tx, t, [id])).get(id);
        if (!pending) throw invalidState('no waiver of this overpayment is waiting for confirmation');
        requireSecondPerson(context.actor, pending.requestedByUserId, { secondStep: 'confirming this waiver', firstStep: 'asked for it' });
        await closeWaiver(tx, t, pending.id, 'confirmed', context.actor.id, context.now);
        await updateOverpayment(tx, t, id, { status: 'waived', waiveReason: pending.reason });
        await auditOverpayment(tx, context, programme, 'waived', overpayment, {
          waiverId: pending.id,
          reason: pending.reason,
          waived: formatMoney(leftToRecover(overpayment)),
          requestedByUserId: pending.requestedByUserId,
          requestedAt: iso(pending.requestedAt),
        });
      });
      return get(context, id);
    },
  };
}

export type OverpaymentsService<Answer = ReturnType<typeof presentOverpayment>> = ReturnType<typeof createOverpaymentsService<Answer>>;
