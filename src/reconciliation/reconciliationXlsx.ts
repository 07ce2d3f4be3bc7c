import ExcelJS from 'exceljs';
import { Decimal } from 'decimal.js';
import { CLAIM_STATUS_NAMES_ZH, LINE_STATUS_NAMES_ZH, type ReconciliationDocument } from '../../reports/reconciliationReport.js';
import { workbookBytes } from '../http/spreadsheetWriter.js';

// Amounts become spreadsheet numbers only here, from the exact strings.
const toNumber = (amount: string | null) => (amount === null ? null : new Decimal(amount).toNumber());

export async function renderReconciliationXlsx(report: ReconciliationDocument): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('对账明细');
  sheet.columns = [
    { header: '序号', key: 'lineNo', width: 6 },
    { header: '结算申请号', key: 'externalRef', width: 24 },
    { header: '比对结果', key: 'status', width: 14 },
    { header: '对账单金额', key: 'statementAmount', width: 14, style: { numFmt: '#,##0.00' } },
    { header: '核定金额', key: 'approvedAmount', width: 14, style: { numFmt: '#,##0.00' } },
    { header: '申请状态', key: 'claimStatus', width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  report.lines.forEach((line, index) =>
    sheet.addRow({
      lineNo: index + 1,
      externalRef: line.externalRef,
      status: LINE_STATUS_NAMES_ZH[line.status] ?? line.status,
      statementAmount: toNumber(line.statementAmount),
      approvedAmount: toNumber(line.approvedAmount),
      claimStatus: line.claimStatus ? (CLAIM_STATUS_NAMES_ZH[line.claimStatus] ?? line.claimStatus) : null,
    }),
  );
  const info = workbook.addWorksheet('汇总');
  info.columns = [{ key: 'label', width: 22 }, { key: 'value', width: 40 }];
  const rows: [string, string | number | null][] = [
    ['机构', report.institutionName],
    ['对账期间', `${report.from} 至 ${report.to}`],
    ['一致', report.summary.matched],
    ['金额不符', report.summary.amountMismatch],
    ['系统无此申请', report.summary.missingInSystem],
    ['对账单未列', report.summary.missingInStatement],
    ['对账单合计', toNumber(report.summary.statementTotal)],
    ['核定合计', toNumber(report.summary.approvedTotal)],
    ['已支付合计', toNumber(report.summary.paidTotal)],
  ];
  for (const [label, value] of rows) info.addRow({ label, value });
  for (const cell of ['B7', 'B8', 'B9']) info.getCell(cell).numFmt = '#,##0.00';
  return workbookBytes(workbook);
}
