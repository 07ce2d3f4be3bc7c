import { Decimal } from 'decimal.js';
import type { RequestContext } from '../http/context.js';
import { recordAudit, recordAudits, type AuditAction, type AuditEntry } from '../audit/audit.repository.js';
import { findChildInScope, type ChildRow } from '../children/children.repository.js';
import { retryingConflicts, sqlState, violatedConstraint, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { auditEvents, claims as claimsTable } from '../db/schema.js';
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
  findChildIdsByIdNumbers,
  findChildrenByIds,
  findClaimByExternalRef,
  findClaimInScope,
  findClaimsByExternalRefs,
  findClaimsInScope,
  findReferrals,
  findReferralsOfChildren,
  heldMonths,
  heldMonthsOfChildren,
  historyOf,
  insertClaimMonths,
  insertClaims,
  insertSettlements,
  insertUsages,
  listClaimsInScope,
  countClaimsInScope,
  exportClaimsInScope,
  type ClaimFilter,
  markClaimsApproved,
  releaseClaimMonths,
  settlementsOf,
  updateClaim,
  usageOf,
  usageOfChildren,
  type ClaimRow,
  type SettlementRow,
} from './claims.repository.js';

// --- Normalising input ---------------------------------------------------------------------------

/** One claim of an approval request; amount and note only from POST /claims/:id/approve. */
interface ApprovalRequest {
  claimId: string;
  amount?: string | undefined;
  note?: string | undefined;
}

interface ApprovalOutcome {
  row: ClaimRow;
  settlement: SettlementRow;
}

/** A submission's answer: a new claim (with its row as written) or the one stored under the reference. */
interface SubmissionOutcome {
  created: boolean;
  id: string;
  row?: ClaimRow;
}

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

/**
 * What the checks of a submission read. A single submission reads the database as each check
 * needs it; a chunk of an upload reads what all its rows need in a few statements and then answers
 * from memory, seeing each row it accepted as the next row's checks would see it committed (its
 * reference used, its months held), so that the rows are answered as if submitted one by one.
 */
interface SubmissionReads {
  claimByExternalRef(externalRef: string): Promise<Pick<ClaimRow, 'id' | 'contentFingerprint'> | undefined>;
  childIdByIdNumber(idNumber: string): Promise<string | undefined>;
  child(id: string): Promise<ChildRow | undefined>;
  referrals(childId: string, year: number, service: string): Promise<Pick<ApplicationRow, 'droppedOutOn'>[]>;
  heldMonths(childId: string, service: string, months: string[], exceptClaimId: string | null): Promise<string[]>;
  usage(childId: string, service: string, deviceKind: string | null, year: number): Promise<{ thisYear: string; ever: string }>;
  /** A claim accepted earlier in the same chunk. */
  accepted(claim: Pick<ClaimRow, 'id' | 'externalRef' | 'contentFingerprint' | 'childId' | 'service'>, months: string[]): void;
}

function directReads(tx: Executor, institutionId: string): SubmissionReads {
  return {
    claimByExternalRef: (externalRef) => findClaimByExternalRef(tx, institutionId, externalRef),
    childIdByIdNumber: (idNumber) => findChildIdByIdNumber(tx, idNumber),
    child: (id) => findChildById(tx, id),
    referrals: (childId, year, service) => findReferrals(tx, childId, institutionId, year, service),
    heldMonths: (childId, service, months, exceptClaimId) => heldMonths(tx, childId, service, months, exceptClaimId),
    usage: (childId, service, deviceKind, year) => usageOf(tx, childId, service, deviceKind, year),
    // One submission at a time: nothing to remember.
    accepted: () => {},
  };
}

/** How much children were approved for, by service, device kind and year, summed as usageOf sums it. */
class UsageLedger {
  private readonly byChild = new Map<string, { service: string; deviceKind: string | null; year: number; amount: Decimal }[]>();

  constructor(rows: { childId: string; service: string; deviceKind: string | null; year: number; amount: string }[]) {
    for (const row of rows) this.add(row.childId, row.service, row.deviceKind, row.year, new Decimal(row.amount));
  }

  add(childId: string, service: string, deviceKind: string | null, year: number, amount: Decimal) {
    const entries = this.byChild.get(childId) ?? [];
    this.byChild.set(childId, entries);
    const entry = entries.find((item) => item.service === service && item.deviceKind === deviceKind && item.year === year);
    if (entry) entry.amount = entry.amount.plus(amount);
    else entries.push({ service, deviceKind, year, amount });
  }

  of(childId: string, service: string, deviceKind: string | null, year: number): { thisYear: Decimal; ever: Decimal } {
    let thisYear = new Decimal(0);
    let ever = new Decimal(0);
    for (const entry of this.byChild.get(childId) ?? []) {
      if (entry.service !== service || entry.deviceKind !== deviceKind) continue;
      ever = ever.plus(entry.amount);
      if (entry.year === year) thisYear = thisYear.plus(entry.amount);
    }
    return { thisYear, ever };
  }
}

/** Reads what a chunk of submissions needs, all at once; see SubmissionReads. */
async function readAhead(tx: Executor, institutionId: string, inputs: { externalRef: string; input: ClaimInput }[]): Promise<SubmissionReads> {
  const idNumbers = inputs.flatMap(({ input }) => ('idNumber' in input.childRef ? [input.childRef.idNumber] : []));
  const [claimsByRef, idsByNumber] = await Promise.all([
    findClaimsByExternalRefs(tx, institutionId, [...new Set(inputs.map((item) => item.externalRef))]),
    findChildIdsByIdNumbers(tx, [...new Set(idNumbers)]),
  ]);
  const byRef = new Map<string, Pick<ClaimRow, 'id' | 'contentFingerprint'>>(claimsByRef.map((row) => [row.externalRef, row]));
  const byNumber = new Map(idsByNumber.map((row) => [row.idNumber, row.id]));
  const childIds = [...new Set([...inputs.flatMap(({ input }) => ('id' in input.childRef ? [input.childRef.id] : [])), ...byNumber.values()])];
  const [childRows, referralRows, heldRows, usageRows] = await Promise.all([
    findChildrenByIds(tx, childIds),
    findReferralsOfChildren(tx, childIds),
    heldMonthsOfChildren(tx, childIds),
    usageOfChildren(tx, childIds),
  ]);
  const childrenById = new Map(childRows.map((row) => [row.id, row]));
  const heldBy = new Map(heldRows.map((row) => [`${row.childId}|${row.service}|${row.month}`, row.claimId]));
  const ledger = new UsageLedger(usageRows);
  return {
    claimByExternalRef: async (externalRef) => byRef.get(externalRef),
    childIdByIdNumber: async (idNumber) => byNumber.get(idNumber),
    child: async (id) => childrenById.get(id),
    referrals: async (childId, year, service) =>
      referralRows.filter((row) => row.childId === childId && row.institutionId === institutionId && row.year === year && row.services.includes(service)),
    heldMonths: async (childId, service, months, exceptClaimId) =>
      months.filter((month) => {
        const holder = heldBy.get(`${childId}|${service}|${month}`);
        return holder !== undefined && holder !== exceptClaimId;
      }).sort(),
    usage: async (childId, service, deviceKind, year) => {
      const { thisYear, ever } = ledger.of(childId, service, deviceKind, year);
      return { thisYear: formatMoney(thisYear), ever: formatMoney(ever) };
    },
    accepted(claim, months) {
      byRef.set(claim.externalRef, claim);
      for (const month of months) heldBy.set(`${claim.childId}|${claim.service}|${month}`, claim.id);
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

  async function estimate(reads: Pick<SubmissionReads, 'usage'>, child: ChildRow, claim: SettlementClaim, policy: PolicyVersion): Promise<Breakdown> {
    const usage = await reads.usage(child.id, claim.service, claim.deviceKind, serviceYear(claim));
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
  async function checkSubmission(tx: Executor, reads: SubmissionReads, context: RequestContext, input: ClaimInput, exceptClaimId: string | null, lookups: Lookups = newLookups()) {
    const { claim } = input;
    const institutionId = context.actor.institutionId!;
    checkClaimItself(claim, context.now);

    // Step 4. An unknown child reads as "not referred", so that nothing about other children leaks.
    const childId = 'id' in input.childRef ? input.childRef.id : await reads.childIdByIdNumber(input.childRef.idNumber);
    const child = childId ? await reads.child(childId) : undefined;
    const year = serviceYear(claim);
    const referrals = child ? await reads.referrals(child.id, year, claim.service) : [];
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
    const held = await reads.heldMonths(child.id, claim.service, months, exceptClaimId);
    if (held.length > 0) {
      throw new AppError('DUPLICATE_SERVICE_PERIOD', `${claim.service} for ${held.join(', ')} is claimed already for this child`, held.map((month) => ({ month })));
    }
    return { child, months, estimate: await estimate(reads, child, claim, policy) };
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
  async function resent(reads: SubmissionReads, body: ClaimBody, input: ClaimInput) {
    const existing = await reads.claimByExternalRef(body.externalRef);
    if (!existing) return null;
    const childId = 'id' in input.childRef ? input.childRef.id : ((await reads.childIdByIdNumber(input.childRef.idNumber)) ?? null);
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

  /**
   * Submissions inside the caller's transaction: each body checked in order (a refusal is its
   * answer), then the accepted claims, their months and their events written together, a statement
   * each. A unique key that another request took meanwhile escapes as a database error.
   */
  async function submitRows(tx: Executor, reads: SubmissionReads, context: RequestContext, bodies: ClaimBody[], lookups: Lookups): Promise<(SubmissionOutcome | AppError)[]> {
    const institutionId = context.actor.institutionId!;
    const outcomes: (SubmissionOutcome | AppError)[] = [];
    const newClaims: (typeof claimsTable.$inferInsert)[] = [];
    const held: { claim: Pick<ClaimRow, 'id' | 'childId' | 'service'>; months: string[] }[] = [];
    const events: AuditEntry[] = [];
    for (const body of bodies) {
      try {
        const input = toClaimInput(body);
        const existing = await resent(reads, body, input);
        if (existing) {
          outcomes.push({ created: false, id: existing.id });
          continue;
        }
        const { child, months, estimate: breakdown } = await checkSubmission(tx, reads, context, input, null, lookups);
        const columns = claimColumns(child, input.claim, breakdown);
        const claim = { id: newId(), institutionId, externalRef: body.externalRef, reviewedBy: body.reviewedBy, status: 'submitted', submittedAt: context.now, createdAt: context.now, ...columns };
        newClaims.push(claim);
        held.push({ claim, months });
        events.push({
          action: 'claim.submitted',
          entityType: 'claim',
          entityId: claim.id,
          regionCode: claim.regionCode,
          data: { externalRef: claim.externalRef, grossCost: claim.grossCost, remainder: claim.remainder, estimate: claim.estimateSubsidy, reviewedBy: claim.reviewedBy ?? null },
        });
        reads.accepted(claim, months);
        outcomes.push({ created: true, id: claim.id });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        outcomes.push(error);
      }
    }
    const rows = new Map((await insertClaims(tx, newClaims)).map((row) => [row.id, row]));
    await insertClaimMonths(tx, held);
    await recordAudits(tx, context, events);
    return outcomes.map((outcome) => (outcome instanceof AppError || !outcome.created ? outcome : { ...outcome, row: rows.get(outcome.id)! }));
  }

  /** One submission inside the caller's transaction. */
  async function submitWithin(tx: Executor, context: RequestContext, body: ClaimBody, lookups: Lookups = newLookups()): Promise<SubmissionOutcome> {
    const [outcome] = await submitRows(tx, directReads(tx, context.actor.institutionId!), context, [body], lookups);
    if (outcome instanceof AppError) throw outcome;
    return outcome!;
  }

  /** A submission in its own transaction. */
  async function submitOne(context: RequestContext, body: ClaimBody, lookups: Lookups = newLookups()): Promise<SubmissionOutcome> {
    try {
      return await db.transaction((tx) => submitWithin(tx, context, body, lookups));
    } catch (error) {
      // The same externalRef sent twice at the same moment: the other request's claim was not
      // committed when this one looked, and this one then failed on the externalRef key or on
      // the months that claim holds. Step 2 comes before every other check, so answer as a
      // resend would.
      const racedWithItself = sqlState(error) === '23505' || (error instanceof AppError && error.code === 'DUPLICATE_SERVICE_PERIOD');
      if (racedWithItself) {
        const existing = await db.transaction((tx) => resent(directReads(tx, context.actor.institutionId!), body, toClaimInput(body)));
        if (existing) return { created: false, id: existing.id };
      }
      return translateConflict(error);
    }
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
    const [referralRows, usageRows] = await Promise.all([findReferralsOfChildren(tx, childIds), usageOfChildren(tx, childIds)]);
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
        const child = childrenById.get(row.childId)!;
        const claim = claimOfRow(row);
        // The referral as it stands now: a drop-out recorded after submission stops the approval.
        // Referrals are never withdrawn, so the one the submission found is still there.
        const referrals = referralRows.filter(
          (referral) => referral.childId === row.childId && referral.institutionId === row.institutionId && referral.year === row.serviceYear && referral.services.includes(row.service),
        );
        if (referrals.length === 0) throw new AppError('NOT_REFERRED', `the institution holds no approved referral of this child for ${row.service} in ${row.serviceYear}`);
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

  /** POST /claims/:id/approve: one approval in its own transaction, answered with the claim. */
  async function approveOne(context: RequestContext, id: string, body: { amount?: string | undefined; note?: string | undefined } | null | undefined) {
    return retryingConflicts(() =>
      db.transaction(async (tx) => {
        const [outcome] = await approveRows(tx, context, [{ claimId: id, amount: body?.amount, note: body?.note }], newLookups());
        if (outcome instanceof AppError) throw outcome;
        const { row, settlement } = outcome!;
        // The answer is built from the rows just written; only the history is read back.
        return presentClaim(row, settlement, await historyOf(tx, [row.id]), claimTiming(row, await loadDeadlines(tx), chinaDate(context.now)));
      }),
    );
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

    /**
     * POST /claims/bulk: every row checked as a single submission, in the order of the file; the
     * rows go in chunks whose reads and writes are shared (see readAhead).
     */
    async submitMany(context: RequestContext, rows: BulkRow[], atomic: boolean) {
      const lookups = newLookups();
      return runBulk(db, rows, atomic, {
        schema: ClaimBody,
        one: (body) => submitOne(context, body, lookups),
        within: (tx, body) => submitWithin(tx, context, body, lookups),
        refusalOf: conflictRefusal,
        chunk: async (tx, bodies) => {
          const inputs = bodies.map((body) => ({ externalRef: body.externalRef, input: toClaimInput(body) }));
          return submitRows(tx, await readAhead(tx, context.actor.institutionId!, inputs), context, bodies, lookups);
        },
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
          const { child, months, estimate: breakdown } = await checkSubmission(tx, directReads(tx, context.actor.institutionId!), context, input, row.id);
          await releaseClaimMonths(tx, row.id);
          await updateClaim(tx, row.id, {
            ...claimColumns(child, input.claim, breakdown),
            reviewedBy: body.reviewedBy,
            status: 'submitted',
            submittedAt: context.now,
            decidedAt: null,
          });
          await insertClaimMonths(tx, [{ claim: { id: row.id, childId: child.id, service: input.claim.service }, months }]);
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
     * POST /claims/approve (批量审核): each claim approved at the amount the rules give, in the
     * order given, under the same locks and checks as a single approval, the whole block in one
     * transaction. A claim that cannot be approved is reported with the code a single approval
     * would answer and the others go on; the answer keeps the order given.
     */
    async approveMany(context: RequestContext, claimIds: string[]) {
      const outcomes = await retryingConflicts(() => db.transaction((tx) => approveRows(tx, context, claimIds.map((claimId) => ({ claimId })), newLookups())));
      let total = new Decimal(0);
      const results = outcomes.map((outcome, index): { claimId: string; status: 'approved'; approvedAmount: string } | { claimId: string; status: 'refused'; error: { code: string; message: string } } => {
        const claimId = claimIds[index]!;
        if (outcome instanceof AppError) return { claimId, status: 'refused', error: { code: outcome.code, message: outcome.message } };
        total = total.plus(outcome.settlement.approvedAmount);
        return { claimId, status: 'approved', approvedAmount: outcome.settlement.approvedAmount };
      });
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
      const breakdown = presentBreakdown(await estimate({ usage: (...args) => usageOf(db, ...args) }, child, input.claim, policy));
      return { warnings: await previewWarnings(context, child, input.claim, body.claimId ?? null), ...breakdown };
    },
  };
}

export type ClaimsService = ReturnType<typeof createClaimsService>;

