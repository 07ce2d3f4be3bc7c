import { recordAudit } from '../audit/audit.repository.js';
import { userNames } from '../auth/users.repository.js';
import { retryingConflicts, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate } from '../domain/chinaTime.js';
import { dangerConcerns, REPORT_INSTRUCTION } from '../domain/protectionVisitRule.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, notFound, validationFailed } from '../http/errors.js';
import { decodeDateCursor, encodeCursor } from '../http/pagination.js';
import { iso } from '../http/schemas.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { findCaseInScope } from './cases.repository.js';
import { loadCaseReading, presentCases, presentedStatus } from './caseView.js';
import { acknowledgeHoursOf, presentReports, raiseReport } from './reports.service.js';
import { findReport } from './reports.repository.js';
import { findVisit, insertVisit, listVisits, type VisitWithNames } from './visits.repository.js';
import type { VisitBody, VisitListQuery, VisitView } from './visits.schemas.js';

// Visits (走访, protection.md §9): the township records each visit of a village 儿童主任 to a
// recognised child, five checks each ok, concern or danger. Any danger raises a mandatory report
// in the same transaction, and the answer tells the township to call the police (110) at once.

export async function presentVisits(db: Executor, found: readonly VisitWithNames[]): Promise<VisitView[]> {
  const names = await userNames(
    db,
    found.map(({ visit }) => visit.recordedByUserId),
  );
  return found.map(({ visit, caseNumber, childName, reportId }) => ({
    id: visit.id,
    caseId: visit.caseId,
    caseNumber,
    childId: visit.childId,
    childName,
    townshipCode: visit.townshipCode,
    visitedOn: visit.visitedOn,
    visitor: visit.visitor,
    visitorRole: visit.visitorRole,
    checks: visit.checks,
    note: visit.note,
    recordedBy: { id: visit.recordedByUserId, name: names.get(visit.recordedByUserId) ?? '' },
    recordedAt: iso(visit.recordedAt),
    reportId,
  }));
}

export function createVisitsService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;

  return {
    /** POST /protection/visits (township of the case; the case recognised, else 409). */
    async record(context: RequestContext, body: VisitBody) {
      const today = chinaDate(context.now);
      if (body.visitedOn > today) throw validationFailed(`a visit is recorded once made: visitedOn ${body.visitedOn} is after today (${today})`, [{ field: 'visitedOn' }]);
      const { visitId, reportId } = await retryingConflicts(() =>
        db.transaction(async (tx) => {
          // Under the case's lock: an exit recorded at the same moment is seen, not raced.
          const found = await findCaseInScope(tx, cipher, context.actor, body.caseId, { lock: true });
          if (!found) throw notFound('case');
          const { record } = found;
          const status = presentedStatus(record.status, record.lastMonth, today.slice(0, 7));
          if (status !== 'recognised') throw invalidState(`the case is ${status}; visits are recorded for a recognised case`);
          const id = newId();
          const note = body.note ?? null;
          await insertVisit(tx, cipher, {
            id,
            caseId: record.id,
            childId: record.childId,
            regionCode: record.regionCode,
            townshipCode: record.townshipCode,
            visitedOn: body.visitedOn,
            visitor: body.visitor,
            visitorRole: body.visitorRole,
            checks: body.checks,
            note,
            recordedByUserId: context.actor.id,
            recordedAt: context.now,
          });
          await recordAudit(tx, context, {
            action: 'visit.recorded',
            entityType: 'visit',
            entityId: id,
            regionCode: record.regionCode,
            // The note is free text about a child: never in the trail.
            data: { caseId: record.id, number: record.number, childId: record.childId, visitedOn: body.visitedOn, visitor: body.visitor, visitorRole: body.visitorRole, checks: body.checks },
          });
          const concerns = dangerConcerns(body.checks);
          const raised =
            concerns.length > 0
              ? await raiseReport(tx, cipher, context, { childId: record.childId, caseId: record.id, visitId: id, regionCode: record.regionCode, townshipCode: record.townshipCode, concerns, note })
              : null;
          return { visitId: id, reportId: raised };
        }),
      );
      const visit = (await presentVisits(db, [(await findVisit(db, cipher, visitId))!]))[0]!;
      const found = (await findCaseInScope(db, cipher, context.actor, body.caseId))!;
      const kase = (await presentCases(db, context.actor, [found], await loadCaseReading(db, found.record.regionCode, today)))[0]!;
      const report = reportId ? (await presentReports(db, [(await findReport(db, cipher, reportId))!], await acknowledgeHoursOf(db, found.record.regionCode), context.now))[0]! : null;
      return { ...visit, report, instruction: report ? REPORT_INSTRUCTION : null, nextVisitDue: kase.nextVisitDue };
    },

    /** GET /protection/visits?caseId=&from=&to=: a township its own, civil affairs its region's; newest visit first. */
    async list(context: RequestContext, query: VisitListQuery) {
      const rows = await listVisits(db, cipher, context.actor, { caseId: query.caseId, from: query.from, to: query.to }, { after: decodeDateCursor(query.cursor), limit: query.limit });
      const pageRows = rows.slice(0, query.limit);
      const last = pageRows.at(-1);
      return { items: await presentVisits(db, pageRows), nextCursor: rows.length > query.limit && last ? encodeCursor([last.visit.visitedOn, last.visit.id]) : null };
    },
  };
}

export type VisitsService = ReturnType<typeof createVisitsService>;
