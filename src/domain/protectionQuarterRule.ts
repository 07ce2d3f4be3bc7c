import { addMonths, lastDayOfMonth } from './calendar.js';

// Quarters of the quarterly update (季度更新, protection.md §6): "2026-Q1" is January to March. An
// update is accepted from the first day of the quarter's last month; a township expected to update
// is `due` in that month, `overdue` after the quarter's last day until it submits, and its update is
// `late` when submitted after that day.

export type QuarterStatus = 'not_yet_due' | 'due' | 'submitted' | 'overdue';

export function isValidQuarter(quarter: string): boolean {
  return /^\d{4}-Q[1-4]$/.test(quarter);
}

export function quarterMonths(quarter: string): [string, string, string] {
  const first = `${quarter.slice(0, 4)}-${String((Number(quarter.slice(6)) - 1) * 3 + 1).padStart(2, '0')}`;
  return [first, addMonths(first, 1), addMonths(first, 2)];
}

export function quarterOfMonth(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

export function quarterFirstDay(quarter: string): string {
  return `${quarterMonths(quarter)[0]}-01`;
}

export function quarterLastDay(quarter: string): string {
  return lastDayOfMonth(quarterMonths(quarter)[2]);
}

/** The first day an update of the quarter is accepted: the first day of its last month. */
export function quarterOpensOn(quarter: string): string {
  return `${quarterMonths(quarter)[2]}-01`;
}

/** The latest quarter whose last month has begun on `today` (the statistics' quarter). */
export function latestOpenQuarter(today: string): string {
  const quarter = quarterOfMonth(today.slice(0, 7));
  return today >= quarterOpensOn(quarter) ? quarter : quarterOfMonth(addMonths(quarterMonths(quarter)[0], -1));
}

export function quarterStatus(quarter: string, today: string, submittedOn: string | null): { status: QuarterStatus; late: boolean } {
  if (submittedOn !== null) return { status: 'submitted', late: submittedOn > quarterLastDay(quarter) };
  if (today < quarterOpensOn(quarter)) return { status: 'not_yet_due', late: false };
  if (today <= quarterLastDay(quarter)) return { status: 'due', late: false };
  return { status: 'overdue', late: false };
}

/** The day a township's expectation is judged on: the quarter's last day, or today if earlier. */
export function quarterCensusDay(quarter: string, today: string): string {
  const last = quarterLastDay(quarter);
  return today < last ? today : last;
}
