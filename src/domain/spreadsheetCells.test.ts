import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asSpreadsheetText, csvField, csvText } from './spreadsheetCells.js';

describe('cells are data, not formulas', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+86 138', `'+86 138`],
    ['-5.00', `'-5.00`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tx', `'\tx`],
    ['\rx', `'\rx`],
    ['张大山', '张大山'],
    ['6214670000000000001', '6214670000000000001'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j is written as %j', (value, written) => expect(asSpreadsheetText(value)).toBe(written));

  it('a CSV field is quoted when it holds a quote, a comma or a line break, after the leading \'', () => {
    expect(csvField('=1+1,2')).toBe(`"'=1+1,2"`);
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvText([['序号', '户名'], ['1', '=A1']])).toBe(`\ufeff序号,户名\r\n1,'=A1\r\n`);
  });

  it('no written cell starts a formula, and stripping the added \' gives the value back', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const written = asSpreadsheetText(value);
        expect(/^[=+\-@\t\r]/.test(written)).toBe(false);
        expect(written === value || written === `'${value}`).toBe(true);
      }),
    );
  });
});
