import { maskName } from '../src/domain/masks.js';
import { PROTECTION_CATEGORY_NAMES_ZH, type ProtectionCategory } from '../src/domain/protectionVocabulary.js';
import { renderTableDocument } from '../src/pdf/tableDocument.js';
import { chinaDate } from '../src/domain/chinaTime.js';
import { chineseDate } from './documentWords.js';

// 困境儿童分类认定公示 (protection.md §4.3): one village's list for its notice period, posted in the
// village. It names each child with the second character masked and the categories applied for
// that may be posted, and nothing else: no ID number, birth date, address, parents' facts,
// disability or illness, HIV status, left-behind status, no-notice category or bank data. The
// service passes only those two things in; this document cannot print what it is not given.

export interface ProtectionNoticeDocument {
  regionCode: string;
  countyName: string;
  countyFullName: string;
  /** The county's 民政局 that objections also go to, by the name set for documents. */
  civilAffairsOffice: string;
  townshipName: string;
  /** The township's government that posts the notice (东城街道办事处, 罗江镇人民政府). */
  townshipOffice: string;
  villageName: string;
  villageCode: string;
  noticeFrom: string;
  noticeTo: string;
  supervisionPhone: string | null;
  printedAt: string;
  /** The cases on the notice when printed: the child's name (masked here) and the categories that may be posted. */
  entries: readonly { name: string; categories: readonly ProtectionCategory[] }[];
}

export const PROTECTION_NOTICE_TITLE = '困境儿童分类认定公示';

export function renderProtectionNotice(notice: ProtectionNoticeDocument): Promise<Buffer> {
  const period = `${chineseDate(notice.noticeFrom)}至${chineseDate(notice.noticeTo)}`;
  return renderTableDocument({
    title: PROTECTION_NOTICE_TITLE,
    runningTitle: `${PROTECTION_NOTICE_TITLE}　${notice.townshipName}${notice.villageName}`,
    details: [
      ['县（市、区）', `${notice.countyFullName}（${notice.regionCode}）`],
      ['乡镇（街道）', notice.townshipName],
      ['村（社区）', `${notice.villageName}（${notice.villageCode}）`],
      ['公示期', period],
    ],
    columns: [
      { header: '序号', width: 60, align: 'right' },
      { header: '姓名', width: 200 },
      { header: '申请类别', width: 440 },
    ],
    rowCount: notice.entries.length,
    rows: notice.entries.map((entry, index) => [String(index + 1), maskName(entry.name), entry.categories.map((category) => PROTECTION_CATEGORY_NAMES_ZH[category]).join('、')]),
    summary: {
      height: 90,
      draw(page, top) {
        page.text(`公示期：${period}。`, page.left, top, { size: 10, bold: true });
        page.text(
          `以上儿童申请困境儿童分类认定。对名单有异议的，请在公示期内向${notice.townshipName}或${notice.civilAffairsOffice}实名反映，并提供相关情况或证据。`,
          page.left,
          top + 20,
          { size: 10, width: page.width },
        );
        page.text(`监督电话：${notice.supervisionPhone ?? '＿＿＿＿＿＿＿＿＿＿'}`, page.left, top + 44, { size: 10 });
        page.text(`${notice.townshipOffice}　　${chineseDate(chinaDate(new Date(notice.printedAt)))}`, page.left, top + 64, { size: 10, width: page.width, align: 'right' });
      },
    },
    footerNote: `${notice.villageCode}　${notice.noticeFrom}`,
    metadata: { title: `${PROTECTION_NOTICE_TITLE} ${notice.villageName}`, createdAt: new Date(notice.printedAt) },
  });
}
