import { bodyTextFont, type EncodedRun } from './textRuns.js';
import { twoGenerationCache } from './twoGenerationCache.js';

// How a table cell's value is set: measured, cut with … when it would run into the next column,
// or, in a column that wraps, split over the row's lines and set smaller when those would not hold
// it. Values repeat (names, periods, amounts), so each column's results are kept, bounded.

const CELL_CACHE_ENTRIES = 1000;

export interface CellLayout {
  /** The row's line spacing at the body size. */
  lineStep: number;
  bodyFontSize: number;
  minWrappedFontSize: number;
}

/** The cell setters of one document, over its fonts (the body font written as runs, see textRuns.ts). */
export function cellSetters(doc: PDFKit.PDFDocument, layout: CellLayout) {
  const BODY_FONT_SIZE = layout.bodyFontSize;
  const LINE_STEP = layout.lineStep;
  const MIN_WRAPPED_FONT_SIZE = layout.minWrappedFontSize;
  // Cells are measured from the advance of each character, kept per character: a value that is
  // cut (a long reference, say) would otherwise be shaped for its full length, for its estimated
  // cut and for each correction, each a distinct string that fontkit lays out from scratch. The
  // fonts' CJK characters, digits and Latin letters have no kerning that moves a cut or an
  // alignment by more than a fraction of a point; CUT_MARGIN keeps a cut value clear of the next
  // column all the same.
  const CUT_MARGIN = 0.5;
  const advances = new Map<string, number>();
  const widthOf = (value: string) => {
    let width = 0;
    for (const character of value) {
      let advance = advances.get(character);
      if (advance === undefined) {
        advance = doc.widthOfString(character);
        advances.set(character, advance);
      }
      width += advance;
    }
    return width;
  };
  // Cut a value that would run into the next column; the full value is in the spreadsheet.
  const fitted = (value: string, room: number): { text: string; width: number } => {
    const width = widthOf(value);
    if (width <= room) return { text: value, width };
    const limit = room - widthOf('…') - CUT_MARGIN;
    let kept = '';
    let keptWidth = 0;
    for (const character of value) {
      const next = keptWidth + widthOf(character);
      if (next > limit && kept.length > 0) break;
      kept += character;
      keptWidth = next;
    }
    const text = `${kept}…`;
    return { text, width: widthOf(text) };
  };
  // Table cells are drawn in the body font, written as runs (see textRuns.ts); most repeat (names,
  // periods, amounts), so each column's fitted and encoded values are kept like the shaped words,
  // CELL_CACHE_ENTRIES a column: an entry holds its encoded run, and with the full 4,000 the
  // columns of distinct values (line numbers, references) added some 12 MB to a 100,000-line
  // document's peak for nothing, where the values that do repeat are the frequent ones.
  const body = bodyTextFont(doc, 'regular');
  const fittedInColumn = new Map<number, (value: string) => { text: string; width: number; run: EncodedRun | null }>();
  const fittedCell = (value: string, room: number) => {
    let cached = fittedInColumn.get(room);
    if (!cached) {
      cached = twoGenerationCache(CELL_CACHE_ENTRIES, (original) => {
        const cell = fitted(original, room);
        const run = cell.text === '' ? null : body.encode(cell.text, BODY_FONT_SIZE);
        // The run's width is the shaped one, kerning included: the cell is placed from it.
        return { text: cell.text, width: run?.width ?? cell.width, run };
      });
      fittedInColumn.set(room, cached);
    }
    return cached(value);
  };

  // A wrapped cell (a long reference): split over the row's lines at the body size, or at a
  // smaller size when it does not fit, down to MIN_WRAPPED_FONT_SIZE, where the last line is cut.
  const splitLines = (value: string, room: number, maxLines: number, cut: boolean): string[] | null => {
    const characters = [...value];
    const lines: string[] = [];
    let line = '';
    let lineWidth = 0;
    let index = 0;
    for (; index < characters.length; index++) {
      const advance = widthOf(characters[index]!);
      if (lineWidth + advance > room && line !== '') {
        // Break after a separator past the line's first third (a reference's dash, 辅助器具·…) rather
        // than inside a word, when there is one.
        const breakAt = Math.max(...[...'-_/·· '].map((separator) => line.lastIndexOf(separator)));
        const keep = breakAt >= line.length / 3 && lines.length + 1 < maxLines ? breakAt + 1 : line.length;
        lines.push(line.slice(0, keep));
        if (lines.length === maxLines) break;
        line = line.slice(keep);
        lineWidth = widthOf(line);
      }
      line += characters[index];
      lineWidth += advance;
    }
    if (index === characters.length) {
      if (line !== '') lines.push(line);
      return lines;
    }
    // Characters from `index` on have no line left: at the smallest size the last line is cut.
    if (!cut) return null;
    lines[maxLines - 1] = fitted(lines[maxLines - 1]! + characters.slice(index).join(''), room).text;
    return lines;
  };
  const wrappedInColumn = new Map<string, (value: string) => { size: number; step: number; lines: { text: string; width: number; run: EncodedRun | null }[] }>();
  const wrappedCell = (value: string, room: number, rowLines: number) => {
    const key = `${room}:${rowLines}`;
    let cached = wrappedInColumn.get(key);
    if (!cached) {
      // The height a row's text takes at the body size; smaller type fits more lines into it.
      const height = (rowLines - 1) * LINE_STEP + BODY_FONT_SIZE;
      const stepAt = (size: number) => (size === BODY_FONT_SIZE ? LINE_STEP : size * 1.15);
      const linesAt = (size: number) => Math.max(rowLines, Math.floor((height - size) / stepAt(size)) + 1);
      cached = twoGenerationCache(CELL_CACHE_ENTRIES, (original) => {
        let size = BODY_FONT_SIZE;
        let lines = splitLines(original, room, linesAt(size), false);
        while (!lines && size > MIN_WRAPPED_FONT_SIZE) {
          size -= 0.5;
          lines = splitLines(original, (room * BODY_FONT_SIZE) / size, linesAt(size), size === MIN_WRAPPED_FONT_SIZE);
        }
        return {
          size,
          step: stepAt(size),
          lines: (lines ?? []).map((text) => {
            const run = text === '' ? null : body.encode(text, size);
            return { text, width: run?.width ?? (widthOf(text) * size) / BODY_FONT_SIZE, run };
          }),
        };
      });
      wrappedInColumn.set(key, cached);
    }
    return cached(value);
  };

  return { body, fittedCell, wrappedCell };
}
