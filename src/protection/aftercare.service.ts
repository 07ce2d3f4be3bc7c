import type { Database, Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import { addMonths } from '../domain/calendar.js';
import { chinaDate, chinaMonth } from '../domain/chinaTime.js';
import { exitFromMonth, lastCoveredMonth } from '../domain/protectionAgeRule.js';
import { evaluateCriteria, isCheckedCategory } from '../domain/protectionCriteriaRule.js';
import type { LivingArrangement, ProtectionCategory } from '../domain/protectionVocabulary.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, validationFailed } from '../http/errors.js';
import { requireSecondPerson } from '../http/fourEyes.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { auditableAccount, auditCase, changeCase, requireStatus } from './caseChanges.js';
import { bankAccountsOf, sensitiveColumns, updateCase, type BankAccountValue, type CaseRecord } from './cases.repository.js';
import type { ExitBody, StudyingBody } from './cases.schemas.js';
import { placeHold, releaseHolds, stepsOfCases, upsertCategories, upsertLiving } from './caseSteps.repository.js';
import { inForceIn } from './caseView.js';
import { paymentMonthsOfChild } from './childPayments.js';
import { exitFromRolls, holdFromRolls, moveTransfersToAccount, requireAfterLiveMonths } from './basicLivingEffects.js';
import { criteriaOn } from './setup.service.js';

// A recognised case's life (protection.md §4.5, §5): categories and living arrangement from a
// month on, exits, verification, holds, schooling that extends cover past 18, and the bank
// account, changed by one civil affairs user and confirmed by another (security.md §2).

function requireFromCover(record: CaseRecord, fromMonth: string) {
  if (record.coverFrom !== null && fromMonth < record.coverFrom) throw invalidState(`a change holds from a month at or after coverFrom (${record.coverFrom})`);
}

export function createAftercareService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;

  /**
   * The account is changed on a case in review or recognised, and on an exited case while months
   * before its exit are still owed to it (a failed transfer's, held for bank_failure): the family
   * would otherwise never be paid them (allowance.md § Corrections, read with §8).
   */
  async function requireAccountChangeable(tx: Transaction, record: CaseRecord, child: { id: string; regionCode: string }, context: RequestContext) {
    if (record.status === 'exited') {
      const owed = (await paymentMonthsOfChild(tx, cipher, child, chinaMonth(context.now))).filter((month) => month.caseId === record.id && (month.status === 'due' || month.status === 'held'));
      if (owed.length > 0) return;
      throw invalidState('the case has exited and nothing is owed to it; a change of bank account applies to a case in review, recognised, or exited with months still owed');
    }
    requireStatus(record, ['county_review', 'recognised'], 'a change of bank account');
  }

  return {
    /** POST .../categories: granting 事实无人抚养 or 特困供养 checks the criteria today. */
    async changeCategories(context: RequestContext, id: string, body: { categories: ProtectionCategory[]; fromMonth: string }) {
      const today = chinaDate(context.now);
      await changeCase(db, cipher, context, id, async (tx, { record, child }) => {
        requireStatus(record, ['recognised'], 'a change of categories');
        requireFromCover(record, body.fromMonth);
        await requireAfterLiveMonths(tx, record, body.fromMonth);
        const history = (await stepsOfCases(tx, [record.id])).categories;
        const before = (inForceIn(history, body.fromMonth)?.categories ?? record.categories) as ProtectionCategory[];
        const granted = body.categories.filter((category) => !before.includes(category) && isCheckedCategory(category));
        if (granted.length > 0) {
          const criteria = await criteriaOn(tx, record.regionCode, today);
          const standing = evaluateCriteria({ categories: granted, parents: record.parents, birthDate: child.birthDate }, criteria, today);
          if (standing.failed.length > 0) throw new AppError('CRITERIA_NOT_MET', `the criteria (${criteria.id}) are not met on ${today}: ${standing.failed.map((failure) => failure.rule).join(', ')}`, standing.failed);
        }
        await upsertCategories(tx, { caseId: record.id, fromMonth: body.fromMonth, categories: body.categories, recordedByUserId: context.actor.id, recordedAt: context.now });
        await auditCase(tx, context, 'case.categories_changed', record, { fromMonth: body.fromMonth, before, after: body.categories });
      });
    },

    async changeLivingArrangement(context: RequestContext, id: string, body: { livingArrangement: LivingArrangement; fromMonth: string }) {
      await changeCase(db, cipher, context, id, async (tx, { record }) => {
        requireStatus(record, ['recognised'], 'a change of living arrangement');
        requireFromCover(record, body.fromMonth);
        await requireAfterLiveMonths(tx, record, body.fromMonth);
        const history = (await stepsOfCases(tx, [record.id])).living;
        const before = inForceIn(history, body.fromMonth)?.livingArrangement ?? null;
        await upsertLiving(tx, { caseId: record.id, fromMonth: body.fromMonth, livingArrangement: body.livingArrangement, recordedByUserId: context.actor.id, recordedAt: context.now });
        await auditCase(tx, context, 'case.living_arrangement_changed', record, { fromMonth: body.fromMonth, before, after: body.livingArrangement });
      });
    },

    /** POST .../exit: the case leaves the register from `fromMonth` (default the month after the event's). */
    async exit(context: RequestContext, id: string, body: ExitBody) {
      const today = chinaDate(context.now);
      if (body.eventOn > today) throw validationFailed(`eventOn is after today (${today}): an exit is recorded once it happened`, [{ field: 'eventOn' }]);
      await changeCase(db, cipher, context, id, async (tx, { record }) => {
        requireStatus(record, ['recognised'], 'an exit');
        const fromMonth = exitFromMonth(body.eventOn, body.fromMonth);
        const rolls = await exitFromRolls(tx, context, cipher, record, fromMonth);
        await updateCase(tx, record.id, { status: 'exited', exitReason: body.reason, exitEventOn: body.eventOn, exitFromMonth: fromMonth, exitNote: body.note ?? null, exitedOn: today, exitedByUserId: context.actor.id });
        const released = await releaseHolds(tx, record.id, ['exit_reported', 'manual'], context.actor.id, context.now);
        await auditCase(tx, context, 'case.exited', record, { reason: body.reason, eventOn: body.eventOn, fromMonth, noteWritten: Boolean(body.note), takenOffRolls: rolls });
        if (released.length > 0) await auditCase(tx, context, 'case.released', record, { reasons: released, by: 'exit' });
      });
    },

    /** POST .../verify: a re-verification (复核) on a day; ends a review_overdue hold. */
    async verify(context: RequestContext, id: string, on: string) {
      const today = chinaDate(context.now);
      if (on > today) throw validationFailed(`on is after today (${today})`, [{ field: 'on' }]);
      await changeCase(db, cipher, context, id, async (tx, { record }) => {
        requireStatus(record, ['recognised'], 'a verification');
        if (record.recognisedOn && on < record.recognisedOn) throw validationFailed(`on is before the recognition (${record.recognisedOn})`, [{ field: 'on' }]);
        const lastVerifiedOn = record.lastVerifiedOn && record.lastVerifiedOn > on ? record.lastVerifiedOn : on;
        await updateCase(tx, record.id, { lastVerifiedOn });
        await auditCase(tx, context, 'case.verified', record, { on, by: 'civil_affairs' });
      });
    },

    async hold(context: RequestContext, id: string, reason: string) {
      await changeCase(db, cipher, context, id, async (tx, { record }) => {
        requireStatus(record, ['recognised'], 'a hold');
        const open = (await stepsOfCases(tx, [record.id])).holds;
        if (open.some((hold) => hold.reason === 'manual')) throw invalidState('the case is held by hand already');
        await placeHold(tx, { id: newId(), caseId: record.id, reason: 'manual', note: reason, placedByUserId: context.actor.id, placedAt: context.now });
        const rolls = await holdFromRolls(tx, record);
        await auditCase(tx, context, 'case.held', record, { reason: 'manual', note: reason, takenOffRolls: rolls });
      });
    },

    /** POST .../release: ends an exit_reported or manual hold. */
    async release(context: RequestContext, id: string) {
      await changeCase(db, cipher, context, id, async (tx, { record }) => {
        requireStatus(record, ['recognised'], 'a release');
        const released = await releaseHolds(tx, record.id, ['exit_reported', 'manual'], context.actor.id, context.now);
        if (released.length === 0) throw invalidState('the case has no exit_reported or manual hold to release');
        await auditCase(tx, context, 'case.released', record, { reasons: released });
      });
    },

    /** POST .../studying (township, civil affairs): cover runs to the later of the 18th birthday's month and graduation. */
    async recordStudying(context: RequestContext, id: string, body: StudyingBody) {
      const today = chinaDate(context.now);
      await changeCase(db, cipher, context, id, async (tx, { record, child }) => {
        requireStatus(record, ['recognised'], 'a schooling record');
        const lastMonth = lastCoveredMonth(child.birthDate, body.expectedGraduation);
        // An earlier graduation may not make a month already in a roll unpayable (§5: 409).
        if (record.lastMonth !== null && lastMonth < record.lastMonth) await requireAfterLiveMonths(tx, record, addMonths(lastMonth, 1));
        await updateCase(tx, record.id, {
          studyingSchool: body.school,
          studyingStage: body.stage,
          studyingExpectedGraduation: body.expectedGraduation,
          studyingRecordedOn: today,
          lastMonth,
        });
        await auditCase(tx, context, 'case.studying_recorded', record, { school: body.school, stage: body.stage, expectedGraduation: body.expectedGraduation, lastMonth, before: record.lastMonth });
      });
    },

    /** PUT .../bank-account: pending until another civil affairs user confirms; payments go to the old one until then. */
    async requestBankAccount(context: RequestContext, id: string, account: BankAccountValue) {
      await changeCase(db, cipher, context, id, async (tx, { record, child }) => {
        await requireAccountChangeable(tx, record, child, context);
        await updateCase(tx, record.id, { pendingBankRequestedByUserId: context.actor.id, pendingBankRequestedAt: context.now }, sensitiveColumns(cipher, { pendingBankAccount: account }));
        await auditCase(tx, context, 'bank_account.change_requested', record, { before: auditableAccount(bankAccountsOf(record).current), after: auditableAccount(account) });
      });
    },

    /** POST .../bank-account/confirm: another civil affairs user (state first, then four eyes); ends a bank_failure hold. */
    async confirmBankAccount(context: RequestContext, id: string) {
      await changeCase(db, cipher, context, id, async (tx, { record, child }) => {
        await requireAccountChangeable(tx, record, child, context);
        const { current, pending } = bankAccountsOf(record);
        if (!pending || !record.pendingBankRequestedByUserId) throw invalidState('no change of bank account waits for confirmation');
        requireSecondPerson(context.actor, record.pendingBankRequestedByUserId, { secondStep: 'confirming this bank account change', firstStep: 'asked for it' });
        await updateCase(
          tx,
          record.id,
          { bankAccountChangedByUserId: record.pendingBankRequestedByUserId, pendingBankRequestedByUserId: null, pendingBankRequestedAt: null },
          sensitiveColumns(cipher, { bankAccount: pending, pendingBankAccount: null }),
        );
        const released = await releaseHolds(tx, record.id, ['bank_failure'], context.actor.id, context.now);
        const rolls = await moveTransfersToAccount(tx, cipher, record, pending);
        await auditCase(tx, context, 'bank_account.confirmed', record, { before: auditableAccount(current), after: auditableAccount(pending), requestedByUserId: record.pendingBankRequestedByUserId, rolls });
        if (released.length > 0) await auditCase(tx, context, 'case.released', record, { reasons: released, by: 'bank_account_confirmed' });
      });
    },
  };
}

export type AftercareService = ReturnType<typeof createAftercareService>;
