import { ALLOWANCE_ROLLS } from './allowanceRollKey.js';
import { allowanceRollTables } from '../db/schema.js';
import type { Database, Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate, chinaMonth } from '../domain/chinaTime.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, validationFailed } from '../http/errors.js';
import type { CloseRefusalReason } from '../children/closedChild.js';
import type { ExitBody } from './allowance.schemas.js';
import { beneficiaryStatus, reviewOverdue, tierFor, type Tier } from './allowanceRule.js';
import { confirmBankAccountChange, requestBankAccountChange } from './bankAccountChange.js';
import type { BankAccountInput } from './allowanceAccounts.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { findLiveBeneficiaryOfChild, findBeneficiaryInScope, insertTier, liveMonthsOfChildren, placeHold, releaseHolds, tiersOf, updateBeneficiary, type BeneficiaryRow } from './beneficiaries.repository.js';
import { auditBeneficiary, changeBeneficiary, dueMonthsOf } from './beneficiaryFacts.js';
import { recordOverpaymentForExit } from './overpayments.service.js';
import { lockRegionRolls, takeOffEntries } from '../monthlyRoll/rolls.repository.js';

// The changes civil affairs (and, for the account, the reviewer) make to an approved record: bank
// account, tier, verification, hold and release, exit. Each in one transaction under the region's
// roll lock, audited in it.

/** Exit, tier: the record must be active (approved, its 18th-birthday month not yet past, not exited). */
function requireActive(row: BeneficiaryRow, now: Date, what: string) {
  const status = beneficiaryStatus(row.status, row.lastMonth, chinaMonth(now));
  if (status !== 'active') throw invalidState(`the beneficiary is ${status}; ${what} applies to an active beneficiary`);
}

/**
 * Verification, hold, release and a new account are also taken on an ended or exited record while
 * months of it are still due (allowance.md, Corrections and edges); the account also on a pending one.
 */
async function requireOpen(tx: Transaction, row: BeneficiaryRow, childName: string, now: Date, what: string, options: { pending?: boolean } = {}) {
  const month = chinaMonth(now);
  const status = beneficiaryStatus(row.status, row.lastMonth, month);
  if (status === 'active' || (options.pending && status === 'pending')) return;
  if ((status === 'ended' || status === 'exited') && (await dueMonthsOf(tx, row, childName, month)).length > 0) return;
  const nothingDue = status === 'ended' || status === 'exited' ? ' with no month due' : '';
  throw invalidState(`the beneficiary is ${status}${nothingDue}; ${what} applies to an active beneficiary, or to an ended or exited one while months are due`);
}

/** A record whose account may change (or a change be confirmed): not rejected; pending, or open as requireOpen says. */
async function requireAccountChangeable(tx: Transaction, row: BeneficiaryRow, childName: string, now: Date) {
  if (row.status === 'rejected') throw invalidState('the enrolment was rejected; enrol the child again');
  await requireOpen(tx, row, childName, now, 'a change of account', { pending: true });
}

/**
 * An exit inside the caller's transaction (which holds the region's roll lock and the record's row
 * lock): no month from `fromMonth` on is payable; those months leave draft and published rolls; the
 * manual, objection and review_overdue holds end (the exit settled the facts they wait for), so
 * months before it that are still due are paid in the next roll; what was already sent for the
 * months from then on becomes an overpayment.
 */
export async function exitWithin(tx: Transaction, context: RequestContext, row: BeneficiaryRow, childName: string, body: ExitBody): Promise<void> {
  await updateBeneficiary(tx, row.id, { status: 'exited', exitReason: body.reason, exitFromMonth: body.fromMonth, exitNote: body.note ?? null });
  const rolls = await takeOffEntries(tx, allowanceRollTables, row.id, 'exit', { fromMonth: body.fromMonth });
  await auditBeneficiary(tx, context, 'beneficiary.exited', row, { reason: body.reason, fromMonth: body.fromMonth, note: body.note ?? null, takenOffRolls: rolls });
  const ended: string[] = await releaseHolds(tx, row.id, ['manual', 'objection'], context.actor.id, context.now);
  if (reviewOverdue(row.lastVerifiedOn, chinaMonth(context.now))) ended.push('review_overdue');
  if (ended.length > 0) await auditBeneficiary(tx, context, 'beneficiary.released', row, { reasons: ended, by: 'exit' });
  await recordOverpaymentForExit(tx, context, row, body.fromMonth);
}

export function createBeneficiaryChanges<T>(deps: { db: Database; cipher: FieldCipher; get: (context: RequestContext, id: string) => Promise<T> }) {
  const { db, get } = deps;
  const change = (context: RequestContext, id: string, work: (tx: Transaction, row: BeneficiaryRow, childName: string) => Promise<void>) =>
    changeBeneficiary(db, context, id, work).then(() => get(context, id));

  return {
    /** PUT …/bank-account: the change waits, pending, for another user to confirm it; payments keep the old account. */
    changeBankAccount(context: RequestContext, id: string, account: BankAccountInput) {
      return change(context, id, async (tx, row, childName) => {
        await requireAccountChangeable(tx, row, childName, context.now);
        await requestBankAccountChange(tx, context, deps.cipher, row, account);
      });
    },

    /** POST …/bank-account/confirm: another user than the asker makes the pending change take effect. */
    confirmBankAccount(context: RequestContext, id: string) {
      return change(context, id, async (tx, row, childName) => {
        await requireAccountChangeable(tx, row, childName, context.now);
        await confirmBankAccountChange(tx, context, deps.cipher, row);
      });
    },

    changeTier(context: RequestContext, id: string, body: { tier: Tier; fromMonth: string }) {
      return change(context, id, async (tx, row) => {
        requireActive(row, context.now, 'a tier change');
        if (body.fromMonth < row.startMonth) throw invalidState(`fromMonth ${body.fromMonth} is before the first month ${row.startMonth}`);
        if (body.fromMonth > row.lastMonth) throw invalidState(`fromMonth ${body.fromMonth} is after the last month ${row.lastMonth}`);
        const liveMonths = [...((await liveMonthsOfChildren(tx, [row.childId])).get(row.childId) ?? [])].sort();
        const lastInRoll = liveMonths.at(-1);
        if (lastInRoll && body.fromMonth <= lastInRoll) {
          throw invalidState(`the child's months up to ${lastInRoll} are already in a roll; a tier change starts after them`);
        }
        const before = tierFor(body.fromMonth, (await tiersOf(tx, [id])).get(id) ?? []);
        await insertTier(tx, { beneficiaryId: id, fromMonth: body.fromMonth, tier: body.tier, createdAt: context.now });
        await auditBeneficiary(tx, context, 'beneficiary.tier_changed', row, { before, after: body.tier, fromMonth: body.fromMonth });
      });
    },

    verify(context: RequestContext, id: string, on: string) {
      const today = chinaDate(context.now);
      if (on > today) throw validationFailed(`on is after today (${today})`, [{ field: 'on' }]);
      return change(context, id, async (tx, row, childName) => {
        await requireOpen(tx, row, childName, context.now, 'a verification');
        if (on < row.acceptedOn) throw validationFailed(`on is before the application was accepted (${row.acceptedOn})`, [{ field: 'on' }]);
        const latest = row.lastVerifiedOn && row.lastVerifiedOn > on ? row.lastVerifiedOn : on;
        await updateBeneficiary(tx, id, { lastVerifiedOn: latest });
        await auditBeneficiary(tx, context, 'beneficiary.verified', row, { on, lastVerifiedOn: latest });
      });
    },

    hold(context: RequestContext, id: string, reason: string) {
      return change(context, id, async (tx, row, childName) => {
        await requireOpen(tx, row, childName, context.now, 'a hold');
        const placed = await placeHold(tx, { id: newId(), beneficiaryId: id, reason: 'manual', note: reason, rollId: null, placedByUserId: context.actor.id, placedAt: context.now });
        if (!placed) throw invalidState('the beneficiary is already held by hand; release it first');
        const rolls = await takeOffEntries(tx, allowanceRollTables, id, 'hold');
        await auditBeneficiary(tx, context, 'beneficiary.held', row, { reason: 'manual', note: reason, takenOffRolls: rolls });
      });
    },

    release(context: RequestContext, id: string) {
      return change(context, id, async (tx, row, childName) => {
        await requireOpen(tx, row, childName, context.now, 'a release');
        const released = await releaseHolds(tx, id, ['manual', 'objection'], context.actor.id, context.now);
        if (released.length === 0) {
          throw invalidState('no manual or objection hold is open (a bank_failure hold ends with a new account, a review_overdue one with a verification)');
        }
        await auditBeneficiary(tx, context, 'beneficiary.released', row, { reasons: released });
      });
    },

    exit(context: RequestContext, id: string, body: ExitBody) {
      return change(context, id, async (tx, row, childName) => {
        requireActive(row, context.now, 'an exit');
        if (body.fromMonth < row.startMonth) throw validationFailed(`fromMonth is before the first month ${row.startMonth}`, [{ field: 'fromMonth' }]);
        await exitWithin(tx, context, row, childName, body);
      });
    },

    /**
     * A revoked certificate (POST /children/:id/certificate/revoke) exits the child's record from
     * `fromMonth` in the caller's transaction: the record that still pays months from then on
     * (active, or ended with its last month not before `fromMonth`). Returns the record exited.
     */
    /**
     * Why a child's record may not be closed yet, from the care allowance: a live record would go on
     * paying the closed record while its new registration is enrolled, and the family be paid twice.
     */
    async refusalToClose(tx: Transaction, childId: string): Promise<CloseRefusalReason | null> {
      const live = await findLiveBeneficiaryOfChild(tx, childId);
      if (!live) return null;
      return {
        message: `the child has a ${live.status} care allowance record (${live.id}): civil affairs exits it first`,
        hint: live.status === 'pending' ? '该儿童的关爱补贴纳入申请尚待民政审核，请先由民政驳回后再注销档案。' : '该儿童正在享受关爱补贴，请先由民政办理退出（避免按新旧两份档案重复发放）后再注销档案。',
      };
    },

    async exitForRevokedCertificate(tx: Transaction, context: RequestContext, childId: string, fromMonth: string, reason: string): Promise<string | null> {
      // The region's roll lock first, as every change of the allowance takes it: an approval or
      // enrolment waiting on it then reads the child without its certificate.
      await lockRegionRolls(tx, ALLOWANCE_ROLLS, context.actor.regionCode!);
      const live = await findLiveBeneficiaryOfChild(tx, childId);
      if (!live || live.status !== 'active' || live.lastMonth < fromMonth) return null;
      const found = await findBeneficiaryInScope(tx, context.actor, live.id, { lock: true });
      if (!found || found.beneficiary.status !== 'active') return null;
      const row = found.beneficiary;
      await exitWithin(tx, context, row, found.childName, { reason: 'certificate_revoked', fromMonth: fromMonth < row.startMonth ? row.startMonth : fromMonth, note: reason });
      return row.id;
    },
  };
}
