import { and, inArray, notInArray, or, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { Timing } from '../domain/timing.js';
import { WorkingCalendar } from '../domain/workingCalendar.js';
import { reviewWorkingDaysByRegion } from '../regions/regions.repository.js';
import { recordedYears } from './calendar.repository.js';

// Review deadlines (办理时限, domain.md): a reviewer decides an application or a submitted claim
// within N working days of its receipt (N = the region's reviewWorkingDays, default 5); the due
// date is the N-th working day after the day of receipt. Nothing is stored: the due date follows
// from the day of receipt, the region's setting and the calendar as they stand, so recording a
// year's holidays or changing a region's setting moves the due dates of the work still waiting.

export const DEFAULT_REVIEW_WORKING_DAYS = 5;

export class Deadlines {
  constructor(
    readonly calendar: WorkingCalendar,
    private readonly workingDaysByRegion: ReadonlyMap<string, number>,
  ) {}

  reviewWorkingDays(regionCode: string): number {
    return this.workingDaysByRegion.get(regionCode) ?? DEFAULT_REVIEW_WORKING_DAYS;
  }

  dueOn(regionCode: string, receivedOn: string): string {
    return this.calendar.addWorkingDays(receivedOn, this.reviewWorkingDays(regionCode));
  }

  /**
   * Receipt, due date and decision of one piece of work, as of `today` (China date). `waiting`:
   * it waits for the reviewer now (a pending application, a submitted claim).
   */
  timing(regionCode: string, receivedOn: string, waiting: boolean, decidedOn: string | null, today: string): Timing {
    const dueOn = this.dueOn(regionCode, receivedOn);
    return {
      receivedOn,
      dueOn,
      overdue: waiting && today > dueOn,
      decidedOn,
      decidedInTime: decidedOn === null ? null : decidedOn <= dueOn,
    };
  }

  /**
   * A SQL condition "waiting past its due date on `today`" for work of any region: per number of
   * working days in force, the regions that use it and the last day of receipt that is overdue.
   * `receivedOnOrBefore(day)` is the caller's condition on its own column.
   */
  overdueCondition(regionColumn: AnyColumn, today: string, receivedOnOrBefore: (day: string) => SQL): SQL {
    const regionsByDays = new Map<number, string[]>();
    for (const [regionCode, days] of this.workingDaysByRegion) {
      if (!regionsByDays.has(days)) regionsByDays.set(days, []);
      regionsByDays.get(days)!.push(regionCode);
    }
    const cutoff = (days: number) => receivedOnOrBefore(this.calendar.lastReceiptOverdueOn(today, days));
    const conditions: SQL[] = [...regionsByDays].map(([days, regions]) => and(inArray(regionColumn, regions), cutoff(days))!);
    const configured = [...this.workingDaysByRegion.keys()];
    const defaultRegions = configured.length > 0 ? notInArray(regionColumn, configured) : undefined;
    conditions.push(defaultRegions ? and(defaultRegions, cutoff(DEFAULT_REVIEW_WORKING_DAYS))! : cutoff(DEFAULT_REVIEW_WORKING_DAYS));
    return conditions.length === 1 ? conditions[0]! : or(...conditions)!;
  }
}

/**
 * The calendar as recorded now and the review settings of every region that set one: two small
 * reads, done once per request that shows or filters by due dates.
 */
export async function loadDeadlines(db: Executor): Promise<Deadlines> {
  const [recorded, workingDays] = await Promise.all([recordedYears(db), reviewWorkingDaysByRegion(db)]);
  return new Deadlines(new WorkingCalendar(recorded), workingDays);
}
