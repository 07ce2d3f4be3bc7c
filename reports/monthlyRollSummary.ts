import { groupThousands } from '../src/domain/money.js';
import { renderTableDocument, signatureBoxes } from '../src/pdf/tableDocument.js';

// A monthly roll's summary (发放汇总表: the care allowance's 残疾儿童关爱补贴发放汇总表, the
// basic-living allowance's 困境儿童基本生活费发放汇总表): the issued roll's sheet that civil affairs
// signs and finance pays from. Totals by fund or standard and by place (community, township),
// arrears, the total in figures and in capital numerals, signature blocks naming who built and who
// issued it, page numbers and the roll's SHA-256. Rendered once at issue. A programme brings its
// title, headings and details; the layout is one.

export interface SummaryGroup {
  /** As printed: a community with its code, a township. */
  label: string;
  transferCount: number;
  entryCount: number;
  /** Amounts in the order of the document's split headings. */
  split: string[];
  arrears: string;
  total: string;
}

export interface RollSummaryDocument {
  title: string;
  number: string;
  /** The county's 民政局 as the region's settings name it (出具单位), which seals it. */
  issuer: string;
  /** The county's 财政局, which seals it too. */
  financeOffice: string;
  regionCode: string;
  /** The county by name (四川省达州市通川区), or null where the code is unknown. */
  regionName: string | null;
  month: string;
  issuedAt: Date;
  /** The details block: label and value per row. */
  details: [string, string][];
  transferCount: number;
  entryCount: number;
  groupHeading: string;
  /** Column heading and column width (points) per split, with the roll's total of each. */
  split: { heading: string; width: number; total: string }[];
  groupWidth: number;
  arrearsTotal: string;
  total: string;
  totalInWords: string;
  heldCount: number;
  sha256: string;
  /**
   * Who built the roll (经办人) and who issued it (审核人): two different civil affairs officers
   * (security.md §2), printed by name in their signature blocks.
   */
  builtBy: string;
  issuedBy: string;
  groups: readonly SummaryGroup[];
}

export function renderRollSummary(summary: RollSummaryDocument): Promise<Buffer> {
  // The split totals on one line under the table: two (the allowance's funds) or three (standards).
  const splitStep = summary.split.length > 2 ? 200 : 260;
  return renderTableDocument({
    title: summary.title,
    runningTitle: `${summary.title}　${summary.number}`,
    details: summary.details,
    columns: [
      { header: '序号', width: 36, align: 'right' },
      { header: summary.groupHeading, width: summary.groupWidth },
      { header: '人数', width: 44, align: 'right' },
      { header: '月数', width: 44, align: 'right' },
      ...summary.split.map((split) => ({ header: split.heading, width: split.width, align: 'right' as const })),
      { header: '其中补发', width: 80, align: 'right' },
      { header: '合计', width: 92, align: 'right' },
    ],
    rowCount: summary.groups.length,
    rows: summary.groups.map((group, index) => [
      String(index + 1),
      group.label,
      String(group.transferCount),
      String(group.entryCount),
      ...group.split.map((amount) => groupThousands(amount)),
      groupThousands(group.arrears),
      groupThousands(group.total),
    ]),
    summary: {
      height: 150,
      draw(page, top) {
        page.text(`合计：${summary.transferCount} 人　${summary.entryCount} 个月`, page.left, top, { size: 10, bold: true });
        summary.split.forEach((split, index) => page.text(`${split.heading}：¥${groupThousands(split.total)}`, page.left + 180 + index * splitStep, top, { size: 10 }));
        page.text(`其中补发：¥${groupThousands(summary.arrearsTotal)}`, page.left, top + 18, { size: 10 });
        page.text(`金额（小写）：¥${groupThousands(summary.total)}`, page.left + 180, top + 18, { size: 10, bold: true });
        page.text(`金额（大写）：${summary.totalInWords}`, page.left + 440, top + 18, { size: 10, bold: true });
        signatureBoxes(page, top + 46, [`经办人：${summary.builtBy}（签字）`, `审核人：${summary.issuedBy}（签字）`, `民政部门（${summary.issuer}）\n盖章：`, `财政部门（${summary.financeOffice}）\n盖章：`], 16);
      },
    },
    footerNote: `名册内容 SHA-256：${summary.sha256}`,
    metadata: { title: `${summary.title} ${summary.number}`, createdAt: summary.issuedAt },
  });
}
