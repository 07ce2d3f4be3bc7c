import { allowanceRollTables } from '../db/schema.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Transaction } from '../db/client.js';
import { beneficiaryAccountChanges } from '../db/schema.js';
import { newId } from '../db/ids.js';
import { maskAccount } from '../domain/masks.js';
import type { RequestContext } from '../http/context.js';
import { invalidState } from '../http/errors.js';
import { requireSecondPerson } from '../http/fourEyes.js';
import { iso } from '../http/schemas.js';
import { releaseHolds, updateBeneficiary, type BeneficiaryRow } from './beneficiaries.repository.js';
import { moveOpenTransfersToAccount } from '../monthlyRoll/rolls.repository.js';
import { closeSecondStep, insertAccountChange, pendingAccountChangesOf } from './secondSteps.repository.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { openedAccount, sealedAccount, type BankAccountInput, type SealedBankAccount } from './allowanceAccounts.js';


// A change of a family's bank account (security.md §2, allowance.md): PUT …/bank-account asks for
// it, pending, and every payment still goes to the old account; another user allowed to change it
// confirms it (POST …/bank-account/confirm), and only then does it take effect.

/** An account as the audit trail keeps it: the number masked (first 3 / last 4, security.md §4). */
const audited = (account: BankAccountInput) => ({ bank: account.bank, accountName: account.accountName, accountNumber: maskAccount(account.accountNumber) });

/**
 * A change of a beneficiary's bank account takes effect (allowance.md, Corrections and edges): the
 * record pays the new account, a bank_failure hold ends, and the beneficiary's transfers in draft
 * and published rolls carry the new account at once (their numbers stay; issued rolls keep what
 * they sent); audited in the caller's transaction, which holds the region's roll lock and the
 * record's row lock. Only the confirmation of a pending change calls it.
 */
async function applyBankAccountChange(tx: Transaction, context: RequestContext, cipher: FieldCipher, row: BeneficiaryRow, account: SealedBankAccount): Promise<void> {
  // The sealed number is copied as it is (one field for the record, its changes and transfers).
  await updateBeneficiary(tx, row.id, { bank: account.bank, accountName: account.accountName, accountNumberSealed: account.accountNumberSealed });
  const released = await releaseHolds(tx, row.id, ['bank_failure'], context.actor.id, context.now);
  const rolls = [...new Set(await moveOpenTransfersToAccount(tx, allowanceRollTables, row.id, account))];
  const entity = { entityType: 'beneficiary' as const, entityId: row.id, regionCode: row.regionCode };
  await recordAudit(tx, context, {
    action: 'beneficiary.bank_account_changed',
    ...entity,
    data: { childId: row.childId, before: audited(openedAccount(cipher, row)), after: audited(openedAccount(cipher, account)), openRollsUpdated: rolls },
  });
  if (released.length > 0) await recordAudit(tx, context, { action: 'beneficiary.released', ...entity, data: { childId: row.childId, reasons: released, by: 'bank_account_changed' } });
}

/**
 * PUT …/bank-account: the change waits, pending, for a second person; a pending change of the same
 * record is replaced. In the caller's transaction (region's roll lock, record's row lock).
 */
export async function requestBankAccountChange(tx: Transaction, context: RequestContext, cipher: FieldCipher, row: BeneficiaryRow, account: BankAccountInput): Promise<void> {
  const pending = (await pendingAccountChangesOf(tx, [row.id])).get(row.id);
  if (pending) await closeSecondStep(tx, beneficiaryAccountChanges, pending.id, 'replaced', context.actor.id, context.now);
  const changeId = newId();
  await insertAccountChange(tx, {
    id: changeId,
    beneficiaryId: row.id,
    ...sealedAccount(cipher, account),
    status: 'pending',
    requestedByUserId: context.actor.id,
    requestedAt: context.now,
  });
  await recordAudit(tx, context, {
    action: 'bank_account.change_requested',
    entityType: 'beneficiary',
    entityId: row.id,
    regionCode: row.regionCode,
    data: {
      childId: row.childId,
      changeId,
      current: audited(openedAccount(cipher, row)),
      requested: audited(account),
      replaces: pending ? { changeId: pending.id, requestedByUserId: pending.requestedByUserId } : null,
    },
  });
}

/**
 * POST …/bank-account/confirm: another user than the one who asked makes the pending change take
 * effect. Nothing pending → INVALID_STATE; the asker's own confirmation → FOUR_EYES_REQUIRED,
 * before anything changes. In the caller's transaction.
 */
export async function confirmBankAccountChange(tx: Transaction, context: RequestContext, cipher: FieldCipher, row: BeneficiaryRow): Promise<void> {
  const pending = (await pendingAccountChangesOf(tx, [row.id])).get(row.id);
  if (!pending) throw invalidState('no change of this beneficiary’s bank account is waiting for confirmation');
  requireSecondPerson(context.actor, pending.requestedByUserId, { secondStep: 'confirming this bank account change', firstStep: 'asked for it' });
  await closeSecondStep(tx, beneficiaryAccountChanges, pending.id, 'confirmed', context.actor.id, context.now);
  await recordAudit(tx, context, {
    action: 'bank_account.confirmed',
    entityType: 'beneficiary',
    entityId: row.id,
    regionCode: row.regionCode,
    // What changed (before and after) is the beneficiary.bank_account_changed row that follows.
    data: { childId: row.childId, changeId: pending.id, requestedByUserId: pending.requestedByUserId, requestedAt: iso(pending.requestedAt) },
  });
  await applyBankAccountChange(tx, context, cipher, row, pending);
}
