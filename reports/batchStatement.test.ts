import { describe, expect, it } from 'vitest';
import { pdfFonts, pdfPageCount, pdfPageToPng, pdfText, pdfWords } from '../src/testing/pdfTools.js';
import { batchTableDocument, renderBatchPdf, type BatchDocument, type BatchDocumentLine } from './batchStatement.js';
import { layout } from '../src/pdf/tableDocument.js';

function line(lineNo: number): BatchDocumentLine {
  return {
    lineNo,
    claimId: `00000000-0000-7000-8000-${String(lineNo).padStart(12, '0')}`,
    externalRef: `JG001-2026-${String(lineNo).padStart(6, '0')}`,
    childName: lineNo % 3 === 0 ? '欧阳小明' : '张红',
    idNumberMasked: '511702********0029',
    category: 'autism',
    service: lineNo % 2 === 0 ? 'training' : 'device',
    deviceKind: lineNo % 2 === 0 ? null : 'hearing_aid',
    period: lineNo % 2 === 0 ? '2026-01至2026-03' : '2026-05-10',
    grossCost: '5400.00',
    deductionsTotal: '300.00',
    remainder: '5100.00',
    approvedAmount: '25.10',
  };
}

function batch(lineCount: number): BatchDocument {
  return {
    number: '511702-2026-0007',
    regionCode: '511702',
    issuer: '达州市通川区残疾人联合会',
    payingRegion: '四川省达州市通川区（511702）',
    financeOffice: '达州市通川区财政局',
    payee: { code: 'JG-001', name: '阳光儿童康复中心', bank: '中国农业银行达州分行', accountName: '阳光儿童康复中心', accountNumber: '6228480000000000000' },
    approvedThrough: '2026-11-20',
    issuedAt: new Date('2026-11-22T02:30:00Z'),
    claimCount: lineCount,
    total: '50200.00',
    totalInWords: '伍万零贰佰元整',
    sha256: 'ab'.repeat(32),
    builtBy: '王审核',
    issuedBy: '钱复核',
    lines: Array.from({ length: lineCount }, (_, index) => line(index + 1)),
  };
}

describe('the batch PDF', () => {
  it('holds every part domain.md lists, in Chinese, with the CJK font embedded as a subset', async () => {
    const pdf = await renderBatchPdf(batch(3));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, '');
    for (const expected of [
      '残疾儿童康复救助资金结算单',
      '511702-2026-0007',
      '付款地区',
      '出具单位：达州市通川区残疾人联合会',
      '四川省达州市通川区（511702）',
      '批准日期截至：2026-11-20',
      '财政部门（达州市通川区财政局）盖章',
      '阳光儿童康复中心',
      'JG-001',
      '中国农业银行达州分行',
      '6228480000000000000',
      '2026-11-20',
      '2026-11-2210:30', // issue time in China time
      '511702********0029',
      '孤独症',
      '康复训练',
      '辅助器具·助听器',
      '2026-01至2026-03',
      '5,400.00',
      '¥50,200.00',
      '伍万零贰佰元整',
      '经办人：王审核',
      '审核人：钱复核',
      '财政部门',
      '第1页/共1页',
      'ab'.repeat(32),
    ]) {
      expect(text, expected).toContain(expected);
    }
    const fonts = pdfFonts(pdf);
    // An embedded subset (its name carries a six-letter tag), never a system font.
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC/);
    expect(fonts).not.toMatch(/\bno\s+no\s+no\b/);
  });

  it('a 2,000-line batch runs to many pages, each with the table header and its page number', async () => {
    const document = batch(2000);
    const pdf = await renderBatchPdf(document);
    const pages = pdfPageCount(pdf);
    expect(pages).toBe(layout(batchTableDocument(document)).pageCount);
    expect(pages).toBeGreaterThan(50);
    for (let page = 1; page <= pages; page++) {
      const text = pdfText(pdf, { first: page, last: page }).replace(/\s+/g, '');
      expect(text, `page ${page}`).toContain(`第${page}页/共${pages}页`);
      expect(text, `page ${page}`).toContain('511702-2026-0007');
      if (page < pages || text.includes('JG001-2026-')) {
        expect(text, `page ${page}`).toContain('序号结算申请号儿童姓名身份证号残疾类别救助项目服务期间/日期总费用已报销剩余部分核定金额');
      }
    }
    const all = pdfText(pdf);
    expect(all).toContain('JG001-2026-000001');
    expect(all).toContain('JG001-2026-002000');
    expect(pdfText(pdf, { first: pages, last: pages })).toContain('伍万零贰佰元整');
    // A page renders to an image of A4 landscape proportions.
    const png = pdfPageToPng(pdf, 2);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width / height).toBeCloseTo(841.89 / 595.28, 1);
  });

  it.each([18, 20, 24, 26])('with %i lines the totals and signatures stay on the page of the last lines', async (lineCount) => {
    const pdf = await renderBatchPdf(batch(lineCount));
    const pages = pdfPageCount(pdf);
    const last = pdfText(pdf, { first: pages, last: pages }).replace(/\s+/g, '');
    expect(last).toContain('伍万零贰佰元整');
    expect(last).toContain('经办人：王审核（签字）');
    expect(last).toContain('审核人：钱复核（签字）');
    expect(last, 'the last line is on the page of the totals').toContain(`JG001-2026-${String(lineCount).padStart(6, '0')}`);
  });

  it('when the totals do not fit under the last lines, the last lines go over with them, never the totals alone', async () => {
    let rows = 1;
    while (layout(batchTableDocument(batch(rows))).carried === 0) rows++;
    const { rowsPerPage, carried, summaryAlone } = layout(batchTableDocument(batch(rows)));
    expect([carried, summaryAlone]).toEqual([3, false]);
    const pdf = await renderBatchPdf(batch(rows));
    expect(pdfPageCount(pdf)).toBe(rowsPerPage.length);
    const last = pdfText(pdf, { first: rowsPerPage.length, last: rowsPerPage.length }).replace(/\s+/g, '');
    expect(last).toContain('伍万零贰佰元整');
    for (let lineNo = rows - 2; lineNo <= rows; lineNo++) expect(last).toContain(`JG001-2026-${String(lineNo).padStart(6, '0')}`);
    expect(pdfText(pdf, { first: 1, last: 1 }).replace(/\s+/g, '')).not.toContain('伍万零贰佰元整');
  });

  it('prints a 结算申请号 of 64 characters whole, over the row’s two lines (the console’s TC-… and the widest letters alike)', async () => {
    const references = ['TC-001-20261206-475'.padEnd(64, '0'), 'JG001-2026-'.padEnd(64, '9'), 'W'.repeat(64), '结算'.repeat(32)];
    const lines = references.map((externalRef, index) => ({ ...line(index + 1), externalRef }));
    const pdf = await renderBatchPdf({ ...batch(0), claimCount: lines.length, lines });
    // The words in the reference column, line after line, read as one value a row.
    const document = batchTableDocument(batch(0));
    const widths = document.columns.map((column) => column.width);
    const tableLeft = 36 + (841.89 - 72 - widths.reduce((sum, width) => sum + width, 0)) / 2;
    const column = { from: tableLeft + widths[0]!, to: tableLeft + widths[0]! + widths[1]! };
    const words = pdfWords(pdf);
    const header = words.find((word) => word.text === '结算申请号')!;
    const inColumn = words
      .filter((word) => word.yMin > header.yMin + 5 && Math.abs(word.xMin - (column.from + 3)) < 1 && word.xMax <= column.to + 0.5)
      .sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
    expect(inColumn.map((word) => word.text).join('')).toBe(references.join(''));
    expect(pdfText(pdf)).not.toContain('…');
  });
});
