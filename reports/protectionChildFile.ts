import { renderFormDocument, type FormBlock } from '../src/pdf/formDocument.js';
import { chinaDate } from '../src/domain/chinaTime.js';
import { chineseDate } from './documentWords.js';

// 困境儿童信息登记表 (一人一档, protection.md §7): one child's file as the township and civil affairs
// keep it — basic facts, categories and flags, parents' situation, every case with its steps,
// living arrangement, schooling, quarterly updates, visits, mandatory reports, basic-living
// payments by month and exits — with lines for who filled it in and who checked it. The service
// prepares every line in words; this file lays them out.

type Row = readonly string[];

export interface ChildFileDocument {
  child: {
    name: string;
    idNumber: string;
    sex: string;
    birthDate: string;
    county: string;
    township: string;
    village: string;
    guardian: string;
  };
  /** 困境类别 (found, or claimed while the case is open) and flags, in words. */
  categories: string;
  flags: string;
  /** 父母情况: parent, situation, since, until, documents. */
  parents: readonly Row[];
  /** 认定情况: each case with its steps (step, date, office, decision, note). */
  cases: readonly { title: string; steps: readonly Row[] }[];
  /** 生活安置: from month, arrangement. */
  living: readonly Row[];
  /** 就学: school, stage, expected graduation, recorded. */
  schooling: readonly Row[];
  /** 动态更新: quarter, result, changes. */
  updates: readonly Row[];
  /** 走访记录: date, visitor, findings. */
  visits: readonly Row[];
  /** 强制报告: raised, concerns, status. */
  reports: readonly Row[];
  /** 基本生活费发放: month, amount, status, roll. */
  payments: readonly Row[];
  /** 退出: case, reason, event, first month not covered, note. */
  exits: readonly Row[];
  printedAt: string;
}

export const CHILD_FILE_TITLE = '困境儿童信息登记表';

const NONE = '暂无记录';

export function renderChildFile(file: ChildFileDocument): Promise<Buffer> {
  const table = (columns: [string, number][], rows: readonly Row[]): FormBlock => ({ kind: 'table', columns: columns.map(([header, share]) => ({ header, share })), rows, empty: NONE });
  const blocks: FormBlock[] = [
    { kind: 'heading', text: '一、基本信息' },
    {
      kind: 'fields',
      perRow: 2,
      fields: [
        ['姓名', file.child.name],
        ['公民身份号码', file.child.idNumber],
        ['性别', file.child.sex],
        ['出生日期', chineseDate(file.child.birthDate)],
        ['县（市、区）', file.child.county],
        ['乡镇（街道）', file.child.township],
        ['村（社区）', file.child.village],
        ['监护人', file.child.guardian],
      ],
    },
    { kind: 'heading', text: '二、困境类别' },
    { kind: 'fields', perRow: 1, fields: [['困境类别', file.categories || NONE], ['标识', file.flags || '无']] },
    { kind: 'heading', text: '三、父母情况' },
    table([['父/母', 1], ['情况', 2], ['起始日期', 1.6], ['截止日期', 1.6], ['证明材料', 2.6]], file.parents),
    { kind: 'heading', text: '四、认定情况' },
  ];
  if (file.cases.length === 0) blocks.push({ kind: 'paragraph', text: NONE });
  for (const entry of file.cases) {
    blocks.push({ kind: 'paragraph', text: entry.title, bold: true }, table([['环节', 1.4], ['日期', 1.5], ['办理单位', 2.2], ['结果', 1.2], ['说明', 3]], entry.steps));
  }
  blocks.push(
    { kind: 'heading', text: '五、生活安置' },
    table([['起始月份', 1], ['安置方式', 2]], file.living),
    { kind: 'heading', text: '六、就学' },
    table([['学校', 3], ['学段', 1.2], ['预计毕业', 1.2], ['登记日期', 1.4]], file.schooling),
    { kind: 'heading', text: '七、动态更新' },
    table([['季度', 1], ['结果', 1], ['变更内容', 4]], file.updates),
    { kind: 'heading', text: '八、走访记录' },
    table([['走访日期', 1.2], ['走访人', 1.2], ['走访情况', 4]], file.visits),
    { kind: 'heading', text: '九、强制报告' },
    table([['报告时间', 1.4], ['情形', 2.6], ['状态', 1.4]], file.reports),
    { kind: 'heading', text: '十、基本生活费发放' },
    table([['月份', 1], ['金额（元）', 1], ['状态', 1], ['名册编号', 2]], file.payments),
    { kind: 'heading', text: '十一、退出' },
    table([['案件编号', 1.8], ['退出原因', 1.6], ['事由发生日期', 1.4], ['停止保障月份', 1.2], ['说明', 2]], file.exits),
    { kind: 'signatures', labels: ['填表人：', '审核人：', '日期：'] },
  );
  return renderFormDocument({
    title: CHILD_FILE_TITLE,
    subtitle: `${file.child.county}${file.child.township}${file.child.village}　打印时间：${chineseDate(chinaDate(new Date(file.printedAt)))}`,
    blocks,
    footerNote: `${CHILD_FILE_TITLE}　${file.child.name}`,
    metadata: { title: `${CHILD_FILE_TITLE} ${file.child.name}`, createdAt: new Date(file.printedAt) },
  });
}
