import { Decimal } from 'decimal.js';
import type { RequestContext } from '../http/context.js';
import { recordAudit, type AuditAction } from '../audit/audit.repository.js';
import { findChildInScope, type ChildRow } from '../children/children.repository.js';
import { retryingConflicts, sqlState, violatedConstraint, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { auditEvents } from '../db/schema.js';
import { monthsInclusive } from '../domain/calendar.js';
import { chinaDate, chinaMonth, endOfChinaDayExclusive } from '../domain/chinaTime.js';
import { formatMoney } from '../domain/money.js';
import type { Category, DeviceKind, Service } from '../domain/vocabulary.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { runBulk, type BulkRow } from '../http/bulk.js';
import { decodeCursor, decodeTimestampCursor, page } from '../http/pagination.js';
import { loadDeadlines, type Deadlines } from '../calendar/deadlines.js';
import { iso } from '../http/schemas.js';
import { findInstitution, type InstitutionRow } from '../institutions/institutions.repository.js';
import { policyInForce } from '../policies/policies.service.js';
import type { PolicyVersion } from '../policies/policy.js';
import {
  arithmeticRefusal,
  DEDUCTION_ORDER,
  eligibility,
  serviceStartDate,
  serviceYear,
  settle,
  type Breakdown,
  type Deductions,
  type Refusal,
  type SettlementClaim,
} from '../settlement/engine.js';
import type { ApplicationRow } from '../applications/applications.repository.js';
import { ClaimBody, MAX_EXPORTED_CLAIMS, type ClaimFilterQuery, type ClaimListQuery, type PreviewBody } from './claims.schemas.js';
import { renderClaimsXlsx } from './claimsXlsx.js';
import {
  findChildById,
  findChildIdByIdNumber,
  findClaimByExternalRef,
  findClaimInScope,
  findReferrals,
  heldMonths,
  historyOf,
  insertClaim,
  insertClaimMonths,
  insertSettlement,
  insertUsage,
  listClaimsInScope,
  countClaimsInScope,
  exportClaimsInScope,
  type ClaimFilter,
  lockChild,
  releaseClaimMonths,
  settlementsOf,
  updateClaim,
  usageOf,
  type ClaimRow,
  type SettlementRow,
} from './claims.repository.js';

// --- Normalising input ---------------------------------------------------------------------------

interface ClaimInput {
  childRef: { id: string } | { idNumber: string };
  claim: SettlementClaim;
}

function toClaimInput(body: ClaimBody | PreviewBody): ClaimInput {
  const deductions = Object.fromEntries(
    DEDUCTION_ORDER.map((name) => [name, new Decimal(body.deductions?.[name] ?? '0')]),
  ) as Deductions;
  return {
    childRef: body.childId ? { id: body.childId } : { idNumber: body.childIdNumber! },
    claim: {
      service: body.service,
      deviceKind: (body.deviceKind ?? null) as DeviceKind | null,
      periodFrom: body.periodFrom ?? null,
      periodTo: body.periodTo ?? null,
      serviceDate: body.serviceDate ?? null,
      grossCost: new Decimal(body.grossCost),
      deductions,
      freeIssued: body.freeIssued ?? false,
    },
  };
}

function claimOfRow(row: ClaimRow): SettlementClaim {
  return {
    service: row.service as Service,
    deviceKind: row.deviceKind as DeviceKind | null,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    serviceDate: row.serviceDate,
    grossCost: new Decimal(row.grossCost),
    deductions: {
      basicMedicalInsurance: new Decimal(row.basicMedicalInsurance),
      criticalIllnessInsurance: new Decimal(row.criticalIllnessInsurance),
      supplementaryCriticalIllnessInsurance: new Decimal(row.supplementaryCriticalIllnessInsurance),
      medicalAid: new Decimal(row.medicalAid),
    },
    freeIssued: row.freeIssued,
  };
}

/**
 * What "the same content" means for a resent externalRef: the claim once normalised (child by id,
 * money by value, omitted deductions as 0). reviewedBy is not part of it.
 */
function fingerprint(childId: string | null, claim: SettlementClaim): string {
  return JSON.stringify([
    childId,
    claim.service,
    claim.deviceKind,
    claim.periodFrom,
    claim.periodTo,
    claim.serviceDate,
    claim.freeIssued,
    formatMoney(claim.grossCost),
    ...DEDUCTION_ORDER.map((name) => formatMoney(claim.deductions[name])),
  ]);
}

function monthsOf(claim: SettlementClaim): string[] {
  if (!claim.periodFrom || !claim.periodTo) return [];
  const months: string[] = [];
  const [year, first] = claim.periodFrom.split('-').map(Number) as [number, number];
  for (let index = 0; index < monthsInclusive(claim.periodFrom, claim.periodTo); index++) {
    const month = first + index;
    months.push(`${year + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

const refusalError = (refusal: Refusal) => new AppError(refusal.code, refusal.message);

/**
 * After a drop-out no claim covers a later month (training) or a later service date. A child may
 * hold several approved referrals to the institution for the service and year; one that covers
 * the claim is enough. Runs at submission and again at approval, where the referral is read as it
 * stands then (a drop-out may have been recorded in between).
 */
function checkNotAfterDropout(referrals: Pick<ApplicationRow, 'droppedOutOn'>[], claim: Pick<SettlementClaim, 'periodTo' | 'serviceDate'>) {
  const covering = referrals.some((referral) => {
    if (!referral.droppedOutOn) return true;
    return claim.periodTo ? claim.periodTo <= referral.droppedOutOn.slice(0, 7) : claim.serviceDate! <= referral.droppedOutOn;
  });
  if (!covering) {
    const droppedOutOn = referrals.map((referral) => referral.droppedOutOn!).sort().at(-1);
    throw new AppError('AFTER_DROPOUT', `the child dropped out on ${droppedOutOn}; the claim covers later service (return it for correction)`);
  }
}

/**
 * Reference data that stays the same for every row of one request (the institution, the policy of
 * a region on a date), fetched once per request rather than once per row.
 */
interface Lookups {
  institution(tx: Executor, id: string): Promise<InstitutionRow | undefined>;
  policy(tx: Executor, regionCode: string, onDate: string): Promise<PolicyVersion | null>;
}

function newLookups(): Lookups {
  const institutionsById = new Map<string, Promise<InstitutionRow | undefined>>();
  const policies = new Map<string, Promise<PolicyVersion | null>>();
  return {
    institution(tx, id) {
      if (!institutionsById.has(id)) institutionsById.set(id, findInstitution(tx, id));
      return institutionsById.get(id)!;
    },
    policy(tx, regionCode, onDate) {
      const key = `${regionCode}|${onDate}`;
      if (!policies.has(key)) policies.set(key, policyInForce(tx, regionCode, onDate));
      return policies.get(key)!;
    },
  };
}

// --- Presenting ----------------------------------------------------------------------------------

const money = (value: string | Decimal) => formatMoney(new Decimal(value));

function presentSteps(steps: Breakdown['steps']) {
  return steps.map((step) => ({ label: step.label, amount: money(step.amount), balance: money(step.balance) }));
}

function presentLimits(limits: Breakdown['limits']) {
  return limits.map((limit) => ({
    code: limit.code,
    limit: money(limit.limit),
    months: limit.months,
    used: limit.used === null ? null : money(limit.used),
    figure: money(limit.figure),
    binding: limit.binding,
  }));
}

export function presentBreakdown(breakdown: Breakdown) {
  return {
    policyId: breakdown.policyId,
    remainder: money(breakdown.remainder),
    limits: presentLimits(breakdown.limits),
    cap: money(breakdown.cap),
    subsidy: money(breakdown.subsidy),
    reasons: breakdown.reasons,
    steps: presentSteps(breakdown.steps),
  };
}

type HistoryRow = typeof auditEvents.$inferSelect;

function presentHistory(events: HistoryRow[]) {
  return events.map((event) => {
    const data = event.data as { reason?: string; note?: string | null };
    return {
      at: iso(event.at),
      action: event.action.replace(/^claim\./, ''),
      by: event.actorId,
      note: data.reason ?? data.note ?? null,
    };
  });
}

/** Statuses in which the reviewer has decided the claim's latest submission. */
const DECIDED_STATUSES: readonly ClaimRow['status'][] = ['approved', 'rejected', 'returned', 'batched', 'paid', 'withdrawn'];

/**
 * The claim's review deadline: received on the China date of its latest (re)submission, due N
 * working days later in the paying region, decided when the reviewer approved, rejected or
 * returned it (a claim withdrawn before any decision has no decision date).
 */
export function claimTiming(row: ClaimRow, deadlines: Deadlines, today: string) {
  const decidedOn = DECIDED_STATUSES.includes(row.status) && row.decidedAt ? chinaDate(row.decidedAt) : null;
  return deadlines.timing(row.regionCode, chinaDate(row.submittedAt), row.status === 'submitted', decidedOn, today);
}

export function presentClaim(row: ClaimRow, settlement: SettlementRow | undefined, history: HistoryRow[], timing: ReturnType<typeof claimTiming>) {
  return {
    id: row.id,
    externalRef: row.externalRef,
    institutionId: row.institutionId,
    childId: row.childId,
    regionCode: row.regionCode,
    category: row.category,
    service: row.service as Service,
    deviceKind: row.deviceKind,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    months: row.months,
    serviceDate: row.serviceDate,
    freeIssued: row.freeIssued,
    grossCost: money(row.grossCost),
    deductions: {
      basicMedicalInsurance: money(row.basicMedicalInsurance),
      criticalIllnessInsurance: money(row.criticalIllnessInsurance),
      supplementaryCriticalIllnessInsurance: money(row.supplementaryCriticalIllnessInsurance),
      medicalAid: money(row.medicalAid),
    },
    remainder: money(row.remainder),
    status: row.status as 'submitted' | 'approved' | 'rejected' | 'returned' | 'withdrawn' | 'batched' | 'paid',
    reviewedBy: row.reviewedBy,
    estimate: {
      policyId: row.estimatePolicyId,
      cap: money(row.estimateCap),
      subsidy: money(row.estimateSubsidy),
      reasons: row.estimateReasons,
    },
    approvedAmount: row.approvedAmount === null ? null : money(row.approvedAmount),
    settlement: settlement
      ? {
          policyId: settlement.policyId,
          cap: money(settlement.cap),
          subsidy: money(settlement.subsidy),
          approvedAmount: money(settlement.approvedAmount),
          reasons: settlement.reasons,
          limits: settlement.limits as ReturnType<typeof presentLimits>,
          steps: settlement.steps as ReturnType<typeof presentSteps>,
          note: settlement.note,
          approvedBy: settlement.approvedByUserId,
          approvedAt: iso(settlement.approvedAt),
        }
      : null,
    batchId: row.batchId,
    submittedAt: iso(row.submittedAt),
    ...timing,
    history: presentHistory(history),
  };
}

async function presentClaims(db: Executor, rows: ClaimRow[], today: string, deadlines?: Deadlines) {
  const ids = rows.map((row) => row.id);
  const [settlementRows, historyRows, due] = await Promise.all([settlementsOf(db, ids), historyOf(db, ids), deadlines ?? loadDeadlines(db)]);
  return rows.map((row) =>
    presentClaim(
      row,
      settlementRows.find((settlement) => settlement.claimId === row.id),
      historyRows.filter((event) => event.entityId === row.id),
      claimTiming(row, due, today),
    ),
  );
}

/** The filters of a claims query as the repository takes them; overdue=true is a due-date condition. */
function filterOf(query: ClaimFilterQuery, deadlines: Deadlines, today: string): ClaimFilter {
  return {
    ...query,
    overdue:
      query.overdue === 'true'
        ? (regionColumn, submittedBefore) => deadlines.overdueCondition(regionColumn, today, (day) => submittedBefore(endOfChinaDayExclusive(day)))
        : undefined,
  };
}

// --- The service ---------------------------------------------------------------------------------

export function createClaimsService(deps: { db: Database }) {
  const { db } = deps;

  /**
   * Step 3 of the submission checks: the claim's own figures and dates. Only delivered service is
   * paid: nothing after the current month or after today, China time.
   */
  function checkClaimItself(claim: SettlementClaim, now: Date) {
    const arithmetic = arithmeticRefusal(claim);
    if (arithmetic) throw refusalError(arithmetic);
    if (claim.periodTo && claim.periodTo > chinaMonth(now)) {
      throw new AppError('SERVICE_NOT_YET_DELIVERED', `months after ${chinaMonth(now)} are not delivered yet`);
    }
    if (claim.serviceDate && claim.serviceDate > chinaDate(now)) {
      throw new AppError('SERVICE_NOT_YET_DELIVERED', `the service date is after today (${chinaDate(now)})`);
    }
  }

  async function policyFor(tx: Executor, regionCode: string, claim: SettlementClaim, lookups: Lookups = newLookups()): Promise<PolicyVersion> {
    const policy = await lookups.policy(tx, regionCode, serviceStartDate(claim));
    if (!policy) throw new AppError('CATEGORY_NOT_COVERED', `no policy was in force on ${serviceStartDate(claim)}`);
    return policy;
  }

  /** Step 5: category and age under the policy in force for the child's region on the start date. */
  async function checkEligibility(tx: Executor, child: ChildRow, claim: SettlementClaim, lookups: Lookups = newLookups()) {
    const policy = await policyFor(tx, child.regionCode, claim, lookups);
    const eligible = eligibility(claim, { category: child.category as Category, birthDate: child.birthDate }, policy);
    if (!eligible.ok) throw refusalError(eligible.refusal);
    return policy;
  }

  async function estimate(tx: Executor, child: ChildRow, claim: SettlementClaim, policy: PolicyVersion): Promise<Breakdown> {
    const usage = await usageOf(tx, child.id, claim.service, claim.deviceKind, serviceYear(claim));
    const result = settle(
      claim,
      { category: child.category as Category, birthDate: child.birthDate },
      policy,
      { approvedThisYear: new Decimal(usage.thisYear), approvedEver: new Decimal(usage.ever) },
    );
    if (!result.ok) throw refusalError(result.refusal);
    return result.breakdown;
  }

  /**
   * Steps 3 to 6 of a submission or correction, in the order of api.md; the first that fails is
   * answered. Returns the child and the estimate.
   */
  async function checkSubmission(tx: Executor, context: RequestContext, input: ClaimInput, exceptClaimId: string | null, lookups: Lookups = newLookups()) {
    const { claim } = input;
    const institutionId = context.actor.institutionId!;
    checkClaimItself(claim, context.now);

    // Step 4. An unknown child reads as "not referred", so that nothing about other children leaks.
    const childId = 'id' in input.childRef ? input.childRef.id : await findChildIdByIdNumber(tx, input.childRef.idNumber);
    const child = childId ? await findChildById(tx, childId) : undefined;
    const year = serviceYear(claim);
    const referrals = child ? await findReferrals(tx, child.id, institutionId, year, claim.service) : [];
    if (!child || referrals.length === 0) {
      throw new AppError('NOT_REFERRED', `the institution holds no approved referral of this child for ${claim.service} in ${year}`);
    }
    const institution = await lookups.institution(tx, institutionId);
    if (!institution?.services.includes(claim.service)) {
      throw new AppError('SERVICE_NOT_DESIGNATED', `the institution is not designated for ${claim.service}`);
    }
    checkNotAfterDropout(referrals, claim);

    // Step 5.
    const policy = await checkEligibility(tx, child, claim, lookups);

    // Step 6. The claim_months key guards the same rule against concurrent submissions.
    const months = monthsOf(claim);
    const held = await heldMonths(tx, child.id, claim.service, months, exceptClaimId);
    if (held.length > 0) {
      throw new AppError('DUPLICATE_SERVICE_PERIOD', `${claim.service} for ${held.join(', ')} is claimed already for this child`, held.map((month) => ({ month })));
    }
    return { child, months, estimate: await estimate(tx, child, claim, policy) };
  }

  /**
   * What a submission would be refused for, said before it is made (a preview that promises money
   * the submission then refuses misleads the clerk): for an institution, the referral, its
   * designation and a drop-out; for anyone, months claimed already.
   */
  async function previewWarnings(context: RequestContext, child: ChildRow, claim: SettlementClaim, correctingClaimId: string | null) {
    const warnings: { code: string; message: string; details: unknown[] }[] = [];
    const refusal = (error: AppError) => warnings.push({ code: error.code, message: error.message, details: error.details });
    if (context.actor.role === 'institution') {
      const year = serviceYear(claim);
      const referrals = await findReferrals(db, child.id, context.actor.institutionId!, year, claim.service);
      const institution = await findInstitution(db, context.actor.institutionId!);
      if (referrals.length === 0) refusal(new AppError('NOT_REFERRED', `the institution holds no approved referral of this child for ${claim.service} in ${year}`));
      if (!institution?.services.includes(claim.service)) refusal(new AppError('SERVICE_NOT_DESIGNATED', `the institution is not designated for ${claim.service}`));
      if (referrals.length > 0) {
        try {
          checkNotAfterDropout(referrals, claim);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          refusal(error);
        }
      }
    }
    const exceptClaimId = correctingClaimId && (await findClaimInScope(db, context.actor, correctingClaimId)) ? correctingClaimId : null;
    const held = await heldMonths(db, child.id, claim.service, monthsOf(claim), exceptClaimId);
    if (held.length > 0) {
      refusal(new AppError('DUPLICATE_SERVICE_PERIOD', `${claim.service} for ${held.join(', ')} is claimed already for this child`, held.map((month) => ({ month }))));
    }
    return warnings;
  }

  function claimColumns(child: ChildRow, claim: SettlementClaim, breakdown: Breakdown) {
    const deducted = DEDUCTION_ORDER.map((name) => claim.deductions[name]);
    return {
      childId: child.id,
      regionCode: child.regionCode,
      category: child.category,
      service: claim.service,
      deviceKind: claim.deviceKind,
      periodFrom: claim.periodFrom,
      periodTo: claim.periodTo,
      months: claim.periodFrom && claim.periodTo ? monthsInclusive(claim.periodFrom, claim.periodTo) : null,
      serviceDate: claim.serviceDate,
      serviceYear: serviceYear(claim),
      serviceMonth: claim.periodTo ?? claim.serviceDate!.slice(0, 7),
      grossCost: formatMoney(claim.grossCost),
      basicMedicalInsurance: formatMoney(deducted[0]!),
      criticalIllnessInsurance: formatMoney(deducted[1]!),
      supplementaryCriticalIllnessInsurance: formatMoney(deducted[2]!),
      medicalAid: formatMoney(deducted[3]!),
      remainder: formatMoney(breakdown.remainder),
      freeIssued: claim.freeIssued,
      estimatePolicyId: breakdown.policyId,
      estimateCap: formatMoney(breakdown.cap),
      estimateSubsidy: formatMoney(breakdown.subsidy),
      estimateReasons: breakdown.reasons,
      contentFingerprint: fingerprint(child.id, claim),
    };
  }

  /** Step 2: the same externalRef again answers the stored claim, or 409 when the content differs. */
  async function resent(tx: Executor, institutionId: string, body: ClaimBody, input: ClaimInput) {
    const existing = await findClaimByExternalRef(tx, institutionId, body.externalRef);
    if (!existing) return null;
    const childId = 'id' in input.childRef ? input.childRef.id : ((await findChildIdByIdNumber(tx, input.childRef.idNumber)) ?? null);
    if (fingerprint(childId, input.claim) !== existing.contentFingerprint) {
      throw new AppError('DUPLICATE_EXTERNAL_REF', `externalRef ${body.externalRef} was used for a different claim`, [{ id: existing.id }]);
    }
    return existing;
  }

  async function getById(executor: Executor, context: RequestContext, id: string) {
    const row = await findClaimInScope(executor, context.actor, id);
    if (!row) throw notFound('claim');
    return (await presentClaims(executor, [row], chinaDate(context.now)))[0]!;
  }

  /** A unique key that decided between two requests at the same moment, as the loser's refusal. */
  function conflictRefusal(error: unknown): AppError | undefined {
    if (sqlState(error) !== '23505') return undefined;
    const constraint = violatedConstraint(error);
    if (constraint === 'claim_months_pkey') {
      return new AppError('DUPLICATE_SERVICE_PERIOD', 'a month of this claim was claimed at the same moment by another claim');
    }
    if (constraint === 'claims_institution_external_ref_key') {
      return new AppError('DUPLICATE_EXTERNAL_REF', 'this externalRef was being submitted at the same moment by another request');
    }
    return undefined;
  }

  function translateConflict(error: unknown): never {
    throw conflictRefusal(error) ?? error;
  }

  /**
   * Moves a claim from one of the statuses `from` to `to` with its audit event, in one
   * transaction. `decidedAt` records the reviewer's decision on a submitted claim (approve, reject,
   * return): the review deadline is measured against it. Rejecting a claim that was returned keeps
   * the date of the return, the decision the institution then left unanswered; a withdrawal is the
   * institution's act and leaves it as it was.
   */
  async function transition(
    context: RequestContext,
    id: string,
    from: readonly ClaimRow['status'][],
    to: ClaimRow['status'],
    action: AuditAction,
    data: Record<string, unknown>,
  ) {
    return db.transaction(async (tx) => {
      const row = await findClaimInScope(tx, context.actor, id, { lock: true });
      if (!row) throw notFound('claim');
      if (!from.includes(row.status)) throw invalidState(`the claim is ${row.status}; only a ${from.join(' or ')} claim can become ${to}`);
      const reviewerDecidesNow = row.status === 'submitted' && to !== 'withdrawn';
      await updateClaim(tx, id, { status: to, decidedAt: reviewerDecidesNow ? context.now : row.decidedAt });
      // A rejected or withdrawn claim no longer holds its months.
      if (to === 'rejected' || to === 'withdrawn') await releaseClaimMonths(tx, id);
      await recordAudit(tx, context, { action, entityType: 'claim', entityId: id, regionCode: row.regionCode, data });
      return getById(tx, context, id);
    });
  }

  /** A submission inside the caller's transaction: the checks, then the claim, its months and its event. */
  async function submitWithin(tx: Executor, context: RequestContext, body: ClaimBody, lookups: Lookups = newLookups()): Promise<{ created: boolean; id: string; row?: ClaimRow }> {
    const institutionId = context.actor.institutionId!;
    const input = toClaimInput(body);
    const existing = await resent(tx, institutionId, body, input);
    if (existing) return { created: false, id: existing.id };
    const { child, months, estimate: breakdown } = await checkSubmission(tx, context, input, null, lookups);
    const row = await insertClaim(tx, {
      id: newId(),
      institutionId,
      externalRef: body.externalRef,
      reviewedBy: body.reviewedBy,
      status: 'submitted',
      submittedAt: context.now,
      createdAt: context.now,
      ...claimColumns(child, input.claim, breakdown),
    });
    await insertClaimMonths(tx, row, months);
    await recordAudit(tx, context, {
      action: 'claim.submitted',
      entityType: 'claim',
      entityId: row.id,
      regionCode: row.regionCode,
      data: { externalRef: row.externalRef, grossCost: row.grossCost, remainder: row.remainder, estimate: row.estimateSubsidy, reviewedBy: row.reviewedBy },
    });
    return { created: true, id: row.id, row };
  }

  /** A submission in its own transaction. */
  async function submitOne(context: RequestContext, body: ClaimBody, lookups: Lookups = newLookups()): Promise<{ created: boolean; id: string; row?: ClaimRow }> {
    try {
      return await db.transaction((tx) => submitWithin(tx, context, body, lookups));
    } catch (error) {
      // The same externalRef sent twice at the same moment: the other request's claim was not
      // committed when this one looked, and this one then failed on the externalRef key or on
      // the months that claim holds. Step 2 comes before every other check, so answer as a
      // resend would.
      const racedWithItself = sqlState(error) === '23505' || (error instanceof AppError && error.code === 'DUPLICATE_SERVICE_PERIOD');
      if (racedWithItself) {
        const existing = await db.transaction((tx) => resent(tx, context.actor.institutionId!, body, toClaimInput(body)));
        if (existing) return { created: false, id: existing.id };
      }
      return translateConflict(error);
    }
  }

  /**
   * POST /claims/:id/approve. The binding amount is computed again here, under the lock on the
   * child, from the usage approved so far; the ledger entry, the settlement, the status and the
   * audit event commit together.
   */
  async function approveOne(context: RequestContext, id: string, body: { amount?: string | undefined; note?: string | undefined } | null | undefined) {
    return retryingConflicts(() => db.transaction(async (tx) => {
      const row = await findClaimInScope(tx, context.actor, id, { lock: true });
      if (!row) throw notFound('claim');
      if (row.status !== 'submitted') throw invalidState(`the claim is ${row.status}; only a submitted claim can be approved`);
      await lockChild(tx, row.childId);
      const child = await findChildById(tx, row.childId);
      const claim = claimOfRow(row);
      // The referral as it stands now: a drop-out recorded after submission stops the approval.
      // Referrals are never withdrawn, so the one the submission found is still there.
      const referrals = await findReferrals(tx, row.childId, row.institutionId, row.serviceYear, row.service);
      if (referrals.length === 0) throw new AppError('NOT_REFERRED', `the institution holds no approved referral of this child for ${row.service} in ${row.serviceYear}`);
      checkNotAfterDropout(referrals, claim);
      const policy = await policyFor(tx, row.regionCode, claim);
      const usage = await usageOf(tx, row.childId, row.service, row.deviceKind, row.serviceYear);
      const requested = body?.amount === undefined ? undefined : new Decimal(body.amount);
      const result = settle(
        claim,
        { category: row.category as Category, birthDate: child!.birthDate },
        policy,
        { approvedThisYear: new Decimal(usage.thisYear), approvedEver: new Decimal(usage.ever) },
        { approvedAmount: requested },
      );
      if (!result.ok) throw refusalError(result.refusal);
      const breakdown = result.breakdown;
      if (breakdown.approvedAmount.lessThan(breakdown.subsidy) && !body?.note) {
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
        note: body?.note ?? null,
        approvedByUserId: context.actor.id,
        approvedAt: context.now,
      };
      await insertSettlement(tx, settlement);
      await insertUsage(tx, {
        id: newId(),
        claimId: row.id,
        childId: row.childId,
        service: row.service,
        deviceKind: row.deviceKind,
        year: row.serviceYear,
        amount: approvedAmount,
        createdAt: context.now,
      });
      const approved = await updateClaim(tx, row.id, { status: 'approved', approvedAmount, decidedAt: context.now });
      await recordAudit(tx, context, {
        action: 'claim.approved',
        entityType: 'claim',
        entityId: row.id,
        regionCode: row.regionCode,
        data: { approvedAmount, subsidy: formatMoney(breakdown.subsidy), policyId: breakdown.policyId, reasons: breakdown.reasons, note: body?.note ?? null },
      });
      // The answer is built from the rows just written; only the history is read back.
      return presentClaim(approved, settlement, await historyOf(tx, [row.id]), claimTiming(approved, await loadDeadlines(tx), chinaDate(context.now)));
    }));
  }

  return {
    /** POST /claims: 201 with the new claim, or 200 with the stored one when resent unchanged. */
    async submit(context: RequestContext, body: ClaimBody): Promise<{ created: boolean; claim: ReturnType<typeof presentClaim> }> {
      const outcome = await submitOne(context, body);
      // A new claim is answered from the row just written (it has no settlement yet); a resent
      // one as it stands now.
      const claim = outcome.row
        ? presentClaim(outcome.row, undefined, await historyOf(db, [outcome.id]), claimTiming(outcome.row, await loadDeadlines(db), chinaDate(context.now)))
        : await getById(db, context, outcome.id);
      return { created: outcome.created, claim };
    },

    /** POST /claims/bulk: every row checked as a single submission. */
    async submitMany(context: RequestContext, rows: BulkRow[], atomic: boolean) {
      const lookups = newLookups();
      return runBulk(db, rows, atomic, {
        schema: ClaimBody,
        one: (body) => submitOne(context, body, lookups),
        within: (tx, body) => submitWithin(tx, context, body, lookups),
        refusalOf: conflictRefusal,
      });
    },

    /** PUT /claims/:id: the institution corrects a returned claim, which is submitted again. */
    async correct(context: RequestContext, id: string, body: ClaimBody) {
      const input = toClaimInput(body);
      try {
        return await db.transaction(async (tx) => {
          const row = await findClaimInScope(tx, context.actor, id, { lock: true });
          if (!row) throw notFound('claim');
          if (body.externalRef !== row.externalRef) {
            throw validationFailed('externalRef cannot change; it must equal the claim’s', [{ field: 'externalRef' }]);
          }
          if (row.status !== 'returned') throw invalidState(`the claim is ${row.status}; only a returned claim can be corrected`);
          const { child, months, estimate: breakdown } = await checkSubmission(tx, context, input, row.id);
          await releaseClaimMonths(tx, row.id);
          await updateClaim(tx, row.id, {
            ...claimColumns(child, input.claim, breakdown),
            reviewedBy: body.reviewedBy,
            status: 'submitted',
            submittedAt: context.now,
            decidedAt: null,
          });
          await insertClaimMonths(tx, { id: row.id, childId: child.id, service: input.claim.service }, months);
          await recordAudit(tx, context, {
            action: 'claim.resubmitted',
            entityType: 'claim',
            entityId: row.id,
            regionCode: child.regionCode,
            data: { grossCost: formatMoney(input.claim.grossCost), remainder: formatMoney(breakdown.remainder), estimate: formatMoney(breakdown.subsidy) },
          });
          return getById(tx, context, row.id);
        });
      } catch (error) {
        return translateConflict(error);
      }
    },

    approve: approveOne,

    /**
     * POST /claims/approve (批量审核): each claim approved at the amount the rules give, one after
     * another, each in its own transaction under the same locks as a single approval. A claim that
     * cannot be approved is reported with the code a single approval would answer and the others
     * go on; the answer keeps the order given.
     */
    async approveMany(context: RequestContext, claimIds: string[]) {
      const results: ({ claimId: string; status: 'approved'; approvedAmount: string } | { claimId: string; status: 'refused'; error: { code: string; message: string } })[] = [];
      let total = new Decimal(0);
      for (const claimId of claimIds) {
        try {
          const approved = await approveOne(context, claimId, undefined);
          results.push({ claimId, status: 'approved', approvedAmount: approved.approvedAmount! });
          total = total.plus(approved.approvedAmount!);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push({ claimId, status: 'refused', error: { code: error.code, message: error.message } });
        }
      }
      const approvedCount = results.filter((result) => result.status === 'approved').length;
      return { summary: { approved: approvedCount, refused: results.length - approvedCount, total: formatMoney(total) }, results };
    },

    // A returned claim the institution leaves uncorrected must not hold the child's months for
    // ever: a reviewer may reject it and the institution may withdraw it.
    reject: (context: RequestContext, id: string, reason: string) => transition(context, id, ['submitted', 'returned'], 'rejected', 'claim.rejected', { reason }),
    return: (context: RequestContext, id: string, reason: string) => transition(context, id, ['submitted'], 'returned', 'claim.returned', { reason }),
    withdraw: (context: RequestContext, id: string) => transition(context, id, ['submitted', 'returned'], 'withdrawn', 'claim.withdrawn', {}),

    get: (context: RequestContext, id: string) => getById(db, context, id),

    /** GET /claims: the review queue by due date (`status=submitted`), `overdue=true` past it. */
    async list(context: RequestContext, query: ClaimListQuery) {
      const today = chinaDate(context.now);
      const deadlines = await loadDeadlines(db);
      const byReceipt = query.status === 'submitted' || query.overdue === 'true';
      const timestampCursor = byReceipt ? decodeTimestampCursor(query.cursor) : undefined;
      const idCursor = byReceipt ? undefined : decodeCursor(query.cursor);
      const rows = await listClaimsInScope(db, context.actor, {
        ...filterOf(query, deadlines, today),
        byReceipt,
        after: timestampCursor ? { submittedAt: timestampCursor.at, id: timestampCursor.id } : idCursor ? { id: idCursor } : undefined,
        limit: query.limit,
      });
      const result = page(rows, query.limit, byReceipt ? (row) => [row.submittedAt.toISOString(), row.id] : undefined);
      return { items: await presentClaims(db, result.items, today, deadlines), nextCursor: result.nextCursor };
    },

    /** GET /claims/count: how many claims the filters of GET /claims find. */
    async count(context: RequestContext, query: ClaimFilterQuery) {
      const today = chinaDate(context.now);
      const counted = await countClaimsInScope(db, context.actor, filterOf(query, await loadDeadlines(db), today));
      return { count: counted.count, approvedTotal: money(counted.approvedTotal) };
    },

    /** GET /claims/export.xlsx: the claims the filters find, as a spreadsheet (up to MAX_EXPORTED_CLAIMS). */
    async exportXlsx(context: RequestContext, query: ClaimFilterQuery) {
      const today = chinaDate(context.now);
      const rows = await exportClaimsInScope(db, context.actor, filterOf(query, await loadDeadlines(db), today), MAX_EXPORTED_CLAIMS);
      if (rows.length > MAX_EXPORTED_CLAIMS) {
        throw validationFailed(`the filters find more than ${MAX_EXPORTED_CLAIMS} claims: narrow them (a status, an institution, a period) and export in parts`);
      }
      const described = Object.entries(query)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join('，');
      return renderClaimsXlsx(
        rows.map(({ claim, childName, idNumber, institutionName }) => ({
          externalRef: claim.externalRef,
          institutionName,
          childName,
          idNumber,
          category: claim.category,
          service: claim.service,
          period: claim.periodFrom ? `${claim.periodFrom} 至 ${claim.periodTo}` : claim.serviceDate!,
          grossCost: claim.grossCost,
          remainder: claim.remainder,
          estimate: claim.estimateSubsidy,
          approvedAmount: claim.approvedAmount,
          status: claim.status,
          submittedOn: chinaDate(claim.submittedAt),
        })),
        described,
      );
    },

    /**
     * POST /settlements/preview: what the claim would get if approved now. The same refusals as a
     * submission, except that no referral is needed; nothing is stored.
     */
    async preview(context: RequestContext, body: PreviewBody) {
      const input = toClaimInput(body);
      checkClaimItself(input.claim, context.now);
      const childId = 'id' in input.childRef ? input.childRef.id : await findChildIdByIdNumber(db, input.childRef.idNumber);
      const child = childId ? await findChildInScope(db, context.actor, childId) : undefined;
      if (!child) throw notFound('child');
      const policy = await checkEligibility(db, child, input.claim);
      const breakdown = presentBreakdown(await estimate(db, child, input.claim, policy));
      return { warnings: await previewWarnings(context, child, input.claim, body.claimId ?? null), ...breakdown };
    },
  };
}

export type ClaimsService = ReturnType<typeof createClaimsService>;

