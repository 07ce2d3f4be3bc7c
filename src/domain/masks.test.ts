import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskAccount, maskAccountNumber, maskName, maskPhone } from './masks.js';

describe('masked phone and account numbers (security.md §4: first 3 / last 4)', () => {
  it.each([
    [maskPhone, '13800000123', '138****0123'],
    [maskPhone, '0818-2123456', '081*****3456'],
    [maskAccount, '6228480000000000123', '622************0123'],
    [maskAccount, '123456789', '*****6789'],
    [maskAccount, '1234', '****'],
  ])('%#: %s → %s', (mask, value, masked) => expect(mask(value)).toBe(masked));

  it('keeps the length, shows at most 7 characters and hides at least 4 of a number of 11 or more', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,32}$/), (value) => {
        const masked = maskAccount(value);
        expect(masked).toHaveLength(value.length);
        const hidden = [...masked].filter((character) => character === '*').length;
        expect(value.length - hidden).toBeLessThanOrEqual(7);
        expect(hidden).toBeGreaterThanOrEqual(value.length >= 11 ? 4 : Math.min(value.length, 1));
        expect(masked.slice(-4).replaceAll('*', '')).toBe(value.length > 4 ? value.slice(-4) : '');
      }),
    );
  });
});

describe('names on public documents', () => {
  it.each([
    ['张小明', '张*明'],
    ['张明', '张*'],
    ['欧阳明明', '欧*明明'],
    ['张', '张'],
    // A character outside the Basic Multilingual Plane is one character, not two halves.
    ['𠀋小明', '𠀋*明'],
  ])('%s is posted as %s', (name, masked) => expect(maskName(name)).toBe(masked));
});

describe('account numbers as those who do not pay them see them: first 4 and last 4', () => {
  it.each([
    ['6214670000000000808', '6214***********0808'],
    ['12345678', '********'],
  ])('%s is shown as %s', (value, masked) => expect(maskAccountNumber(value)).toBe(masked));
});
