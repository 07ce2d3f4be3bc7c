// Dates and months as the service's documents write them in Chinese.

/** 2025-12-11 → 2025年12月11日 */
export function chineseDate(date: string): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** 2025-12 → 2025年12月 */
export function monthLabel(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}

/** ["2025-09", …, "2025-12"] → 2025年9月至12月; one month → 2025年12月; a gap is listed. */
export function monthsLabel(months: readonly string[]): string {
  if (months.length === 0) return '';
  const runs: string[][] = [];
  for (const month of months) {
    const run = runs.at(-1);
    if (run && nextMonth(run.at(-1)!) === month) run.push(month);
    else runs.push([month]);
  }
  return runs
    .map((run) => {
      const first = run[0]!;
      const last = run.at(-1)!;
      if (first === last) return monthLabel(first);
      return `${monthLabel(first)}至${first.slice(0, 4) === last.slice(0, 4) ? `${Number(last.slice(5, 7))}月` : monthLabel(last)}`;
    })
    .join('、');
}

function nextMonth(month: string): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
