import ExcelJS from 'exceljs';
import { Decimal } from 'decimal.js';
import { categoryLabel, serviceLabel, type BatchDocument } from '../../reports/batchStatement.js';

// The batch as a spreadsheet, for finance offices that book payments from Excel. Amounts are
// numbers with two decimals, as a spreadsheet needs them to add up; they become numbers only
// here, at the edge, from the exact strings.

const toNumber = (amount: string) => new Decimal(amount).toNumber();

export const BATCH_STATUS_NAMES_ZH: Record<string, string> = { draft: '草稿（待核对签发）', issued: '已签发，待支付', paid: '已支付', cancelled: '已作废' };

export interface BatchListRow {
  number: string;
  institutionName: string;
  claimCount: number;
  total: string;
  status: string;
  issuedAt: string | null;
  paidAt: string | null;
  voucherNo: string | null;
}

/** A list of batches (finance's 已支付, for its books): one row each, with a total row. */
export async function renderBatchListXlsx(rows: readonly BatchListRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '残疾儿童康复救助结算服务';
  const sheet = workbook.addWorksheet('结算批次');
  sheet.columns = [
    { header: '批次号', key: 'number', width: 18 },
    { header: '收款机构', key: 'institutionName', width: 30 },
    { header: '笔数', key: 'claimCount', width: 8 },
    { header: '合计金额', key: 'total', width: 14, style: { numFmt: '#,##0.00' } },
    { header: '状态', key: 'status', width: 16 },
    { header: '签发时间', key: 'issuedAt', width: 18 },
    { header: '支付日期', key: 'paidAt', width: 12 },
    { header: '付款凭证号', key: 'voucherNo', width: 18 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow({ ...row, total: toNumber(row.total), status: BATCH_STATUS_NAMES_ZH[row.status] ?? row.status });
  const totalRow = sheet.addRow({ number: '合计', institutionName: `${rows.length} 个批次`, total: rows.reduce((sum, row) => sum.plus(row.total), new Decimal(0)).toNumber() });
  totalRow.font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function renderBatchXlsx(batch: Omit<BatchDocument, 'issuedAt' | 'sha256' | 'builtBy' | 'issuedBy'> & { status: string; sha256: string | null }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '残疾儿童康复救助结算服务';
  const sheet = workbook.addWorksheet('结算明细');
  sheet.columns = [
    { header: '序号', key: 'lineNo', width: 6 },
    { header: '结算申请号', key: 'externalRef', width: 22 },
    { header: '儿童姓名', key: 'childName', width: 10 },
    { header: '身份证号', key: 'idNumberMasked', width: 21 },
    { header: '残疾类别', key: 'category', width: 9 },
    { header: '救助项目', key: 'service', width: 20 },
    { header: '服务期间/日期', key: 'period', width: 18 },
    { header: '总费用', key: 'grossCost', width: 13, style: { numFmt: '#,##0.00' } },
    { header: '已报销', key: 'deductionsTotal', width: 13, style: { numFmt: '#,##0.00' } },
    { header: '剩余部分', key: 'remainder', width: 13, style: { numFmt: '#,##0.00' } },
    { header: '核定金额', key: 'approvedAmount', width: 13, style: { numFmt: '#,##0.00' } },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const line of batch.lines) {
    sheet.addRow({
      lineNo: line.lineNo,
      externalRef: line.externalRef,
      childName: line.childName,
      idNumberMasked: line.idNumberMasked,
      category: categoryLabel(line.category),
      service: serviceLabel(line.service, line.deviceKind),
      period: line.period,
      grossCost: toNumber(line.grossCost),
      deductionsTotal: toNumber(line.deductionsTotal),
      remainder: toNumber(line.remainder),
      approvedAmount: toNumber(line.approvedAmount),
    });
  }
  const totalRow = sheet.addRow({ lineNo: '合计', externalRef: `${batch.claimCount} 笔`, approvedAmount: toNumber(batch.total) });
  totalRow.font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];

  const info = workbook.addWorksheet('批次信息');
  info.columns = [{ key: 'label', width: 18 }, { key: 'value', width: 60 }];
  const rows: [string, string | number][] = [
    ['批次号', batch.number],
    ['状态', BATCH_STATUS_NAMES_ZH[batch.status] ?? batch.status],
    ['付款地区（行政区划代码）', batch.regionCode],
    ['收款机构', `${batch.payee.name}（${batch.payee.code}）`],
    ['开户银行', batch.payee.bank],
    ['账户名称', batch.payee.accountName],
    ['银行账号', batch.payee.accountNumber],
    ['审核截止日期', batch.approvedThrough],
    ['笔数', batch.claimCount],
    ['合计金额', toNumber(batch.total)],
    ['合计金额（大写）', batch.totalInWords],
    ['批次内容 SHA-256', batch.sha256 ?? '（未转交财政）'],
  ];
  for (const [label, value] of rows) info.addRow({ label, value });
  info.getCell('B10').numFmt = '#,##0.00';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
