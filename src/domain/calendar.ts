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

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whole months from..to inclusive; 0 or less when to precedes from. */
export function monthsInclusive(fromMonth: string, toMonth: string): number {
  const [fromYear, fromMonthNumber] = fromMonth.split('-').map(Number) as [number, number];
  const [toYear, toMonthNumber] = toMonth.split('-').map(Number) as [number, number];
  return (toYear - fromYear) * 12 + (toMonthNumber - fromMonthNumber) + 1;
}

/** Age in full years on a date: the birthday itself counts as the new year of age. */
export function ageInFullYears(birthDate: string, onDate: string): number {
  const [birthYear, birthMonth, birthDay] = birthDate.split('-').map(Number) as [number, number, number];
  const [year, month, day] = onDate.split('-').map(Number) as [number, number, number];
  let age = year - birthYear;
  if (month < birthMonth || (month === birthMonth && day < birthDay)) age -= 1;
  return age;
}

export function firstDayOfMonth(month: string): string {
  return `${month}-01`;
}

export function lastDayOfMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(daysInMonth(year, monthNumber)).padStart(2, '0')}`;
}
