import { chinaDateTime } from '../src/domain/chinaTime.js';
import { groupThousands } from '../src/domain/money.js';
import { CATEGORY_NAMES_ZH, SERVICE_NAMES_ZH, type Category, type DeviceKind, type Service } from '../src/domain/vocabulary.js';
import { renderTableDocument, renderTableDocumentTo, signatureBoxes, type TableDocument } from '../src/pdf/tableDocument.js';

// The payment batch document (残疾儿童康复救助资金结算单) the finance bureau files and pays from.

export interface BatchDocumentLine {
  lineNo: number;
  claimId: string;
  externalRef: string;
  childName: string;
  idNumberMasked: string;
  category: string;
  service: string;
  deviceKind: string | null;
  period: string;
  grossCost: string;
  deductionsTotal: string;
  remainder: string;
  approvedAmount: string;
}

export interface BatchDocument {
  number: string;
  regionCode: string;
  /** The office that issues the statement (the county's 残联, from the region's settings). */
  issuer: string;
  /** The paying region as people read it: 四川省达州市通川区（511702）. */
  payingRegion: string;
  /** The finance bureau that signs and pays. */
  financeOffice: string;
  payee: { code: string; name: string; bank: string; accountName: string; accountNumber: string };
  approvedThrough: string;
  issuedAt: Date;
  claimCount: number;
  total: string;
  totalInWords: string;
  sha256: string;
  /**
   * Who built the batch (经办人) and who issued it (审核人): two different people (security.md §2),
   * printed by name in their signature blocks.
   */
  builtBy: string;
  issuedBy: string;
  /** The lines in order, read once; a generator keeps a long batch out of memory. */
  lines: Iterable<BatchDocumentLine>;
}

function* batchRows(lines: Iterable<BatchDocumentLine>): Generator<string[]> {
  for (const line of lines) {
    yield [
      String(line.lineNo),
      line.externalRef,
      line.childName,
      line.idNumberMasked,
      categoryLabel(line.category),
      serviceLabel(line.service, line.deviceKind),
      line.period,
      groupThousands(line.grossCost),
      groupThousands(line.deductionsTotal),
      groupThousands(line.remainder),
      groupThousands(line.approvedAmount),
    ];
  }
}

const SHORT_DEVICE_NAMES: Record<DeviceKind, string> = {
  hearing_aid: '助听器',
  prosthesis_orthosis: '假肢矫形器',
  mobility_aid: '轮椅助行器具',
};

export function serviceLabel(service: string, deviceKind: string | null): string {
  const name = SERVICE_NAMES_ZH[service as Service] ?? service;
  return deviceKind ? `${name}·${SHORT_DEVICE_NAMES[deviceKind as DeviceKind] ?? deviceKind}` : name;
}

export function categoryLabel(category: string): string {
  return CATEGORY_NAMES_ZH[category as Category] ?? category;
}

export function batchTableDocument(batch: BatchDocument): TableDocument {
  return {
    title: '残疾儿童康复救助资金结算单',
    runningTitle: `残疾儿童康复救助资金结算单　批次号 ${batch.number}　${batch.payee.name}`,
    details: [
      ['批次号', batch.number],
      ['出具单位', batch.issuer],
      ['付款地区', batch.payingRegion],
      ['收款机构', `${batch.payee.name}（机构编码 ${batch.payee.code}）`],
      ['开户银行', batch.payee.bank],
      ['账户名称', batch.payee.accountName],
      ['银行账号', batch.payee.accountNumber],
      ['批准日期截至', batch.approvedThrough],
      ['转交财政时间', `${chinaDateTime(batch.issuedAt)}（北京时间）`],
    ],
    // Two lines a row: a 结算申请号 of up to 64 characters is printed whole (in smaller type when it
    // needs to), and so is the longest service name.
    rowLines: 2,
    columns: [
      { header: '序号', width: 28, align: 'right' },
      { header: '结算申请号', width: 160, wrap: true },
      { header: '儿童姓名', width: 52 },
      { header: '身份证号', width: 84 },
      { header: '残疾类别', width: 40, align: 'center' },
      { header: '救助项目', width: 80, wrap: true },
      { header: '服务期间/日期', width: 76 },
      { header: '总费用', width: 60, align: 'right' },
      { header: '已报销', width: 60, align: 'right' },
      { header: '剩余部分', width: 60, align: 'right' },
      { header: '核定金额', width: 64, align: 'right' },
    ],
    rows: batchRows(batch.lines),
    rowCount: batch.claimCount,
    summary: {
      height: 100,
      draw(page, top) {
        page.text(`合计：${batch.claimCount} 笔`, page.left, top, { size: 10, bold: true });
        page.text(`金额（小写）：¥${groupThousands(batch.total)}`, page.left + 120, top, { size: 10, bold: true });
        page.text(`金额（大写）：${batch.totalInWords}`, page.left + 360, top, { size: 10, bold: true });
        signatureBoxes(page, top + 26, [`经办人：${batch.builtBy}（签字）`, `审核人：${batch.issuedBy}（签字）`, `财政部门（${batch.financeOffice}）盖章：`]);
      },
    },
    footerNote: `批次内容 SHA-256：${batch.sha256}`,
    metadata: { title: `残疾儿童康复救助资金结算单 ${batch.number}`, createdAt: batch.issuedAt },
  };
}

export function renderBatchPdf(batch: BatchDocument): Promise<Buffer> {
  return renderTableDocument(batchTableDocument(batch));
}

export function renderBatchPdfTo(batch: BatchDocument, write: (chunk: Buffer) => void): Promise<void> {
  return renderTableDocumentTo(batchTableDocument(batch), write);
}
