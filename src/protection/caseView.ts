import { userNames } from '../auth/users.repository.js';
import { recordedYears } from '../calendar/calendar.repository.js';
import type { Executor } from '../db/client.js';
import { maskAccountNumber, maskPhone } from '../domain/masks.js';
import { caseEnded } from '../domain/protectionAgeRule.js';
import { evaluateCriteria, type CriteriaVersion } from '../domain/protectionCriteriaRule.js';
import { countyReviewDueOn, noticeCloseDueOn, townshipCheckDueOn } from '../domain/protectionDueDates.js';
import type { CaseStatus, LivingArrangement, ProtectionCategory, PresentedCaseStatus, ReviewRoute } from '../domain/protectionVocabulary.js';
import { visitScheduleOn } from '../domain/protectionVisitRule.js';
import { reviewOverdue } from '../domain/verificationRule.js';
import { WorkingCalendar } from '../domain/workingCalendar.js';
import type { Actor } from '../http/context.js';
import { iso } from '../http/schemas.js';
import { findRegionSettings } from '../regions/regions.repository.js';
import { protectionSettingsOf, type ProtectionSettings } from '../regions/protectionSettings.js';
import { placeOf } from '../regions/divisions.js';
import { bankAccountsOf, routeOf, type BankAccountValue, type CaseWithChild } from './cases.repository.js';
import { payable } from '../domain/protectionRoutesRule.js';
import { stepsOfCases, type CaseSteps, type CategoriesRow, type LivingRow } from './caseSteps.repository.js';
import type { CaseView } from './cases.schemas.js';
import { criteriaOn } from './setup.service.js';
import { lastVisitsOf } from './visits.repository.js';

// A case as it is answered (protection.md §4): its body, its steps with their due dates, today's
// standing under the criteria, the recognition with its history, and what each role may see: the
// account number in full only for civil affairs; the parents' facts, hivAffected, the account and
// the criteria's details never for the reviewer (残联) or a department.

/** What answering cases needs besides the cases: the calendar, the region's settings, the criteria in force. */
export interface CaseReading {
  calendar: WorkingCalendar;
  settings: ProtectionSettings;
  criteria: CriteriaVersion;
  today: string;
}

export async function loadCaseReading(db: Executor, regionCode: string, today: string): Promise<CaseReading> {
  const [recorded, settings, criteria] = await Promise.all([recordedYears(db), findRegionSettings(db, regionCode), criteriaOn(db, regionCode, today)]);
  return { calendar: new WorkingCalendar(recorded), settings: protectionSettingsOf(settings), criteria, today };
}

/** Who sees the sensitive parts of a case: the offices of the county and the township that run it. */
const seesFamily = (actor: Actor) => actor.role === 'civil_affairs' || actor.role === 'township';

const bankFor = (actor: Actor, account: BankAccountValue) => ({
  bank: account.bank,
  accountName: account.accountName,
  accountNumber: actor.role === 'civil_affairs' ? account.accountNumber : maskAccountNumber(account.accountNumber),
});

const inTime = (decidedOn: string | null, dueOn: string) => (decidedOn === null ? null : decidedOn <= dueOn);

/** The row of a month-by-month history in force in `month` (the first one before it starts). */
export function inForceIn<Row extends { fromMonth: string }>(rows: readonly Row[], month: string): Row | undefined {
  let found: Row | undefined;
  for (const row of rows) if (row.fromMonth <= month) found = row;
  return found ?? rows[0];
}

export function presentedStatus(status: CaseStatus, lastMonth: string | null, month: string): PresentedCaseStatus {
  return status === 'recognised' && lastMonth !== null && caseEnded(lastMonth, month) ? 'ended' : status;
}

function presentOne(actor: Actor, found: CaseWithChild, steps: CaseSteps, reading: CaseReading, names: Map<string, string>, lastVisits: Map<string, string>): CaseView {
  const { record, child } = found;
  const { calendar, settings, today } = reading;
  const month = today.slice(0, 7);
  const days = settings.workingDays;
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
  const mine = <Row extends { caseId: string }>(rows: readonly Row[]) => rows.filter((row) => row.caseId === record.id);
  // What people wrote about the family (a check's or an objection's reason, a refusal, a withdrawal,
  // an exit note, a hold's note) often states the parents' facts (protection.md §13: 母亲失联未满6个月):
  // civil affairs and the township read it; an office that only reviews reads its own reason only.
  const family = seesFamily(actor);
  const ownRoute = routeOf(actor);
  const written = (text: string | null) => (family ? text : null);

  const checkRows = mine(steps.checks);
  const checks = checkRows.map((check) => {
    const dueOn = townshipCheckDueOn(calendar, check.receivedOn, days);
    return {
      id: check.id,
      receivedOn: check.receivedOn,
      dueOn,
      decidedOn: check.decidedOn,
      decidedInTime: inTime(check.decidedOn, dueOn),
      decision: check.decision as 'agree' | 'refuse' | 'withdrawn' | null,
      reason: written(check.reason),
      noticeFrom: check.noticeFrom,
      decidedBy: person(check.decidedByUserId),
    };
  });
  const notices = mine(steps.noticeEntries).map((entry) => {
    const dueOn = noticeCloseDueOn(calendar, entry.notice.noticeTo);
    const decidedOn = entry.removedOn ?? entry.notice.closedOn;
    return {
      noticeId: entry.noticeId,
      receivedOn: entry.addedOn,
      dueOn,
      decidedOn,
      decidedInTime: inTime(decidedOn, dueOn),
      noticeFrom: entry.notice.noticeFrom,
      noticeTo: entry.notice.noticeTo,
      status: entry.notice.status as 'open' | 'closed',
      removed: entry.removedReason as 'objection' | 'withdrawn' | null,
    };
  });
  const objections = mine(steps.objections).map((objection) => {
    const dueOn = townshipCheckDueOn(calendar, objection.on, days);
    const recheck = checkRows.find((check) => check.objectionId === objection.id);
    const decidedOn = recheck?.decidedOn ?? null;
    return { id: objection.id, noticeId: objection.noticeId, reason: written(objection.reason), on: objection.on, by: person(objection.recordedByUserId), receivedOn: objection.on, dueOn, decidedOn, decidedInTime: inTime(decidedOn, dueOn) };
  });
  const reviews = mine(steps.reviews).map((review) => {
    const dueOn = countyReviewDueOn(calendar, review.receivedOn, days);
    return {
      id: review.id,
      route: review.route as ReviewRoute,
      status: review.status as 'pending' | 'approved' | 'refused' | 'closed',
      decidedBy: person(review.decidedByUserId),
      reason: family || review.route === ownRoute ? review.reason : null,
      receivedOn: review.receivedOn,
      dueOn,
      decidedOn: review.decidedOn,
      decidedInTime: inTime(review.decidedOn, dueOn),
    };
  });

  let step: CaseView['step'] = null;
  let dueOn: string | null = null;
  if (record.status === 'received' || record.status === 'returned_to_township') {
    step = 'township_check';
    dueOn = checks.find((check) => check.decidedOn === null)?.dueOn ?? null;
  } else if (record.status === 'notice') {
    step = 'notice';
    dueOn = notices.find((notice) => notice.decidedOn === null)?.dueOn ?? null;
  } else if (record.status === 'county_review' && record.countyReceivedOn) {
    step = 'county_review';
    dueOn = countyReviewDueOn(calendar, record.countyReceivedOn, days);
  }

  const categoryRows = mine(steps.categories) as CategoriesRow[];
  const livingRows = mine(steps.living) as LivingRow[];
  const recognised = record.recognisedOn !== null && record.coverFrom !== null && record.lastMonth !== null;
  const currentCategories = recognised ? ((inForceIn(categoryRows, month)?.categories ?? record.categories) as ProtectionCategory[]) : null;
  const status = presentedStatus(record.status, record.lastMonth, month);

  const holds: CaseView['holds'] = mine(steps.holds).map((hold) => ({ reason: hold.reason as 'manual', note: written(hold.note), since: iso(hold.placedAt) }));
  if (status === 'recognised' && reviewOverdue(record.lastVerifiedOn, month)) holds.push({ reason: 'review_overdue', note: null, since: null });
  // Payable this month with no account to pay: a roll holds it (basicLivingProgramme.ts), so its page says so.
  if (status === 'recognised' && currentCategories && payable(currentCategories, record.hivAffected) && !bankAccountsOf(record).current) holds.push({ reason: 'no_account', note: null, since: null });

  const lastChange = (rows: readonly { recordedAt: Date }[]) => rows.reduce<Date | null>((latest, row) => (latest === null || row.recordedAt > latest ? row.recordedAt : latest), null);
  const categoriesChangedAt = lastChange(categoryRows);
  const livingChangedAt = lastChange(livingRows);
  const reportedChanges = mine(steps.reportedChanges).flatMap((line) => {
    const changes = (line.changes ?? {}) as { livingArrangement?: LivingArrangement | null; categories?: ProtectionCategory[] | null; note?: string | null };
    const living = changes.livingArrangement && !(livingChangedAt && livingChangedAt >= line.submittedAt) ? changes.livingArrangement : null;
    const categories = changes.categories && !(categoriesChangedAt && categoriesChangedAt >= line.submittedAt) ? changes.categories : null;
    if (!living && !categories) return [];
    return [{ quarter: line.quarter, reportedOn: line.submittedOn, livingArrangement: living, categories, note: written(changes.note ?? null) }];
  });

  const accounts = bankAccountsOf(record);
  const criteriaCategories = currentCategories ?? record.categories;
  const standing = evaluateCriteria({ categories: criteriaCategories, parents: record.parents, birthDate: child.birthDate }, reading.criteria, today);
  const place = placeOf(record.villageCode);
  const livingArrangement = (inForceIn(livingRows, month)?.livingArrangement ?? 'scattered') as LivingArrangement;
  const visits = visitScheduleOn(
    { inCare: status === 'recognised', recognisedOn: record.recognisedOn, categories: currentCategories ?? record.categories, livingArrangement, lastVisitedOn: lastVisits.get(record.id) ?? null },
    settings.visitCadenceMonths,
    today,
  );

  return {
    id: record.id,
    number: record.number,
    childId: record.childId,
    childName: child.name,
    childIdNumberMasked: child.idNumberMasked,
    sex: child.sex as 'male' | 'female',
    birthDate: child.birthDate,
    regionCode: record.regionCode,
    townshipCode: record.townshipCode,
    townshipName: place.townshipName!,
    villageCode: record.villageCode,
    villageName: place.villageName!,
    status,
    receivedOn: record.receivedOn,
    receivedBy: person(record.receivedByUserId),
    viaVillage: record.viaVillage,
    applicant: { name: record.applicantName, relation: record.applicantRelation, phone: family ? record.applicantPhone : maskPhone(record.applicantPhone) },
    categories: record.categories,
    severeBasis: record.severeBasis,
    schoolingSupport: record.schoolingSupport,
    leftBehind: record.leftBehind,
    ...(family
      ? {
          hivAffected: record.hivAffected,
          parents: record.parents as CaseView['parents'] & object,
          bankAccount: accounts.current ? bankFor(actor, accounts.current) : null,
          pendingBankAccount:
            accounts.pending && record.pendingBankRequestedAt
              ? { ...bankFor(actor, accounts.pending), requestedBy: person(record.pendingBankRequestedByUserId), requestedAt: iso(record.pendingBankRequestedAt) }
              : null,
        }
      : {}),
    documents: record.documents,
    dueOn,
    overdue: dueOn !== null && today > dueOn,
    step,
    countyReceivedOn: record.countyReceivedOn,
    checks,
    notices,
    objections,
    reviews,
    criteria: family ? { versionId: reading.criteria.id, on: today, met: standing.met, failed: standing.failed } : null,
    recognition: recognised
      ? {
          recognisedOn: record.recognisedOn!,
          recognisedBy: person(record.recognisedByUserId),
          categories: currentCategories!,
          categoryHistory: categoryRows.map((row) => ({ fromMonth: row.fromMonth, categories: row.categories as ProtectionCategory[] })),
          livingArrangement,
          livingArrangementHistory: livingRows.map((row) => ({ fromMonth: row.fromMonth, livingArrangement: row.livingArrangement as LivingArrangement })),
          coverFrom: record.coverFrom!,
          lastMonth: record.lastMonth!,
        }
      : null,
    refusal:
      record.status === 'refused' && record.refusedOn && record.refusalReason && record.refusedBy
        ? { refusedOn: record.refusedOn, by: record.refusedBy as 'township', decidedBy: person(record.refusedByUserId), reason: family || record.refusedBy === ownRoute ? record.refusalReason : null }
        : null,
    withdrawal: record.withdrawnOn ? { withdrawnOn: record.withdrawnOn, reason: written(record.withdrawalReason ?? '') } : null,
    studying:
      record.studyingStage && record.studyingExpectedGraduation && record.studyingRecordedOn
        ? { school: record.studyingSchool ?? '', stage: record.studyingStage as 'high_school', expectedGraduation: record.studyingExpectedGraduation, recordedOn: record.studyingRecordedOn }
        : null,
    exit:
      record.exitReason && record.exitFromMonth
        ? { reason: record.exitReason as 'other', eventOn: record.exitEventOn, fromMonth: record.exitFromMonth, note: written(record.exitNote), recordedOn: record.exitedOn }
        : null,
    holds,
    lastVerifiedOn: record.lastVerifiedOn,
    reportedChanges,
    nextVisitDue: visits?.nextVisitDue ?? null,
    visitOverdue: visits?.visitOverdue ?? false,
    createdAt: iso(record.createdAt),
  };
}

/** The people a set of cases names, by id. */
function peopleOf(cases: readonly CaseWithChild[], steps: CaseSteps): string[] {
  const ids: (string | null)[] = [];
  for (const { record } of cases) ids.push(record.receivedByUserId, record.recognisedByUserId, record.refusedByUserId, record.pendingBankRequestedByUserId);
  for (const check of steps.checks) ids.push(check.decidedByUserId);
  for (const objection of steps.objections) ids.push(objection.recordedByUserId);
  for (const review of steps.reviews) ids.push(review.decidedByUserId);
  return ids.filter((id): id is string => id !== null);
}

/** Several cases of one region as the actor sees them, with their steps read in one go. */
export async function presentCases(db: Executor, actor: Actor, cases: readonly CaseWithChild[], reading: CaseReading): Promise<CaseView[]> {
  const steps = await stepsOfCases(
    db,
    cases.map((found) => found.record.id),
  );
  const [names, lastVisits] = await Promise.all([userNames(db, peopleOf(cases, steps)), lastVisitsOf(db, cases.map((found) => found.record.id))]);
  return cases.map((found) => presentOne(actor, found, steps, reading, names, lastVisits));
}
