import { recordAudit, type AuditAction } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, notFound } from '../http/errors.js';
import { getClaim } from './claimPresentation.js';
import { findClaimInScope, updateClaim, type ClaimRow } from './claims.repository.js';
import { releaseClaimMonths } from './ledgers.repository.js';

// The changes of status that compute nothing: a reviewer returns or rejects a claim, an
// institution withdraws one. Approval, which settles, is approvals.service.ts.

export function createTransitionsService(deps: { db: Database }) {
  const { db } = deps;

  /**
   * Moves a claim from one of the statuses `from` to `to` with its audit event, in one
   * transaction. `decidedAt` records the reviewer's decision on a submitted claim (approve, reject,
   * return): the review deadline is measured against it. Rejecting a claim that was returned keeps
   * the date of the return, the decision the institution then left unanswered; a withdrawal is the
   * institution's act and leaves it as it was.
   */
  async function transition(
    context: RequestContext,
    id: string,
    from: readonly ClaimRow['status'][],
    to: ClaimRow['status'],
    action: AuditAction,
    data: Record<string, unknown>,
  ) {
    return db.transaction(async (tx) => {
      const row = await findClaimInScope(tx, context.actor, id, { lock: true });
      if (!row) throw notFound('claim');
      if (!from.includes(row.status)) throw invalidState(`the claim is ${row.status}; only a ${from.join(' or ')} claim can become ${to}`);
      const reviewerDecidesNow = row.status === 'submitted' && to !== 'withdrawn';
      await updateClaim(tx, id, { status: to, decidedAt: reviewerDecidesNow ? context.now : row.decidedAt });
      // A rejected or withdrawn claim no longer holds its months.
      if (to === 'rejected' || to === 'withdrawn') await releaseClaimMonths(tx, id);
      await recordAudit(tx, context, { action, entityType: 'claim', entityId: id, regionCode: row.regionCode, data });
      return getClaim(tx, context, id);
    });
  }

  return {
    // A returned claim the institution leaves uncorrected must not hold the child's months for
    // ever: a reviewer may reject it and the institution may withdraw it.
    reject: (context: RequestContext, id: string, reason: string) => transition(context, id, ['submitted', 'returned'], 'rejected', 'claim.rejected', { reason }),
    return: (context: RequestContext, id: string, reason: string) => transition(context, id, ['submitted'], 'returned', 'claim.returned', { reason }),
    withdraw: (context: RequestContext, id: string) => transition(context, id, ['submitted', 'returned'], 'withdrawn', 'claim.withdrawn', {}),
  };
}

export type TransitionsService = ReturnType<typeof createTransitionsService>;
