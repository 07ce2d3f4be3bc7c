import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths } from './calendar.js';
import { standardInForce } from './standardInForce.js';

const standards = [
  { id: 'default-2019', effectiveFrom: '2019-01', regionCode: null },
  { id: 'default-2026', effectiveFrom: '2026-01', regionCode: null },
  { id: 'tongchuan-2025-07', effectiveFrom: '2025-07', regionCode: '511702' },
  { id: 'other-2020', effectiveFrom: '2020-01', regionCode: '511781' },
];

describe('the standard in force in a month: the region’s own latest, else the latest default', () => {
  it.each([
    ['2018-12', '511702', undefined, 'before every standard: none'],
    ['2019-01', '511702', 'default-2019', 'the default from its first month'],
    ['2025-06', '511702', 'default-2019', 'the region’s own not yet in force'],
    ['2025-07', '511702', 'tongchuan-2025-07', 'the region’s own from its month'],
    ['2026-02', '511702', 'tongchuan-2025-07', 'the region’s own beats a later default'],
    ['2026-02', '511703', 'default-2026', 'a region without its own: the latest default'],
    ['2021-05', '511781', 'other-2020', 'another region’s own'],
  ])('%s in %s → %s (%s)', (month, regionCode, expected, _why) => {
    expect(standardInForce(month, regionCode, standards)?.id).toBe(expected);
  });

  it('is in force in the month, of the region or the default, and no other of its kind starts later but not after the month', () => {
    const month = fc.integer({ min: 0, max: 120 }).map((offset) => addMonths('2018-01', offset));
    const standard = fc.record({ effectiveFrom: month, regionCode: fc.constantFrom(null, '511702', '511781') });
    fc.assert(
      fc.property(fc.array(standard, { maxLength: 8 }), month, (versions, asked) => {
        const found = standardInForce(asked, '511702', versions);
        const own = versions.filter((version) => version.regionCode === '511702' && version.effectiveFrom <= asked);
        const defaults = versions.filter((version) => version.regionCode === null && version.effectiveFrom <= asked);
        const candidates = own.length > 0 ? own : defaults;
        if (candidates.length === 0) {
          expect(found).toBeUndefined();
        } else {
          expect(candidates).toContain(found);
          expect(candidates.every((candidate) => candidate.effectiveFrom <= found!.effectiveFrom)).toBe(true);
        }
      }),
    );
  });
});
