import { findChildInScope, type ChildRow } from '../children/children.repository.js';
import { presentChild } from '../children/children.service.js';
import { openChild } from '../children/childSecrets.js';
import type { Database } from '../db/client.js';
import { chinaDate, chinaDateTime, chinaMonth } from '../domain/chinaTime.js';
import { groupThousands } from '../domain/money.js';
import { paymentMonthsOfChild, type PaymentMonth } from './childPayments.js';
import {
  CASE_STATUS_NAMES_ZH,
  EXIT_REASON_NAMES_ZH,
  LIVING_ARRANGEMENT_NAMES_ZH,
  PARENT_NAMES_ZH,
  PARENT_SITUATION_NAMES_ZH,
  PROTECTION_CATEGORY_NAMES_ZH,
  QUARTERLY_RESULT_NAMES_ZH,
  relationName,
  REVIEW_ROUTE_OFFICES_ZH,
  STUDY_STAGE_NAMES_ZH,
  type QuarterlyResult,
} from '../domain/protectionVocabulary.js';
import type { RequestContext } from '../http/context.js';
import { notFound } from '../http/errors.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { placeOf, regionName } from '../regions/divisions.js';
import type { Offload } from '../workers/pool.js';
import { chineseDate, monthLabel } from '../../reports/documentWords.js';
import type { ChildFileDocument } from '../../reports/protectionChildFile.js';
import { casesOfRegion } from './cases.repository.js';
import type { CaseView } from './cases.schemas.js';
import type { ReportView, VisitView } from './visits.schemas.js';
import { loadCaseReading, presentCases } from './caseView.js';
import { countyTitle, townshipOffice } from './offices.js';
import { linesOfCases } from './quarterly.repository.js';
import { changeText, type LineFacts } from './quarterlyReport.js';
import { acknowledgeHoursOf, presentReports } from './reports.service.js';
import { listReports } from './reports.repository.js';
import { presentVisits } from './visits.service.js';
import { listVisits } from './visits.repository.js';
import { CHECK_RESULT_NAMES_ZH, VISIT_CHECK_NAMES_ZH, VISIT_CHECKS } from '../domain/protectionVisitRule.js';

// One person, one file (一人一档, protection.md §7): a child of the caller's township or region with
// every case as GET shows it and the quarterly updates about it, and the same as the registration
// form 困境儿童信息登记表 (PDF), with the child's visits, mandatory reports and basic-living money
// month by month (§8).

/** A child's file holds every visit and report about it: a few a month at most. */
const ALL_OF_A_CHILD = 1000;

const PAYMENT_STATUS_NAMES_ZH: Record<PaymentMonth['status'], string> = { paid: '已发放', in_roll: '已列入名册', due: '待发放', held: '暂停发放' };

const yesNo = (value: boolean) => (value ? '是' : '否');
const dateOrBlank = (date: string | null | undefined) => (date ? chineseDate(date) : '');

function caseSteps(view: CaseView, county: ReturnType<typeof regionName>): string[][] {
  const township = townshipOffice(view.townshipName);
  const rows: string[][] = [['受理', dateOrBlank(view.receivedOn), township, '受理', view.viaVillage ? '经村（居）委会代交' : '']];
  for (const check of view.checks) {
    const decision = check.decision === 'agree' ? '同意' : check.decision === 'refuse' ? '不同意' : check.decision === 'withdrawn' ? '撤回' : '待核查';
    rows.push(['乡镇核查', dateOrBlank(check.decidedOn ?? check.receivedOn), township, decision, [check.reason, check.decidedInTime === false ? '逾期办结' : ''].filter(Boolean).join('；')]);
  }
  for (const notice of view.notices) {
    const outcome = notice.removed === 'objection' ? '有异议，退回' : notice.removed === 'withdrawn' ? '撤回' : notice.status === 'closed' ? '公示期满' : '公示中';
    rows.push(['村级公示', `${dateOrBlank(notice.noticeFrom)}至${dateOrBlank(notice.noticeTo)}`, view.villageName, outcome, '']);
  }
  for (const objection of view.objections) rows.push(['异议', dateOrBlank(objection.on), objection.by?.name ?? '', '退回乡镇', objection.reason ?? '']);
  for (const review of view.reviews) {
    const decision = { pending: '待复核', approved: '同意', refused: '不同意', closed: '终止' }[review.status];
    rows.push(['县级复核', dateOrBlank(review.decidedOn ?? review.receivedOn), `${countyTitle(county, view.regionCode)}${REVIEW_ROUTE_OFFICES_ZH[review.route]}`, decision, review.reason ?? '']);
  }
  if (view.recognition) {
    const categories = view.recognition.categories.map((category) => PROTECTION_CATEGORY_NAMES_ZH[category]).join('、');
    rows.push(['认定', dateOrBlank(view.recognition.recognisedOn), `${countyTitle(county, view.regionCode)}民政局`, '认定', `${categories}；自${monthLabel(view.recognition.coverFrom)}起保障，至${monthLabel(view.recognition.lastMonth)}`]);
  }
  if (view.refusal) rows.push(['不予认定', dateOrBlank(view.refusal.refusedOn), view.refusal.by === 'township' ? township : `${countyTitle(county, view.regionCode)}${REVIEW_ROUTE_OFFICES_ZH[view.refusal.by]}`, '不予认定', view.refusal.reason ?? '']);
  if (view.withdrawal) rows.push(['撤回', dateOrBlank(view.withdrawal.withdrawnOn), township, '撤回', view.withdrawal.reason ?? '']);
  return rows;
}

export function createFilesService(deps: { db: Database; offload: Offload; cipher: FieldCipher }) {
  const { db, offload, cipher } = deps;

  async function load(
    context: RequestContext,
    childId: string,
  ): Promise<{ child: ChildRow; cases: CaseView[]; updates: Awaited<ReturnType<typeof linesOfCases>>; visits: VisitView[]; reports: ReportView[]; payments: PaymentMonth[] }> {
    const child = await findChildInScope(db, context.actor, childId);
    if (!child) throw notFound('child');
    const found = await casesOfRegion(db, cipher, child.regionCode, { childId: child.id });
    const reading = await loadCaseReading(db, child.regionCode, chinaDate(context.now));
    const cases = await presentCases(db, context.actor, found, reading);
    const [visits, reports, hours, payments] = await Promise.all([
      listVisits(db, cipher, context.actor, { childId: child.id }, { limit: ALL_OF_A_CHILD }),
      listReports(db, cipher, context.actor, { childId: child.id }, { limit: ALL_OF_A_CHILD }),
      acknowledgeHoursOf(db, child.regionCode),
      paymentMonthsOfChild(db, cipher, child, chinaMonth(context.now)),
    ]);
    return {
      child,
      cases,
      updates: await linesOfCases(
        db,
        cases.map((view) => view.id),
      ),
      visits: await presentVisits(db, visits),
      reports: await presentReports(db, reports, hours, context.now),
      payments,
    };
  }

  return {
    /** GET /protection/children/:id/file */
    async file(context: RequestContext, childId: string) {
      const { child, cases, updates, visits, reports, payments } = await load(context, childId);
      return {
        child: presentChild(cipher, child),
        cases,
        visits,
        reports,
        quarterlyUpdates: updates.map(({ line, quarter, submittedOn }) => ({
          caseId: line.caseId,
          quarter,
          submittedOn,
          result: line.result as QuarterlyResult,
          changes: line.changes as Record<string, unknown> | null,
          exit: line.exit as Record<string, unknown> | null,
        })),
        payments,
      };
    },

    /** GET /protection/children/:id/file.pdf: 困境儿童信息登记表. */
    async filePdf(context: RequestContext, childId: string) {
      const { child, cases, updates, visits, reports, payments } = await load(context, childId);
      // The one file a township prints whole: the ID number and the guardian's phone opened here only.
      const personal = openChild(cipher, child);
      const county = regionName(child.regionCode);
      const place = placeOf(child.villageCode);
      const latest = cases.at(-1);
      const categories = latest?.recognition?.categories ?? latest?.categories ?? [];
      const flags = latest
        ? [`留守：${yesNo(latest.leftBehind)}`, `艾滋病病毒感染：${yesNo(latest.hivAffected ?? false)}`, `申请教育资助：${yesNo(latest.schoolingSupport)}`, `当前状态：${CASE_STATUS_NAMES_ZH[latest.status]}`].join('　')
        : '';
      const document: ChildFileDocument = {
        child: {
          name: child.name,
          idNumber: personal.idNumber,
          sex: child.sex === 'male' ? '男' : '女',
          birthDate: child.birthDate,
          county: county?.fullName ?? child.regionCode,
          township: place.townshipName ?? '',
          village: place.villageName ?? '',
          guardian: `${child.guardianName}（${relationName(child.guardianRelation)}）${personal.guardianPhone}`,
        },
        categories: categories.map((category) => PROTECTION_CATEGORY_NAMES_ZH[category]).join('、'),
        flags,
        parents: latest?.parents
          ? (['father', 'mother'] as const).flatMap((parent) =>
              latest.parents![parent].map((fact) => [PARENT_NAMES_ZH[parent], PARENT_SITUATION_NAMES_ZH[fact.situation], dateOrBlank(fact.since), fact.until ? chineseDate(fact.until) : '—', fact.documents.join('、')]),
            )
          : [],
        cases: cases.map((view) => ({ title: `${view.number}　${CASE_STATUS_NAMES_ZH[view.status]}　受理日期：${chineseDate(view.receivedOn)}`, steps: caseSteps(view, county) })),
        living: cases.flatMap((view) => (view.recognition?.livingArrangementHistory ?? []).map((row) => [monthLabel(row.fromMonth), LIVING_ARRANGEMENT_NAMES_ZH[row.livingArrangement]])),
        schooling: cases.flatMap((view) => (view.studying ? [[view.studying.school, STUDY_STAGE_NAMES_ZH[view.studying.stage], monthLabel(view.studying.expectedGraduation), chineseDate(view.studying.recordedOn)]] : [])),
        updates: updates.map(({ line, quarter }) => [quarter, QUARTERLY_RESULT_NAMES_ZH[line.result as QuarterlyResult], changeText({ result: line.result, changes: line.changes, exit: line.exit } as LineFacts)]),
        visits: visits.map((visit) => [
          chineseDate(visit.visitedOn),
          `${visit.visitor}（${visit.visitorRole}）`,
          [VISIT_CHECKS.filter((check) => visit.checks[check] !== 'ok').map((check) => `${VISIT_CHECK_NAMES_ZH[check]}${CHECK_RESULT_NAMES_ZH[visit.checks[check]]}`).join('、') || '各项正常', visit.note]
            .filter(Boolean)
            .join('；'),
        ]),
        reports: reports.map((report) => [
          chinaDateTime(new Date(report.raisedAt)),
          [report.concerns.map((concern) => VISIT_CHECK_NAMES_ZH[concern]).join('、'), report.note].filter(Boolean).join('：'),
          report.status === 'acknowledged' ? `已处理：${report.actionTaken ?? ''}` : report.overdue ? '超时未处理' : '待处理',
        ]),
        payments: payments.map((payment) => [monthLabel(payment.month), groupThousands(payment.amount), PAYMENT_STATUS_NAMES_ZH[payment.status], payment.rollNumber ?? '']),
        exits: cases.flatMap((view) => (view.exit ? [[view.number, EXIT_REASON_NAMES_ZH[view.exit.reason], dateOrBlank(view.exit.eventOn), monthLabel(view.exit.fromMonth), view.exit.note ?? '']] : [])),
        printedAt: context.now.toISOString(),
      };
      const pdf = await offload.run('protectionChildFilePdf', document);
      return { pdf: Buffer.from(pdf), fileName: `file-${child.id}.pdf` };
    },
  };
}

export type FilesService = ReturnType<typeof createFilesService>;
