import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { preparedStatement } from '../db/prepared.js';
import { calendarYears } from '../db/schema.js';
import type { YearDays } from '../domain/workingCalendar.js';

export type CalendarYearRow = typeof calendarYears.$inferSelect;

// Read for every claim answered (its review deadline): built once (src/db/prepared.ts).
const everyRecordedYear = preparedStatement<Record<string, never>, CalendarYearRow[]>((db) => db.select().from(calendarYears).orderBy(asc(calendarYears.year)).prepare('recorded_years'));

/** Every year an admin recorded; a few rows, one per year. */
export async function recordedYears(db: Executor): Promise<Map<number, YearDays>> {
  const rows = await everyRecordedYear(db, {});
  return new Map(rows.map((row) => [row.year, { holidays: row.holidays, workdays: row.workdays }]));
}

export async function findRecordedYear(db: Executor, year: number): Promise<CalendarYearRow | undefined> {
  const rows = await db.select().from(calendarYears).where(eq(calendarYears.year, year)).limit(1);
  return rows[0];
}

/** Records a year (replacing an earlier record of it) and returns the record's id. */
export async function upsertRecordedYear(db: Executor, row: typeof calendarYears.$inferInsert): Promise<string> {
  const rows = await db
    .insert(calendarYears)
    .values(row)
    .onConflictDoUpdate({
      target: calendarYears.year,
      set: { holidays: row.holidays, workdays: row.workdays, recordedByUserId: row.recordedByUserId, recordedAt: row.recordedAt },
    })
    .returning({ id: calendarYears.id });
  return rows[0]!.id;
}
