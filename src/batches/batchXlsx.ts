import { categoryLabel, serviceLabel, type BatchDocument, type BatchDocumentLine } from '../../reports/batchStatement.js';
import { formatMoney, money, sumMoney } from '../domain/money.js';
import { BATCH_STATUS_NAMES_ZH } from '../domain/vocabulary.js';
import { addFactsSheet, addRowsSheet, newWorkbook, workbookBytes } from '../http/spreadsheetWriter.js';

// The batch as a spreadsheet, for finance offices that book payments from Excel (amounts as
// numbers with two decimals, made from the exact strings by the spreadsheet writer).

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
  const workbook = newWorkbook();
  addRowsSheet<BatchListRow>(
    workbook,
    '结算批次',
    [
      { header: '批次号', key: 'number', width: 18 },
      { header: '收款机构', key: 'institutionName', width: 30 },
      { header: '笔数', key: 'claimCount', width: 8 },
      { header: '合计金额', key: 'total', width: 14, money: true },
      { header: '状态', key: 'status', width: 16 },
      { header: '签发时间', key: 'issuedAt', width: 18 },
      { header: '支付日期', key: 'paidAt', width: 12 },
      { header: '付款凭证号', key: 'voucherNo', width: 18 },
    ],
    rows.map((row) => ({ ...row, status: BATCH_STATUS_NAMES_ZH[row.status] ?? row.status })),
    { total: { number: '合计', institutionName: `${rows.length} 个批次`, total: formatMoney(sumMoney(rows.map((row) => money(row.total)))) } },
  );
  return workbookBytes(workbook);
}

/** The batch's lines as the sheet shows them, one at a time (a long batch is never all in memory). */
function* sheetLines(lines: Iterable<BatchDocumentLine>) {
  for (const line of lines) {
    yield { ...line, category: categoryLabel(line.category), service: serviceLabel(line.service, line.deviceKind) };
  }
}

export async function renderBatchXlsx(batch: Omit<BatchDocument, 'issuedAt' | 'sha256' | 'issuer' | 'payingRegion' | 'financeOffice' | 'builtBy' | 'issuedBy'> & { status: string; sha256: string | null }): Promise<Buffer> {
  const workbook = newWorkbook();
  addRowsSheet<BatchDocumentLine>(
    workbook,
    '结算明细',
    [
      { header: '序号', key: 'lineNo', width: 6 },
      { header: '结算申请号', key: 'externalRef', width: 22 },
      { header: '儿童姓名', key: 'childName', width: 10 },
      { header: '身份证号', key: 'idNumberMasked', width: 21 },
      { header: '残疾类别', key: 'category', width: 9 },
      { header: '救助项目', key: 'service', width: 20 },
      { header: '服务期间/日期', key: 'period', width: 18 },
      { header: '总费用', key: 'grossCost', width: 13, money: true },
      { header: '已报销', key: 'deductionsTotal', width: 13, money: true },
      { header: '剩余部分', key: 'remainder', width: 13, money: true },
      { header: '核定金额', key: 'approvedAmount', width: 13, money: true },
    ],
    sheetLines(batch.lines),
    { total: { lineNo: '合计', externalRef: `${batch.claimCount} 笔`, approvedAmount: batch.total }, freezeHeader: true },
  );
  addFactsSheet(workbook, '批次信息', [18, 60], [
    ['批次号', batch.number],
    ['状态', BATCH_STATUS_NAMES_ZH[batch.status] ?? batch.status],
    ['付款地区（行政区划代码）', batch.regionCode],
    ['收款机构', `${batch.payee.name}（${batch.payee.code}）`],
    ['开户银行', batch.payee.bank],
    ['账户名称', batch.payee.accountName],
    ['银行账号', batch.payee.accountNumber],
    ['审核截止日期', batch.approvedThrough],
    ['笔数', batch.claimCount],
    ['合计金额', batch.total, 'money'],
    ['合计金额（大写）', batch.totalInWords],
    ['批次内容 SHA-256', batch.sha256 ?? '（未转交财政）'],
  ]);
  return workbookBytes(workbook);
}
