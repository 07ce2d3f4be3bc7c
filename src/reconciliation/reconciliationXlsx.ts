import { CLAIM_STATUS_NAMES_ZH, LINE_STATUS_NAMES_ZH, type ReconciliationDocument } from '../../reports/reconciliationReport.js';
import { addFactsSheet, addRowsSheet, newWorkbook, workbookBytes } from '../http/spreadsheetWriter.js';

// A reconciliation as a spreadsheet: every line as compared, and the summary.


type ReportLine = ReconciliationDocument['lines'][number] & { lineNo: number };

export async function renderReconciliationXlsx(report: ReconciliationDocument): Promise<Buffer> {
  const workbook = newWorkbook();
  addRowsSheet<ReportLine>(
    workbook,
    '对账明细',
    [
      { header: '序号', key: 'lineNo', width: 6 },
      { header: '结算申请号', key: 'externalRef', width: 24 },
      { header: '儿童姓名', key: 'childName', width: 12 },
      { header: '比对结果', key: 'status', width: 14 },
      { header: '对账单金额', key: 'statementAmount', width: 14, money: true },
      { header: '核定金额', key: 'approvedAmount', width: 14, money: true },
      { header: '申请状态', key: 'claimStatus', width: 12 },
    ],
    report.lines.map((line, index) => ({
      lineNo: index + 1,
      externalRef: line.externalRef,
      childName: line.childName,
      status: LINE_STATUS_NAMES_ZH[line.status] ?? line.status,
      statementAmount: line.statementAmount,
      approvedAmount: line.approvedAmount,
      claimStatus: line.claimStatus ? (CLAIM_STATUS_NAMES_ZH[line.claimStatus] ?? line.claimStatus) : null,
    })),
  );
  addFactsSheet(workbook, '汇总', [22, 40], [
    ['报告编号', report.number],
    ['出具单位', report.issuer],
    ['机构', report.institutionName],
    ['对账期间', `${report.from} 至 ${report.to}`],
    ['一致', report.summary.matched],
    ['金额不符', report.summary.amountMismatch],
    ['系统无此申请', report.summary.missingInSystem],
    ['对账单未列', report.summary.missingInStatement],
    ['对账单合计', report.summary.statementTotal, 'money'],
    ['核定合计', report.summary.approvedTotal, 'money'],
    ['已支付合计', report.summary.paidTotal, 'money'],
  ]);
  return workbookBytes(workbook);
}
