import { describe, expect, it } from 'vitest';
import { pdfPageCount, pdfWords } from '../testing/pdfTools.js';
import { renderTableDocument, type TableColumn } from './tableDocument.js';

/** A one-table document with nothing but the columns and rows given. */
function table(columns: TableColumn[], rows: string[][]) {
  return renderTableDocument({
    title: '表',
    runningTitle: '表',
    footerNote: '',
    metadata: { title: '表', createdAt: new Date(0) },
    details: [],
    columns,
    rows,
    rowCount: rows.length,
    summary: { height: 10, draw: () => {} },
  });
}

describe('cells written as runs', () => {
  it('read back as their text at their column on every page: 200 rows of repeated names over several pages', async () => {
    const pdf = await table([{ header: '名称', width: 100 }], Array.from({ length: 200 }, (_, index) => [index % 2 ? '张红' : '欧阳小明']));
    const pageCount = pdfPageCount(pdf);
    expect(pageCount).toBeGreaterThan(3);
    const tableLeft = 36 + (841.89 - 72 - 100) / 2;
    const names = Array.from({ length: pageCount }, (_, index) => pdfWords(pdf, index + 1))
      .flat()
      .filter((word) => word.text === '张红' || word.text === '欧阳小明');
    expect(names.filter((word) => word.text === '张红')).toHaveLength(100);
    expect(names.filter((word) => word.text === '欧阳小明')).toHaveLength(100);
    for (const word of names) expect(word.xMin).toBeCloseTo(tableLeft + 3, 0);
  });
});

describe('table cells', () => {
  it('a value too long for its column is cut with … inside it; right and centred values sit against their edge and in the middle', async () => {
    const pdf = await table(
      [
        { header: '编号', width: 80 },
        { header: '金额', width: 70, align: 'right' },
        { header: '类别', width: 60, align: 'center' },
      ],
      [['JG001-A-VERY-LONG-REFERENCE-2026-000001', '1,234.00', '听力']],
    );
    const words = pdfWords(pdf);
    const tableLeft = 36 + (841.89 - 72 - 210) / 2;
    const cut = words.find((word) => word.text.startsWith('JG001-'))!;
    expect(cut.text.endsWith('…')).toBe(true);
    expect(cut.text.length).toBeLessThan('JG001-A-VERY-LONG-REFERENCE-2026-000001'.length);
    expect(cut.xMin).toBeCloseTo(tableLeft + 3, 0);
    expect(cut.xMax).toBeLessThanOrEqual(tableLeft + 80 - 3 + 0.5);
    const amount = words.find((word) => word.text === '1,234.00')!;
    expect(amount.xMax).toBeCloseTo(tableLeft + 80 + 70 - 3, 0);
    const category = words.find((word) => word.text === '听力')!;
    expect((category.xMin + category.xMax) / 2).toBeCloseTo(tableLeft + 80 + 70 + 30, 0);
  });
});
