import type { RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { yearCalendar } from '../domain/workingCalendar.js';
import { validationFailed } from '../http/errors.js';
import { recordedYears, upsertRecordedYear } from './calendar.repository.js';
import type { RecordCalendarBody } from './calendar.schemas.js';

const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

/** The days of a record: each in the year, none twice, no day both; make-up days on weekends. */
function checkRecord(year: number, body: RecordCalendarBody) {
  const problems: { field: string; date: string; message: string }[] = [];
  for (const field of ['holidays', 'workdays'] as const) {
    const seen = new Set<string>();
    for (const date of body[field]) {
      if (!date.startsWith(`${year}-`)) problems.push({ field, date, message: `not in ${year}` });
      if (seen.has(date)) problems.push({ field, date, message: 'listed twice' });
      seen.add(date);
    }
  }
  for (const date of body.workdays) {
    if (body.holidays.includes(date)) problems.push({ field: 'workdays', date, message: 'listed as a holiday too' });
    else if (!isWeekend(date)) problems.push({ field: 'workdays', date, message: 'a make-up working day is a Saturday or a Sunday' });
  }
  if (problems.length > 0) {
    throw validationFailed(`the calendar of ${year} has ${problems.length} wrong day(s): ${problems.map((problem) => `${problem.date} ${problem.message}`).join('; ')}`, problems);
  }
}

export function createCalendarService(deps: { db: Database }) {
  const { db } = deps;
  return {
    /** GET /calendar/:year: the year's days and where they come from. */
    async get(year: number) {
      const calendar = yearCalendar(year, await recordedYears(db));
      return { ...calendar, holidays: [...calendar.holidays], workdays: [...calendar.workdays] };
    },

    /** PUT /calendar/:year: an admin records a year; the record wins over the package. */
    async record(context: RequestContext, year: number, body: RecordCalendarBody) {
      checkRecord(year, body);
      const holidays = [...body.holidays].sort();
      const workdays = [...body.workdays].sort();
      await db.transaction(async (tx) => {
        const id = await upsertRecordedYear(tx, { id: newId(), year, holidays, workdays, recordedByUserId: context.actor.id, recordedAt: context.now });
        await recordAudit(tx, context, { action: 'calendar.recorded', entityType: 'calendar', entityId: id, regionCode: null, data: { year, holidays, workdays } });
      });
      return { year, source: 'recorded' as const, holidays, workdays };
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
