import PDFDocument from 'pdfkit';
import { fontBytes } from './font.js';
import { cellSetters } from './cells.js';
import type { EncodedRun } from './textRuns.js';
import { twoGenerationCache } from './twoGenerationCache.js';

// The document kit: a paged table document on landscape A4. A title block on the first page, the
// table header repeated at the top of every page, a summary after the last row, and a footer on
// every page with "第 x 页 / 共 y 页" and a note (the content hash). A document may have several
// parts, each from a new page with its own title block, table and summary, paged as one. What a
// document says is defined in reports/; how its pages are drawn is here. Rows have a fixed height, so the number of
// pages is known before the first page is drawn and each page is finished as it goes.

export interface TableColumn {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
  /**
   * The value may take every line of a row (the part's rowLines), and a smaller type (down to
   * MIN_WRAPPED_FONT_SIZE) when even those lines would not hold it: a reference must be read whole.
   */
  wrap?: boolean;
}

/** One table with its title block and summary; a document has one or several, each from a new page. */
export interface TablePart {
  title: string;
  /** Label and value pairs under the title on the part's first page, two to a line. */
  details: [string, string][];
  columns: TableColumn[];
  /** The rows, read once in order; a generator keeps a long table out of memory. */
  rows: Iterable<readonly string[]>;
  rowCount: number;
  /**
   * Drawn below the last row; given its height so that it never breaks across pages. It stays on
   * the page of the last rows: when it would not fit there, the last rows go over with it.
   */
  summary: { height: number; draw: (page: PageWriter, top: number) => void };
  /** Lines a row holds (default 1): a wrapped column uses them all, the others sit in the middle. */
  rowLines?: number;
  /** Short title repeated at the top of each of the part's pages; the document's when absent. */
  runningTitle?: string;
}

export interface TableDocument extends TablePart {
  /** Short title repeated at the top of every page. */
  runningTitle: string;
  footerNote: string;
  metadata: { title: string; createdAt: Date };
}

/** A document of several parts (a public notice with one part per community), paged as one. */
export interface PartsDocument {
  parts: TablePart[];
  runningTitle: string;
  footerNote: string;
  metadata: { title: string; createdAt: Date };
}

const PAGE_WIDTH = 841.89;
const PAGE_HEIGHT = 595.28;
const MARGIN = 36;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const HEADER_ROW_HEIGHT = 20;
const ROW_HEIGHT = 15;
const BODY_FONT_SIZE = 8;
const TABLE_BOTTOM = PAGE_HEIGHT - 46;
/** The summary may reach down to the footer's line (第 x 页 / 共 y 页 at PAGE_HEIGHT - 30). */
const SUMMARY_BOTTOM = PAGE_HEIGHT - 36;
/** A row's second and further lines. */
const LINE_STEP = 9.5;
const MIN_WRAPPED_FONT_SIZE = 5;
/** Rows taken over to the summary's page when it does not fit under the last rows. */
const ROWS_KEPT_WITH_SUMMARY = 3;
const OTHER_PAGE_TABLE_TOP = 44;
const DETAIL_LINE_HEIGHT = 15;

export interface PageWriter {
  doc: PDFKit.PDFDocument;
  left: number;
  width: number;
  text(value: string, x: number, y: number, options?: { size?: number; bold?: boolean; width?: number; align?: 'left' | 'right' | 'center' }): void;
}

/**
 * Signature blocks side by side under a summary (经办人, 审核人, an office's seal), each with its
 * date line: 70 points high from `top`.
 */
export function signatureBoxes(page: PageWriter, top: number, labels: readonly string[]) {
  const gap = 20;
  const boxWidth = (page.width - gap * (labels.length - 1)) / labels.length;
  labels.forEach((label, index) => {
    const x = page.left + index * (boxWidth + gap);
    page.doc.rect(x, top, boxWidth, 70).lineWidth(0.6).strokeColor('#555555').stroke();
    page.text(label, x + 8, top + 8, { size: 10, width: boxWidth - 16 });
    page.text('日期：　　　年　　月　　日', x + 8, top + 50, { size: 9 });
  });
}

function firstPageTableTop(document: Pick<TablePart, 'details'>): number {
  return 68 + Math.ceil(document.details.length / 2) * DETAIL_LINE_HEIGHT + 10;
}

function rowHeightOf(document: Pick<TablePart, 'rowLines'>): number {
  return ROW_HEIGHT + ((document.rowLines ?? 1) - 1) * LINE_STEP;
}

/**
 * Rows on each page of a part and its number of pages, from the fixed layout. The summary stays
 * with the last rows: when it does not fit under them, the last ROWS_KEPT_WITH_SUMMARY rows (fewer
 * when the page holds fewer) go to a new page with it (`carried`). Only a last page of a single row
 * leaves the summary a page of its own (`summaryAlone`), which a full page of one row cannot be.
 */
export function layout(document: TablePart): { rowsPerPage: number[]; pageCount: number; carried: number; summaryAlone: boolean } {
  const rowHeight = rowHeightOf(document);
  const firstCapacity = Math.floor((TABLE_BOTTOM - firstPageTableTop(document) - HEADER_ROW_HEIGHT) / rowHeight);
  const otherCapacity = Math.floor((TABLE_BOTTOM - OTHER_PAGE_TABLE_TOP - HEADER_ROW_HEIGHT) / rowHeight);
  const rowsPerPage: number[] = [Math.min(document.rowCount, firstCapacity)];
  let left = document.rowCount - rowsPerPage[0]!;
  while (left > 0) {
    const onPage = Math.min(left, otherCapacity);
    rowsPerPage.push(onPage);
    left -= onPage;
  }
  const lastTop = rowsPerPage.length === 1 ? firstPageTableTop(document) : OTHER_PAGE_TABLE_TOP;
  const lastRows = rowsPerPage.at(-1)!;
  const lastBottom = lastTop + HEADER_ROW_HEIGHT + lastRows * rowHeight;
  if (lastBottom + 12 + document.summary.height <= SUMMARY_BOTTOM) return { rowsPerPage, pageCount: rowsPerPage.length, carried: 0, summaryAlone: false };
  if (lastRows <= 1) return { rowsPerPage, pageCount: rowsPerPage.length + 1, carried: 0, summaryAlone: true };
  const carried = Math.min(ROWS_KEPT_WITH_SUMMARY, lastRows - 1);
  rowsPerPage[rowsPerPage.length - 1] = lastRows - carried;
  rowsPerPage.push(carried);
  return { rowsPerPage, pageCount: rowsPerPage.length, carried, summaryAlone: false };
}

/**
 * pdfkit keeps the glyph layout of every distinct word it has drawn, per font, for the life of the
 * document, in a plain object (its fonts' `layoutCached(word)` reads and writes `layoutCache`). A
 * batch's references and line numbers are all distinct, so that cache would grow with the batch;
 * but most cells repeat (names, categories, services, periods, amounts), and shaping them again is
 * a large part of the time. So each font's `layoutCached` is replaced by a bounded cache of
 * LAYOUT_CACHE_ENTRIES words in two generations: what repeats is shaped once, what does not is
 * forgotten, and memory stays flat however long the batch. (An LRU behind a Proxy on the
 * dictionary did the same, but its trap on every word cost more than it saved; `layoutCached` is
 * pdfkit's internal, reached only here.)
 */
export const LAYOUT_CACHE_ENTRIES = 4000;

interface PdfkitFont {
  layoutCache?: object;
  layoutRun?: (text: string) => unknown;
  layoutCached?: (text: string) => unknown;
}

const boundedFonts = new WeakSet<object>();

/** Gives every font of the document a bounded layout cache in place of pdfkit's unbounded one. */
function boundTextLayouts(doc: PDFKit.PDFDocument) {
  const families = (doc as unknown as { _fontFamilies?: Record<string, PdfkitFont> })._fontFamilies ?? {};
  for (const font of Object.values(families)) {
    // pdfkit's built-in Helvetica (selected when a document is made) is not shaped: nothing to bound.
    if (boundedFonts.has(font) || !('layoutCache' in font)) continue;
    if (typeof font.layoutRun !== 'function' || typeof font.layoutCached !== 'function') {
      throw new Error('pdfkit no longer lays out text through font.layoutCached; see boundTextLayouts in src/pdf/tableDocument.ts');
    }
    font.layoutCached = twoGenerationCache(LAYOUT_CACHE_ENTRIES, font.layoutRun.bind(font));
    boundedFonts.add(font);
  }
}

/** Renders the document into a Buffer. */
export async function renderTableDocument(document: TableDocument | PartsDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await renderTableDocumentTo(document, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks);
}

function partsOf(document: TableDocument | PartsDocument): TablePart[] {
  return 'parts' in document ? document.parts : [document];
}

/** Renders the document chunk by chunk into `write`, holding no more than a page at a time. */
export async function renderTableDocumentTo(document: TableDocument | PartsDocument, write: (chunk: Buffer) => void): Promise<void> {
  const parts = partsOf(document);
  if (parts.length === 0) throw new Error('a document has at least one part');
  for (const part of parts) {
    const totalWidth = part.columns.reduce((sum, column) => sum + column.width, 0);
    if (totalWidth > CONTENT_WIDTH) throw new Error(`table is ${totalWidth} wide; the page holds ${CONTENT_WIDTH}`);
  }

  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    autoFirstPage: false,
    info: { Title: document.metadata.title, Creator: '残疾儿童康复救助结算服务', CreationDate: document.metadata.createdAt },
  });
  doc.on('data', write);
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  // A PDFDocument is a Readable: a 'data' listener makes it flow only from the next turn of the
  // event loop, and until then everything it produces is held in its buffer. The pages below are
  // drawn in one synchronous run, so without this turn the whole file (some 45 MB for 100,000
  // lines) would sit in memory before the first chunk reached `write`; after it, each chunk goes
  // out as it is made.
  await new Promise((resolve) => setImmediate(resolve));
  doc.registerFont('regular', fontBytes('regular'));
  doc.registerFont('bold', fontBytes('bold'));
  // pdfkit creates a font object when it is first selected: select both, then bound their caches.
  doc.font('bold');
  doc.font('regular');
  boundTextLayouts(doc);

  const layouts = parts.map(layout);
  const pageCount = layouts.reduce((sum, part) => sum + part.pageCount, 0);
  let pageNumber = 0;

  const { body, fittedCell, wrappedCell } = cellSetters(doc, { lineStep: LINE_STEP, bodyFontSize: BODY_FONT_SIZE, minWrappedFontSize: MIN_WRAPPED_FONT_SIZE });

  parts.forEach((part, partIndex) => {
    const totalWidth = part.columns.reduce((sum, column) => sum + column.width, 0);
    const left = MARGIN + (CONTENT_WIDTH - totalWidth) / 2;
    const writer: PageWriter = {
      doc,
      left,
      width: totalWidth,
      text(value, x, y, options = {}) {
        doc.font(options.bold ? 'bold' : 'regular').fontSize(options.size ?? BODY_FONT_SIZE);
        doc.text(value, x, y, { width: options.width, align: options.align ?? 'left', lineBreak: false });
      },
    };
    const { rowsPerPage, summaryAlone } = layouts[partIndex]!;
    const rowHeight = rowHeightOf(part);
    const rowLines = part.rowLines ?? 1;

    const startPage = () => {
      pageNumber += 1;
      doc.addPage();
      writer.text(part.runningTitle ?? document.runningTitle, left, 20, { size: 8 });
      writer.text(`第 ${pageNumber} 页 / 共 ${pageCount} 页`, left, PAGE_HEIGHT - 30, { size: 8, width: totalWidth, align: 'right' });
      writer.text(document.footerNote, left, PAGE_HEIGHT - 30, { size: 7 });
    };

    const drawHeaderRow = (top: number) => {
      doc.rect(left, top, totalWidth, HEADER_ROW_HEIGHT).fillAndStroke('#e8e8e8', '#555555').fillColor('black');
      doc.font('bold').fontSize(BODY_FONT_SIZE);
      let x = left;
      for (const column of part.columns) {
        doc.text(column.header, x + 2, top + 5, { width: column.width - 4, align: 'center', lineBreak: false });
        x += column.width;
      }
    };

    const rows = part.rows[Symbol.iterator]();
    for (let pageIndex = 0; pageIndex < rowsPerPage.length; pageIndex++) {
      startPage();
      let top = OTHER_PAGE_TABLE_TOP;
      if (pageIndex === 0) {
        writer.text(part.title, left, 34, { size: 18, bold: true, width: totalWidth, align: 'center' });
        part.details.forEach(([label, value], index) => {
          const x = left + (index % 2) * (totalWidth / 2);
          const y = 68 + Math.floor(index / 2) * DETAIL_LINE_HEIGHT;
          writer.text(`${label}：${value}`, x, y, { size: 9, width: totalWidth / 2 - 8 });
        });
        top = firstPageTableTop(part);
      }
      drawHeaderRow(top);
      top += HEADER_ROW_HEIGHT;
      doc.font('regular').fontSize(BODY_FONT_SIZE);
      const rowsTop = top;
      const runs: { run: EncodedRun; x: number; baseline: number }[] = [];
      // Runs of wrapped cells set smaller than the body, by size.
      const smallerRuns = new Map<number, { run: EncodedRun; x: number; baseline: number }[]>();
      // A one-line cell sits in the middle of a row of several lines.
      const singleLineTop = ((rowLines - 1) * LINE_STEP) / 2;
      for (let onPage = 0; onPage < rowsPerPage[pageIndex]!; onPage++) {
        const next = rows.next();
        if (next.done) throw new Error(`the table has fewer rows than its rowCount ${part.rowCount}`);
        const row = next.value;
        const baseline = body.baseline(top + 4 + singleLineTop, BODY_FONT_SIZE);
        let x = left;
        part.columns.forEach((column, columnIndex) => {
          const room = column.width - 6;
          const place = (width: number) => x + 3 + (column.align === 'right' ? room - width : column.align === 'center' ? (room - width) / 2 : 0);
          if (column.wrap && rowLines > 1) {
            const cell = wrappedCell(row[columnIndex] ?? '', room, rowLines);
            // The lines in the middle of the row's text height.
            const blockHeight = (cell.lines.length - 1) * cell.step + cell.size;
            const firstTop = top + 4 + ((rowLines - 1) * LINE_STEP + BODY_FONT_SIZE - blockHeight) / 2;
            cell.lines.forEach((line, lineIndex) => {
              if (!line.run) return;
              const placed = { run: line.run, x: place(line.width), baseline: body.baseline(firstTop + lineIndex * cell.step, cell.size) };
              if (cell.size === BODY_FONT_SIZE) runs.push(placed);
              else smallerRuns.set(cell.size, [...(smallerRuns.get(cell.size) ?? []), placed]);
            });
          } else {
            const cell = fittedCell(row[columnIndex] ?? '', room);
            if (cell.run) runs.push({ run: cell.run, x: place(cell.width), baseline });
            else if (cell.text !== '') doc.text(cell.text, place(cell.width), top + 4 + singleLineTop, { lineBreak: false });
          }
          x += column.width;
        });
        top += rowHeight;
      }
      body.write(runs, BODY_FONT_SIZE);
      for (const [size, placed] of smallerRuns) body.write(placed, size);
      // A rule under every row, stroked once for the page.
      if (top > rowsTop) {
        doc.lineWidth(0.3).strokeColor('#999999');
        for (let ruleTop = rowsTop + rowHeight; ruleTop <= top + 0.01; ruleTop += rowHeight) doc.moveTo(left, ruleTop).lineTo(left + totalWidth, ruleTop);
        doc.stroke();
      }
      if (pageIndex === rowsPerPage.length - 1) {
        if (summaryAlone) {
          startPage();
          top = OTHER_PAGE_TABLE_TOP;
        }
        part.summary.draw(writer, top + 12);
      }
    }
  });
  doc.end();
  return finished;
}
