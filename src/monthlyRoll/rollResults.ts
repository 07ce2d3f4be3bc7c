import type { Database } from '../db/client.js';
import { formatMoney, money } from '../domain/money.js';
import { asSpreadsheetText } from '../domain/spreadsheetCells.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, validationFailed } from '../http/errors.js';
import { shrinkOverpaymentsForFailedTransfer } from './overpayments.service.js';
import type { RollProgramme } from './programme.js';
import { auditRoll, changeRoll } from './rollParts.js';
import { pendingTransferCount, recordTransferResult, transfersOf, updateRoll } from './rolls.repository.js';

// POST …/rolls/:id/results: the bank's transfer results.

/** One line of the bank's results: a transfer paid, or failed with the bank's reason. */
export interface TransferResult {
  transferNo: number;
  status: 'paid' | 'failed';
  reason?: string | null | undefined;
  /** What the bank's file says it paid and to whom, when it says so: checked against the transfer. */
  amount?: string | null | undefined;
  accountName?: string | null | undefined;
}

export function createRollResults(deps: { db: Database; programme: RollProgramme }) {
  const { db, programme } = deps;
  const t = programme.tables;
  return {
    /**
     * The whole set is checked first (every transfer number of the roll; no result that
     * contradicts one recorded) and then written in one transaction: a refused set changes nothing,
     * and a set sent again changes nothing either. A failed transfer's months are due again and its
     * payee is held until its account changes; overpayments that counted them shrink.
     */
    async recordResults(context: RequestContext, id: string, results: TransferResult[]): Promise<void> {
      await changeRoll(db, programme, context, id, async (tx, roll) => {
        if (roll.status !== 'issued' && roll.status !== 'settled') throw invalidState(`the roll is ${roll.status}; results are recorded for an issued roll`);
        const transfers = new Map((await transfersOf(tx, t, id)).map((transfer) => [transfer.transferNo, transfer]));
        const unknown = results.filter((result) => !transfers.has(result.transferNo));
        if (unknown.length > 0) {
          throw validationFailed(
            `the roll has no transfer numbered ${unknown.map((result) => result.transferNo).join(', ')}`,
            unknown.map((result) => ({ field: 'transferNo', transferNo: result.transferNo, hint: `本名册没有序号为 ${result.transferNo} 的代发记录：请核对回执文件是否属于名册 ${roll.number}` })),
          );
        }
        // A bank's file echoes what it paid and to whom: a line that differs from the roll's transfer
        // belongs to another roll or month, and nothing of the file is recorded.
        const mismatched = results.filter((result) => {
          const transfer = transfers.get(result.transferNo)!;
          const amountDiffers = result.amount != null && result.amount !== '' && !money(result.amount).equals(money(transfer.amount));
          // The list wrote a name that could start a formula with a leading ' (spreadsheetCells.ts).
          const nameDiffers = result.accountName != null && result.accountName !== '' && result.accountName.trim() !== transfer.accountName && result.accountName.trim() !== asSpreadsheetText(transfer.accountName);
          return amountDiffers || nameDiffers;
        });
        if (mismatched.length > 0) {
          throw validationFailed(
            `transfers ${mismatched.map((result) => result.transferNo).join(', ')} differ from the roll's in amount or account name`,
            mismatched.map((result) => {
              const transfer = transfers.get(result.transferNo)!;
              return {
                field: 'transferNo',
                transferNo: result.transferNo,
                hint: `序号 ${result.transferNo} 与名册 ${roll.number} 不符（名册：${transfer.accountName} ${formatMoney(money(transfer.amount))}；文件：${result.accountName ?? transfer.accountName} ${result.amount ?? formatMoney(money(transfer.amount))}）：请核对回执文件是否属于本名册`,
              };
            }),
          );
        }
        const seen = new Map<number, TransferResult>();
        for (const result of results) {
          const earlier = seen.get(result.transferNo);
          if (earlier && earlier.status !== result.status) {
            throw validationFailed(`transfer ${result.transferNo} is given two different results`, [
              { field: 'transferNo', transferNo: result.transferNo, hint: `序号 ${result.transferNo} 在回执文件中出现两次，结果不同：请与银行核实后只保留一行` },
            ]);
          }
          seen.set(result.transferNo, result);
        }
        const contradicting = [...seen.values()].filter((result) => {
          const status = transfers.get(result.transferNo)!.status;
          return status !== 'pending' && status !== result.status;
        });
        if (contradicting.length > 0) {
          throw invalidState(
            `transfers ${contradicting.map((result) => result.transferNo).join(', ')} already have a different result`,
            `序号 ${contradicting.map((result) => result.transferNo).join('、')} 已记录了不同的发放结果，记录后不能更改：请与银行核实；如确为银行更正，请联系系统管理员。`,
          );
        }
        const fresh = [...seen.values()].filter((result) => transfers.get(result.transferNo)!.status === 'pending');
        if (fresh.length === 0) return;
        for (const result of fresh) {
          const transfer = transfers.get(result.transferNo)!;
          const failureReason = result.status === 'failed' ? result.reason || '转账失败' : null;
          await recordTransferResult(tx, t, id, result.transferNo, { status: result.status, failureReason, userId: context.actor.id, at: context.now });
          if (result.status === 'failed') {
            await programme.holdForBankFailure(tx, context, { payeeId: transfer.payeeId, regionCode: roll.regionCode, rollId: id, transferNo: result.transferNo, note: failureReason! });
            await shrinkOverpaymentsForFailedTransfer(tx, context, programme, id, result.transferNo);
          }
        }
        await auditRoll(tx, context, programme, 'results_recorded', roll, {
          paid: fresh.filter((result) => result.status === 'paid').map((result) => result.transferNo),
          failed: fresh.filter((result) => result.status === 'failed').map((result) => result.transferNo),
        });
        if (roll.status === 'issued' && (await pendingTransferCount(tx, t, id)) === 0) {
          await updateRoll(tx, t, id, { status: 'settled', settledAt: context.now });
          const all = [...transfers.values()].map((transfer) => seen.get(transfer.transferNo)?.status ?? transfer.status);
          await auditRoll(tx, context, programme, 'settled', roll, { paid: all.filter((status) => status === 'paid').length, failed: all.filter((status) => status === 'failed').length });
        }
      });
    },
  };
}
