import { maskName } from '../src/domain/masks.js';
import { groupThousands } from '../src/domain/money.js';
import { renderTableDocument, type TablePart } from '../src/pdf/tableDocument.js';
import { chineseDate, monthLabel, monthsLabel, tierLabel } from './allowanceWords.js';

// 残疾儿童关爱补贴发放公示: the monthly public notice posted in each village or community for 7 days
// (allowance.md). One part per community, on its own pages. It names children with the second
// character masked and says nothing else about them: no ID number, no bank data, no disability
// category.

export interface NoticeTransfer {
  childName: string;
  tiers: readonly string[];
  months: readonly string[];
  amount: string;
}

export interface NoticeCommunity {
  name: string;
  code: string | null;
  transfers: readonly NoticeTransfer[];
  total: string;
}

export interface AllowanceNoticeDocument {
  number: string;
  /** The county's 民政局 as the region's settings name it (出具单位). */
  issuer: string;
  regionCode: string;
  /** The county by name (四川省达州市通川区), or null where the code is unknown. */
  regionName: string | null;
  month: string;
  noticeFrom: string;
  noticeTo: string;
  supervisionPhone: string | null;
  createdAt: Date;
  communities: readonly NoticeCommunity[];
}

export const NOTICE_TITLE = '残疾儿童关爱补贴发放公示';

function communityPart(notice: AllowanceNoticeDocument, community: NoticeCommunity): TablePart {
  const period = `${chineseDate(notice.noticeFrom)}至${chineseDate(notice.noticeTo)}`;
  return {
    title: NOTICE_TITLE,
    runningTitle: `${NOTICE_TITLE}　${community.name}　${monthLabel(notice.month)}`,
    details: [
      ['出具单位', notice.issuer],
      ['县（市、区）', notice.regionName ? `${notice.regionName}（${notice.regionCode}）` : notice.regionCode],
      ['村（社区）', community.code ? `${community.name}（${community.code}）` : community.name],
      ['发放月份', monthLabel(notice.month)],
      ['公示期', period],
    ],
    columns: [
      { header: '序号', width: 50, align: 'right' },
      { header: '姓名', width: 140 },
      { header: '补贴类型', width: 170 },
      { header: '发放月份', width: 240 },
      { header: '金额（元）', width: 120, align: 'right' },
    ],
    rowCount: community.transfers.length,
    rows: community.transfers.map((transfer, index) => [
      String(index + 1),
      maskName(transfer.childName),
      transfer.tiers.map(tierLabel).join('、'),
      monthsLabel(transfer.months),
      groupThousands(transfer.amount),
    ]),
    summary: {
      height: 70,
      draw(page, top) {
        page.text(`本村（社区）合计：${community.transfers.length} 人　¥${groupThousands(community.total)}`, page.left, top, { size: 10, bold: true });
        page.text(`公示期：${period}。对名单有异议的，请在公示期内向县民政局反映。`, page.left, top + 20, { size: 10 });
        page.text(`监督电话：${notice.supervisionPhone ?? '＿＿＿＿＿＿＿＿＿＿'}`, page.left, top + 40, { size: 10 });
      },
    },
  };
}

export function renderAllowanceNotice(notice: AllowanceNoticeDocument): Promise<Buffer> {
  const parts = notice.communities.map((community) => communityPart(notice, community));
  return renderTableDocument({
    // A roll with no one to pay still gets its notice: one empty part.
    parts: parts.length > 0 ? parts : [communityPart(notice, { name: '（无）', code: null, transfers: [], total: '0.00' })],
    runningTitle: NOTICE_TITLE,
    footerNote: `名册编号：${notice.number}`,
    metadata: { title: `${NOTICE_TITLE} ${notice.number}`, createdAt: notice.createdAt },
  });
}
