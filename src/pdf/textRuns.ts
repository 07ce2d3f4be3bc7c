// Table cells written straight into a page's content stream. pdfkit's `doc.text` costs about a
// dozen content lines per cell — save, flip, BT, position, font, the glyphs, ET, restore — each
// turned into a byte array of its own, behind option handling and a measurement; across the
// 1.1 million cells of a 100,000-line batch that was most of the document's time. Here a cell is
// shaped and encoded once through the font's own `encode` (so its glyphs join the embedded subset
// and its text stays searchable and copyable), kept as the operand of a TJ operator, and every
// cell of a page is written in one text object with a single `Tm` each. pdfkit's font object is
// internal; `bodyTextFont` checks the parts used and says where to look when they change.
//
// Most distinct values (line numbers, masked ID numbers, amounts, names) are short runs of
// characters that the font shapes one by one: no ligature, no kerning, no mark between them. Such
// a value is put together from its characters' glyphs instead of being laid out by fontkit (some
// 40 microseconds a value, most of the time left after the change above). fontkit chooses the
// font's rules by the script of a value's first letter-like character, so a digit is drawn by
// other rules in "JG001" than alone; only values whose characters are all of one kind are put
// together, so that each character and pair is shaped under the rules the whole value would be:
// all without a script of their own (digits, punctuation), or all Han. Within them a character
// qualifies when it is one glyph at its own advance, and a value when every pair of neighbours,
// shaped as a pair, gives the same two glyphs at the same advances; kerning and ligatures are
// rules on pairs. Any other value goes through fontkit. A property test holds the two to the same
// glyphs over an alphabet of the characters batches hold and some the font kerns or joins.

import { twoGenerationCache } from './twoGenerationCache.js';

/** Pairs of neighbouring characters whose shaping is remembered, per document. */
const PAIR_CACHE_ENTRIES = 4000;

/** Values fontkit shapes under no script's rules, and values it shapes under Han's alone. */
const WITHOUT_SCRIPT = /^[\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]+$/u;
const HAN_ONLY = /^\p{Script=Han}+$/u;

export interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

interface PdfkitFont {
  id: string;
  ascender: number;
  encode(text: string, features?: unknown): [string[], GlyphPosition[]];
  ref(): unknown;
}

interface PdfkitInternals {
  _font?: PdfkitFont;
  page: { fonts: Record<string, unknown>; height: number };
}

/** A value shaped and encoded once: the operand of its TJ operator and its width in points. */
export interface EncodedRun {
  operand: string;
  width: number;
}

/** A number as pdfkit writes it into content: at most six decimals. */
export function pdfNumber(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

/**
 * The run of glyphs as fontkit placed them, as pdfkit's own text writer puts them: glyphs run
 * together, and a glyph whose advance differs from its width (kerning) ends a segment with the
 * difference as a TJ adjustment. Null when a glyph is placed off its pen position.
 */
export function runOfShaped(glyphs: readonly string[], positions: readonly GlyphPosition[], size: number): EncodedRun | null {
  const segments: string[] = [];
  let segmentStart = 0;
  let advance = 0;
  for (let index = 0; index < positions.length; index++) {
    const position = positions[index]!;
    if (position.xOffset || position.yOffset) return null;
    const kerning = position.xAdvance - position.advanceWidth;
    if (kerning !== 0 || index === positions.length - 1) {
      segments.push(`<${glyphs.slice(segmentStart, index + 1).join('')}> ${pdfNumber(-kerning)}`);
      segmentStart = index + 1;
    }
    advance += position.xAdvance;
  }
  return { operand: `[${segments.join(' ')}]`, width: (advance * size) / 1000 };
}

export interface BodyTextFont {
  /**
   * The run of `text` at `size`, or null when a glyph of it is placed off its pen position (a
   * combining mark): such a value is left to `doc.text`, which places each glyph.
   */
  encode(text: string, size: number): EncodedRun | null;
  /** The baseline, in the page's own (bottom-up) units, of a value whose top is at `top`. */
  baseline(top: number, size: number): number;
  /** Writes the placed runs as one text object on the current page. */
  write(runs: readonly { run: EncodedRun; x: number; baseline: number }[], size: number): void;
}

/** The body font of a document (selected by `name`, registered before), for writing runs. */
export function bodyTextFont(doc: PDFKit.PDFDocument, name: string): BodyTextFont {
  const internals = doc as unknown as PdfkitInternals;
  doc.font(name);
  const font = internals._font;
  if (!font || typeof font.encode !== 'function' || typeof font.ref !== 'function' || typeof font.id !== 'string' || typeof font.ascender !== 'number') {
    throw new Error('pdfkit no longer exposes its font as _font with encode, ref, id and ascender; see src/pdf/textRuns.ts');
  }
  const single = new Map<string, { glyph: string; advance: number } | null>();
  const glyphOf = (character: string) => {
    let found = single.get(character);
    if (found === undefined) {
      const [glyphs, positions] = font.encode(character);
      const position = positions[0];
      found =
        glyphs.length === 1 && position && !position.xOffset && !position.yOffset && position.xAdvance === position.advanceWidth
          ? { glyph: glyphs[0]!, advance: position.xAdvance }
          : null;
      single.set(character, found);
    }
    return found;
  };
  const pairShapesApart = twoGenerationCache(PAIR_CACHE_ENTRIES, (pair) => {
    const [first, second] = [...pair] as [string, string];
    const [glyphs, positions] = font.encode(pair);
    return (
      glyphs.length === 2 &&
      glyphs[0] === glyphOf(first)!.glyph &&
      glyphs[1] === glyphOf(second)!.glyph &&
      positions.every((position, index) => !position.xOffset && !position.yOffset && position.xAdvance === glyphOf(index === 0 ? first : second)!.advance)
    );
  });
  /** The value from its characters' glyphs, or null when some pair of it is shaped together. */
  const composed = (text: string, size: number): EncodedRun | null => {
    if (!WITHOUT_SCRIPT.test(text) && !HAN_ONLY.test(text)) return null;
    let hex = '';
    let advance = 0;
    let previous: string | undefined;
    for (const character of text) {
      const glyph = glyphOf(character);
      if (!glyph) return null;
      if (previous !== undefined && !pairShapesApart(previous + character)) return null;
      hex += glyph.glyph;
      advance += glyph.advance;
      previous = character;
    }
    return { operand: `[<${hex}> 0]`, width: (advance * size) / 1000 };
  };

  return {
    encode(text, size) {
      const fromCharacters = composed(text, size);
      if (fromCharacters) return fromCharacters;
      const [glyphs, positions] = font.encode(text);
      return runOfShaped(glyphs, positions, size);
    },
    baseline(top, size) {
      return internals.page.height - top - (font.ascender / 1000) * size;
    },
    write(runs, size) {
      if (runs.length === 0) return;
      internals.page.fonts[font.id] = font.ref();
      const lines = [`q 1 0 0 -1 0 ${pdfNumber(internals.page.height)} cm`, 'BT', `/${font.id} ${pdfNumber(size)} Tf`];
      for (const placed of runs) lines.push(`1 0 0 1 ${pdfNumber(placed.x)} ${pdfNumber(placed.baseline)} Tm ${placed.run.operand} TJ`);
      lines.push('ET Q');
      doc.addContent(lines.join('\n'));
    },
  };
}
