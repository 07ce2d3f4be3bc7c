import ExcelJS from 'exceljs';
import { Decimal } from 'decimal.js';
import { maskIdNumber } from '../domain/idNumber.js';
import { CATEGORY_NAMES_ZH, SERVICE_NAMES_ZH, type Category, type Service } from '../domain/vocabulary.js';

// A filtered list of claims as a spreadsheet, for the 残联's own follow-up and reports. Amounts
// become numbers only here, at the edge, so that Excel adds them up.

export const CLAIM_STATUS_NAMES_ZH: Record<string, string> = {
  submitted: '待审核',
  approved: '已批准',
  returned: '已退回待修改',
  rejected: '已拒绝',
  withdrawn: '已撤回',
  batched: '已入结算批次',
  paid: '已支付',
};

export interface ExportedClaim {
  externalRef: string;
  institutionName: string;
  childName: string;
  idNumber: string;
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

const toNumber = (amount: string) => new Decimal(amount).toNumber();

export async function renderClaimsXlsx(rows: readonly ExportedClaim[], filterDescription: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '残疾儿童康复救助结算服务';
  const sheet = workbook.addWorksheet('申报');
  sheet.columns = [
    { header: '结算申请号', key: 'externalRef', width: 22 },
    { header: '机构', key: 'institutionName', width: 26 },
    { header: '儿童姓名', key: 'childName', width: 10 },
    { header: '身份证号', key: 'idNumber', width: 21 },
    { header: '残疾类别', key: 'category', width: 9 },
    { header: '救助项目', key: 'service', width: 14 },
    { header: '服务期间/日期', key: 'period', width: 18 },
    { header: '总费用', key: 'grossCost', width: 13, style: { numFmt: '#,##0.00' } },
    { header: '剩余部分', key: 'remainder', width: 13, style: { numFmt: '#,##0.00' } },
    { header: '预计救助金额', key: 'estimate', width: 13, style: { numFmt: '#,##0.00' } },
    { header: '批准金额', key: 'approvedAmount', width: 13, style: { numFmt: '#,##0.00' } },
    { header: '状态', key: 'status', width: 14 },
    { header: '提交日期', key: 'submittedOn', width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow({
      ...row,
      idNumber: maskIdNumber(row.idNumber),
      category: CATEGORY_NAMES_ZH[row.category as Category] ?? row.category,
      service: SERVICE_NAMES_ZH[row.service as Service] ?? row.service,
      grossCost: toNumber(row.grossCost),
      remainder: toNumber(row.remainder),
      // An estimate belongs to a claim still under review.
      estimate: row.status === 'submitted' || row.status === 'returned' ? toNumber(row.estimate) : null,
      approvedAmount: row.approvedAmount === null ? null : toNumber(row.approvedAmount),
      status: CLAIM_STATUS_NAMES_ZH[row.status] ?? row.status,
    });
  }
  const info = workbook.addWorksheet('筛选条件');
  info.addRow(['筛选条件', filterDescription || '全部']);
  info.addRow(['笔数', rows.length]);
  info.getColumn(1).width = 12;
  info.getColumn(2).width = 60;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
