import { addMonths } from './calendar.js';

// How long a verification (复核) holds, for the care allowance and the protection of children in
// difficulty alike (allowance.md; protection.md §8.4: "the allowance's 12 months").

/** How long a verification holds: a roll more than this many months on holds the record. */
export const VERIFICATION_VALID_MONTHS = 12;

/**
 * A verification holds for twelve months: a roll is held when the last verification is before the
 * first day of the month twelve months before the roll's month (roll 2025-12: before 2024-12-01).
 */
export function reviewOverdue(lastVerifiedOn: string | null, rollMonth: string): boolean {
  if (lastVerifiedOn === null) return true;
  return lastVerifiedOn < `${addMonths(rollMonth, -VERIFICATION_VALID_MONTHS)}-01`;
}
