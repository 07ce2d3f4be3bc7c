import { findChildInScope, type ChildRow } from '../children/children.repository.js';
import type { Database } from '../db/client.js';
import type { RequestContext } from '../http/context.js';
import { AppError, notFound } from '../http/errors.js';
import { findInstitution } from '../institutions/institutions.repository.js';
import { serviceYear, type SettlementClaim } from '../settlement/engine.js';
import { checkClaimItself, checkEligibility, checkNotAfterDropout, estimate, monthsClaimedAlready, notDesignated, notReferred } from './claimChecks.js';
import { monthsOf, toClaimInput } from './claimInput.js';
import { presentBreakdown } from './claimPresentation.js';
import type { PreviewBody } from './claims.schemas.js';
import { findClaimInScope } from './claims.repository.js';
import { findChildIdByIdNumberLookup, findReferrals, heldMonths, usageOf } from './ledgers.repository.js';
import { idNumberLookup } from '../children/childSecrets.js';
import type { FieldCipher } from '../keys/fieldCipher.js';

// POST /settlements/preview: what a claim would get if approved now, and what a submission of it
// would be refused for. Nothing is stored.

export function createPreviewService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;

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
      if (referrals.length === 0) refusal(notReferred(claim.service, year));
      if (!institution?.services.includes(claim.service)) refusal(notDesignated(claim.service));
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
      refusal(monthsClaimedAlready(claim.service, held));
    }
    return warnings;
  }

  return {
    /**
     * POST /settlements/preview: what the claim would get if approved now. The same refusals as a
     * submission, except that no referral is needed; nothing is stored.
     */
    async preview(context: RequestContext, body: PreviewBody) {
      const input = toClaimInput(body);
      checkClaimItself(input.claim, context.now);
      const childId = 'id' in input.childRef ? input.childRef.id : await findChildIdByIdNumberLookup(db, idNumberLookup(cipher, input.childRef.idNumber));
      const child = childId ? await findChildInScope(db, context.actor, childId) : undefined;
      if (!child) throw notFound('child');
      const policy = await checkEligibility(db, child, input.claim);
      const breakdown = presentBreakdown(await estimate({ usage: (...args) => usageOf(db, ...args) }, child, input.claim, policy));
      return { warnings: await previewWarnings(context, child, input.claim, body.claimId ?? null), ...breakdown };
    },
  };
}

export type PreviewService = ReturnType<typeof createPreviewService>;
