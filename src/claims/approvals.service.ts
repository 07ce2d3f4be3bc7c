import { Decimal } from 'decimal.js';
import { recordAudits, type AuditEntry } from '../audit/audit.repository.js';
import { retryingConflicts, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate } from '../domain/chinaTime.js';
import { formatMoney } from '../domain/money.js';
import type { Category } from '../domain/vocabulary.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { loadDeadlines } from '../calendar/deadlines.js';
import { settle } from '../settlement/engine.js';
import { checkNotAfterDropout, newLookups, notReferred, policyFor, refusalError, type Lookups } from './claimChecks.js';
import { claimOfRow } from './claimInput.js';
import { claimTiming, presentClaim, presentLimits, presentSteps } from './claimPresentation.js';
import { findClaimsInScope, historyOf, insertSettlements, markClaimsApproved, type ClaimRow, type SettlementRow } from './claims.repository.js';
import { findChildrenByIds, findReferralsOfChildren, insertUsages, usageOfChildren } from './ledgers.repository.js';
import { UsageLedger } from './usageLedger.js';
import { evidenceMissingOf } from '../evidence/evidence.repository.js';
import { EVIDENCE_KIND_NAMES_ZH, type EvidenceKind } from '../domain/evidence.js';

// Approval (POST /claims/:id/approve) and bulk approval (POST /claims/approve, 批量审核): the binding
// amount computed again under the child's lock, from the entitlement ledger as it stands.

/** One claim of an approval request; amount and note only from POST /claims/:id/approve. */
interface ApprovalRequest {
  claimId: string;
  amount?: string | undefined;
  note?: string | undefined;
}

/** 422 EVIDENCE_MISSING: the region requires files of these kinds before approval (details name them). */
function evidenceMissingError(kinds: EvidenceKind[]) {
  return new AppError(
    'EVIDENCE_MISSING',
    `the claim lacks the evidence its region requires: ${kinds.map((kind) => `${kind} (${EVIDENCE_KIND_NAMES_ZH[kind]})`).join(', ')}; return it to the institution to attach them`,
    kinds.map((kind) => ({ kind })),
  );
}

interface ApprovalOutcome {
  row: ClaimRow;
  settlement: SettlementRow;
}

/**
 * Approvals inside the caller's transaction, in the order given. The claims are locked, then
 * their children (each in id order, so that two blocks never wait on each other in a circle);
 * every approval of a child takes that lock before it reads the child's usage, so approvals of
 * one child happen one after another. The binding amount is computed again here from the usage
 * approved so far, including that of the claims before it in the same block. Each claim is
 * checked as a single approval would check it, a refusal being its answer; the settlements, the
 * ledger entries, the statuses and the audit events of the approved ones are then written
 * together, a statement each.
 */
async function approveRows(tx: Executor, context: RequestContext, requests: ApprovalRequest[], lookups: Lookups): Promise<(ApprovalOutcome | AppError)[]> {
  const claimIds = [...new Set(requests.map((request) => request.claimId))];
  const claimsById = new Map((await findClaimsInScope(tx, context.actor, claimIds, { lock: true })).map((row) => [row.id, row]));
  const childIds = [...new Set([...claimsById.values()].map((row) => row.childId))];
  const childrenById = new Map((await findChildrenByIds(tx, childIds, { lock: true })).map((row) => [row.id, row]));
  const [referralRows, usageRows, evidenceMissing] = await Promise.all([
    findReferralsOfChildren(tx, childIds),
    usageOfChildren(tx, childIds),
    // The files are read under the claims' locks: attaching or removing one waits for this block.
    evidenceMissingOf(tx, [...claimsById.values()]),
  ]);
  const ledger = new UsageLedger(usageRows);

  const outcomes: (ApprovalOutcome | AppError)[] = [];
  const settlementRows: SettlementRow[] = [];
  const usageEntries: { id: string; claimId: string; childId: string; service: string; deviceKind: string | null; year: number; amount: string; createdAt: Date }[] = [];
  const events: AuditEntry[] = [];
  for (const request of requests) {
    try {
      const row = claimsById.get(request.claimId);
      if (!row) throw notFound('claim');
      if (row.status !== 'submitted') throw invalidState(`the claim is ${row.status}; only a submitted claim can be approved`);
      const missing = evidenceMissing.get(row.id) ?? [];
      if (missing.length > 0) throw evidenceMissingError(missing);
      const child = childrenById.get(row.childId)!;
      const claim = claimOfRow(row);
      // The referral as it stands now: a drop-out recorded after submission stops the approval.
      // Referrals are never withdrawn, so the one the submission found is still there.
      const referrals = referralRows.filter(
        (referral) => referral.childId === row.childId && referral.institutionId === row.institutionId && referral.year === row.serviceYear && referral.services.includes(row.service),
      );
      if (referrals.length === 0) throw notReferred(row.service, row.serviceYear);
      checkNotAfterDropout(referrals, claim);
      const policy = await policyFor(tx, row.regionCode, claim, lookups);
      const usage = ledger.of(row.childId, row.service, row.deviceKind, row.serviceYear);
      const requested = request.amount === undefined ? undefined : new Decimal(request.amount);
      const result = settle(claim, { category: row.category as Category, birthDate: child.birthDate }, policy, { approvedThisYear: usage.thisYear, approvedEver: usage.ever }, { approvedAmount: requested });
      if (!result.ok) throw refusalError(result.refusal);
      const breakdown = result.breakdown;
      if (breakdown.approvedAmount.lessThan(breakdown.subsidy) && !request.note) {
        throw validationFailed('approving less than the rules give needs a note saying why', [{ field: 'note' }]);
      }
      const approvedAmount = formatMoney(breakdown.approvedAmount);
      const settlement: SettlementRow = {
        claimId: row.id,
        policyId: breakdown.policyId,
        remainder: formatMoney(breakdown.remainder),
        cap: formatMoney(breakdown.cap),
        subsidy: formatMoney(breakdown.subsidy),
        approvedAmount,
        reasons: breakdown.reasons,
        limits: presentLimits(breakdown.limits),
        steps: presentSteps(breakdown.steps),
        note: request.note ?? null,
        approvedByUserId: context.actor.id,
        approvedAt: context.now,
      };
      settlementRows.push(settlement);
      usageEntries.push({ id: newId(), claimId: row.id, childId: row.childId, service: row.service, deviceKind: row.deviceKind, year: row.serviceYear, amount: approvedAmount, createdAt: context.now });
      events.push({
        action: 'claim.approved',
        entityType: 'claim',
        entityId: row.id,
        regionCode: row.regionCode,
        data: { approvedAmount, subsidy: formatMoney(breakdown.subsidy), policyId: breakdown.policyId, reasons: breakdown.reasons, note: request.note ?? null },
      });
      // What the next claims of the block see: this one approved, its amount used.
      ledger.add(row.childId, row.service, row.deviceKind, row.serviceYear, breakdown.approvedAmount);
      const approved: ClaimRow = { ...row, status: 'approved', approvedAmount, decidedAt: context.now };
      claimsById.set(row.id, approved);
      outcomes.push({ row: approved, settlement });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.push(error);
    }
  }
  await insertSettlements(tx, settlementRows);
  await insertUsages(tx, usageEntries);
  await markClaimsApproved(tx, settlementRows.map((settlement) => ({ id: settlement.claimId, approvedAmount: settlement.approvedAmount })), context.now);
  await recordAudits(tx, context, events);
  return outcomes;
}

type ApprovalResult =
  | { claimId: string; status: 'approved'; approvedAmount: string; estimate: string; remainder: string; reasons: string[] }
  | { claimId: string; status: 'refused'; error: { code: string; message: string; details: unknown[] } };

/** The answer of a block of approvals (or of its dry run): every claim in the order given, and the totals. */
function summariseApprovals(claimIds: string[], outcomes: (ApprovalOutcome | AppError)[]) {
  let total = new Decimal(0);
  const results = outcomes.map((outcome, index): ApprovalResult => {
    const claimId = claimIds[index]!;
    if (outcome instanceof AppError) return { claimId, status: 'refused', error: { code: outcome.code, message: outcome.message, details: outcome.details } };
    total = total.plus(outcome.settlement.approvedAmount);
    return {
      claimId,
      status: 'approved',
      approvedAmount: outcome.settlement.approvedAmount,
      estimate: formatMoney(new Decimal(outcome.row.estimateSubsidy)),
      remainder: formatMoney(new Decimal(outcome.row.remainder)),
      reasons: outcome.settlement.reasons,
    };
  });
  const approvedCount = results.filter((result) => result.status === 'approved').length;
  return { summary: { approved: approvedCount, refused: results.length - approvedCount, total: formatMoney(total) }, results };
}

export function createApprovalsService(deps: { db: Database }) {
  const { db } = deps;

  /** POST /claims/:id/approve: one approval in its own transaction, answered with the claim. */
  async function approveOne(context: RequestContext, id: string, body: { amount?: string | undefined; note?: string | undefined } | null | undefined) {
    return retryingConflicts(() =>
      db.transaction(async (tx) => {
        const [outcome] = await approveRows(tx, context, [{ claimId: id, amount: body?.amount, note: body?.note }], newLookups());
        if (outcome instanceof AppError) throw outcome;
        const { row, settlement } = outcome!;
        // The answer is built from the rows just written; only the history is read back.
        // Approved: it takes no more files and lacks none.
        return presentClaim(row, settlement, await historyOf(tx, [row.id]), claimTiming(row, await loadDeadlines(tx), chinaDate(context.now)), []);
      }),
    );
  }

  return {
    approve: approveOne,

    /**
     * POST /claims/approve (批量审核): each claim approved at the amount the rules give, in the
     * order given, under the same locks and checks as a single approval, the whole block in one
     * transaction. A claim that cannot be approved is reported with the code a single approval
     * would answer and the others go on; the answer keeps the order given.
     */
    async approveMany(context: RequestContext, claimIds: string[]) {
      const outcomes = await retryingConflicts(() => db.transaction((tx) => approveRows(tx, context, claimIds.map((claimId) => ({ claimId })), newLookups())));
      return summariseApprovals(claimIds, outcomes);
    },

    /**
     * POST /claims/approve/preview: what POST /claims/approve would answer for these claims now, in
     * this order (each claim seeing the usage of those before it), with nothing kept: the block is
     * approved inside a transaction that is then rolled back. The console shows it before the
     * reviewer confirms, so that a claim capped to 0.00 by an earlier one is seen and can be left out.
     */
    async previewMany(context: RequestContext, claimIds: string[]) {
      class DryRun extends Error {
        constructor(readonly outcomes: (ApprovalOutcome | AppError)[]) {
          super('dry run');
        }
      }
      try {
        await retryingConflicts(() =>
          db.transaction(async (tx) => {
            throw new DryRun(await approveRows(tx, context, claimIds.map((claimId) => ({ claimId })), newLookups()));
          }),
        );
      } catch (error) {
        if (error instanceof DryRun) return summariseApprovals(claimIds, error.outcomes);
        throw error;
      }
      throw new Error('a dry run of approvals ended without its outcomes');
    },
  };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
