import PDFDocument from 'pdfkit';
import { fontBytes } from './font.js';

// The document kit's second layout (the first is tableDocument.ts): a portrait A4 letter or form
// that flows from block to block — headings, paragraphs, grids of labelled fields, tables whose
// cells wrap, signature lines and an office's seal block — breaking pages where a block (or a
// table row) would not fit, with "第 x 页 / 共 y 页" and a note at the foot of every page. What a
// document says is defined in reports/; how it is laid out is here.

export type FormBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; indent?: boolean; bold?: boolean }
  /** Label and value cells in a bordered grid, `perRow` pairs to a row (default 2). */
  | { kind: 'fields'; fields: readonly (readonly [string, string])[]; perRow?: 1 | 2 | 3 }
  /** A table: each column a share of the width; an empty table prints `empty`. */
  | { kind: 'table'; columns: readonly { header: string; share: number }[]; rows: readonly (readonly string[])[]; empty?: string }
  /** Lines to sign, side by side: 填表人：＿＿＿＿ 审核人：＿＿＿＿. */
  | { kind: 'signatures'; labels: readonly string[] }
  /** The issuing office, its seal and the date, at the right. */
  | { kind: 'seal'; office: string; date: string }
  | { kind: 'space'; height: number };

export interface FormDocument {
  title: string;
  /** A line under the title (the case number, say). */
  subtitle?: string;
  blocks: readonly FormBlock[];
  footerNote: string;
  metadata: { title: string; createdAt: Date };
}

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN_X = 56;
const TOP = 56;
const BOTTOM = PAGE_HEIGHT - 60;
const WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const BODY = 10.5;
const SMALL = 9;
const CELL_PADDING = 4;

export async function renderFormDocument(document: FormDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    bufferPages: true,
    autoFirstPage: false,
    info: { Title: document.metadata.title, Creator: '残疾儿童康复救助结算服务', CreationDate: document.metadata.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', fontBytes('regular'));
  doc.registerFont('bold', fontBytes('bold'));

  let y = TOP;
  const font = (bold: boolean, size: number) => doc.font(bold ? 'bold' : 'regular').fontSize(size);
  const newPage = () => {
    doc.addPage();
    y = TOP;
  };
  /** Starts a new page unless `height` more fits on this one. */
  const room = (height: number) => {
    if (y + height > BOTTOM) newPage();
  };
  const heightOf = (text: string, width: number, bold: boolean, size: number) => {
    font(bold, size);
    return doc.heightOfString(text === '' ? ' ' : text, { width, lineGap: 2 });
  };
  const write = (text: string, x: number, top: number, width: number, options: { bold?: boolean; size?: number; align?: 'left' | 'center' | 'right' } = {}) => {
    font(options.bold ?? false, options.size ?? BODY);
    doc.fillColor('black').text(text, x, top, { width, align: options.align ?? 'left', lineGap: 2 });
  };

  /** A row of cells with borders; the row is as tall as its tallest cell, and never split. */
  const cellRow = (cells: readonly { text: string; width: number; bold?: boolean; shade?: boolean }[], size: number) => {
    const height = Math.max(...cells.map((cell) => heightOf(cell.text, cell.width - 2 * CELL_PADDING, cell.bold ?? false, size))) + 2 * CELL_PADDING;
    room(height);
    let x = MARGIN_X;
    for (const cell of cells) {
      if (cell.shade) doc.rect(x, y, cell.width, height).fill('#efefef');
      doc.lineWidth(0.5).strokeColor('#555555').rect(x, y, cell.width, height).stroke();
      write(cell.text, x + CELL_PADDING, y + CELL_PADDING, cell.width - 2 * CELL_PADDING, { bold: cell.bold ?? false, size });
      x += cell.width;
    }
    y += height;
  };

  newPage();
  write(document.title, MARGIN_X, y, WIDTH, { bold: true, size: 18, align: 'center' });
  y += heightOf(document.title, WIDTH, true, 18) + 6;
  if (document.subtitle) {
    write(document.subtitle, MARGIN_X, y, WIDTH, { size: SMALL, align: 'center' });
    y += heightOf(document.subtitle, WIDTH, false, SMALL) + 10;
  }

  for (const block of document.blocks) {
    switch (block.kind) {
      case 'heading': {
        // A heading keeps company with what follows it: room for it and a table's first rows.
        room(heightOf(block.text, WIDTH, true, 12) + 80);
        y += 8;
        write(block.text, MARGIN_X, y, WIDTH, { bold: true, size: 12 });
        y += heightOf(block.text, WIDTH, true, 12) + 4;
        break;
      }
      case 'paragraph': {
        const text = block.indent ? `　　${block.text}` : block.text;
        const height = heightOf(text, WIDTH, block.bold ?? false, BODY);
        // A long paragraph flows over pages line by line; a short one is kept whole.
        if (height < BOTTOM - TOP) room(height);
        write(text, MARGIN_X, y, WIDTH, { bold: block.bold ?? false });
        y = height < BOTTOM - TOP ? y + height + 4 : doc.y + 4;
        break;
      }
      case 'fields': {
        const perRow = block.perRow ?? 2;
        const labelWidth = perRow === 3 ? 62 : 80;
        const valueWidth = WIDTH / perRow - labelWidth;
        for (let index = 0; index < block.fields.length; index += perRow) {
          const pairs = block.fields.slice(index, index + perRow);
          const cells = pairs.flatMap(([label, value]) => [
            { text: label, width: labelWidth, bold: true, shade: true },
            { text: value, width: valueWidth },
          ]);
          // A short last row is filled with empty cells, so the grid stays square.
          for (let missing = pairs.length; missing < perRow; missing++) cells.push({ text: '', width: labelWidth, bold: true, shade: true }, { text: '', width: valueWidth });
          cellRow(cells, SMALL);
        }
        y += 4;
        break;
      }
      case 'table': {
        const total = block.columns.reduce((sum, column) => sum + column.share, 0);
        const widths = block.columns.map((column) => (column.share / total) * WIDTH);
        const header = () => cellRow(block.columns.map((column, index) => ({ text: column.header, width: widths[index]!, bold: true, shade: true })), SMALL);
        room(60);
        header();
        if (block.rows.length === 0) cellRow([{ text: block.empty ?? '（无）', width: WIDTH }], SMALL);
        for (const row of block.rows) {
          const before = doc.bufferedPageRange().count;
          const cells = row.map((text, index) => ({ text, width: widths[index]! }));
          const height = Math.max(...cells.map((cell) => heightOf(cell.text, cell.width - 2 * CELL_PADDING, false, SMALL))) + 2 * CELL_PADDING;
          room(height);
          // A row that moved to a new page gets the header again above it.
          if (doc.bufferedPageRange().count > before) header();
          cellRow(cells, SMALL);
        }
        y += 6;
        break;
      }
      case 'signatures': {
        room(40);
        y += 16;
        const each = WIDTH / block.labels.length;
        block.labels.forEach((label, index) => write(`${label}＿＿＿＿＿＿＿＿`, MARGIN_X + index * each, y, each - 8));
        y += 24;
        break;
      }
      case 'seal': {
        room(90);
        y += 24;
        const x = MARGIN_X + WIDTH / 2;
        write(block.office, x, y, WIDTH / 2, { align: 'center' });
        y += heightOf(block.office, WIDTH / 2, false, BODY) + 6;
        write('（盖章）', x, y, WIDTH / 2, { align: 'center', size: SMALL });
        y += 22;
        write(block.date, x, y, WIDTH / 2, { align: 'center' });
        y += 24;
        break;
      }
      case 'space':
        y += block.height;
        break;
    }
  }

  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    font(false, 8);
    doc.fillColor('#333333').text(document.footerNote, MARGIN_X, PAGE_HEIGHT - 40, { width: WIDTH / 2, lineBreak: false });
    doc.text(`第 ${index + 1} 页 / 共 ${range.count} 页`, MARGIN_X + WIDTH / 2, PAGE_HEIGHT - 40, { width: WIDTH / 2, align: 'right', lineBreak: false });
  }
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}
