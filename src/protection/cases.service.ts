import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { protectionCases } from '../db/schema.js';
import { chinaDate, chinaMonth } from '../domain/chinaTime.js';
import { OPEN_CASE_STATUSES, type OpenCaseStatus } from '../domain/protectionVocabulary.js';
import type { WorkingCalendar } from '../domain/workingCalendar.js';
import type { ProtectionWorkingDays } from '../domain/protectionDueDates.js';
import type { RequestContext } from '../http/context.js';
import { notFound, validationFailed } from '../http/errors.js';
import { decodeCursor, decodeDateCursor, encodeCursor } from '../http/pagination.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { casesInScope, findCase, findCaseInScope, listCasesById, listCasesByStep, routeOf, type CaseFilter } from './cases.repository.js';
import type { CaseListQuery, CaseView } from './cases.schemas.js';
import { pendingReviewOf } from './caseSteps.repository.js';
import { paymentMonthsOfChild } from './childPayments.js';
import { loadCaseReading, presentCases } from './caseView.js';
import { visitSchedulesOf } from './visitSchedule.js';

// Reading cases (protection.md §4): one case, and the queues — by status (an open status by due
// date), township, village, category, child; overdue; pending for the caller's office.

/**
 * "Its step waits past its due date" as a condition on the day the step started: the due date
 * grows with that day, so a cut-off per step does it without computing every due date.
 */
function overdueCondition(calendar: WorkingCalendar, days: ProtectionWorkingDays, today: string): SQL {
  const cutoff = (status: OpenCaseStatus, workingDays: number) =>
    and(eq(protectionCases.status, status), sql`${protectionCases.stepSince} <= ${calendar.lastReceiptOverdueOn(today, workingDays)}`)!;
  return or(
    cutoff('received', days.townshipCheck),
    cutoff('returned_to_township', days.townshipCheck),
    // A notice's step starts on its last day; it is due to be closed the next working day.
    cutoff('notice', 1),
    cutoff('county_review', days.countyReview),
  )!;
}

export function createCasesService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;

  return {
    /** GET /protection/cases/:id; the township and civil affairs also see its basic-living months (§4, §8). */
    async get(context: RequestContext, id: string): Promise<CaseView> {
      const found = await findCaseInScope(db, cipher, context.actor, id);
      if (!found) throw notFound('case');
      const reading = await loadCaseReading(db, found.record.regionCode, chinaDate(context.now));
      const view = (await presentCases(db, context.actor, [found], reading))[0]!;
      if (context.actor.role !== 'township' && context.actor.role !== 'civil_affairs') return view;
      const months = await paymentMonthsOfChild(db, cipher, { id: found.record.childId, regionCode: found.record.regionCode }, chinaMonth(context.now));
      return { ...view, months: months.filter((month) => month.caseId === id) };
    },

    /** The case as its actor sees it right after a change (a department that refused still sees it). */
    async afterChange(context: RequestContext, id: string): Promise<CaseView> {
      const found = (await findCaseInScope(db, cipher, context.actor, id)) ?? (await findCase(db, cipher, id));
      if (!found) throw notFound('case');
      const reading = await loadCaseReading(db, found.record.regionCode, chinaDate(context.now));
      return (await presentCases(db, context.actor, [found], reading))[0]!;
    },

    async list(context: RequestContext, query: CaseListQuery) {
      const { actor } = context;
      const today = chinaDate(context.now);
      const reading = await loadCaseReading(db, actor.regionCode!, today);
      const extra: SQL[] = [];
      if (query.pending === 'true') {
        const route = routeOf(actor);
        if (!route) throw validationFailed('pending=true lists the reviews waiting for a county office; a township has none', [{ field: 'pending' }]);
        extra.push(pendingReviewOf(route, protectionCases.id));
      }
      if (query.overdue === 'true') extra.push(overdueCondition(reading.calendar, reading.settings.workingDays, today));
      const filter: CaseFilter = {
        status: query.status,
        townshipCode: query.townshipCode,
        villageCode: query.villageCode,
        category: query.category,
        childId: query.childId,
        extra,
        month: today.slice(0, 7),
      };
      if (query.visitOverdue === 'true' || query.visitDueBy) {
        // Cases in care by the day their next visit is due (§9): due dates come from each case's
        // categories, living arrangement and latest visit, so they are computed, then ordered.
        const caring = await casesInScope(db, cipher, actor, { ...filter, status: filter.status ?? 'recognised' });
        const schedules = await visitSchedulesOf(db, caring, reading.settings.visitCadenceMonths, today);
        const after = decodeDateCursor(query.cursor);
        const due = caring
          .flatMap((found) => {
            const schedule = schedules.get(found.record.id);
            if (!schedule || (query.visitOverdue === 'true' && !schedule.visitOverdue) || (query.visitDueBy && schedule.nextVisitDue > query.visitDueBy)) return [];
            return [{ found, on: schedule.nextVisitDue }];
          })
          .sort((a, b) => (a.on === b.on ? (a.found.record.id < b.found.record.id ? -1 : 1) : a.on < b.on ? -1 : 1))
          .filter(({ found, on }) => !after || on > after.date || (on === after.date && found.record.id > after.id));
        const pageRows = due.slice(0, query.limit);
        const last = pageRows.at(-1);
        return {
          items: await presentCases(
            db,
            actor,
            pageRows.map(({ found }) => found),
            reading,
          ),
          nextCursor: due.length > query.limit && last ? encodeCursor([last.on, last.found.record.id]) : null,
        };
      }
      const byStep = query.status !== undefined && (OPEN_CASE_STATUSES as readonly string[]).includes(query.status);
      const rows = byStep
        ? await listCasesByStep(db, cipher, actor, filter, { after: decodeDateCursor(query.cursor), limit: query.limit })
        : await listCasesById(db, cipher, actor, filter, { after: decodeCursor(query.cursor), limit: query.limit });
      const pageRows = rows.slice(0, query.limit);
      const last = pageRows.at(-1);
      const nextCursor = rows.length > query.limit && last ? encodeCursor(byStep ? [last.record.stepSince!, last.record.id] : [last.record.id]) : null;
      return { items: await presentCases(db, actor, pageRows, reading), nextCursor };
    },
  };
}

export type CasesService = ReturnType<typeof createCasesService>;
