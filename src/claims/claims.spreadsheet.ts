import { CATEGORY_NAMES_ZH, DEVICE_KIND_NAMES_ZH, SERVICE_NAMES_ZH } from '../domain/vocabulary.js';
import { newWorkbook, workbookBytes } from '../http/spreadsheetWriter.js';
import { mapColumns, spreadsheetDate, spreadsheetMoney, type UploadedRow } from '../http/uploads.js';

// The column layout of a claims spreadsheet (批量结算申请), with Chinese headers. A column may
// also be headed with the API's field name. GET /claims/template.xlsx gives an empty sheet with
// these headers and a sheet explaining them.

export const CLAIM_COLUMNS = {
  externalRef: ['结算申请号'],
  childIdNumber: ['儿童身份证号'],
  childId: ['儿童编号'],
  service: ['救助项目'],
  deviceKind: ['辅具类别'],
  periodFrom: ['开始月份'],
  periodTo: ['结束月份'],
  serviceDate: ['服务日期'],
  freeIssued: ['免费配发'],
  grossCost: ['总费用'],
  basicMedicalInsurance: ['基本医疗保险'],
  criticalIllnessInsurance: ['大病保险'],
  supplementaryCriticalIllnessInsurance: ['大病补充保险'],
  medicalAid: ['医疗救助'],
  reviewedBy: ['自审人'],
} as const;

export const REQUIRED_CLAIM_COLUMNS = ['externalRef', 'service', 'grossCost', 'reviewedBy'];

const COLUMN_NOTES: Record<keyof typeof CLAIM_COLUMNS, string> = {
  externalRef: '本机构的结算申请编号，同一编号重复上传不会重复登记（必填）',
  childIdNumber: '儿童身份证号（18位，与“儿童编号”二选一）',
  childId: '系统中的儿童编号（与“儿童身份证号”二选一）',
  service: `${Object.values(SERVICE_NAMES_ZH).join('、')}（必填）`,
  deviceKind: `辅助器具必填：${Object.values(DEVICE_KIND_NAMES_ZH).join('；')}`,
  periodFrom: '康复训练、早期干预：开始月份，如 2026-01',
  periodTo: '康复训练、早期干预：结束月份（同一年内），如 2026-03',
  serviceDate: '手术、辅助器具：服务日期，如 2026-05-10',
  freeIssued: '辅助器具由县残联等免费配发的填“是”',
  grossCost: '总费用，元，最多两位小数（必填）',
  basicMedicalInsurance: '基本医疗保险已报销金额，无则留空',
  criticalIllnessInsurance: '大病保险已报销金额，无则留空',
  supplementaryCriticalIllnessInsurance: '大病补充保险已报销金额，无则留空',
  medicalAid: '医疗救助已支付金额，无则留空',
  reviewedBy: '本机构自审人姓名（必填）',
};

function codeOf(value: string, names: Record<string, string>): string {
  const trimmed = value.trim();
  const byName = Object.entries(names).find(([, name]) => name === trimmed);
  return byName ? byName[0] : trimmed;
}

/** Short device names people also write, to the codes. */
const DEVICE_ALIASES: Record<string, string> = { 助听器: 'hearing_aid', 假肢矫形器: 'prosthesis_orthosis', 假肢: 'prosthesis_orthosis', 矫形器: 'prosthesis_orthosis', 轮椅: 'mobility_aid', 轮椅助行器具: 'mobility_aid' };

const YES = new Set(['是', 'true', 'TRUE', '1', 'Y', 'y', 'yes']);
const NO = new Set(['否', 'false', 'FALSE', '0', 'N', 'n', 'no']);

/** A spreadsheet row as the JSON body of POST /claims; the schema then checks it as usual. */
export function claimBodyOfRow(row: UploadedRow): Record<string, unknown> {
  const cells = mapColumns(row.cells, CLAIM_COLUMNS);
  const body: Record<string, unknown> = {};
  for (const field of ['externalRef', 'childIdNumber', 'childId', 'reviewedBy'] as const) if (cells[field]) body[field] = cells[field];
  if (cells.service) body.service = codeOf(cells.service, SERVICE_NAMES_ZH);
  if (cells.deviceKind) body.deviceKind = DEVICE_ALIASES[cells.deviceKind] ?? codeOf(cells.deviceKind, DEVICE_KIND_NAMES_ZH);
  // A month typed into Excel may come back as a date: keep its year and month.
  for (const field of ['periodFrom', 'periodTo'] as const) {
    if (!cells[field]) continue;
    const value = spreadsheetDate(cells[field]);
    body[field] = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.slice(0, 7) : value;
  }
  if (cells.serviceDate) body.serviceDate = spreadsheetDate(cells.serviceDate);
  if (cells.freeIssued) body.freeIssued = YES.has(cells.freeIssued) ? true : NO.has(cells.freeIssued) ? false : cells.freeIssued;
  if (cells.grossCost) body.grossCost = spreadsheetMoney(cells.grossCost);
  const deductions: Record<string, string> = {};
  for (const field of ['basicMedicalInsurance', 'criticalIllnessInsurance', 'supplementaryCriticalIllnessInsurance', 'medicalAid'] as const) {
    if (cells[field]) deductions[field] = spreadsheetMoney(cells[field]);
  }
  if (Object.keys(deductions).length > 0) body.deductions = deductions;
  return body;
}

export async function claimsTemplate(): Promise<Buffer> {
  const workbook = newWorkbook();
  const sheet = workbook.addWorksheet('结算申请');
  sheet.columns = Object.entries(CLAIM_COLUMNS).map(([field, [header]]) => ({
    header,
    key: field,
    width: Math.max(12, header.length * 2 + 4),
    // Text cells, so that ID numbers, months and dates stay as typed.
    style: { numFmt: ['grossCost', 'basicMedicalInsurance', 'criticalIllnessInsurance', 'supplementaryCriticalIllnessInsurance', 'medicalAid'].includes(field) ? '0.00' : '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];

  const notes = workbook.addWorksheet('填写说明');
  // The clerk's words only: the column as the sheet names it, whether it must be filled, what goes in it.
  notes.columns = [{ header: '列名', key: 'header', width: 16 }, { header: '必填', key: 'required', width: 8 }, { header: '说明', key: 'note', width: 80 }];
  notes.getRow(1).font = { bold: true };
  for (const [field, [header]] of Object.entries(CLAIM_COLUMNS)) {
    notes.addRow({ header, required: REQUIRED_CLAIM_COLUMNS.includes(field) ? '是' : '', note: COLUMN_NOTES[field as keyof typeof CLAIM_COLUMNS] });
  }
  notes.addRow({});
  notes.addRow({ header: '示例', note: '康复训练：结算申请号 JG001-2026-000123，儿童身份证号，救助项目 康复训练，开始月份 2026-01，结束月份 2026-03，总费用 5400，自审人 李会计' });
  notes.addRow({ header: '残疾类别', note: Object.values(CATEGORY_NAMES_ZH).join('、') });
  notes.addRow({ header: '上传', note: '每次最多 5000 行；逐行校验，结果列出每一行是新登记、已存在还是被拒及原因。' });
  return workbookBytes(workbook);
}
