import { chinaDateTime } from '../src/domain/chinaTime.js';
import { groupThousands } from '../src/domain/money.js';
import { renderTableDocument, signatureBoxes } from '../src/pdf/tableDocument.js';
import { chineseDate, FUND_NAMES_ZH, monthLabel } from './allowanceWords.js';

// 残疾儿童关爱补贴发放汇总表: the issued roll's summary that civil affairs signs and finance pays from
// (allowance.md): totals by fund and by community, arrears, the total in figures and in capital
// numerals, signature blocks, page numbers and the roll's SHA-256. Rendered once at issue.

export interface SummaryCommunity {
  name: string;
  /** The 12-digit code when the community has one: two communities of one name are two lines. */
  code: string | null;
  transferCount: number;
  entryCount: number;
  county: string;
  hardship: string;
  arrears: string;
  total: string;
}

export interface AllowanceSummaryDocument {
  number: string;
  /** The county's 民政局 as the region's settings name it (出具单位), which seals it. */
  issuer: string;
  /** The county's 财政局, which seals it too. */
  financeOffice: string;
  regionCode: string;
  /** The county by name (四川省达州市通川区), or null where the code is unknown. */
  regionName: string | null;
  month: string;
  noticeFrom: string;
  noticeTo: string;
  issuedAt: Date;
  transferCount: number;
  entryCount: number;
  byFund: { county: string; hardship: string };
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
  communities: readonly SummaryCommunity[];
}

export const SUMMARY_TITLE = '残疾儿童关爱补贴发放汇总表';

export function renderAllowanceSummary(summary: AllowanceSummaryDocument): Promise<Buffer> {
  return renderTableDocument({
    title: SUMMARY_TITLE,
    runningTitle: `${SUMMARY_TITLE}　${summary.number}`,
    details: [
      ['出具单位', summary.issuer],
      ['县（市、区）', summary.regionName ? `${summary.regionName}（${summary.regionCode}）` : summary.regionCode],
      ['发放月份', monthLabel(summary.month)],
      ['名册编号', summary.number],
      ['公示期', `${chineseDate(summary.noticeFrom)}至${chineseDate(summary.noticeTo)}`],
      ['转交财政时间', `${chinaDateTime(summary.issuedAt)}（北京时间）`],
      ['暂停发放（不在本册）', `${summary.heldCount} 人`],
    ],
    columns: [
      { header: '序号', width: 36, align: 'right' },
      { header: '村（社区）', width: 200 },
      { header: '人数', width: 44, align: 'right' },
      { header: '月数', width: 44, align: 'right' },
      { header: `关爱补贴（${FUND_NAMES_ZH.county}）`, width: 126, align: 'right' },
      { header: `护理补贴提标（${FUND_NAMES_ZH.hardship}）`, width: 134, align: 'right' },
      { header: '其中补发', width: 80, align: 'right' },
      { header: '合计', width: 92, align: 'right' },
    ],
    rowCount: summary.communities.length,
    rows: summary.communities.map((community, index) => [
      String(index + 1),
      community.code ? `${community.name}（${community.code}）` : community.name,
      String(community.transferCount),
      String(community.entryCount),
      groupThousands(community.county),
      groupThousands(community.hardship),
      groupThousands(community.arrears),
      groupThousands(community.total),
    ]),
    summary: {
      height: 150,
      draw(page, top) {
        page.text(`合计：${summary.transferCount} 人　${summary.entryCount} 个月`, page.left, top, { size: 10, bold: true });
        page.text(`关爱补贴（${FUND_NAMES_ZH.county}）：¥${groupThousands(summary.byFund.county)}`, page.left + 180, top, { size: 10 });
        page.text(`护理补贴提标（${FUND_NAMES_ZH.hardship}）：¥${groupThousands(summary.byFund.hardship)}`, page.left + 440, top, { size: 10 });
        page.text(`其中补发：¥${groupThousands(summary.arrearsTotal)}`, page.left, top + 18, { size: 10 });
        page.text(`金额（小写）：¥${groupThousands(summary.total)}`, page.left + 180, top + 18, { size: 10, bold: true });
        page.text(`金额（大写）：${summary.totalInWords}`, page.left + 440, top + 18, { size: 10, bold: true });
        signatureBoxes(page, top + 46, [`经办人：${summary.builtBy}（签字）`, `审核人：${summary.issuedBy}（签字）`, `民政部门（${summary.issuer}）\n盖章：`, `财政部门（${summary.financeOffice}）\n盖章：`], 16);
      },
    },
    footerNote: `名册内容 SHA-256：${summary.sha256}`,
    metadata: { title: `${SUMMARY_TITLE} ${summary.number}`, createdAt: summary.issuedAt },
  });
}
