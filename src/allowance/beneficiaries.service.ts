import { recordAudit } from '../audit/audit.repository.js';
import { findChildInScope } from '../children/children.repository.js';
import { retryingConflicts, sqlState, type Database, type Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import { ageInFullYears } from '../domain/calendar.js';
import { chinaDate, chinaMonth } from '../domain/chinaTime.js';
import { formatMoney, money } from '../domain/money.js';
import { maskAccount } from '../domain/masks.js';
import type { Actor, RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { decodeCursor, page } from '../http/pagination.js';
import { iso } from '../http/schemas.js';
import {
  entriesOfBeneficiary,
  standardRows,
  findBeneficiaryInScope,
  findLiveBeneficiaryOfChild,
  insertBeneficiary,
  insertTier,
  listBeneficiariesInScope,
  liveMonthsOfChildren,
  lockRegionRolls,
  openHoldsOf,
  placeHold,
  releaseHolds,
  takeOffEntries,
  tiersOf,
  updateBeneficiary,
  type BeneficiaryRow,
  type HoldRow,
} from './allowance.repository.js';
import type { BeneficiaryListQuery, EnrolBody, ExitBody } from './allowance.schemas.js';
import {
  holdReasonFor,
  lastAllowanceMonth,
  lastPayableMonth,
  maskAccountNumber,
  monthlyAmount,
  payableMonths,
  reviewOverdue,
  standardFor,
  tierFor,
  type HoldReason,
  type StoredHoldReason,
  type Tier,
  type TierChange,
} from './allowanceRule.js';
import { recordOverpaymentForExit } from './overpayments.service.js';

type BeneficiaryStatus = 'pending' | 'active' | 'rejected' | 'exited';

/** Who sees a family's account number in full: the offices that pay it (allowance.md). */
export function seesFullAccountNumbers(actor: Actor): boolean {
  return actor.role === 'civil_affairs' || actor.role === 'finance';
}

export function accountNumberFor(actor: Actor, accountNumber: string): string {
  return seesFullAccountNumbers(actor) ? accountNumber : maskAccountNumber(accountNumber);
}

function presentHolds(row: BeneficiaryRow, holds: HoldRow[], month: string) {
  const present: { reason: HoldReason; note: string | null; since: string | null }[] = holds.map((hold) => ({
    reason: hold.reason as HoldReason,
    note: hold.note,
    since: iso(hold.placedAt),
  }));
  if (row.status === 'active' && reviewOverdue(row.lastVerifiedOn, month)) present.push({ reason: 'review_overdue', note: null, since: null });
  return present;
}

function present(actor: Actor, row: BeneficiaryRow, childName: string, tiers: TierChange[], holds: HoldRow[], now: Date) {
  const month = chinaMonth(now);
  const tierMonth = lastPayableMonth(row, month) < row.startMonth ? row.startMonth : lastPayableMonth(row, month);
  return {
    id: row.id,
    childId: row.childId,
    childName,
    regionCode: row.regionCode,
    status: row.status as BeneficiaryStatus,
    tier: tierFor(tierMonth, tiers),
    tiers,
    acceptedOn: row.acceptedOn,
    acceptedBy: row.acceptedBy,
    community: { name: row.communityName, code: row.communityCode },
    bankAccount: { bank: row.bank, accountName: row.accountName, accountNumber: accountNumberFor(actor, row.accountNumber) },
    startMonth: row.startMonth,
    lastMonth: row.lastMonth,
    lastVerifiedOn: row.lastVerifiedOn,
    holds: presentHolds(row, holds, month),
    rejectionReason: row.rejectionReason,
    exit: row.exitReason && row.exitFromMonth ? { reason: row.exitReason as 'death', fromMonth: row.exitFromMonth, note: row.exitNote } : null,
    createdAt: iso(row.createdAt),
  };
}

export function createBeneficiariesService(deps: { db: Database }) {
  const { db } = deps;

  /**
   * Every change of the care allowance in a region takes the region's roll lock first: a roll
   * being built never reads a beneficiary half-changed, and a hold or an exit never misses an entry
   * a concurrent build is writing.
   */
  async function change<T>(context: RequestContext, id: string, work: (tx: Transaction, row: BeneficiaryRow, childName: string) => Promise<T>): Promise<T> {
    return retryingConflicts(() =>
      db.transaction(async (tx) => {
        await lockRegionRolls(tx, context.actor.regionCode!);
        const found = await findBeneficiaryInScope(tx, context.actor, id, { lock: true });
        if (!found) throw notFound('beneficiary');
        return work(tx, found.beneficiary, found.childName);
      }),
    );
  }

  function requireActive(row: BeneficiaryRow, what: string) {
    if (row.status !== 'active') throw invalidState(`the beneficiary is ${row.status}; ${what} applies to an active beneficiary`);
  }

  const audit = (tx: Transaction, context: RequestContext, action: Parameters<typeof recordAudit>[2]['action'], row: BeneficiaryRow, data: Record<string, unknown>) =>
    recordAudit(tx, context, { action, entityType: 'beneficiary', entityId: row.id, regionCode: row.regionCode, data: { childId: row.childId, ...data } });

  return {
    async enrol(context: RequestContext, body: EnrolBody) {
      const today = chinaDate(context.now);
      if (body.acceptedOn > today) throw validationFailed(`acceptedOn is after today (${today})`, [{ field: 'acceptedOn' }]);
      const id = await retryingConflicts(() =>
        db.transaction(async (tx) => {
          await lockRegionRolls(tx, context.actor.regionCode!);
          const child = await findChildInScope(tx, context.actor, body.childId);
          if (!child) throw notFound('child');
          if (!child.certificateNoSealed) throw new AppError('NO_CERTIFICATE', 'the child holds no disability certificate (残疾人证): register its certificate number first');
          if (body.acceptedOn < child.birthDate) throw validationFailed('acceptedOn is before the child’s birth', [{ field: 'acceptedOn' }]);
          if (ageInFullYears(child.birthDate, body.acceptedOn) >= 18) throw new AppError('INELIGIBLE_AGE', `the child was 18 or older on ${body.acceptedOn}`);
          const existing = await findLiveBeneficiaryOfChild(tx, child.id);
          if (existing) throw new AppError('ALREADY_EXISTS', `the child already has a ${existing.status} care allowance record`, [{ id: existing.id }]);
          const row = await insertBeneficiary(tx, {
            id: newId(),
            childId: child.id,
            regionCode: child.regionCode,
            status: 'pending',
            acceptedOn: body.acceptedOn,
            acceptedBy: body.acceptedBy,
            communityName: body.community.name,
            communityCode: body.community.code ?? null,
            bank: body.bankAccount.bank,
            accountName: body.bankAccount.accountName,
            accountNumber: body.bankAccount.accountNumber,
            startMonth: body.acceptedOn.slice(0, 7),
            lastMonth: lastAllowanceMonth(child.birthDate),
            enrolledByUserId: context.actor.id,
            createdAt: context.now,
          });
          await insertTier(tx, { beneficiaryId: row.id, fromMonth: row.startMonth, tier: body.tier, createdAt: context.now });
          await audit(tx, context, 'beneficiary.enrolled', row, {
            tier: body.tier,
            acceptedOn: row.acceptedOn,
            acceptedBy: row.acceptedBy,
            community: body.community,
            bank: row.bank,
            accountNumber: maskAccount(row.accountNumber),
          });
          return row.id;
        }),
      ).catch((error: unknown) => {
        // Two enrolments of one child at the same moment: the partial unique index refuses the second.
        if (sqlState(error) === '23505') throw new AppError('ALREADY_EXISTS', 'the child was enrolled at the same moment by another request');
        throw error;
      });
      return this.get(context, id);
    },

    async approve(context: RequestContext, id: string) {
      await change(context, id, async (tx, row) => {
        if (row.status !== 'pending') throw invalidState(`the beneficiary is ${row.status}; only a pending enrolment is approved`);
        // The papers were checked when the application was accepted: that counts as a verification.
        await updateBeneficiary(tx, id, { status: 'active', decidedByUserId: context.actor.id, decidedAt: context.now, lastVerifiedOn: row.acceptedOn });
        await audit(tx, context, 'beneficiary.approved', row, { startMonth: row.startMonth });
      });
      return this.get(context, id);
    },

    async reject(context: RequestContext, id: string, reason: string) {
      await change(context, id, async (tx, row) => {
        if (row.status !== 'pending') throw invalidState(`the beneficiary is ${row.status}; only a pending enrolment is rejected`);
        await updateBeneficiary(tx, id, { status: 'rejected', decidedByUserId: context.actor.id, decidedAt: context.now, rejectionReason: reason });
        await audit(tx, context, 'beneficiary.rejected', row, { reason });
      });
      return this.get(context, id);
    },

    async changeBankAccount(context: RequestContext, id: string, account: { bank: string; accountName: string; accountNumber: string }) {
      await change(context, id, async (tx, row) => {
        if (row.status === 'rejected') throw invalidState('the enrolment was rejected; enrol the child again');
        await updateBeneficiary(tx, id, { bank: account.bank, accountName: account.accountName, accountNumber: account.accountNumber });
        const released = await releaseHolds(tx, id, ['bank_failure'], context.actor.id, context.now);
        await audit(tx, context, 'beneficiary.bank_account_changed', row, {
          before: { bank: row.bank, accountName: row.accountName, accountNumber: maskAccount(row.accountNumber) },
          after: { bank: account.bank, accountName: account.accountName, accountNumber: maskAccount(account.accountNumber) },
        });
        if (released.length > 0) await audit(tx, context, 'beneficiary.released', row, { reasons: released, by: 'bank_account_changed' });
      });
      return this.get(context, id);
    },

    async changeTier(context: RequestContext, id: string, body: { tier: Tier; fromMonth: string }) {
      await change(context, id, async (tx, row) => {
        requireActive(row, 'a tier change');
        if (body.fromMonth < row.startMonth) throw invalidState(`fromMonth ${body.fromMonth} is before the first month ${row.startMonth}`);
        if (body.fromMonth > row.lastMonth) throw invalidState(`fromMonth ${body.fromMonth} is after the last month ${row.lastMonth}`);
        const liveMonths = [...((await liveMonthsOfChildren(tx, [row.childId])).get(row.childId) ?? [])].sort();
        const lastInRoll = liveMonths.at(-1);
        if (lastInRoll && body.fromMonth <= lastInRoll) {
          throw invalidState(`the child's months up to ${lastInRoll} are already in a roll; a tier change starts after them`);
        }
        const before = tierFor(body.fromMonth, (await tiersOf(tx, [id])).get(id) ?? []);
        await insertTier(tx, { beneficiaryId: id, fromMonth: body.fromMonth, tier: body.tier, createdAt: context.now });
        await audit(tx, context, 'beneficiary.tier_changed', row, { before, after: body.tier, fromMonth: body.fromMonth });
      });
      return this.get(context, id);
    },

    async verify(context: RequestContext, id: string, on: string) {
      const today = chinaDate(context.now);
      if (on > today) throw validationFailed(`on is after today (${today})`, [{ field: 'on' }]);
      await change(context, id, async (tx, row) => {
        requireActive(row, 'a verification');
        if (on < row.acceptedOn) throw validationFailed(`on is before the application was accepted (${row.acceptedOn})`, [{ field: 'on' }]);
        const latest = row.lastVerifiedOn && row.lastVerifiedOn > on ? row.lastVerifiedOn : on;
        await updateBeneficiary(tx, id, { lastVerifiedOn: latest });
        await audit(tx, context, 'beneficiary.verified', row, { on, lastVerifiedOn: latest });
      });
      return this.get(context, id);
    },

    async hold(context: RequestContext, id: string, reason: string) {
      await change(context, id, async (tx, row) => {
        requireActive(row, 'a hold');
        const placed = await placeHold(tx, { id: newId(), beneficiaryId: id, reason: 'manual', note: reason, rollId: null, placedByUserId: context.actor.id, placedAt: context.now });
        if (!placed) throw invalidState('the beneficiary is already held by hand; release it first');
        const rolls = await takeOffEntries(tx, id, 'hold');
        await audit(tx, context, 'beneficiary.held', row, { reason: 'manual', note: reason, takenOffRolls: rolls });
      });
      return this.get(context, id);
    },

    async release(context: RequestContext, id: string) {
      await change(context, id, async (tx, row) => {
        requireActive(row, 'a release');
        const released = await releaseHolds(tx, id, ['manual', 'objection'], context.actor.id, context.now);
        if (released.length === 0) {
          throw invalidState('no manual or objection hold is open (a bank_failure hold ends with a new account, a review_overdue one with a verification)');
        }
        await audit(tx, context, 'beneficiary.released', row, { reasons: released });
      });
      return this.get(context, id);
    },

    async exit(context: RequestContext, id: string, body: ExitBody) {
      await change(context, id, async (tx, row, childName) => {
        requireActive(row, 'an exit');
        if (body.fromMonth < row.startMonth) throw validationFailed(`fromMonth is before the first month ${row.startMonth}`, [{ field: 'fromMonth' }]);
        await updateBeneficiary(tx, id, { status: 'exited', exitReason: body.reason, exitFromMonth: body.fromMonth, exitNote: body.note ?? null });
        const rolls = await takeOffEntries(tx, id, 'exit', { fromMonth: body.fromMonth });
        await audit(tx, context, 'beneficiary.exited', row, { reason: body.reason, fromMonth: body.fromMonth, note: body.note ?? null, takenOffRolls: rolls });
        await recordOverpaymentForExit(tx, context, { ...row, childName }, body.fromMonth);
      });
      return this.get(context, id);
    },

    async list(context: RequestContext, query: BeneficiaryListQuery) {
      const rows = await listBeneficiariesInScope(db, context.actor, { ...query, afterId: decodeCursor(query.cursor) });
      const result = page(rows.map((row) => ({ ...row, id: row.beneficiary.id })), query.limit);
      const ids = result.items.map((item) => item.id);
      const [tiers, holds] = await Promise.all([tiersOf(db, ids), openHoldsOf(db, ids)]);
      return {
        items: result.items.map((item) => present(context.actor, item.beneficiary, item.childName, tiers.get(item.id) ?? [], holds.get(item.id) ?? [], context.now)),
        nextCursor: result.nextCursor,
      };
    },

    /** One beneficiary with every payable month up to this month: paid, in a roll, due or held. */
    async get(context: RequestContext, id: string) {
      const found = await findBeneficiaryInScope(db, context.actor, id);
      if (!found) throw notFound('beneficiary');
      const row = found.beneficiary;
      const [tiers, holds, entries, standards, liveMonths] = await Promise.all([
        tiersOf(db, [id]),
        openHoldsOf(db, [id]),
        entriesOfBeneficiary(db, id),
        standardRows(db),
        liveMonthsOfChildren(db, [row.childId]),
      ]);
      const tierChanges = tiers.get(id) ?? [];
      const openHolds = holds.get(id) ?? [];
      const month = chinaMonth(context.now);
      const heldBy = holdReasonFor({ openHolds: openHolds.map((hold) => hold.reason as StoredHoldReason), lastVerifiedOn: row.lastVerifiedOn }, month);
      const entryByMonth = new Map(entries.map((entry) => [entry.month, entry]));
      const childLive = liveMonths.get(row.childId) ?? new Set<string>();
      type MonthStatus = { month: string; status: 'paid' | 'in_roll' | 'due' | 'held'; amount: string; rollId: string | null; rollNumber: string | null };
      const months =
        row.status === 'active' || row.status === 'exited'
          ? payableMonths(row, month).flatMap((payable): MonthStatus[] => {
              const entry = entryByMonth.get(payable);
              if (entry) {
                return [{ month: payable, status: entry.transferStatus === 'paid' ? ('paid' as const) : ('in_roll' as const), amount: formatMoney(money(entry.amount)), rollId: entry.rollId, rollNumber: entry.rollNumber }];
              }
              // Paid under another record of the same child: not this record's to pay.
              if (childLive.has(payable)) return [];
              const amount = monthlyAmount(standardFor(payable, row.regionCode, standards), tierFor(payable, tierChanges));
              if (amount.isZero()) return [];
              return [{ month: payable, status: heldBy ? ('held' as const) : ('due' as const), amount: formatMoney(amount), rollId: null, rollNumber: null }];
            })
          : [];
      return { ...present(context.actor, row, found.childName, tierChanges, openHolds, context.now), months };
    },
  };
}

export type BeneficiariesService = ReturnType<typeof createBeneficiariesService>;
