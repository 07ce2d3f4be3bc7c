import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageCoveredYears, WorkingCalendar, yearCalendar } from './workingCalendar.js';

const calendar = new WorkingCalendar();

describe('working days from the package (2025: Spring Festival 28 Jan–4 Feb; National Day 1–8 Oct)', () => {
  it.each([
    ['2025-01-26', true, 'Sunday worked before the Spring Festival (调休)'],
    ['2025-01-28', false, 'Spring Festival eve, holiday'],
    ['2025-02-04', false, 'last day of the Spring Festival'],
    ['2025-02-05', true, 'first working day after it'],
    ['2025-02-08', true, 'Saturday worked after the Spring Festival'],
    ['2025-02-09', false, 'an ordinary Sunday'],
    ['2025-09-28', true, 'Sunday worked before National Day'],
    ['2025-10-01', false, 'National Day'],
    ['2025-10-08', false, 'last day of the National Day holiday (a Wednesday)'],
    ['2025-10-09', true, 'first working day after it'],
    ['2025-10-11', true, 'Saturday worked after National Day'],
    ['2025-10-12', false, 'an ordinary Sunday'],
  ])('%s working: %s (%s)', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it.each([
    // received, N, due: the N-th working day after receipt, that day not counted.
    ['2025-09-26', 5, '2025-10-10', 'Friday before National Day: Sun 28 Sep, Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct'],
    ['2025-09-30', 1, '2025-10-09', 'the eve of the holiday: the next working day is after it'],
    ['2025-09-27', 1, '2025-09-28', 'a Saturday receipt: the make-up Sunday is the next working day'],
    ['2025-01-24', 5, '2025-02-07', 'Friday before the Spring Festival: Sun 26 Jan, Mon 27, Wed 5 Feb, Thu 6, Fri 7'],
    ['2025-02-07', 1, '2025-02-08', 'a make-up Saturday is a working day'],
    ['2025-03-03', 5, '2025-03-10', 'an ordinary week'],
    ['2025-12-29', 5, '2026-01-06', 'across the year boundary and the 2026 New Year holiday (1–3 Jan off): Tue 30, Wed 31 Dec, Sun 4 Jan (worked), Mon 5, Tue 6'],
  ])('received %s, %i working days → due %s (%s)', (received, count, due) => {
    expect(calendar.addWorkingDays(received, count)).toBe(due);
  });
});

describe('a year nobody knows counts Monday to Friday and says so', () => {
  it('2031 is not in the package: weekdays only', () => {
    expect(packageCoveredYears()).not.toContain(2031);
    expect(yearCalendar(2031, new Map())).toEqual({ year: 2031, source: 'weekdays', holidays: [], workdays: [] });
    // 1 January 2031 is a Wednesday: a working day when nobody recorded the year.
    expect(calendar.isWorkingDay('2031-01-01')).toBe(true);
    expect(calendar.addWorkingDays('2031-01-03', 5)).toBe('2031-01-10');
  });

  it('the package says which years it covers, 2025 and 2026 among them', () => {
    expect(packageCoveredYears()).toEqual(expect.arrayContaining([2025, 2026]));
    expect(yearCalendar(2025, new Map()).source).toBe('package');
  });
});

describe('an admin’s record of a year wins over the package', () => {
  const recorded = new Map([[2031, { holidays: ['2031-01-01', '2031-01-02', '2031-01-03'], workdays: ['2031-01-05'] }]]);
  const withRecord = new WorkingCalendar(recorded);

  it('a recorded year answers from the record', () => {
    expect(withRecord.year(2031).source).toBe('recorded');
    expect(withRecord.isWorkingDay('2031-01-01')).toBe(false);
    expect(withRecord.isWorkingDay('2031-01-05')).toBe(true); // a Sunday, recorded as worked
    // Received Tue 31 Dec 2030: Sun 5 Jan (worked), Mon 6, Tue 7, Wed 8, Thu 9.
    expect(withRecord.addWorkingDays('2030-12-31', 5)).toBe('2031-01-09');
  });

  it('a record of a year the package knows replaces the package’s days for that year', () => {
    const override = new WorkingCalendar(new Map([[2025, { holidays: [], workdays: [] }]]));
    expect(override.isWorkingDay('2025-10-01')).toBe(true);
    expect(override.isWorkingDay('2025-09-28')).toBe(false);
  });
});

describe('overdue is a cut-off on the day of receipt', () => {
  it('received on or before the cut-off ⟺ the due date is before today', () => {
    const day = fc.integer({ min: Date.parse('2024-11-01'), max: Date.parse('2027-02-28') }).map((ms) => new Date(ms).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, fc.integer({ min: 1, max: 15 }), (received, today, count) => {
        const overdue = calendar.addWorkingDays(received, count) < today;
        expect(received <= calendar.lastReceiptOverdueOn(today, count)).toBe(overdue);
      }),
      { numRuns: 500 },
    );
  });

  it('the due date never falls as the day of receipt moves later', () => {
    let previous = '';
    for (let ms = Date.parse('2025-01-01'); ms <= Date.parse('2026-12-31'); ms += 86_400_000) {
      const due = calendar.addWorkingDays(new Date(ms).toISOString().slice(0, 10), 5);
      expect(due >= previous).toBe(true);
      previous = due;
    }
  });

  it('refuses a count below one', () => {
    expect(() => calendar.addWorkingDays('2025-01-01', 0)).toThrow();
  });
});
