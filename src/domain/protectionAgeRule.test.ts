import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths } from './calendar.js';
import { caseEnded, coverFromMonth, eighteenthBirthdayMonth, exitFromMonth, inCareOn, lastCoveredMonth } from './protectionAgeRule.js';

describe('the last month covered: the 18th birthday’s month, or the expected graduation while studying', () => {
  it.each([
    ['2008-03-15', null, '2026-03', 'worked example 3 without studying'],
    ['2008-03-15', '2027-06', '2027-06', 'worked example 3 with vocational high school to 2027-06'],
    ['2008-03-15', '2025-06', '2026-03', 'a graduation before the birthday month changes nothing'],
    ['2008-03-15', '2026-03', '2026-03', 'graduation in the birthday month'],
    ['2008-12-31', null, '2026-12', 'born on the last day of the year'],
  ])('born %s, graduation %s → %s (%s)', (birthDate, graduation, lastMonth, _why) => {
    expect(lastCoveredMonth(birthDate, graduation)).toBe(lastMonth);
  });

  it('is never before the 18th birthday’s month, and is the later of the two', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }), (year, month, graduationOffset) => {
        const birthDate = `${year}-${String(month).padStart(2, '0')}-10`;
        const graduation = graduationOffset === null ? null : addMonths('2000-01', graduationOffset);
        const last = lastCoveredMonth(birthDate, graduation);
        expect(last >= eighteenthBirthdayMonth(birthDate)).toBe(true);
        expect(last).toBe(graduation !== null && graduation > eighteenthBirthdayMonth(birthDate) ? graduation : eighteenthBirthdayMonth(birthDate));
      }),
    );
  });
});

describe('a recognised case after its last month reads ended', () => {
  it.each([
    ['2026-03', '2026-03', false],
    ['2026-03', '2026-04', true],
    ['2027-06', '2026-05', false],
  ])('last %s, month %s: ended %s', (last, month, ended) => {
    expect(caseEnded(last, month)).toBe(ended);
  });
});

describe('coverFrom by the region’s protectionCoverFrom', () => {
  it.each([
    ['next_month', '2025-10-23', '2025-09-26', '2025-11'],
    ['next_month', '2025-12-05', '2025-11-26', '2026-01'],
    ['recognition_month', '2025-10-23', '2025-09-26', '2025-10'],
    ['received_month', '2025-10-23', '2025-09-26', '2025-09'],
  ] as const)('%s, recognised %s, received %s → %s', (rule, recognisedOn, receivedOn, cover) => {
    expect(coverFromMonth(rule, recognisedOn, receivedOn)).toBe(cover);
  });
});

describe('in care on a day: recognised by then, before the exit’s month, not after the last month', () => {
  const span = { recognisedOn: '2025-10-23', lastMonth: '2026-03', exitFromMonth: null };
  it.each([
    [span, '2025-10-22', false, 'before recognition'],
    [span, '2025-10-23', true, 'the day of recognition'],
    [span, '2026-03-31', true, 'the last day of the last month'],
    [span, '2026-04-01', false, 'after the last month'],
    [{ ...span, exitFromMonth: '2026-02' }, '2026-01-31', true, 'the month before the exit'],
    [{ ...span, exitFromMonth: '2026-02' }, '2026-02-01', false, 'from the exit’s month'],
    [{ recognisedOn: null, lastMonth: null, exitFromMonth: null }, '2026-01-01', false, 'never recognised'],
  ])('%o on %s: %s (%s)', (given, day, inCare, _why) => {
    expect(inCareOn(given, day)).toBe(inCare);
  });
});

describe('an exit’s first month not covered', () => {
  it.each([
    ['2026-05-12', undefined, '2026-06'],
    ['2026-12-31', undefined, '2027-01'],
    ['2026-05-12', '2026-05', '2026-05'],
  ])('event %s, given %s → %s', (eventOn, given, fromMonth) => {
    expect(exitFromMonth(eventOn, given)).toBe(fromMonth);
  });
});
