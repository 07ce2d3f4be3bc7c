import { chinaDateTime } from '../src/domain/chinaTime.js';
import { groupThousands } from '../src/domain/money.js';
import { renderTableDocument, signatureBoxes } from '../src/pdf/tableDocument.js';

// The reconciliation report (对账报告) an institution shows its auditors, in the style of the batch
// document.

export const LINE_STATUS_NAMES_ZH: Record<string, string> = {
  matched: '一致',
  amount_mismatch: '金额不符',
  missing_in_system: '系统无此申请',
  missing_in_statement: '对账单未列',
};

export const CLAIM_STATUS_NAMES_ZH: Record<string, string> = {
  submitted: '待审核',
  approved: '已核定',
  rejected: '已驳回',
  returned: '已退回',
  withdrawn: '已撤回',
  batched: '已转财政',
  paid: '已支付',
};

export interface ReconciliationDocument {
  id: string;
  /** 511702-DZ-2026-3 */
  number: string;
  /** The office that issues the report (the county's 残联 of the institution's region). */
  issuer: string;
  institutionName: string;
  from: string;
  to: string;
  regionCode: string | null;
  createdAt: string;
  summary: { matched: number; amountMismatch: number; missingInSystem: number; missingInStatement: number; statementTotal: string; approvedTotal: string; paidTotal: string };
  lines: { externalRef: string; childName: string | null; status: string; statementAmount: string | null; approvedAmount: string | null; claimStatus: string | null }[];
}

const amount = (value: string | null) => (value === null ? '—' : groupThousands(value));

export function renderReconciliationPdf(report: ReconciliationDocument): Promise<Buffer> {
  const createdAt = new Date(report.createdAt);
  return renderTableDocument({
    title: '残疾儿童康复救助结算对账报告',
    runningTitle: `结算对账报告　${report.number}　${report.institutionName}　${report.from} 至 ${report.to}`,
    details: [
      ['报告编号', report.number],
      ['出具单位', report.issuer],
      ['机构', report.institutionName],
      ['对账期间（服务月份）', `${report.from} 至 ${report.to}`],
      ['比对范围', report.regionCode ? `付款地区 ${report.regionCode} 的申请` : '本机构全部申请'],
      ['生成时间', `${chinaDateTime(createdAt)}（北京时间）`],
      ['一致 / 金额不符', `${report.summary.matched} / ${report.summary.amountMismatch}`],
      ['系统无此申请 / 对账单未列', `${report.summary.missingInSystem} / ${report.summary.missingInStatement}`],
    ],
    rowLines: 2,
    columns: [
      { header: '序号', width: 36, align: 'right' },
      { header: '结算申请号', width: 170, wrap: true },
      { header: '儿童姓名', width: 70 },
      { header: '比对结果', width: 96, align: 'center' },
      { header: '对账单金额', width: 100, align: 'right' },
      { header: '核定金额', width: 100, align: 'right' },
      { header: '申请状态', width: 84, align: 'center' },
    ],
    rowCount: report.lines.length,
    rows: report.lines.map((line, index) => [
      String(index + 1),
      line.externalRef,
      line.childName ?? '—',
      LINE_STATUS_NAMES_ZH[line.status] ?? line.status,
      amount(line.statementAmount),
      amount(line.approvedAmount),
      line.claimStatus ? (CLAIM_STATUS_NAMES_ZH[line.claimStatus] ?? line.claimStatus) : '—',
    ]),
    summary: {
      height: 100,
      draw(page, top) {
        page.text(`对账单合计：¥${groupThousands(report.summary.statementTotal)}`, page.left, top, { size: 10, bold: true });
        page.text(`核定合计：¥${groupThousands(report.summary.approvedTotal)}`, page.left + 220, top, { size: 10, bold: true });
        page.text(`已支付合计：¥${groupThousands(report.summary.paidTotal)}`, page.left + 440, top, { size: 10, bold: true });
        signatureBoxes(page, top + 26, ['机构经办人（签字）：', '机构负责人（签字并盖章）：', '县残联核对人（签字）：']);
      },
    },
    footerNote: `对账报告编号：${report.number}`,
    metadata: { title: `结算对账报告 ${report.number} ${report.institutionName}`, createdAt },
  });
}
