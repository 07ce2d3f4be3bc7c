import { ALLOWANCE_ROLLS } from './allowanceRollKey.js';
import { idNumberSearch } from '../children/childSecrets.js';
import { userNames } from '../auth/users.repository.js';
import { findChildInScope } from '../children/children.repository.js';
import { refuseIfClosed } from '../children/closedChild.js';
import { retryingConflicts, sqlState, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { ageInFullYears } from '../domain/calendar.js';
import { chinaDate, chinaMonth } from '../domain/chinaTime.js';
import { maskAccount } from '../domain/masks.js';
import type { Actor, RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { requireSecondPerson } from '../http/fourEyes.js';
import { decodeCursor, page } from '../http/pagination.js';
import { iso } from '../http/schemas.js';
import type { BeneficiaryListQuery, EnrolBody } from './allowance.schemas.js';
import {
  beneficiaryStatus,
  dueEntries,
  holdReasonFor,
  lastAllowanceMonth,
  lastPayableMonth,
  monthViews,
  reviewOverdue,
  startMonthOf,
  tierFor,
  type AllowanceStandard,
  type BeneficiaryStatus,
  type HoldReason,
  type MonthView,
} from './allowanceRule.js';
import {
  childHoldsCertificate,
  exitMonthsOfChild,
  findBeneficiaryInScope,
  findLiveBeneficiaryOfChild,
  insertBeneficiary,
  insertTier,
  listBeneficiariesInScope,
  liveEntriesOfChild,
  liveMonthsOfChildren,
  openHoldsOf,
  tiersOf,
  updateBeneficiary,
  type BeneficiaryRow,
  type HoldRow,
  type TierRecord,
} from './beneficiaries.repository.js';
import { createBeneficiaryChanges } from './beneficiaryChanges.service.js';
import { accountNumberFor, sealedAccount } from './allowanceAccounts.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { auditBeneficiary, changeBeneficiary, ruleBeneficiary } from './beneficiaryFacts.js';
import { stopRecoveringMonthsOf } from './overpayments.service.js';
import { lockRegionRolls } from '../monthlyRoll/rolls.repository.js';
import { pendingAccountChangesOf, type AccountChangeRow, type Pending } from './secondSteps.repository.js';
import { standardRows } from './standards.repository.js';

/** What a record's view is made of, read for one record or a page of them. */
interface RecordFacts {
  row: BeneficiaryRow;
  childName: string;
  tiers: TierRecord[];
  holds: HoldRow[];
  enrolledByName: string;
  pendingAccount: Pending<AccountChangeRow> | undefined;
}

/**
 * The holds the per-month view and a roll apply: every open stored hold, and review_overdue while
 * the last verification is too old for this month's roll, the record is not exited (an exit
 * settles the facts) and there is something it could hold (the record is active, or months are due).
 */
function presentHolds(facts: RecordFacts, status: BeneficiaryStatus, month: string, hasDueMonths: boolean) {
  const present: { reason: HoldReason; note: string | null; since: string | null }[] = facts.holds.map((hold) => ({
    reason: hold.reason as HoldReason,
    note: hold.note,
    since: iso(hold.placedAt),
  }));
  const approved = status === 'active' || status === 'ended';
  if (approved && (status === 'active' || hasDueMonths) && reviewOverdue(facts.row.lastVerifiedOn, month)) present.push({ reason: 'review_overdue', note: null, since: null });
  return present;
}

function present(actor: Actor, cipher: FieldCipher, facts: RecordFacts, now: Date, hasDueMonths: boolean) {
  const { row, tiers, pendingAccount: pending } = facts;
  const month = chinaMonth(now);
  const status = beneficiaryStatus(row.status, row.lastMonth, month);
  const tierMonth = lastPayableMonth(row, month) < row.startMonth ? row.startMonth : lastPayableMonth(row, month);
  return {
    id: row.id,
    childId: row.childId,
    childName: facts.childName,
    regionCode: row.regionCode,
    status,
    tier: tierFor(tierMonth, tiers),
    tiers: tiers.map((change) => ({ fromMonth: change.fromMonth, tier: change.tier, recordedAt: iso(change.recordedAt) })),
    acceptedOn: row.acceptedOn,
    acceptedBy: row.acceptedBy,
    community: { name: row.communityName, code: row.communityCode },
    bankAccount: { bank: row.bank, accountName: row.accountName, accountNumber: accountNumberFor(actor, cipher, row.accountNumberSealed) },
    pendingBankAccount: pending
      ? {
          bank: pending.bank,
          accountName: pending.accountName,
          accountNumber: accountNumberFor(actor, cipher, pending.accountNumberSealed),
          requestedBy: { id: pending.requestedByUserId, name: pending.requestedByName },
          requestedAt: iso(pending.requestedAt),
        }
      : null,
    enrolledBy: { id: row.enrolledByUserId, name: facts.enrolledByName },
    startMonth: row.startMonth,
    lastMonth: row.lastMonth,
    lastVerifiedOn: row.lastVerifiedOn,
    holds: presentHolds(facts, status, month, hasDueMonths),
    rejectionReason: row.rejectionReason,
    exit: row.exitReason && row.exitFromMonth ? { reason: row.exitReason as 'death', fromMonth: row.exitFromMonth, note: row.exitNote } : null,
    createdAt: iso(row.createdAt),
  };
}

const approved = (row: BeneficiaryRow) => row.status === 'active' || row.status === 'exited';

/** Who enrolled each record (by name) and each record's pending change of account. */
async function peopleOf(db: Executor, rows: readonly BeneficiaryRow[]) {
  const [names, pending] = await Promise.all([userNames(db, rows.map((row) => row.enrolledByUserId)), pendingAccountChangesOf(db, rows.map((row) => row.id))]);
  return { names, pending };
}

export function createBeneficiariesService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;

  /** Whether each approved record of a page has months due this month (held or not). */
  async function dueOfMany(executor: Executor, facts: RecordFacts[], month: string, standards: readonly AllowanceStandard[]): Promise<Set<string>> {
    const live = await liveMonthsOfChildren(executor, [...new Set(facts.filter((item) => approved(item.row)).map((item) => item.row.childId))]);
    const due = new Set<string>();
    for (const item of facts) {
      if (!approved(item.row)) continue;
      const entries = dueEntries(ruleBeneficiary(item.row, item.childName, item.tiers, item.holds), month, item.row.regionCode, standards, live.get(item.row.childId) ?? new Set());
      if (entries.length > 0) due.add(item.row.id);
    }
    return due;
  }

  const reads = {
    async list(context: RequestContext, query: BeneficiaryListQuery) {
      const month = chinaMonth(context.now);
      const rows = await listBeneficiariesInScope(db, context.actor, {
        ...query,
        q: query.q ? { name: query.q, ...idNumberSearch(cipher, query.q) } : undefined,
        afterId: decodeCursor(query.cursor),
        currentMonth: month,
      });
      const result = page(rows.map((row) => ({ ...row, id: row.beneficiary.id })), query.limit);
      const ids = result.items.map((item) => item.id);
      const [tiers, holds, standards, people] = await Promise.all([tiersOf(db, ids), openHoldsOf(db, ids), standardRows(db), peopleOf(db, result.items.map((item) => item.beneficiary))]);
      const facts = result.items.map((item) => ({
        row: item.beneficiary,
        childName: item.childName,
        tiers: tiers.get(item.id) ?? [],
        holds: holds.get(item.id) ?? [],
        enrolledByName: people.names.get(item.beneficiary.enrolledByUserId) ?? '',
        pendingAccount: people.pending.get(item.id),
      }));
      const due = await dueOfMany(db, facts, month, standards);
      return { items: facts.map((item) => present(context.actor, cipher, item, context.now, due.has(item.row.id))), nextCursor: result.nextCursor };
    },

    /** One beneficiary with every month of its span up to this month: paid, in a roll, due, held or not covered. */
    async get(context: RequestContext, id: string) {
      const found = await findBeneficiaryInScope(db, context.actor, id);
      if (!found) throw notFound('beneficiary');
      const row = found.beneficiary;
      const [tiers, holds, entries, standards, people] = await Promise.all([tiersOf(db, [id]), openHoldsOf(db, [id]), liveEntriesOfChild(db, row.childId), standardRows(db), peopleOf(db, [row])]);
      const facts: RecordFacts = {
        row,
        childName: found.childName,
        tiers: tiers.get(id) ?? [],
        holds: holds.get(id) ?? [],
        enrolledByName: people.names.get(row.enrolledByUserId) ?? '',
        pendingAccount: people.pending.get(id),
      };
      const month = chinaMonth(context.now);
      const rule = ruleBeneficiary(row, found.childName, facts.tiers, facts.holds);
      const months: MonthView[] = approved(row)
        ? monthViews({
            beneficiary: rule,
            throughMonth: month,
            regionCode: row.regionCode,
            standards,
            entries: new Map(entries.map((entry) => [entry.month, { amount: entry.amount, paid: entry.transferStatus === 'paid', rollId: entry.rollId, rollNumber: entry.rollNumber }])),
            heldBy: holdReasonFor(rule, month),
          })
        : [];
      const hasDue = months.some((item) => item.status === 'due' || item.status === 'held');
      return { ...present(context.actor, cipher, facts, context.now, hasDue), months };
    },
  };

  return {
    ...reads,
    ...createBeneficiaryChanges({ db, cipher, get: reads.get }),

    async enrol(context: RequestContext, body: EnrolBody) {
      const today = chinaDate(context.now);
      if (body.acceptedOn > today) throw validationFailed(`acceptedOn is after today (${today})`, [{ field: 'acceptedOn' }]);
      const id = await retryingConflicts(() =>
        db.transaction(async (tx) => {
          await lockRegionRolls(tx, ALLOWANCE_ROLLS, context.actor.regionCode!);
          const child = await findChildInScope(tx, context.actor, body.childId);
          if (!child) throw notFound('child');
          refuseIfClosed(child);
          if (!child.certificateNoSealed) throw new AppError('NO_CERTIFICATE', 'the child holds no disability certificate (残疾人证): record its certificate first');
          if (body.acceptedOn < child.birthDate) throw validationFailed('acceptedOn is before the child’s birth', [{ field: 'acceptedOn' }]);
          if (ageInFullYears(child.birthDate, body.acceptedOn) >= 18) throw new AppError('INELIGIBLE_AGE', `the child was 18 or older on ${body.acceptedOn}`);
          const existing = await findLiveBeneficiaryOfChild(tx, child.id);
          if (existing) throw new AppError('ALREADY_EXISTS', `the child already has a ${existing.status} care allowance record`, [{ id: existing.id }]);
          // One record pays a month: after an exit, a new record starts where the exit stopped.
          const startMonth = startMonthOf(body.acceptedOn, await exitMonthsOfChild(tx, child.id));
          const lastMonth = lastAllowanceMonth(child.birthDate);
          if (startMonth > lastMonth) {
            throw new AppError('INELIGIBLE_AGE', `the child's earlier record pays until ${startMonth}, after the month of the 18th birthday (${lastMonth}): no month is left to pay`);
          }
          const row = await insertBeneficiary(tx, {
            id: newId(),
            childId: child.id,
            regionCode: child.regionCode,
            status: 'pending',
            acceptedOn: body.acceptedOn,
            acceptedBy: body.acceptedBy,
            communityName: body.community.name,
            communityCode: body.community.code ?? null,
            ...sealedAccount(cipher, body.bankAccount),
            startMonth,
            lastMonth,
            enrolledByUserId: context.actor.id,
            createdAt: context.now,
          });
          await insertTier(tx, { beneficiaryId: row.id, fromMonth: row.startMonth, tier: body.tier, createdAt: context.now });
          await auditBeneficiary(tx, context, 'beneficiary.enrolled', row, {
            tier: body.tier,
            acceptedOn: row.acceptedOn,
            acceptedBy: row.acceptedBy,
            startMonth,
            community: body.community,
            bank: row.bank,
            accountNumber: maskAccount(body.bankAccount.accountNumber),
          });
          return row.id;
        }),
      ).catch((error: unknown) => {
        // Two enrolments of one child at the same moment: the partial unique index refuses the second.
        if (sqlState(error) === '23505') throw new AppError('ALREADY_EXISTS', 'the child was enrolled at the same moment by another request');
        throw error;
      });
      return reads.get(context, id);
    },

    async approve(context: RequestContext, id: string) {
      await changeBeneficiary(db, context, id, async (tx, row) => {
        if (row.status !== 'pending') throw invalidState(`the beneficiary is ${row.status}; only a pending enrolment is approved`);
        // A certificate revoked while the enrolment waited leaves nothing to approve.
        if (!(await childHoldsCertificate(tx, row.childId))) throw new AppError('NO_CERTIFICATE', 'the child no longer holds a disability certificate: reject the enrolment');
        // Nobody moves money alone: a civil affairs officer who did not enrol the child approves it.
        requireSecondPerson(context.actor, row.enrolledByUserId, { secondStep: 'approving this enrolment', firstStep: 'enrolled the child' });
        // The papers were checked when the application was accepted: that counts as a verification.
        await updateBeneficiary(tx, id, { status: 'active', decidedByUserId: context.actor.id, decidedAt: context.now, lastVerifiedOn: row.acceptedOn });
        await auditBeneficiary(tx, context, 'beneficiary.approved', row, { startMonth: row.startMonth });
        await stopRecoveringMonthsOf(tx, context, row);
      });
      return reads.get(context, id);
    },

    async reject(context: RequestContext, id: string, reason: string) {
      await changeBeneficiary(db, context, id, async (tx, row) => {
        if (row.status !== 'pending') throw invalidState(`the beneficiary is ${row.status}; only a pending enrolment is rejected`);
        await updateBeneficiary(tx, id, { status: 'rejected', decidedByUserId: context.actor.id, decidedAt: context.now, rejectionReason: reason });
        await auditBeneficiary(tx, context, 'beneficiary.rejected', row, { reason });
      });
      return reads.get(context, id);
    },
  };
}

export type BeneficiariesService = ReturnType<typeof createBeneficiariesService>;
