import type { Database } from '../db/client.js';
import { addMonths } from '../domain/calendar.js';
import { inCareOn } from '../domain/protectionAgeRule.js';
import { quarterCensusDay, quarterMonths, quarterStatus } from '../domain/protectionQuarterRule.js';
import {
  EXIT_REASON_NAMES_ZH,
  LIVING_ARRANGEMENT_NAMES_ZH,
  PROTECTION_CATEGORIES,
  PROTECTION_CATEGORY_NAMES_ZH,
  PROTECTION_CATEGORY_SHORT_NAMES_ZH,
  QUARTERLY_RESULT_NAMES_ZH,
  relationName,
  type ExitReason,
  type LivingArrangement,
  type ProtectionCategory,
  type QuarterlyResult,
} from '../domain/protectionVocabulary.js';
import type { Actor } from '../http/context.js';
import { addRowsSheet, newWorkbook, workbookBytes } from '../http/spreadsheetWriter.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { placeOf, townshipName } from '../regions/divisions.js';
import { casesOfRegion, type CaseWithChild } from './cases.repository.js';
import { stepsOfCases } from './caseSteps.repository.js';
import { inForceIn } from './caseView.js';
import { linesOf, quarterlyUpdatesOf } from './quarterly.repository.js';
import { townshipsInCare } from './quarterly.service.js';

// The quarterly report (季度更新汇总表, protection.md §6) as XLSX: for civil affairs a summary sheet
// (汇总) with a row per township expected or submitted and a 合计 row, then a sheet per township;
// for a township its own sheet. Cases are counted as in care on the quarter's last day (or today,
// if earlier); ID numbers are masked.

/** A quarterly line's facts as stored. */
export interface LineFacts {
  result: QuarterlyResult;
  changes: { guardian?: { name: string; relation: string } | null; livingArrangement?: LivingArrangement | null; categories?: ProtectionCategory[] | null; note?: string | null } | null;
  exit: { reason: ExitReason; eventOn: string; note?: string | null } | null;
}

/** What a line changed, in words (the report's 变更内容, the file's 动态更新). */
export function changeText(line: LineFacts | undefined): string {
  if (!line) return '';
  const parts: string[] = [];
  const { changes, exit } = line;
  if (changes?.guardian) parts.push(`监护人：${changes.guardian.name}（${relationName(changes.guardian.relation)}）`);
  if (changes?.livingArrangement) parts.push(`生活安置：${LIVING_ARRANGEMENT_NAMES_ZH[changes.livingArrangement]}`);
  if (changes?.categories) parts.push(`类别：${changes.categories.map((category) => PROTECTION_CATEGORY_NAMES_ZH[category]).join('、')}`);
  if (changes?.note) parts.push(changes.note);
  if (exit) parts.push(`退出：${EXIT_REASON_NAMES_ZH[exit.reason]}（${exit.eventOn}）${exit.note ? `，${exit.note}` : ''}`);
  return parts.join('；');
}

type SummaryRow = Record<string, string | number | null>;

export async function quarterlyReport(db: Database, cipher: FieldCipher, actor: Actor, quarter: string, today: string): Promise<Buffer> {
  const months = quarterMonths(quarter);
  const censusDay = quarterCensusDay(quarter, today);
  const censusMonth = censusDay.slice(0, 7);
  const cases = await casesOfRegion(db, cipher, actor.regionCode!, actor.role === 'township' ? { townshipCode: actor.townshipCode! } : {});
  const steps = await stepsOfCases(
    db,
    cases.map((found) => found.record.id),
  );
  const updates = await quarterlyUpdatesOf(db, actor, quarter);
  const lines = await linesOf(
    db,
    updates.map((update) => update.id),
  );
  const lineOf = new Map(lines.map(({ line }) => [line.caseId, line as unknown as LineFacts]));
  const updateOf = new Map(updates.map((update) => [update.townshipCode, update]));
  const inCare = (found: CaseWithChild) => inCareOn({ recognisedOn: found.record.recognisedOn, lastMonth: found.record.lastMonth, exitFromMonth: found.record.exitFromMonth }, censusDay);
  const categoriesOf = (found: CaseWithChild) =>
    (inForceIn(
      steps.categories.filter((row) => row.caseId === found.record.id),
      censusMonth,
    )?.categories ?? found.record.categories) as ProtectionCategory[];
  /** The first month not covered: a recorded exit's, or the month after the last for age. */
  const leftIn = (found: CaseWithChild) => {
    const { record } = found;
    if (!record.recognisedOn || !record.lastMonth) return null;
    const ageEnd = addMonths(record.lastMonth, 1);
    return record.exitFromMonth !== null && record.exitFromMonth <= ageEnd ? record.exitFromMonth : ageEnd;
  };

  const expected = townshipsInCare(cases, quarter, today);
  const townships = actor.role === 'township' ? [actor.townshipCode!] : [...new Set([...expected.keys(), ...updateOf.keys()])].sort();
  const workbook = newWorkbook();

  if (actor.role !== 'township') {
    const summaryColumns = [
      { header: '乡镇(街道)', key: 'townshipName', width: 16 },
      { header: '乡镇代码', key: 'townshipCode', width: 12, numFmt: '@' },
      ...PROTECTION_CATEGORIES.map((category) => ({ header: PROTECTION_CATEGORY_SHORT_NAMES_ZH[category], key: category, width: 10 })),
      { header: '在册合计', key: 'total', width: 10 },
      { header: '留守', key: 'leftBehind', width: 8 },
      { header: '本季新增', key: 'recognised', width: 10 },
      { header: '本季退出', key: 'exited', width: 10 },
      { header: '本季变更', key: 'changed', width: 10 },
      { header: '报送日期', key: 'submittedOn', width: 12 },
      { header: '是否逾期', key: 'overdue', width: 10 },
    ] as const;
    const rows: SummaryRow[] = townships.map((code) => {
      const own = cases.filter((found) => found.record.townshipCode === code);
      const caring = own.filter(inCare);
      const update = updateOf.get(code);
      const { status, late } = quarterStatus(quarter, today, update?.submittedOn ?? null);
      const row: SummaryRow = {
        townshipName: townshipName(code) ?? code,
        townshipCode: code,
        total: caring.length,
        leftBehind: caring.filter((found) => found.record.leftBehind).length,
        recognised: own.filter((found) => found.record.recognisedOn !== null && months.includes(found.record.recognisedOn.slice(0, 7))).length,
        exited: own.filter((found) => months.includes(leftIn(found) ?? '')).length,
        changed: own.filter((found) => update && lineOf.get(found.record.id)?.result === 'changed').length,
        submittedOn: update?.submittedOn ?? null,
        overdue: status === 'overdue' || late ? '是' : '否',
      };
      for (const category of PROTECTION_CATEGORIES) row[category] = caring.filter((found) => categoriesOf(found).includes(category)).length;
      return row;
    });
    const numericKeys = [...PROTECTION_CATEGORIES, 'total', 'leftBehind', 'recognised', 'exited', 'changed'];
    const total: SummaryRow = { townshipName: '合计', townshipCode: null, submittedOn: null, overdue: null };
    for (const key of numericKeys) total[key] = rows.reduce((sum, row) => sum + Number(row[key] ?? 0), 0);
    addRowsSheet(workbook, '汇总', summaryColumns, rows, { total, freezeHeader: true });
  }

  const usedNames = new Set<string>();
  for (const code of townships) {
    const own = cases.filter((found) => found.record.townshipCode === code && (inCare(found) || lineOf.has(found.record.id)));
    own.sort((a, b) => (a.record.villageCode === b.record.villageCode ? a.child.name.localeCompare(b.child.name, 'zh-CN') : a.record.villageCode < b.record.villageCode ? -1 : 1));
    let sheetName = (townshipName(code) ?? code).slice(0, 31);
    if (usedNames.has(sheetName)) sheetName = code;
    usedNames.add(sheetName);
    addRowsSheet(
      workbook,
      sheetName,
      [
        { header: '序号', key: 'no', width: 6 },
        { header: '姓名', key: 'name', width: 10 },
        { header: '身份证号', key: 'idNumber', width: 21, numFmt: '@' },
        { header: '村(社区)', key: 'village', width: 22 },
        { header: '类别', key: 'categories', width: 26 },
        { header: '认定日期', key: 'recognisedOn', width: 12 },
        { header: '本季结果', key: 'result', width: 10 },
        { header: '变更内容', key: 'changes', width: 50 },
      ],
      own.map((found, index) => {
        const line = lineOf.get(found.record.id);
        return {
          no: index + 1,
          name: found.child.name,
          idNumber: found.child.idNumberMasked,
          village: placeOf(found.record.villageCode).villageName,
          categories: categoriesOf(found)
            .map((category) => PROTECTION_CATEGORY_NAMES_ZH[category])
            .join('、'),
          recognisedOn: found.record.recognisedOn,
          result: line ? QUARTERLY_RESULT_NAMES_ZH[line.result] : '',
          changes: changeText(line),
        };
      }),
      { freezeHeader: true },
    );
  }
  return workbookBytes(workbook);
}
