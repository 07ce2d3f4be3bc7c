// Calendar arithmetic on plain YYYY-MM-DD dates and YYYY-MM months, free of time zones.

export function isValidDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function isValidMonth(value: string): boolean {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** A YYYY-MM month as a clerk writes it: "2026年12月". */
export function chineseMonth(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whole months from..to inclusive; 0 or less when to precedes from. */
// These two run for every claim the engine settles: they read the fixed positions of YYYY-MM and
// YYYY-MM-DD rather than splitting strings.

export function monthsInclusive(fromMonth: string, toMonth: string): number {
  const years = Number(toMonth.slice(0, 4)) - Number(fromMonth.slice(0, 4));
  return years * 12 + (Number(toMonth.slice(5, 7)) - Number(fromMonth.slice(5, 7))) + 1;
}

/** Age in full years on a date: the birthday itself counts as the new year of age. */
export function ageInFullYears(birthDate: string, onDate: string): number {
  const age = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // Month and day compare as text: "MM-DD" of the date before that of the birthday.
  return onDate.slice(5) < birthDate.slice(5) ? age - 1 : age;
}

export function firstDayOfMonth(month: string): string {
  return `${month}-01`;
}

export function lastDayOfMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(daysInMonth(year, monthNumber)).padStart(2, '0')}`;
}

/** YYYY-MM plus n months (n may be negative). */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The months from..to inclusive, in order; empty when to precedes from. */
export function monthRange(fromMonth: string, toMonth: string): string[] {
  const months: string[] = [];
  for (let month = fromMonth; month <= toMonth; month = addMonths(month, 1)) months.push(month);
  return months;
}

/** A date plus n calendar months; a day past the month's end becomes its last day (01-31 + 1 month = 02-28). */
export function addMonthsToDate(date: string, n: number): string {
  const month = addMonths(date.slice(0, 7), n);
  const lastDay = daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
  return `${month}-${String(Math.min(Number(date.slice(8, 10)), lastDay)).padStart(2, '0')}`;
}

/**
 * Full months from `from` to `to`: the largest m with from + m months ≤ to (addMonthsToDate), so
 * 2025-05-12 → 2025-10-17 is 5 and → 2025-11-12 is 6. Negative when `to` is before `from`.
 */
export function fullMonthsBetween(from: string, to: string): number {
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  return addMonthsToDate(from, months) > to ? months - 1 : months;
}

/** The day before a date. */
export function previousDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
