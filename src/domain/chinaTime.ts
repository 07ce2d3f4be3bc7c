// Every date rule of the scheme ("today", "the current month", approvedThrough) uses China time.
// China has no daylight saving time, so a fixed +08:00 offset is exact.

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Today's date in China, YYYY-MM-DD. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The current month in China, YYYY-MM. */
export function chinaMonth(instant: Date): string {
  return chinaDate(instant).slice(0, 7);
}

/** The first instant after the end of a China calendar day, for "through this day" cut-offs. */
export function endOfChinaDayExclusive(date: string): Date {
  const startUtc = Date.parse(`${date}T00:00:00.000Z`) - CHINA_OFFSET_MS;
  return new Date(startUtc + 24 * 60 * 60 * 1000);
}

/** Date and time in China, "YYYY-MM-DD HH:mm", for documents people read. */
export function chinaDateTime(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The instants of China days `from` through `to` (either may be open), as a half-open range. */
export function chinaDaysRange(from: string | undefined, to: string | undefined): { from?: Date; before?: Date } {
  return {
    ...(from ? { from: new Date(endOfChinaDayExclusive(from).getTime() - 24 * 60 * 60 * 1000) } : {}),
    ...(to ? { before: endOfChinaDayExclusive(to) } : {}),
  };
}
