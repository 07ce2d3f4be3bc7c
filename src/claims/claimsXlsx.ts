import { CATEGORY_NAMES_ZH, CLAIM_STATUS_NAMES_ZH, SERVICE_NAMES_ZH, type Category, type Service } from '../domain/vocabulary.js';
import { addFactsSheet, addRowsSheet, newWorkbook, workbookBytes } from '../http/spreadsheetWriter.js';

// A filtered list of claims as a spreadsheet, for the 残联's own follow-up and reports.

export interface ExportedClaim {
  externalRef: string;
  institutionName: string;
  childName: string;
  /** As stored (511702********0029): the export decrypts nothing. */
  idNumberMasked: string;
  category: string;
  service: string;
  period: string;
  grossCost: string;
  remainder: string;
  estimate: string;
  approvedAmount: string | null;
  status: string;
  submittedOn: string;
}

export async function renderClaimsXlsx(rows: readonly ExportedClaim[], filterDescription: string): Promise<Buffer> {
  const workbook = newWorkbook();
  addRowsSheet<ExportedClaim>(
    workbook,
    '申报',
    [
      { header: '结算申请号', key: 'externalRef', width: 22 },
      { header: '机构', key: 'institutionName', width: 26 },
      { header: '儿童姓名', key: 'childName', width: 10 },
      { header: '身份证号', key: 'idNumberMasked', width: 21 },
      { header: '残疾类别', key: 'category', width: 9 },
      { header: '救助项目', key: 'service', width: 14 },
      { header: '服务期间/日期', key: 'period', width: 18 },
      { header: '总费用', key: 'grossCost', width: 13, money: true },
      { header: '剩余部分', key: 'remainder', width: 13, money: true },
      { header: '预计救助金额', key: 'estimate', width: 13, money: true },
      { header: '批准金额', key: 'approvedAmount', width: 13, money: true },
      { header: '状态', key: 'status', width: 14 },
      { header: '提交日期', key: 'submittedOn', width: 12 },
    ],
    rows.map((row) => ({
      ...row,
      category: CATEGORY_NAMES_ZH[row.category as Category] ?? row.category,
      service: SERVICE_NAMES_ZH[row.service as Service] ?? row.service,
      // An estimate belongs to a claim still under review.
      estimate: row.status === 'submitted' || row.status === 'returned' ? row.estimate : null,
      status: CLAIM_STATUS_NAMES_ZH[row.status] ?? row.status,
    })),
  );
  addFactsSheet(workbook, '筛选条件', [12, 60], [
    ['筛选条件', filterDescription || '全部'],
    ['笔数', rows.length],
  ]);
  return workbookBytes(workbook);
}
