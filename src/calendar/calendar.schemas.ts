import { z } from 'zod';
import { DateString } from '../http/schemas.js';

export const CalendarYearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const RecordCalendarBody = z
  .object({
    holidays: z.array(DateString).max(366).meta({ description: 'Public holidays of the year, weekends inside a holiday included' }),
    workdays: z.array(DateString).max(366).meta({ description: 'Make-up working days (调休上班): Saturdays or Sundays that are worked' }),
  })
  .strict();
export type RecordCalendarBody = z.infer<typeof RecordCalendarBody>;

export const CalendarYearSchema = z.object({
  year: z.number().int(),
  source: z.enum(['recorded', 'package', 'weekdays']).meta({
    description: 'recorded: an admin’s record (wins); package: the npm package chinese-days; weekdays: nobody knows the year, Monday to Friday are counted',
  }),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
});
