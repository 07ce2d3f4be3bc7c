import type { Actor } from './context.js';
import { AppError } from './errors.js';

// Nobody moves money alone (security.md §2, 经办与审核分离): the second step of each pair (issue what
// another built, confirm a change another asked for, approve what another enrolled) must be taken
// by someone other than whoever took the first. Every such rule of every programme goes through
// this one check. A service calls it after its state checks (INVALID_STATE and
// NOTICE_PERIOD_NOT_OVER answer first) and before it changes anything, so a refusal changes nothing.
// The bootstrap admin is one person like any other: it has one id.

/**
 * Refuses with 409 FOUR_EYES_REQUIRED when `actor` took the first step (`firstUserId`). `secondStep`
 * says what is refused, `firstStep` who did what first ("built the batch").
 */
export function requireSecondPerson(actor: Actor, firstUserId: string | null | undefined, wording: { secondStep: string; firstStep: string }): void {
  if (firstUserId && firstUserId === actor.id) {
    throw new AppError('FOUR_EYES_REQUIRED', `${wording.secondStep} needs a second person: you ${wording.firstStep}, so another colleague must do it`, [{ firstUserId }]);
  }
}
