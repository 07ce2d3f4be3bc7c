import { previousDay } from './calendar.js';
import type { WorkingCalendar } from './workingCalendar.js';

// The due date of every step of a case (protection.md §4): the N-th working day after the day the
// step started, that day not counted (domain.md, Review deadlines), except the notice, which runs N
// working days counted from its first day itself and is closed on the next working day.

/** Working days of each step: a region's own number, or the seeded default of 5 (seed 001). */
export interface ProtectionWorkingDays {
  townshipCheck: number;
  notice: number;
  countyReview: number;
}

export const DEFAULT_PROTECTION_WORKING_DAYS: ProtectionWorkingDays = { townshipCheck: 5, notice: 5, countyReview: 5 };

/** The township's check: N working days after receipt (or after the objection that returned the case). */
export function townshipCheckDueOn(calendar: WorkingCalendar, receivedOn: string, days: ProtectionWorkingDays): string {
  return calendar.addWorkingDays(receivedOn, days.townshipCheck);
}

/** The notice's last day: the N-th working day counted from noticeFrom itself (from the next working day if it is not one). */
export function noticeToOf(calendar: WorkingCalendar, noticeFrom: string, days: ProtectionWorkingDays): string {
  return calendar.addWorkingDays(previousDay(noticeFrom), days.notice);
}

/** The day the notice is due to be closed: the first working day after its last day. */
export function noticeCloseDueOn(calendar: WorkingCalendar, noticeTo: string): string {
  return calendar.addWorkingDays(noticeTo, 1);
}

/** The county review: N working days after the county received the case. */
export function countyReviewDueOn(calendar: WorkingCalendar, countyReceivedOn: string, days: ProtectionWorkingDays): string {
  return calendar.addWorkingDays(countyReceivedOn, days.countyReview);
}
