import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countyReviewDueOn, DEFAULT_PROTECTION_WORKING_DAYS as DAYS, noticeCloseDueOn, noticeToOf, townshipCheckDueOn } from './protectionDueDates.js';
import { WorkingCalendar } from './workingCalendar.js';

// 2025: Sunday 09-28 and Saturday 10-11 worked, 10-01 … 10-08 off (protection.md §13, worked example 1).
const calendar = new WorkingCalendar();

describe('the township check is due N working days after receipt', () => {
  it.each([
    ['2025-09-26', '2025-10-10', 'worked example 1: 09-28, 09-29, 09-30, 10-09, 10-10'],
    ['2025-10-13', '2025-10-20', 'worked example 2: received Monday'],
    ['2025-11-03', '2025-11-10', 'an ordinary week'],
  ])('received %s → due %s (%s)', (receivedOn, due) => {
    expect(townshipCheckDueOn(calendar, receivedOn, DAYS)).toBe(due);
  });
  it('takes the region’s own number', () => {
    expect(townshipCheckDueOn(calendar, '2025-11-03', { ...DAYS, townshipCheck: 10 })).toBe('2025-11-17');
  });
});

describe('the notice runs N working days counted from its first day itself; it is closed on the next working day', () => {
  it.each([
    ['2025-10-09', '2025-10-14', '2025-10-15', 'worked example 1: 10-09, 10-10, 10-11, 10-13, 10-14'],
    ['2025-10-04', '2025-10-14', '2025-10-15', 'a first day in the holiday counts from the next working day: 10-09, 10-10, 10-11, 10-13, 10-14'],
    ['2025-11-03', '2025-11-07', '2025-11-10', 'Monday to Friday, closed the next Monday'],
  ])('from %s → to %s, close due %s (%s)', (from, to, closeDue) => {
    expect(noticeToOf(calendar, from, DAYS)).toBe(to);
    expect(noticeCloseDueOn(calendar, to)).toBe(closeDue);
  });

  it('holds exactly N working days from its first working day on', () => {
    const day = fc.integer({ min: 0, max: 1500 }).map((offset) => new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 20 }), (from, notice) => {
        const to = noticeToOf(calendar, from, { ...DAYS, notice });
        let working = 0;
        for (let date = from; date <= to; date = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) if (calendar.isWorkingDay(date)) working += 1;
        expect(working).toBe(notice);
        expect(calendar.isWorkingDay(to)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the county review is due N working days after the county received the case', () => {
  it.each([
    ['2025-10-15', '2025-10-22', 'worked example 1: 10-16, 10-17, 10-20, 10-21, 10-22'],
    ['2025-10-14', '2025-10-21', 'worked example 2'],
  ])('received %s → due %s (%s)', (countyReceivedOn, due) => {
    expect(countyReviewDueOn(calendar, countyReceivedOn, DAYS)).toBe(due);
  });
});
