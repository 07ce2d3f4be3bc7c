import fc from 'fast-check';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { fontBytes } from './font.js';
import { bodyTextFont, runOfShaped, type GlyphPosition } from './textRuns.js';

type ShapingFont = { encode(text: string): [string[], GlyphPosition[]] };

/** A document with the body font, its runs, and fontkit's own shaping of a value through pdfkit. */
function bodyFont() {
  const doc = new PDFDocument({ autoFirstPage: false });
  doc.registerFont('regular', fontBytes('regular'));
  const runs = bodyTextFont(doc, 'regular');
  const font = (doc as unknown as { _font: ShapingFont })._font;
  const shapedWhole: string[] = [];
  const encode = font.encode.bind(font);
  // Every value fontkit shapes whole (not a character or a pair of them) is noted.
  font.encode = (text) => {
    if ([...text].length > 2) shapedWhole.push(text);
    return encode(text);
  };
  return { runs, shaped: (text: string) => runOfShaped(...encode(text), 8), shapedWhole };
}

// Characters of the values a batch holds, and some the font kerns, joins or stacks: values of
// characters without a script, values of Han characters, and values that mix them with Latin.
const WITHOUT_SCRIPT = [...'0123456789-*,.:;/ ()·…—"\'', '\u0301'];
const HAN = [...'至张红欧阳小明助听器', '\u{20000}'];
const MIXED = [...WITHOUT_SCRIPT, ...HAN, ...'JGXAVTofilyLP', 'e\u0301'];
const values = fc.oneof(
  ...[WITHOUT_SCRIPT, HAN, MIXED].map((alphabet) => fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 24 }).map((characters) => characters.join(''))),
);

describe('cells put together from their characters', () => {
  it('are the runs fontkit shapes, for any value: kerned pairs, ligatures and marks go through fontkit', () => {
    const { runs, shaped } = bodyFont();
    fc.assert(
      fc.property(values, (value) => {
        expect(runs.encode(value, 8)).toEqual(shaped(value));
      }),
      { numRuns: Number(process.env.TEXT_RUN_CASES ?? 3000) },
    );
  });

  it('keep the font’s kerning and ligatures', () => {
    const { runs } = bodyFont();
    // "AV" is kerned: the adjustment follows the A.
    expect(runs.encode('AV', 8)!.operand).toMatch(/^\[<\w{4}> 18 <\w{4}> 0\]$/);
    // "fi" is one glyph.
    expect(runs.encode('fi', 8)!.operand).toMatch(/^\[<\w{4}> 0\]$/);
  });

  it('are what a batch’s distinct values are made of: line numbers, ID numbers, amounts and names are not shaped whole', () => {
    const { runs, shapedWhole } = bodyFont();
    const surnames = [...'王李张刘陈杨黄赵吴周'];
    const givenNames = [...'红明华伟芳娜敏静丽强'];
    for (let line = 1; line <= 2000; line++) {
      runs.encode(String(line), 8);
      runs.encode(`511702********${String(line).padStart(4, '0')}`, 8);
      runs.encode(`${line},${String(line % 1000).padStart(3, '0')}.50`, 8);
      runs.encode(`${surnames[line % 10]}${givenNames[Math.floor(line / 10) % 10]}${givenNames[Math.floor(line / 100) % 10]}`, 8);
    }
    expect(shapedWhole).toEqual([]);
    // A reference mixes Latin letters and digits: fontkit shapes it.
    runs.encode('JG001-2025-000001', 8);
    expect(shapedWhole).toEqual(['JG001-2025-000001']);
  });
});
