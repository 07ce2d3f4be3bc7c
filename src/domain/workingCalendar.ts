import { createRequire } from 'node:module';

// The working calendar (工作日): Monday to Friday, except the public holidays, plus the make-up
// working days (调休上班) on weekends, as the State Council publishes them each year. Where a
// year's days come from, in order: an admin's record of the year (it wins), the data of the npm
// package `chinese-days`, or, for a year nobody knows, plain Monday to Friday, and the calendar
// says which (`source`). Dates are plain YYYY-MM-DD strings; nothing here reads a clock.

export type CalendarSource = 'recorded' | 'package' | 'weekdays';

export interface YearDays {
  /** Public holidays, weekends inside a holiday included. */
  holidays: readonly string[];
  /** Weekend days that are worked (调休上班). */
  workdays: readonly string[];
}

export interface YearCalendar extends YearDays {
  year: number;
  source: CalendarSource;
}

interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/**
 * The package's data by year, read once per process. The JSON file is the package's own build of
 * its data; reading it rather than the package's dayjs API keeps this module free of a date library
 * and lets it tell which years the package knows (it answers an unknown year by weekday alone).
 */
const packageYears: ReadonlyMap<number, YearDays> = (() => {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as PackageData;
  const years = new Map<number, { holidays: string[]; workdays: string[] }>();
  const yearOf = (date: string) => {
    const year = Number(date.slice(0, 4));
    if (!years.has(year)) years.set(year, { holidays: [], workdays: [] });
    return years.get(year)!;
  };
  for (const date of Object.keys(data.holidays)) yearOf(date).holidays.push(date);
  for (const date of Object.keys(data.workdays)) yearOf(date).workdays.push(date);
  for (const days of years.values()) {
    days.holidays.sort();
    days.workdays.sort();
  }
  return years;
})();

/** The years the package has data for, oldest first. */
export function packageCoveredYears(): number[] {
  return [...packageYears.keys()].sort((a, b) => a - b);
}

/** A year's days from the admin's records, else the package, else weekdays only. */
export function yearCalendar(year: number, recorded: ReadonlyMap<number, YearDays>): YearCalendar {
  const own = recorded.get(year);
  if (own) return { year, source: 'recorded', holidays: own.holidays, workdays: own.workdays };
  const known = packageYears.get(year);
  if (known) return { year, source: 'package', holidays: known.holidays, workdays: known.workdays };
  return { year, source: 'weekdays', holidays: [], workdays: [] };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Answers "is this a working day" and "the N-th working day after D" over the admin's records and
 * the package's data. Built once per request from the recorded years; each year's days are turned
 * into sets the first time a date of that year is asked about.
 */
export class WorkingCalendar {
  private readonly years = new Map<number, { holidays: Set<string>; workdays: Set<string> }>();

  constructor(private readonly recorded: ReadonlyMap<number, YearDays> = new Map()) {}

  year(year: number): YearCalendar {
    return yearCalendar(year, this.recorded);
  }

  isWorkingDay(date: string): boolean {
    const year = Number(date.slice(0, 4));
    let days = this.years.get(year);
    if (!days) {
      const calendar = this.year(year);
      days = { holidays: new Set(calendar.holidays), workdays: new Set(calendar.workdays) };
      this.years.set(year, days);
    }
    if (days.workdays.has(date)) return true;
    if (days.holidays.has(date)) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The N-th working day after `date`, that day itself not counted (N ≥ 1). */
  addWorkingDays(date: string, count: number): string {
    if (!Number.isInteger(count) || count < 1) throw new Error(`count of working days must be a whole number ≥ 1, got ${count}`);
    let day = date;
    for (let found = 0; found < count; ) {
      day = shiftDate(day, 1);
      if (this.isWorkingDay(day)) found += 1;
    }
    return day;
  }

  /** The N-th working day before `date`, that day itself not counted (N ≥ 1). */
  subtractWorkingDays(date: string, count: number): string {
    if (!Number.isInteger(count) || count < 1) throw new Error(`count of working days must be a whole number ≥ 1, got ${count}`);
    let day = date;
    for (let found = 0; found < count; ) {
      day = shiftDate(day, -1);
      if (this.isWorkingDay(day)) found += 1;
    }
    return day;
  }

  /**
   * The latest day of receipt whose due date (N working days later) is already past on `today`:
   * work received on or before it and still undecided is overdue. The due date grows with the day
   * of receipt, so "overdue" is "received on or before this day", which a query can filter and
   * order by without computing every due date.
   */
  lastReceiptOverdueOn(today: string, reviewWorkingDays: number): string {
    // Due before today ⟺ at least N working days lie strictly between receipt and today ⟺ the
    // receipt is before the N-th working day counted back from today.
    return shiftDate(this.subtractWorkingDays(today, reviewWorkingDays), -1);
  }
}
