import { findUser } from '../auth/users.repository.js';
import type { Database } from '../db/client.js';
import { chinaDate } from '../domain/chinaTime.js';
import { coverFromMonth, lastCoveredMonth } from '../domain/protectionAgeRule.js';
import { evaluateCriteria } from '../domain/protectionCriteriaRule.js';
import { payable } from '../domain/protectionRoutesRule.js';
import { relationName, REVIEW_ROUTE_OFFICES_ZH, type LivingArrangement, type ProtectionCategory, type ReviewRoute } from '../domain/protectionVocabulary.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { requireSecondPerson } from '../http/fourEyes.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { placeOf, regionName } from '../regions/divisions.js';
import type { Offload } from '../workers/pool.js';
import { auditCase, changeCase, deadlinesOf, requireStatus } from './caseChanges.js';
import { bankAccountsOf, findCaseInScope, routeOf, updateCase } from './cases.repository.js';
import { payableAgainUnderNewCase } from './basicLivingEffects.js';
import type { RecogniseBody, ReviewBody } from './cases.schemas.js';
import { closePendingReviews, decideReview, reviewsOfCase, upsertCategories, upsertLiving } from './caseSteps.repository.js';
import { criteriaOn } from './setup.service.js';
import { refusingOffice, issuingOffice } from './offices.js';

// The county review (县级复核, protection.md §4.4): each routed office approves or refuses; any
// refusal refuses the case at once. Recognition (认定, §4.5) is civil affairs' approval of its
// own route, after every other route approved, by someone other than the one who received the
// case or last changed its account, under the criteria in force that day. A refused case has its
// letter (不予认定告知书, §4.6).

export function createReviewService(deps: { db: Database; offload: Offload; cipher: FieldCipher }) {
  const { db, offload, cipher } = deps;

  return {
    /** POST /protection/cases/:id/reviews: the reviewer (残联) or a department decides its route. */
    async review(context: RequestContext, id: string, body: ReviewBody) {
      const today = chinaDate(context.now);
      const route = routeOf(context.actor)!;
      await changeCase(db, cipher, context, id, async (tx, { record }) => {
        requireStatus(record, ['county_review'], 'a review');
        const review = (await reviewsOfCase(tx, record.id)).find((candidate) => candidate.route === route);
        if (!review) throw notFound('case');
        if (review.status !== 'pending') throw invalidState(`the ${route} review is ${review.status} already`);
        const decided = { decidedOn: today, decidedByUserId: context.actor.id, decidedAt: context.now };
        if (body.decision === 'approve') {
          await decideReview(tx, review.id, { status: 'approved', reason: null, ...decided });
          await auditCase(tx, context, 'case.reviewed', record, { route, decision: 'approve' });
          return;
        }
        await decideReview(tx, review.id, { status: 'refused', reason: body.reason, ...decided });
        await closePendingReviews(tx, record.id);
        await updateCase(tx, record.id, { status: 'refused', refusedOn: today, refusedByUserId: context.actor.id, refusedBy: route, refusalReason: body.reason, stepSince: null });
        await auditCase(tx, context, 'case.reviewed', record, { route, decision: 'refuse', reasonWritten: true });
        await auditCase(tx, context, 'case.refused', record, { by: route, reasonWritten: true });
      });
    },

    /** POST /protection/cases/:id/refuse: civil affairs refuses the case; pending reviews close. */
    async refuse(context: RequestContext, id: string, reason: string) {
      const today = chinaDate(context.now);
      await changeCase(db, cipher, context, id, async (tx, { record }) => {
        requireStatus(record, ['county_review'], 'a refusal by civil affairs');
        const own = (await reviewsOfCase(tx, record.id)).find((review) => review.route === 'civil_affairs');
        if (own?.status === 'pending') await decideReview(tx, own.id, { status: 'refused', reason, decidedOn: today, decidedByUserId: context.actor.id, decidedAt: context.now });
        await closePendingReviews(tx, record.id);
        await updateCase(tx, record.id, { status: 'refused', refusedOn: today, refusedByUserId: context.actor.id, refusedBy: 'civil_affairs', refusalReason: reason, stepSince: null });
        await auditCase(tx, context, 'case.refused', record, { by: 'civil_affairs', reasonWritten: true });
      });
    },

    /**
     * POST /protection/cases/:id/recognise. Refused in order: 400 (categories not claimed; payable
     * without an account), 409 INVALID_STATE (not in county review, another route not approved),
     * 409 FOUR_EYES_REQUIRED, 422 CRITERIA_NOT_MET (today, under the version in force).
     */
    async recognise(context: RequestContext, id: string, body: RecogniseBody) {
      const today = chinaDate(context.now);
      await changeCase(db, cipher, context, id, async (tx, { record, child }) => {
        const found = (body.categories ?? record.categories) as ProtectionCategory[];
        const unclaimed = found.filter((category) => !record.categories.includes(category));
        if (unclaimed.length > 0) throw validationFailed(`categories found are among those claimed; not claimed: ${unclaimed.join(', ')}`, unclaimed.map((category) => ({ field: 'categories', category })));
        if (payable(found, record.hivAffected) && !bankAccountsOf(record).current) {
          throw validationFailed('a payable case needs the bank account the basic-living payment goes to (bankAccount)', [{ field: 'bankAccount' }]);
        }
        requireStatus(record, ['county_review'], 'recognition');
        const reviews = await reviewsOfCase(tx, record.id);
        const waiting = reviews.filter((review) => review.route !== 'civil_affairs' && review.status !== 'approved');
        if (waiting.length > 0) {
          throw new AppError(
            'INVALID_STATE',
            `every other office approves first: ${waiting.map((review) => `${review.route} ${review.status}`).join(', ')}`,
            [
              ...waiting.map((review) => ({ route: review.route, status: review.status })),
              { hint: `${waiting.map((review) => REVIEW_ROUTE_OFFICES_ZH[review.route as ReviewRoute]).join('、')}尚未复核同意，各部门复核同意后才能认定。` },
            ],
          );
        }
        // Nobody recognises alone (security.md §2, protection.md §4.5): not who received the case,
        // nor who last changed the account its money would go to.
        requireSecondPerson(context.actor, record.receivedByUserId, { secondStep: 'recognising this case', firstStep: 'received it' });
        requireSecondPerson(context.actor, record.bankAccountChangedByUserId, { secondStep: 'recognising this case', firstStep: 'last changed its bank account' });
        const criteria = await criteriaOn(tx, record.regionCode, today);
        const standing = evaluateCriteria({ categories: found, parents: record.parents, birthDate: child.birthDate }, criteria, today);
        if (standing.failed.length > 0) {
          throw new AppError('CRITERIA_NOT_MET', `the criteria (${criteria.id}) are not met on ${today}: ${standing.failed.map((failure) => failure.rule).join(', ')}`, standing.failed);
        }
        const { settings } = await deadlinesOf(tx, record.regionCode);
        const coverFrom = coverFromMonth(settings.coverFrom, today, record.receivedOn);
        const lastMonth = lastCoveredMonth(child.birthDate, record.studyingExpectedGraduation);
        const own = reviews.find((review) => review.route === 'civil_affairs');
        if (own?.status === 'pending') await decideReview(tx, own.id, { status: 'approved', reason: null, decidedOn: today, decidedByUserId: context.actor.id, decidedAt: context.now });
        await updateCase(tx, record.id, { status: 'recognised', recognisedOn: today, recognisedByUserId: context.actor.id, lastVerifiedOn: today, coverFrom, lastMonth, stepSince: null });
        const recorded = { recordedByUserId: context.actor.id, recordedAt: context.now };
        await upsertCategories(tx, { caseId: record.id, fromMonth: coverFrom, categories: found, ...recorded });
        await upsertLiving(tx, { caseId: record.id, fromMonth: coverFrom, livingArrangement: body.livingArrangement, ...recorded });
        await payableAgainUnderNewCase(tx, context, cipher, record);
        await auditCase(tx, context, 'case.recognised', record, { categories: found, livingArrangement: body.livingArrangement as LivingArrangement, coverFrom, lastMonth, criteriaVersionId: criteria.id });
      });
    },

    /** GET /protection/cases/:id/refusal-letter.pdf: for a refused case only. */
    async refusalLetter(context: RequestContext, id: string) {
      const found = await findCaseInScope(db, cipher, context.actor, id);
      if (!found) throw notFound('case');
      const { record, child } = found;
      if (record.status !== 'refused' || !record.refusedOn || !record.refusedBy || !record.refusalReason) throw invalidState(`the case is ${record.status}; a refusal letter is for a refused case`);
      const county = regionName(record.regionCode);
      const place = placeOf(record.villageCode);
      const decidedBy = record.refusedByUserId ? await findUser(db, record.refusedByUserId) : undefined;
      const refusedBy = record.refusedBy as 'township' | ReviewRoute;
      const pdf = await offload.run('protectionRefusalLetterPdf', {
        number: record.number,
        applicantName: record.applicantName,
        applicantRelation: relationName(record.applicantRelation),
        childName: child.name,
        childIdNumberMasked: child.idNumberMasked,
        receivedOn: record.receivedOn,
        categories: record.categories,
        refusedBy: refusingOffice(refusedBy, county, place.townshipName!),
        refusedOn: record.refusedOn,
        reason: record.refusalReason,
        issuingOffice: issuingOffice(refusedBy, county, place.townshipName!),
        decidedByName: decidedBy?.name ?? null,
        printedAt: context.now.toISOString(),
      });
      return { pdf: Buffer.from(pdf), fileName: `${record.number}-refusal.pdf` };
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
