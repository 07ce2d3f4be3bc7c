import { recordAudit } from '../audit/audit.repository.js';
import type { Transaction } from '../db/client.js';
import type { RequestContext } from '../http/context.js';
import { maskAccountNumber } from './allowanceRule.js';
import { releaseHolds, updateBeneficiary, type BeneficiaryRow } from './beneficiaries.repository.js';
import { moveOpenTransfersToAccount } from './rolls.repository.js';

export interface BankAccountInput {
  bank: string;
  accountName: string;
  accountNumber: string;
}

/**
 * A change of a beneficiary's bank account takes effect (allowance.md, Corrections and edges): the
 * record pays the new account, a bank_failure hold ends, and the beneficiary's transfers in draft
 * and published rolls carry the new account at once (their numbers stay; issued rolls keep what
 * they sent); audited in the caller's transaction, which holds the region's roll lock and the
 * record's row lock. PUT …/bank-account calls it today; once a second person must confirm a change
 * (security.md §2), the confirmation calls it instead.
 */
export async function applyBankAccountChange(tx: Transaction, context: RequestContext, row: BeneficiaryRow, account: BankAccountInput): Promise<void> {
  await updateBeneficiary(tx, row.id, { bank: account.bank, accountName: account.accountName, accountNumber: account.accountNumber });
  const released = await releaseHolds(tx, row.id, ['bank_failure'], context.actor.id, context.now);
  const rolls = [...new Set(await moveOpenTransfersToAccount(tx, row.id, account))];
  const entity = { entityType: 'beneficiary' as const, entityId: row.id, regionCode: row.regionCode };
  await recordAudit(tx, context, {
    action: 'beneficiary.bank_account_changed',
    ...entity,
    data: {
      childId: row.childId,
      before: { bank: row.bank, accountName: row.accountName, accountNumber: maskAccountNumber(row.accountNumber) },
      after: { bank: account.bank, accountName: account.accountName, accountNumber: maskAccountNumber(account.accountNumber) },
      openRollsUpdated: rolls,
    },
  });
  if (released.length > 0) await recordAudit(tx, context, { action: 'beneficiary.released', ...entity, data: { childId: row.childId, reasons: released, by: 'bank_account_changed' } });
}
