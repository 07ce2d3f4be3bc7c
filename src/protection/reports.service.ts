import { recordAudit } from '../audit/audit.repository.js';
import { userNames } from '../auth/users.repository.js';
import { findChildInScope } from '../children/children.repository.js';
import { retryingConflicts, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { REPORT_INSTRUCTION, reportOverdue, reportOverdueFrom, type VisitCheck } from '../domain/protectionVisitRule.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, notFound, validationFailed } from '../http/errors.js';
import { decodeCursor, encodeCursor } from '../http/pagination.js';
import { iso, isoOrNull } from '../http/schemas.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { townshipName } from '../regions/divisions.js';
import { findRegionSettings } from '../regions/regions.repository.js';
import { protectionSettingsOf } from '../regions/protectionSettings.js';
import { findLiveCaseOfChild } from './cases.repository.js';
import { countOpenReports, findReport, findReportInScope, insertReport, listReports, updateReport, type ReportWithNames } from './reports.repository.js';
import type { AcknowledgeBody, ReportBody, ReportListQuery, ReportView } from './visits.schemas.js';

// Mandatory reports (强制报告, protection.md §9): a child in danger is reported to the police at once
// (the answer says so), the township records when it called them, and civil affairs acknowledges
// the report with the action taken. A report still open the region's reportAcknowledgeHours after
// it was raised is overdue, and flagged on every civil affairs screen.

const CLOCK_SKEW_MS = 60_000;

/** The hours a region gives civil affairs to acknowledge a report. */
export async function acknowledgeHoursOf(db: Executor, regionCode: string): Promise<number> {
  return protectionSettingsOf(await findRegionSettings(db, regionCode)).reportAcknowledgeHours;
}

/** The instant at or before which an open report raised is overdue now. */
const overdueCutoff = (now: Date, hours: number) => new Date(now.getTime() - hours * 60 * 60 * 1000);

export async function presentReports(db: Executor, found: readonly ReportWithNames[], hours: number, now: Date): Promise<ReportView[]> {
  const names = await userNames(
    db,
    found.flatMap(({ report }) => [report.raisedByUserId, report.policeRecordedByUserId, report.acknowledgedByUserId]).filter((id): id is string => id !== null),
  );
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
  return found.map(({ report, childName, caseNumber }) => ({
    id: report.id,
    childId: report.childId,
    childName,
    caseId: report.caseId,
    caseNumber,
    visitId: report.visitId,
    regionCode: report.regionCode,
    townshipCode: report.townshipCode,
    townshipName: report.townshipCode ? (townshipName(report.townshipCode) ?? report.townshipCode) : null,
    concerns: report.concerns,
    note: report.note,
    raisedAt: iso(report.raisedAt),
    raisedBy: person(report.raisedByUserId)!,
    status: report.status,
    overdue: reportOverdue(report, now, hours),
    acknowledgeBy: iso(reportOverdueFrom(report.raisedAt, hours)),
    policeNotifiedAt: isoOrNull(report.policeNotifiedAt),
    policeRecordedBy: person(report.policeRecordedByUserId),
    actionTaken: report.actionTaken,
    policeNotified: report.policeNotified,
    acknowledgedBy: person(report.acknowledgedByUserId),
    acknowledgedAt: isoOrNull(report.acknowledgedAt),
  }));
}

/** What raising a report writes, inside the caller's transaction (a visit's danger, or by hand). */
export async function raiseReport(
  tx: Executor,
  cipher: FieldCipher,
  context: RequestContext,
  report: { childId: string; caseId: string | null; visitId: string | null; regionCode: string; townshipCode: string | null; concerns: VisitCheck[]; note: string | null },
): Promise<string> {
  const id = newId();
  await insertReport(tx, cipher, { id, ...report, status: 'open', raisedAt: context.now, raisedByUserId: context.actor.id });
  await recordAudit(tx, context, {
    action: 'report.raised',
    entityType: 'report',
    entityId: id,
    regionCode: report.regionCode,
    // The note is free text about a child: never in the trail.
    data: { childId: report.childId, caseId: report.caseId, visitId: report.visitId, townshipCode: report.townshipCode, concerns: report.concerns },
  });
  return id;
}

export function createReportsService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;

  async function present(context: RequestContext, found: ReportWithNames): Promise<ReportView> {
    return (await presentReports(db, [found], await acknowledgeHoursOf(db, found.report.regionCode), context.now))[0]!;
  }

  /** One change of a report under its row lock, found in scope (404 outside it). */
  function change(context: RequestContext, id: string, work: (tx: Executor, found: ReportWithNames) => Promise<void>): Promise<ReportView> {
    return retryingConflicts(async () => {
      await db.transaction(async (tx) => {
        const found = await findReportInScope(tx, cipher, context.actor, id, { lock: true });
        if (!found) throw notFound('report');
        await work(tx, found);
      });
      return present(context, (await findReport(db, cipher, id))!);
    });
  }

  return {
    /** POST /protection/reports (township, civil_affairs): a report without a visit. */
    async raise(context: RequestContext, body: ReportBody) {
      const id = await db.transaction(async (tx) => {
        const child = await findChildInScope(tx, context.actor, body.childId);
        if (!child) throw notFound('child');
        const live = await findLiveCaseOfChild(tx, child.id);
        return raiseReport(tx, cipher, context, {
          childId: child.id,
          caseId: live?.id ?? null,
          visitId: null,
          regionCode: child.regionCode,
          townshipCode: child.villageCode ? child.villageCode.slice(0, 9) : null,
          concerns: body.concerns,
          note: body.note ?? null,
        });
      });
      return { ...(await present(context, (await findReport(db, cipher, id))!)), instruction: REPORT_INSTRUCTION };
    },

    /** POST /protection/reports/:id/police (township, civil_affairs): when the police were called; once. */
    async recordPolice(context: RequestContext, id: string, at: string) {
      const notifiedAt = new Date(at);
      // A minute's grace for the clock of the phone that sends it.
      if (notifiedAt.getTime() > context.now.getTime() + CLOCK_SKEW_MS) throw validationFailed('the police cannot have been called in the future', [{ field: 'at' }]);
      return change(context, id, async (tx, { report }) => {
        if (report.policeNotifiedAt) throw invalidState(`the police call was recorded already (${iso(report.policeNotifiedAt)})`);
        await updateReport(tx, cipher, report.id, { policeNotifiedAt: notifiedAt, policeRecordedByUserId: context.actor.id });
        await recordAudit(tx, context, { action: 'report.police_notified', entityType: 'report', entityId: report.id, regionCode: report.regionCode, data: { at: iso(notifiedAt) } });
      });
    },

    /** POST /protection/reports/:id/acknowledge (civil_affairs): open → acknowledged, once. */
    async acknowledge(context: RequestContext, id: string, body: AcknowledgeBody) {
      return change(context, id, async (tx, { report }) => {
        if (report.status !== 'open') throw invalidState(`the report is ${report.status}; only an open report is acknowledged`);
        await updateReport(tx, cipher, report.id, { status: 'acknowledged', policeNotified: body.policeNotified, acknowledgedByUserId: context.actor.id, acknowledgedAt: context.now }, { actionTaken: body.actionTaken });
        const hours = await acknowledgeHoursOf(tx, report.regionCode);
        await recordAudit(tx, context, {
          action: 'report.acknowledged',
          entityType: 'report',
          entityId: report.id,
          regionCode: report.regionCode,
          // The action taken is free text about a child: never in the trail.
          data: { policeNotified: body.policeNotified, raisedAt: iso(report.raisedAt), inTime: !reportOverdue(report, context.now, hours) },
        });
      });
    },

    async get(context: RequestContext, id: string) {
      const found = await findReportInScope(db, cipher, context.actor, id);
      if (!found) throw notFound('report');
      return present(context, found);
    },

    /** GET /protection/reports?status=&overdue=true: a township its own, civil affairs its region's; newest first. */
    async list(context: RequestContext, query: ReportListQuery) {
      const hours = await acknowledgeHoursOf(db, context.actor.regionCode!);
      const rows = await listReports(
        db,
        cipher,
        context.actor,
        { status: query.status, overdueCutoff: query.overdue === 'true' ? overdueCutoff(context.now, hours) : undefined },
        { after: decodeCursor(query.cursor), limit: query.limit },
      );
      const pageRows = rows.slice(0, query.limit);
      const last = pageRows.at(-1);
      return { items: await presentReports(db, pageRows, hours, context.now), nextCursor: rows.length > query.limit && last ? encodeCursor([last.report.id]) : null };
    },

    /** Open and overdue reports in scope: the banner of every civil affairs screen (no child named). */
    async counts(context: RequestContext) {
      const hours = await acknowledgeHoursOf(db, context.actor.regionCode!);
      const counts = await countOpenReports(db, context.actor, overdueCutoff(context.now, hours));
      return { open: counts.open, overdue: counts.overdue, oldestOverdueRaisedAt: isoOrNull(counts.oldestOverdueRaisedAt) };
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
