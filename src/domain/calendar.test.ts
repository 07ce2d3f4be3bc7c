import { describe, expect, it } from 'vitest';
import { ageInFullYears, isValidDate, isValidMonth, lastDayOfMonth, monthsInclusive } from './calendar.js';
import { chinaDate, chinaMonth, endOfChinaDayExclusive } from './chinaTime.js';

describe('calendar', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2026-04-31', false],
    ['2026-12-31', true],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['2026-00-10', false],
  ])('isValidDate(%s) = %s', (value, expected) => expect(isValidDate(value)).toBe(expected));

  it('isValidMonth', () => {
    expect(isValidMonth('2026-01')).toBe(true);
    expect(isValidMonth('2026-13')).toBe(false);
    expect(isValidMonth('2026-1')).toBe(false);
  });

  it('counts whole months inclusively', () => {
    expect(monthsInclusive('2025-01', '2025-12')).toBe(12);
    expect(monthsInclusive('2025-03', '2025-05')).toBe(3);
    expect(monthsInclusive('2025-06', '2025-06')).toBe(1);
    expect(monthsInclusive('2025-06', '2025-05')).toBe(0);
  });

  it('age in full years: the birthday counts, the day before does not', () => {
    expect(ageInFullYears('2020-03-15', '2026-03-15')).toBe(6);
    expect(ageInFullYears('2020-03-15', '2026-03-14')).toBe(5);
    expect(ageInFullYears('2020-02-29', '2026-02-28')).toBe(5);
    expect(ageInFullYears('2020-02-29', '2026-03-01')).toBe(6);
    expect(ageInFullYears('2026-05-01', '2026-01-01')).toBe(-1);
  });

  it('last day of a month', () => {
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2026-04')).toBe('2026-04-30');
  });
});

describe('China time', () => {
  it('a UTC evening is already the next day in China', () => {
    expect(chinaDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(chinaDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(chinaMonth(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
  });

  it('the end of a China day, exclusive', () => {
    expect(endOfChinaDayExclusive('2026-11-30').toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });
});
