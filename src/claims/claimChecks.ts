import { refuseIfClosed } from '../children/closedChild.js';
import { Decimal } from 'decimal.js';
import type { ApplicationRow } from '../applications/applications.repository.js';
import type { ChildRow } from '../children/children.repository.js';
import type { Executor } from '../db/client.js';
import { chinaDate, chinaMonth } from '../domain/chinaTime.js';
import type { Category } from '../domain/vocabulary.js';
import type { RequestContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { findInstitution, type InstitutionRow } from '../institutions/institutions.repository.js';
import { policyInForce } from '../policies/policies.service.js';
import type { PolicyVersion } from '../policies/policy.js';
import { arithmeticRefusal, eligibility, serviceStartDate, serviceYear, settle, type Breakdown, type Refusal, type SettlementClaim } from '../settlement/engine.js';
import { monthsOf, type ClaimInput } from './claimInput.js';
import type { SubmissionReads } from './submissionReads.js';

// The checks of a claim in the order of api.md, shared by submission and correction, approval
// (which runs the referral and eligibility checks again) and the preview (which says beforehand
// what a submission would be refused for).

export const refusalError = (refusal: Refusal) => new AppError(refusal.code, refusal.message);

export const notReferred = (service: string, year: number) =>
  new AppError('NOT_REFERRED', `the institution holds no approved referral of this child for ${service} in ${year}`);

export const notDesignated = (service: string) => new AppError('SERVICE_NOT_DESIGNATED', `the institution is not designated for ${service}`);

export const monthsClaimedAlready = (service: string, held: string[]) =>
  new AppError('DUPLICATE_SERVICE_PERIOD', `${service} for ${held.join(', ')} is claimed already for this child`, held.map((month) => ({ month })));

/**
 * After a drop-out no claim covers a later month (training) or a later service date. A child may
 * hold several approved referrals to the institution for the service and year; one that covers
 * the claim is enough. Runs at submission and again at approval, where the referral is read as it
 * stands then (a drop-out may have been recorded in between).
 */
export function checkNotAfterDropout(referrals: Pick<ApplicationRow, 'droppedOutOn'>[], claim: Pick<SettlementClaim, 'periodTo' | 'serviceDate'>) {
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
export interface Lookups {
  institution(tx: Executor, id: string): Promise<InstitutionRow | undefined>;
  policy(tx: Executor, regionCode: string, onDate: string): Promise<PolicyVersion | null>;
}

export function newLookups(): Lookups {
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
 * Step 3 of the submission checks: the claim's own figures and dates. Only delivered service is
 * paid: nothing after the current month or after today, China time.
 */
export function checkClaimItself(claim: SettlementClaim, now: Date) {
  const arithmetic = arithmeticRefusal(claim);
  if (arithmetic) throw refusalError(arithmetic);
  if (claim.periodTo && claim.periodTo > chinaMonth(now)) {
    throw new AppError('SERVICE_NOT_YET_DELIVERED', `months after ${chinaMonth(now)} are not delivered yet`);
  }
  if (claim.serviceDate && claim.serviceDate > chinaDate(now)) {
    throw new AppError('SERVICE_NOT_YET_DELIVERED', `the service date is after today (${chinaDate(now)})`);
  }
}

export async function policyFor(tx: Executor, regionCode: string, claim: SettlementClaim, lookups: Lookups = newLookups()): Promise<PolicyVersion> {
  const policy = await lookups.policy(tx, regionCode, serviceStartDate(claim));
  if (!policy) throw new AppError('CATEGORY_NOT_COVERED', `no policy was in force on ${serviceStartDate(claim)}`);
  return policy;
}

/** Step 5: category and age under the policy in force for the child's region on the start date. */
export async function checkEligibility(tx: Executor, child: ChildRow, claim: SettlementClaim, lookups: Lookups = newLookups()) {
  const policy = await policyFor(tx, child.regionCode, claim, lookups);
  const eligible = eligibility(claim, { category: child.category as Category | null, birthDate: child.birthDate }, policy);
  if (!eligible.ok) throw refusalError(eligible.refusal);
  return policy;
}

/** What approval would give now, from the usage approved so far. */
export async function estimate(reads: Pick<SubmissionReads, 'usage'>, child: ChildRow, claim: SettlementClaim, policy: PolicyVersion): Promise<Breakdown> {
  const usage = await reads.usage(child.id, claim.service, claim.deviceKind, serviceYear(claim));
  const result = settle(
    claim,
    { category: child.category as Category | null, birthDate: child.birthDate },
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
export async function checkSubmission(tx: Executor, reads: SubmissionReads, context: RequestContext, input: ClaimInput, exceptClaimId: string | null, lookups: Lookups = newLookups()) {
  const { claim } = input;
  const institutionId = context.actor.institutionId!;
  checkClaimItself(claim, context.now);

  // Step 4. An unknown child reads as "not referred", so that nothing about other children leaks.
  const childId = 'id' in input.childRef ? input.childRef.id : await reads.childIdByIdNumber(input.childRef.idNumber);
  const child = childId ? await reads.child(childId) : undefined;
  const year = serviceYear(claim);
  const referrals = child ? await reads.referrals(child.id, year, claim.service) : [];
  if (!child || referrals.length === 0) throw notReferred(claim.service, year);
  refuseIfClosed(child);
  const institution = await lookups.institution(tx, institutionId);
  if (!institution?.services.includes(claim.service)) throw notDesignated(claim.service);
  checkNotAfterDropout(referrals, claim);

  // Step 5.
  const policy = await checkEligibility(tx, child, claim, lookups);

  // Step 6. The claim_months key guards the same rule against concurrent submissions.
  const months = monthsOf(claim);
  const held = await reads.heldMonths(child.id, claim.service, months, exceptClaimId);
  if (held.length > 0) throw monthsClaimedAlready(claim.service, held);
  return { child, months, estimate: await estimate(reads, child, claim, policy) };
}
