import type { Actor } from '../http/context.js';
import { notFound, validationFailed } from '../http/errors.js';

/**
 * The region a dashboard reads: an admin names it (?regionCode=); a region's own staff read their
 * region, and naming another one is out of their scope (404, as for any record outside it).
 */
export function regionOfQuery(actor: Actor, requested: string | undefined): string {
  if (actor.role === 'admin') {
    if (!requested) throw validationFailed('an admin names the region: ?regionCode=', [{ field: 'regionCode' }]);
    return requested;
  }
  if (requested && requested !== actor.regionCode) throw notFound('region');
  return actor.regionCode!;
}
