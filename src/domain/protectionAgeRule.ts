import { addMonths } from './calendar.js';
import type { CoverFromRule } from './protectionVocabulary.js';

// How long a recognised case is covered (protection.md §4.5, §5): from coverFrom to lastMonth, the
// month of the 18th birthday or, while the child is studying (enrolled before 18), the later of that
// and the expected graduation. After lastMonth the case reads `ended`, derived from the date and
// never stored. Pure: the caller passes today.

/** The month of the 18th birthday (a child born 2008-03-15 is covered through 2026-03). */
export function eighteenthBirthdayMonth(birthDate: string): string {
  return `${String(Number(birthDate.slice(0, 4)) + 18).padStart(4, '0')}-${birthDate.slice(5, 7)}`;
}

/** The last month covered: the 18th birthday's month, or the expected graduation when later and studying is recorded. */
export function lastCoveredMonth(birthDate: string, expectedGraduation: string | null): string {
  const birthday = eighteenthBirthdayMonth(birthDate);
  return expectedGraduation !== null && expectedGraduation > birthday ? expectedGraduation : birthday;
}

/** A recognised case past its last month reads `ended`. */
export function caseEnded(lastMonth: string, month: string): boolean {
  return month > lastMonth;
}

/** The first month covered, by the region's protectionCoverFrom (seeded default: the month after recognition). */
export function coverFromMonth(rule: CoverFromRule, recognisedOn: string, receivedOn: string): string {
  switch (rule) {
    case 'next_month':
      return addMonths(recognisedOn.slice(0, 7), 1);
    case 'recognition_month':
      return recognisedOn.slice(0, 7);
    case 'received_month':
      return receivedOn.slice(0, 7);
  }
}

export interface CoverSpan {
  recognisedOn: string | null;
  lastMonth: string | null;
  exitFromMonth: string | null;
}

/**
 * In care (在册) on day d: recognised on or before d, the month of d before any exit's fromMonth
 * and not after lastMonth (§6).
 */
export function inCareOn(span: CoverSpan, day: string): boolean {
  if (span.recognisedOn === null || span.lastMonth === null || span.recognisedOn > day) return false;
  const month = day.slice(0, 7);
  if (span.exitFromMonth !== null && month >= span.exitFromMonth) return false;
  return month <= span.lastMonth;
}

/** The month an exit's cover ends before, by default the month after the event's (§5). */
export function exitFromMonth(eventOn: string, fromMonth: string | undefined): string {
  return fromMonth ?? addMonths(eventOn.slice(0, 7), 1);
}
