import { PROTECTION_CATEGORY_NAMES_ZH, type ProtectionCategory } from '../src/domain/protectionVocabulary.js';
import { renderFormDocument } from '../src/pdf/formDocument.js';
import { chineseDate } from './documentWords.js';

// 困境儿童分类认定不予认定告知书 (protection.md §4.6): the written refusal handed to the applicant with
// the papers returned. It names the case, the applicant, the child (ID number masked), the day of
// receipt, the categories applied for, who refused and when, the reason as written, and the
// applicant's rights of review (行政复议, 60 days) and suit (行政诉讼, 6 months).

export interface RefusalLetterDocument {
  number: string;
  applicantName: string;
  applicantRelation: string;
  childName: string;
  childIdNumberMasked: string;
  receivedOn: string;
  categories: readonly ProtectionCategory[];
  refusedBy: string;
  refusedOn: string;
  reason: string;
  issuingOffice: string;
  decidedByName: string | null;
  printedAt: string;
}

export const REFUSAL_LETTER_TITLE = '困境儿童分类认定不予认定告知书';

export function renderRefusalLetter(letter: RefusalLetterDocument): Promise<Buffer> {
  const categories = letter.categories.map((category) => PROTECTION_CATEGORY_NAMES_ZH[category]).join('、');
  return renderFormDocument({
    title: REFUSAL_LETTER_TITLE,
    subtitle: `编号：${letter.number}`,
    blocks: [
      { kind: 'paragraph', text: `${letter.applicantName}（${letter.childName}之${letter.applicantRelation}）：` },
      {
        kind: 'paragraph',
        indent: true,
        text: `你于${chineseDate(letter.receivedOn)}为${letter.childName}提出的困境儿童分类认定申请（申请类别：${categories}），经${letter.refusedBy}于${chineseDate(letter.refusedOn)}审核，决定不予认定。现将有关事项告知如下。`,
      },
      {
        kind: 'fields',
        perRow: 2,
        fields: [
          ['申请人', `${letter.applicantName}（${letter.applicantRelation}）`],
          ['受理日期', chineseDate(letter.receivedOn)],
          ['儿童姓名', letter.childName],
          ['身份证号', letter.childIdNumberMasked],
          ['申请类别', categories],
          ['案件编号', letter.number],
          ['不予认定单位', letter.refusedBy],
          ['决定日期', chineseDate(letter.refusedOn)],
        ],
      },
      { kind: 'heading', text: '一、不予认定的理由' },
      { kind: 'paragraph', indent: true, text: letter.reason },
      { kind: 'heading', text: '二、申请材料' },
      { kind: 'paragraph', indent: true, text: '随本告知书退回你提交的申请材料，请注意查收。情况发生变化、符合条件的，可以重新提出申请。' },
      { kind: 'heading', text: '三、救济途径' },
      {
        kind: 'paragraph',
        indent: true,
        text: '如对本决定不服，可以自收到本告知书之日起60日内依法申请行政复议，或者自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。',
      },
      { kind: 'seal', office: letter.issuingOffice, date: chineseDate(letter.refusedOn) },
      { kind: 'signatures', labels: ['申请人签收：', '签收日期：'] },
    ],
    footerNote: `${REFUSAL_LETTER_TITLE}　${letter.number}`,
    metadata: { title: `${REFUSAL_LETTER_TITLE} ${letter.number}`, createdAt: new Date(letter.printedAt) },
  });
}
