import { recordAudit } from '../audit/audit.repository.js';
import { retryingConflicts, type Database, type Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate } from '../domain/chinaTime.js';
import { formatMoney, money, sumMoney } from '../domain/money.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { decodeCursor, page } from '../http/pagination.js';
import { iso } from '../http/schemas.js';
import {
  dropOverpaymentEntriesOfTransfer,
  findOverpayment,
  findOverpaymentInScope,
  insertOverpayment,
  insertRecovery,
  listOverpaymentsInScope,
  liveOverpaymentTotal,
  lockRegionRolls,
  overpaymentMonths,
  recoveriesOf,
  sentEntriesFrom,
  updateOverpayment,
  type BeneficiaryRow,
  type OverpaymentRow,
} from './allowance.repository.js';
import type { OverpaymentListQuery } from './allowance.schemas.js';

// Overpayments (应退尽退): what was paid or sent for months an exit made unpayable, and what was
// recovered or waived of it.

type OverpaymentStatus = 'open' | 'partially_recovered' | 'recovered' | 'waived' | 'cancelled';

/**
 * An exit from a month at or before a month already sent in an issued roll: one overpayment for
 * those entries. Called inside the exit's transaction.
 */
export async function recordOverpaymentForExit(tx: Transaction, context: RequestContext, beneficiary: BeneficiaryRow & { childName: string }, fromMonth: string) {
  const sent = await sentEntriesFrom(tx, beneficiary.id, fromMonth);
  if (sent.length === 0) return;
  const amount = formatMoney(sumMoney(sent.map((entry) => money(entry.amount))));
  const id = newId();
  await insertOverpayment(
    tx,
    { id, beneficiaryId: beneficiary.id, regionCode: beneficiary.regionCode, amount, recovered: '0.00', status: 'open', createdAt: context.now },
    sent.map((entry) => ({ rollId: entry.rollId, transferNo: entry.transferNo, month: entry.month, amount: entry.amount })),
  );
  await recordAudit(tx, context, {
    action: 'overpayment.created',
    entityType: 'overpayment',
    entityId: id,
    regionCode: beneficiary.regionCode,
    data: { beneficiaryId: beneficiary.id, months: sent.map((entry) => entry.month), amount },
  });
}

/**
 * A failed transfer paid nothing: the overpayments that counted its entries shrink by them, and
 * one that comes to zero is cancelled. Called inside the results' transaction.
 */
export async function shrinkOverpaymentsForFailedTransfer(tx: Transaction, context: RequestContext, rollId: string, transferNo: number) {
  for (const overpaymentId of await dropOverpaymentEntriesOfTransfer(tx, rollId, transferNo)) {
    const overpayment = (await findOverpayment(tx, overpaymentId, { lock: true }))!;
    const amount = money(await liveOverpaymentTotal(tx, overpaymentId));
    const recovered = money(overpayment.recovered);
    const closed = overpayment.status === 'waived';
    const status: OverpaymentStatus = closed ? 'waived' : amount.isZero() ? 'cancelled' : recovered.greaterThanOrEqualTo(amount) ? 'recovered' : recovered.isZero() ? 'open' : 'partially_recovered';
    await updateOverpayment(tx, overpaymentId, { amount: formatMoney(amount), status });
    if (status === 'cancelled') {
      await recordAudit(tx, context, {
        action: 'overpayment.cancelled',
        entityType: 'overpayment',
        entityId: overpaymentId,
        regionCode: overpayment.regionCode,
        data: { beneficiaryId: overpayment.beneficiaryId, reason: 'transfer_failed', rollId, transferNo, before: overpayment.amount },
      });
    }
  }
}

export function createOverpaymentsService(deps: { db: Database }) {
  const { db } = deps;

  async function presentAll(rows: { overpayment: OverpaymentRow; childName: string }[]) {
    const ids = rows.map((row) => row.overpayment.id);
    const [months, recoveries] = await Promise.all([overpaymentMonths(db, ids), recoveriesOf(db, ids)]);
    return rows.map(({ overpayment, childName }) => {
      const remaining = money(overpayment.amount).minus(money(overpayment.recovered));
      return {
        id: overpayment.id,
        beneficiaryId: overpayment.beneficiaryId,
        childName,
        months: months.get(overpayment.id) ?? [],
        amount: formatMoney(money(overpayment.amount)),
        recovered: formatMoney(money(overpayment.recovered)),
        remaining: formatMoney(remaining.isNegative() || overpayment.status === 'waived' || overpayment.status === 'cancelled' ? money('0') : remaining),
        status: overpayment.status as OverpaymentStatus,
        waiveReason: overpayment.waiveReason,
        recoveries: recoveries
          .filter((recovery) => recovery.overpaymentId === overpayment.id)
          .map((recovery) => ({ amount: formatMoney(money(recovery.amount)), on: recovery.recoveredOn, voucherNo: recovery.voucherNo, recordedAt: iso(recovery.recordedAt) })),
        createdAt: iso(overpayment.createdAt),
      };
    });
  }

  async function change(context: RequestContext, id: string, work: (tx: Transaction, overpayment: OverpaymentRow) => Promise<void>) {
    await retryingConflicts(() =>
      db.transaction(async (tx) => {
        await lockRegionRolls(tx, context.actor.regionCode!);
        const found = await findOverpaymentInScope(tx, context.actor, id, { lock: true });
        if (!found) throw notFound('overpayment');
        await work(tx, found.overpayment);
      }),
    );
  }

  return {
    async list(context: RequestContext, query: OverpaymentListQuery) {
      const rows = await listOverpaymentsInScope(db, context.actor, { ...query, afterId: decodeCursor(query.cursor) });
      const result = page(rows.map((row) => ({ ...row, id: row.overpayment.id })), query.limit);
      return { items: await presentAll(result.items), nextCursor: result.nextCursor };
    },

    async get(context: RequestContext, id: string) {
      const found = await findOverpaymentInScope(db, context.actor, id);
      if (!found) throw notFound('overpayment');
      return (await presentAll([found]))[0]!;
    },

    async recover(context: RequestContext, id: string, body: { amount: string; on: string; voucherNo: string }) {
      const today = chinaDate(context.now);
      if (body.on > today) throw validationFailed(`on is after today (${today})`, [{ field: 'on' }]);
      const amount = money(body.amount);
      if (amount.isZero()) throw validationFailed('a recovery is more than 0.00', [{ field: 'amount' }]);
      await change(context, id, async (tx, overpayment) => {
        if (overpayment.status !== 'open' && overpayment.status !== 'partially_recovered') throw invalidState(`the overpayment is ${overpayment.status}`);
        const left = money(overpayment.amount).minus(money(overpayment.recovered));
        if (amount.greaterThan(left)) throw new AppError('AMOUNT_MISMATCH', `${formatMoney(amount)} is more than what is left to recover, ${formatMoney(left)}`);
        const recovered = money(overpayment.recovered).plus(amount);
        const status: OverpaymentStatus = recovered.equals(money(overpayment.amount)) ? 'recovered' : 'partially_recovered';
        await insertRecovery(tx, { id: newId(), overpaymentId: id, amount: formatMoney(amount), recoveredOn: body.on, voucherNo: body.voucherNo, recordedByUserId: context.actor.id, recordedAt: context.now });
        await updateOverpayment(tx, id, { recovered: formatMoney(recovered), status });
        await recordAudit(tx, context, {
          action: 'overpayment.recovered',
          entityType: 'overpayment',
          entityId: id,
          regionCode: overpayment.regionCode,
          data: { amount: formatMoney(amount), on: body.on, voucherNo: body.voucherNo, recovered: formatMoney(recovered), status },
        });
      });
      return this.get(context, id);
    },

    async waive(context: RequestContext, id: string, reason: string) {
      await change(context, id, async (tx, overpayment) => {
        if (overpayment.status !== 'open' && overpayment.status !== 'partially_recovered') throw invalidState(`the overpayment is ${overpayment.status}`);
        await updateOverpayment(tx, id, { status: 'waived', waiveReason: reason });
        await recordAudit(tx, context, {
          action: 'overpayment.waived',
          entityType: 'overpayment',
          entityId: id,
          regionCode: overpayment.regionCode,
          data: { reason, waived: formatMoney(money(overpayment.amount).minus(money(overpayment.recovered))) },
        });
      });
      return this.get(context, id);
    },
  };
}

export type OverpaymentsService = ReturnType<typeof createOverpaymentsService>;
