import { findChildInScope } from '../children/children.repository.js';
import { sqlState, violatedConstraint, type Database, type Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import { ageInFullYears } from '../domain/calendar.js';
import { chinaDate } from '../domain/chinaTime.js';
import { noticeToOf } from '../domain/protectionDueDates.js';
import { needsNotice } from '../domain/protectionRoutesRule.js';
import { OPEN_CASE_STATUSES } from '../domain/protectionVocabulary.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { movePlaceOfOpenTransfers } from './basicLivingEffects.js';
import { auditableAccount, auditableBody, auditCase, changeCase, deadlinesOf, requireStatus, sendToCounty } from './caseChanges.js';
import { bankAccountsOf, findLiveCaseOfChild, insertCase, nextCaseNumber, sensitiveColumns, updateCase, type CaseRecord } from './cases.repository.js';
import type { CaseBody, CheckBody } from './cases.schemas.js';
import { closePendingReviews, decideCheck, insertCheck, moveCheckReceipt, pendingCheckOf } from './caseSteps.repository.js';
import { addCaseToNotice, findOpenNotice, insertNotice, takeCaseOffNotices } from './notices.repository.js';
import { refuseIfClosed, type CloseRefusalReason } from '../children/closedChild.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { FieldCipher } from '../keys/fieldCipher.js';

// Receiving (受理), correcting and withdrawing a case, and the township's check (核查) with the
// village notice it starts (protection.md §4.1–4.3). Receiving and checking never check criteria.

const bankOf = (body: CaseBody) => (body.bankAccount ? { bank: body.bankAccount.bank, accountName: body.bankAccount.accountName, accountNumber: body.bankAccount.accountNumber } : null);

function sameBank(a: { accountNumber: string; bank: string; accountName: string } | null, b: { accountNumber: string; bank: string; accountName: string } | null) {
  return a === null ? b === null : b !== null && a.accountNumber === b.accountNumber && a.bank === b.bank && a.accountName === b.accountName;
}

/** The plain columns of a case as its body gives them. */
function bodyColumns(body: CaseBody, receivedOn: string) {
  return {
    receivedOn,
    viaVillage: body.viaVillage,
    applicantName: body.applicant.name,
    applicantRelation: body.applicant.relation,
    applicantPhone: body.applicant.phone,
    categories: body.categories,
    severeBasis: body.severeBasis ?? null,
    schoolingSupport: body.schoolingSupport,
    leftBehind: body.leftBehind,
    documents: body.documents,
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** The child's age on the day of receipt decides: 18 or older is refused (age never counts at recognition). */
function checkReceipt(receivedOn: string, today: string, birthDate: string) {
  if (receivedOn > today) throw validationFailed(`receivedOn is after today (${today})`, [{ field: 'receivedOn' }]);
  if (receivedOn < birthDate) throw validationFailed('receivedOn is before the child’s birth', [{ field: 'receivedOn' }]);
  if (ageInFullYears(birthDate, receivedOn) >= 18) throw new AppError('INELIGIBLE_AGE', `the child was 18 or older on ${receivedOn}`);
}

/**
 * Why a child's record may not be closed yet, from the protection of children in difficulty: a
 * case still open or in care would go on (and, once recognised, be paid) on the closed record.
 */
export async function protectionRefusalToClose(tx: Transaction, childId: string): Promise<CloseRefusalReason | null> {
  const live = await findLiveCaseOfChild(tx, childId);
  if (!live) return null;
  return {
    message: `the child has a ${live.status} protection case (${live.number}): civil affairs ends it first`,
    hint: `该儿童有困境儿童保障案件（${live.number}），请先由民政部门办结或退出后再注销档案。`,
  };
}

/**
 * A child moved to another village (PUT /children/:id/village): the child's live case moves with it,
 * in the same transaction, so that the township the child now lives in reads, checks and visits it
 * and the one it left no longer does (protection.md §1). A case on a village notice stays where it
 * is posted: the move waits until the notice is closed or the case taken off it.
 */
export async function moveLiveCaseWithChild(tx: Transaction, context: RequestContext, childId: string, villageCode: string): Promise<void> {
  const live = await findLiveCaseOfChild(tx, childId);
  if (!live || live.villageCode === villageCode) return;
  if (live.status === 'notice') {
    throw invalidState(
      `the child's case ${live.number} is on the notice of village ${live.villageCode}: close the notice first`,
      `该儿童的案件（${live.number}）正在原村（社区）公示，公示结束后再变更村（社区）。`,
    );
  }
  const townshipCode = villageCode.slice(0, 9);
  await updateCase(tx, live.id, { villageCode, townshipCode });
  const rolls = live.status === 'recognised' ? await movePlaceOfOpenTransfers(tx, live, villageCode) : [];
  await auditCase(tx, context, 'case.corrected', live, { moved: { from: { villageCode: live.villageCode, townshipCode: live.townshipCode }, to: { villageCode, townshipCode } }, rolls });
}

export function createIntakeService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;

  /** The case goes on its village's open notice of that first day, or starts one. */
  async function postOnNotice(tx: Transaction, context: RequestContext, record: CaseRecord, noticeFrom: string, today: string): Promise<string> {
    let notice = await findOpenNotice(tx, record.villageCode, noticeFrom);
    if (!notice) {
      const { calendar, settings } = await deadlinesOf(tx, record.regionCode);
      notice = await insertNotice(tx, {
        id: newId(),
        regionCode: record.regionCode,
        townshipCode: record.townshipCode,
        villageCode: record.villageCode,
        noticeFrom,
        noticeTo: noticeToOf(calendar, noticeFrom, settings.workingDays),
        status: 'open',
        openedByUserId: context.actor.id,
        createdAt: context.now,
      });
      await recordAudit(tx, context, {
        action: 'notice.opened',
        entityType: 'notice',
        entityId: notice.id,
        regionCode: notice.regionCode,
        data: { villageCode: notice.villageCode, noticeFrom: notice.noticeFrom, noticeTo: notice.noticeTo },
      });
    }
    await addCaseToNotice(tx, { noticeId: notice.id, caseId: record.id, addedOn: today });
    await updateCase(tx, record.id, { status: 'notice', stepSince: notice.noticeTo });
    return notice.id;
  }

  return {
    /** POST /protection/cases: a township of the child's village, or civil affairs on its behalf. */
    async receive(context: RequestContext, body: CaseBody): Promise<string> {
      const today = chinaDate(context.now);
      const receivedOn = body.receivedOn ?? today;
      try {
        return await db.transaction(async (tx) => {
          const child = await findChildInScope(tx, context.actor, body.childId);
          if (!child) throw notFound('child');
          refuseIfClosed(child);
          if (!child.villageCode) throw validationFailed('the child has no village yet: set it first (PUT /children/:id/village)', [{ field: 'villageCode' }]);
          checkReceipt(receivedOn, today, child.birthDate);
          const existing = await findLiveCaseOfChild(tx, child.id);
          if (existing) throw new AppError('ALREADY_EXISTS', `the child already has a case (${existing.number}, ${existing.status})`, [{ id: existing.id }]);
          const id = newId();
          const bankAccount = bankOf(body);
          const record = {
            id,
            number: await nextCaseNumber(tx, child.regionCode, Number(receivedOn.slice(0, 4))),
            childId: child.id,
            regionCode: child.regionCode,
            townshipCode: child.villageCode.slice(0, 9),
            villageCode: child.villageCode,
            status: 'received' as const,
            ...bodyColumns(body, receivedOn),
            receivedByUserId: context.actor.id,
            hivAffected: body.hivAffected,
            parents: body.parents,
            bankAccount,
            bankAccountChangedByUserId: bankAccount ? context.actor.id : null,
            stepSince: receivedOn,
            createdAt: context.now,
          };
          await insertCase(tx, cipher, record);
          await insertCheck(tx, { id: newId(), caseId: id, receivedOn });
          await auditCase(tx, context, 'case.received', record, { ...auditableBody(record, child.idNumberMasked!), bankAccount: auditableAccount(bankAccount) });
          return id;
        });
      } catch (error) {
        // Two receipts of one child at the same moment: the partial unique index refuses the second.
        if (sqlState(error) === '23505' && violatedConstraint(error) === 'protection_cases_live_child_key') {
          throw new AppError('ALREADY_EXISTS', 'the child’s case was received at the same moment by another request');
        }
        throw error;
      }
    },

    /**
     * PUT /protection/cases/:id: the same body. A township while received or returned; civil
     * affairs also in county review, keeping the categories, severeBasis and schoolingSupport the
     * routes were fixed from. receivedOn may change only before the first check.
     */
    async correct(context: RequestContext, id: string, body: CaseBody) {
      const today = chinaDate(context.now);
      await changeCase(db, cipher, context, id, async (tx, { record, child }) => {
        const allowed = context.actor.role === 'civil_affairs' ? (['received', 'returned_to_township', 'county_review'] as const) : (['received', 'returned_to_township'] as const);
        requireStatus(record, allowed, 'a correction');
        if (body.childId !== record.childId) throw validationFailed('a case stays the case of its child: childId cannot change', [{ field: 'childId' }]);
        if (record.status === 'county_review') {
          const same = sameList(body.categories, record.categories) && (body.severeBasis ?? null) === record.severeBasis && body.schoolingSupport === record.schoolingSupport;
          if (!same) throw invalidState('in county review the routes are fixed: categories, severeBasis and schoolingSupport stay as they are');
        }
        const receivedOn = body.receivedOn ?? record.receivedOn;
        if (receivedOn !== record.receivedOn) {
          if (record.status !== 'received') throw invalidState('the day of receipt changes only before the township’s first check');
          checkReceipt(receivedOn, today, child.birthDate);
          const check = await pendingCheckOf(tx, record.id);
          // The first check's receipt is the case's.
          if (check) await moveCheckReceipt(tx, check.id, receivedOn);
        }
        const bankAccount = bankOf(body);
        const before = bankAccountsOf(record).current;
        const bankChanged = !sameBank(before, bankAccount);
        const { applicantPhone, ...after } = bodyColumns(body, receivedOn);
        await updateCase(
          tx,
          record.id,
          {
            ...after,
            ...(record.status === 'received' ? { stepSince: receivedOn } : {}),
            ...(bankChanged ? { bankAccountChangedByUserId: context.actor.id } : {}),
          },
          sensitiveColumns(cipher, { applicantPhone, parents: body.parents, hivAffected: body.hivAffected, bankAccount }),
        );
        await auditCase(tx, context, 'case.corrected', record, {
          before: auditableBody(record, child.idNumberMasked!),
          after: auditableBody({ ...after, applicantPhone }, child.idNumberMasked!),
          // Whether they changed, never what they say.
          parentsChanged: JSON.stringify(record.parents) !== JSON.stringify({ father: body.parents.father, mother: body.parents.mother }),
          ...(bankChanged ? { bankAccount: { before: auditableAccount(before), after: auditableAccount(bankAccount) } } : {}),
        });
      });
    },

    /** POST /protection/cases/:id/withdraw (township): from any open state; off its notice, reviews closed. */
    async withdraw(context: RequestContext, id: string, reason: string) {
      const today = chinaDate(context.now);
      await changeCase(db, cipher, context, id, async (tx, { record }) => {
        requireStatus(record, OPEN_CASE_STATUSES, 'a withdrawal');
        const check = await pendingCheckOf(tx, record.id);
        if (check) await decideCheck(tx, check.id, { decision: 'withdrawn', reason, noticeFrom: null, decidedOn: today, decidedByUserId: context.actor.id, decidedAt: context.now });
        const notices = await takeCaseOffNotices(tx, record.id, today, 'withdrawn');
        await closePendingReviews(tx, record.id);
        await updateCase(tx, record.id, { status: 'withdrawn', withdrawnOn: today, withdrawalReason: reason, stepSince: null });
        await auditCase(tx, context, 'case.withdrawn', record, { from: record.status, reasonWritten: true, ...(notices.length > 0 ? { takenOffNotices: notices } : {}) });
      });
    },

    /**
     * POST /protection/cases/:id/check (township): refuse → refused; agree → county review when
     * every claimed category is a no-notice one (never posted), else the village notice.
     */
    async check(context: RequestContext, id: string, body: CheckBody) {
      const today = chinaDate(context.now);
      const run = () =>
        changeCase(db, cipher, context, id, async (tx, { record }) => {
          requireStatus(record, ['received', 'returned_to_township'], 'the township’s check');
          const check = await pendingCheckOf(tx, record.id);
          if (!check) throw new Error(`case ${record.id} waits for a check but has none pending`);
          const decided = { decidedOn: today, decidedByUserId: context.actor.id, decidedAt: context.now };
          if (body.decision === 'refuse') {
            await decideCheck(tx, check.id, { decision: 'refuse', reason: body.reason, noticeFrom: null, ...decided });
            await updateCase(tx, record.id, { status: 'refused', refusedOn: today, refusedByUserId: context.actor.id, refusedBy: 'township', refusalReason: body.reason, stepSince: null });
            await auditCase(tx, context, 'case.checked', record, { decision: 'refuse', reasonWritten: true });
            return;
          }
          const { settings } = await deadlinesOf(tx, record.regionCode);
          if (!needsNotice(record.categories, settings.noNoticeCategories)) {
            await decideCheck(tx, check.id, { decision: 'agree', reason: null, noticeFrom: null, ...decided });
            await auditCase(tx, context, 'case.checked', record, { decision: 'agree', notice: false });
            await sendToCounty(tx, context, record, today, 'no_notice');
            return;
          }
          const noticeFrom = body.noticeFrom ?? today;
          if (noticeFrom < check.receivedOn) throw validationFailed(`noticeFrom is before the case was received (${check.receivedOn})`, [{ field: 'noticeFrom' }]);
          await decideCheck(tx, check.id, { decision: 'agree', reason: null, noticeFrom, ...decided });
          const noticeId = await postOnNotice(tx, context, record, noticeFrom, today);
          await auditCase(tx, context, 'case.checked', record, { decision: 'agree', notice: true, noticeId, noticeFrom });
        });
      try {
        await run();
      } catch (error) {
        // Two cases of a village agreed at the same moment both started the day's notice: the
        // second joins the first's on a second try.
        if (sqlState(error) === '23505' && violatedConstraint(error) === 'protection_notices_open_key') return run();
        throw error;
      }
    },
  };
}

export type IntakeService = ReturnType<typeof createIntakeService>;
