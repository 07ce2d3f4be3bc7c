import type { RequestContext } from '../http/context.js';
import { recordAudit, recordAudits, type AuditEntry } from '../audit/audit.repository.js';
import type { ChildRow } from '../children/children.repository.js';
import { sqlState, violatedConstraint, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { claims as claimsTable } from '../db/schema.js';
import { monthsInclusive } from '../domain/calendar.js';
import { chinaDate } from '../domain/chinaTime.js';
import { formatMoney } from '../domain/money.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { runBulk, type BulkRow } from '../http/bulk.js';
import { loadDeadlines } from '../calendar/deadlines.js';
import { evidenceMissingOf } from '../evidence/evidence.repository.js';
import { DEDUCTION_ORDER, serviceYear, type Breakdown, type SettlementClaim } from '../settlement/engine.js';
import { checkSubmission, newLookups, type Lookups } from './claimChecks.js';
import { fingerprint, toClaimInput, type ClaimInput } from './claimInput.js';
import { claimTiming, getClaim, presentClaim } from './claimPresentation.js';
import { ClaimBody } from './claims.schemas.js';
import { findClaimInScope, historyOf, insertClaims, updateClaim, type ClaimRow } from './claims.repository.js';
import { insertClaimMonths, releaseClaimMonths } from './ledgers.repository.js';
import { directReads, readAhead, type SubmissionReads } from './submissionReads.js';
import type { FieldCipher } from '../keys/fieldCipher.js';

// Submission (POST /claims), bulk submission (POST /claims/bulk) and correction of a returned
// claim (PUT /claims/:id): the checks of api.md in order (claimChecks.ts), then the claim, the
// months it holds and its audit event in one transaction.

/** A submission's answer: a new claim (with its row as written) or the one stored under the reference. */
interface SubmissionOutcome {
  created: boolean;
  id: string;
  row?: ClaimRow;
}

function claimColumns(child: ChildRow, claim: SettlementClaim, breakdown: Breakdown) {
  const deducted = DEDUCTION_ORDER.map((name) => claim.deductions[name]);
  return {
    childId: child.id,
    regionCode: child.regionCode,
    // Step 5 refused a child without a category (CATEGORY_NOT_COVERED): a claim always has one.
    category: child.category!,
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

export function createSubmissionsService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;

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
    const [outcome] = await submitRows(tx, directReads(tx, context.actor.institutionId!, cipher), context, [body], lookups);
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
        const existing = await db.transaction((tx) => resent(directReads(tx, context.actor.institutionId!, cipher), body, toClaimInput(body)));
        if (existing) return { created: false, id: existing.id };
      }
      return translateConflict(error);
    }
  }

  return {
    /** POST /claims: 201 with the new claim, or 200 with the stored one when resent unchanged. */
    async submit(context: RequestContext, body: ClaimBody): Promise<{ created: boolean; claim: ReturnType<typeof presentClaim> }> {
      const outcome = await submitOne(context, body);
      // A new claim is answered from the row just written (it has no settlement yet); a resent
      // one as it stands now.
      const claim = outcome.row
        ? presentClaim(
            outcome.row,
            undefined,
            await historyOf(db, [outcome.id]),
            claimTiming(outcome.row, await loadDeadlines(db), chinaDate(context.now)),
            // A new claim has no files yet: it lacks every kind its region requires.
            (await evidenceMissingOf(db, [outcome.row])).get(outcome.id) ?? [],
          )
        : await getClaim(db, context, outcome.id);
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
          return submitRows(tx, await readAhead(tx, context.actor.institutionId!, cipher, inputs), context, bodies, lookups);
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
          const { child, months, estimate: breakdown } = await checkSubmission(tx, directReads(tx, context.actor.institutionId!, cipher), context, input, row.id);
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
          return getClaim(tx, context, row.id);
        });
      } catch (error) {
        return translateConflict(error);
      }
    },
  };
}

export type SubmissionsService = ReturnType<typeof createSubmissionsService>;
