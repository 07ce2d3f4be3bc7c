import type { Database } from '../db/client.js';
import { chinaDate } from '../domain/chinaTime.js';
import { inCareOn } from '../domain/protectionAgeRule.js';
import { countyReviewDueOn, noticeCloseDueOn, townshipCheckDueOn } from '../domain/protectionDueDates.js';
import { latestOpenQuarter, quarterStatus } from '../domain/protectionQuarterRule.js';
import { payable } from '../domain/protectionRoutesRule.js';
import { EXIT_REASONS, OPEN_CASE_STATUSES, PROTECTION_CATEGORIES, REVIEW_ROUTES, type ProtectionCategory } from '../domain/protectionVocabulary.js';
import type { RequestContext } from '../http/context.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { regionOfQuery } from '../regions/regionOfQuery.js';
import { casesOfRegion } from './cases.repository.js';
import { stepsOfCases } from './caseSteps.repository.js';
import { inForceIn, loadCaseReading } from './caseView.js';
import { quarterlyUpdatesOf } from './quarterly.repository.js';
import { townshipsInCare } from './quarterly.service.js';
import { countOpenReports } from './reports.repository.js';
import { createBasicLivingProgramme } from './basicLivingProgramme.js';
import { basicLivingPayments } from './rolls.service.js';
import { visitSchedulesOf } from './visitSchedule.js';
import { countVisitsInYear } from './visits.repository.js';

// The programme's figures (protection.md §10): open cases by status and the cases in care now; the
// year's decisions, exits (by fromMonth) and timeliness of each step (by the China date of the
// decision); the quarterly updates of the latest quarter whose last month has begun; the visits
// made in the year and the cases in care overdue a visit now; the reports open and overdue now (§9).
// Payments (§8) join when those are built.

interface Timeliness {
  decided: number;
  decidedInTime: number;
  overdueNow: number;
}

const zeroTimeliness = (): Timeliness => ({ decided: 0, decidedInTime: 0, overdueNow: 0 });

function count(timeliness: Timeliness, year: string, today: string, decidedOn: string | null, dueOn: string, waiting: boolean) {
  if (decidedOn !== null && decidedOn.startsWith(year)) {
    timeliness.decided += 1;
    if (decidedOn <= dueOn) timeliness.decidedInTime += 1;
  }
  if (waiting && today > dueOn) timeliness.overdueNow += 1;
}

export function createProtectionStatsService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;
  const programme = createBasicLivingProgramme(cipher);

  return {
    async forRegion(context: RequestContext, query: { year: number; regionCode?: string | undefined }) {
      const regionCode = regionOfQuery(context.actor, query.regionCode);
      const today = chinaDate(context.now);
      const year = String(query.year);
      const month = today.slice(0, 7);
      const cases = await casesOfRegion(db, cipher, regionCode);
      const steps = await stepsOfCases(
        db,
        cases.map((found) => found.record.id),
      );
      const { calendar, settings } = await loadCaseReading(db, regionCode, today);
      const days = settings.workingDays;

      const open = Object.fromEntries(OPEN_CASE_STATUSES.map((status) => [status, cases.filter((found) => found.record.status === status).length]));
      const caring = cases.filter(({ record }) => inCareOn({ recognisedOn: record.recognisedOn, lastMonth: record.lastMonth, exitFromMonth: record.exitFromMonth }, today));
      const categoriesNow = (caseId: string, claimed: ProtectionCategory[]) =>
        (inForceIn(
          steps.categories.filter((row) => row.caseId === caseId),
          month,
        )?.categories ?? claimed) as ProtectionCategory[];
      const byCategory = Object.fromEntries(PROTECTION_CATEGORIES.map((category) => [category, caring.filter(({ record }) => categoriesNow(record.id, record.categories).includes(category)).length]));

      const inYear = (date: string | null) => date !== null && date.startsWith(year);
      const decided = {
        recognised: cases.filter(({ record }) => inYear(record.recognisedOn)).length,
        refusedByTownship: cases.filter(({ record }) => inYear(record.refusedOn) && record.refusedBy === 'township').length,
        refusedByCounty: cases.filter(({ record }) => inYear(record.refusedOn) && record.refusedBy !== 'township').length,
        withdrawn: cases.filter(({ record }) => inYear(record.withdrawnOn)).length,
      };
      const exits = Object.fromEntries(EXIT_REASONS.map((reason) => [reason, cases.filter(({ record }) => record.exitReason === reason && record.exitFromMonth?.startsWith(year)).length]));

      const townshipCheck = zeroTimeliness();
      for (const check of steps.checks) {
        // A check that ended in a withdrawal was never decided.
        const decidedOn = check.decision === 'withdrawn' ? null : check.decidedOn;
        count(townshipCheck, year, today, decidedOn, townshipCheckDueOn(calendar, check.receivedOn, days), check.decidedOn === null);
      }
      const noticeClose = zeroTimeliness();
      const notices = new Map(steps.noticeEntries.map((entry) => [entry.noticeId, entry.notice]));
      for (const notice of notices.values()) count(noticeClose, year, today, notice.closedOn, noticeCloseDueOn(calendar, notice.noticeTo), notice.status === 'open');
      const countyReview = Object.fromEntries(REVIEW_ROUTES.map((route) => [route, zeroTimeliness()]));
      for (const review of steps.reviews) {
        // A review closed because another office refused was never decided.
        count(countyReview[review.route]!, year, today, review.decidedOn, countyReviewDueOn(calendar, review.receivedOn, days), review.status === 'pending');
      }

      const quarter = latestOpenQuarter(today);
      const expected = townshipsInCare(cases, quarter, today);
      const updates = new Map((await quarterlyUpdatesOf(db, { ...context.actor, role: 'civil_affairs', regionCode }, quarter)).map((update) => [update.townshipCode, update]));
      const overdue = [...expected.keys()].filter((code) => quarterStatus(quarter, today, updates.get(code)?.submittedOn ?? null).status === 'overdue').sort();

      const schedules = await visitSchedulesOf(db, cases, settings.visitCadenceMonths, today);
      const regionWide = { ...context.actor, role: 'civil_affairs' as const, regionCode };
      const reports = await countOpenReports(db, regionWide, new Date(context.now.getTime() - settings.reportAcknowledgeHours * 60 * 60 * 1000));

      return {
        year: query.year,
        regionCode,
        on: today,
        open,
        inCare: {
          total: caring.length,
          byCategory,
          leftBehind: caring.filter(({ record }) => record.leftBehind).length,
          hivAffected: caring.filter(({ record }) => record.hivAffected).length,
          payable: caring.filter(({ record }) => payable(categoriesNow(record.id, record.categories), record.hivAffected)).length,
        },
        decided,
        exits,
        timeliness: { townshipCheck, noticeClose, countyReview },
        quarterlyUpdates: { quarter, expected: expected.size, submitted: updates.size, overdue },
        visits: { recorded: await countVisitsInYear(db, regionCode, query.year), overdueNow: [...schedules.values()].filter((schedule) => schedule.visitOverdue).length },
        reports: { open: reports.open, overdue: reports.overdue },
        payments: await basicLivingPayments(db, programme, regionCode, query.year, context.now),
      };
    },
  };
}

export type ProtectionStatsService = ReturnType<typeof createProtectionStatsService>;
