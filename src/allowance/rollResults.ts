import { recordAudit } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, validationFailed } from '../http/errors.js';
import type { TransferResult } from './allowance.schemas.js';
import { placeHold } from './beneficiaries.repository.js';
import { shrinkOverpaymentsForFailedTransfer } from './overpayments.service.js';
import { auditRoll, changeRoll } from './rollParts.js';
import { pendingTransferCount, recordTransferResult, takeOffEntries, transfersOf, updateRoll } from './rolls.repository.js';

// POST /allowance/rolls/:id/results: the bank's transfer results.

export function createRollResults(deps: { db: Database }) {
  const { db } = deps;
  return {
    /**
     * The whole set is checked first (every transfer number of the roll; no result that
     * contradicts one recorded) and then written in one transaction: a refused set changes nothing,
     * and a set sent again changes nothing either. A failed transfer's months are due again and its
     * beneficiary is held until its account changes; overpayments that counted them shrink.
     */
    async recordResults(context: RequestContext, id: string, results: TransferResult[]): Promise<void> {
      await changeRoll(db, context, id, async (tx, roll) => {
        if (roll.status !== 'issued' && roll.status !== 'settled') throw invalidState(`the roll is ${roll.status}; results are recorded for an issued roll`);
        const transfers = new Map((await transfersOf(tx, id)).map((transfer) => [transfer.transferNo, transfer]));
        const unknown = results.filter((result) => !transfers.has(result.transferNo));
        if (unknown.length > 0) {
          throw validationFailed(
            `the roll has no transfer numbered ${unknown.map((result) => result.transferNo).join(', ')}`,
            unknown.map((result) => ({ field: 'transferNo', transferNo: result.transferNo })),
          );
        }
        const seen = new Map<number, TransferResult>();
        for (const result of results) {
          const earlier = seen.get(result.transferNo);
          if (earlier && earlier.status !== result.status) throw validationFailed(`transfer ${result.transferNo} is given two different results`, [{ field: 'transferNo', transferNo: result.transferNo }]);
          seen.set(result.transferNo, result);
        }
        const contradicting = [...seen.values()].filter((result) => {
          const status = transfers.get(result.transferNo)!.status;
          return status !== 'pending' && status !== result.status;
        });
        if (contradicting.length > 0) {
          throw invalidState(`transfers ${contradicting.map((result) => result.transferNo).join(', ')} already have a different result`);
        }
        const fresh = [...seen.values()].filter((result) => transfers.get(result.transferNo)!.status === 'pending');
        if (fresh.length === 0) return;
        for (const result of fresh) {
          const transfer = transfers.get(result.transferNo)!;
          const failureReason = result.status === 'failed' ? result.reason || '转账失败' : null;
          await recordTransferResult(tx, id, result.transferNo, { status: result.status, failureReason, userId: context.actor.id, at: context.now });
          if (result.status === 'failed') {
            const placed = await placeHold(tx, {
              id: newId(),
              beneficiaryId: transfer.beneficiaryId,
              reason: 'bank_failure',
              note: failureReason,
              rollId: id,
              placedByUserId: context.actor.id,
              placedAt: context.now,
            });
            if (placed) {
              await takeOffEntries(tx, transfer.beneficiaryId, 'hold');
              await recordAudit(tx, context, {
                action: 'beneficiary.held',
                entityType: 'beneficiary',
                entityId: transfer.beneficiaryId,
                regionCode: roll.regionCode,
                data: { reason: 'bank_failure', note: failureReason, rollId: id, transferNo: result.transferNo },
              });
            }
            await shrinkOverpaymentsForFailedTransfer(tx, context, id, result.transferNo);
          }
        }
        await auditRoll(tx, context, 'roll.results_recorded', roll, {
          paid: fresh.filter((result) => result.status === 'paid').map((result) => result.transferNo),
          failed: fresh.filter((result) => result.status === 'failed').map((result) => result.transferNo),
        });
        if (roll.status === 'issued' && (await pendingTransferCount(tx, id)) === 0) {
          await updateRoll(tx, id, { status: 'settled', settledAt: context.now });
          const all = [...transfers.values()].map((transfer) => seen.get(transfer.transferNo)?.status ?? transfer.status);
          await auditRoll(tx, context, 'roll.settled', roll, { paid: all.filter((status) => status === 'paid').length, failed: all.filter((status) => status === 'failed').length });
        }
      });
    },
  };
}
