import { allowanceTransfers, beneficiaries, beneficiaryAccountChanges } from '../db/schema.js';
import type { Actor } from '../http/context.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { oneColumnSealing, type SealedTable } from '../keys/plaintextSealing.js';
import { maskAccountNumber } from './allowanceRule.js';

// The care allowance's bank account numbers, sealed at rest (security.md §5): a beneficiary's
// account, a change of it waiting for a second person, and a transfer's account as it stood when
// the roll was built. The three are one field of the field cipher, as the same account moves
// between them (a record's account to its transfers when a roll is built, a confirmed change to
// the record and its open transfers): the sealed text is copied as it is, and building a
// province's roll opens none of them. Only the pages, documents and the roll's hash that show a
// number open it.

export const ALLOWANCE_ACCOUNT_FIELD = 'allowance.account_number';

/** A bank account as typed or shown: the number in full. */
export interface BankAccountInput {
  bank: string;
  accountName: string;
  accountNumber: string;
}

/** A bank account as stored: the number sealed. */
export interface SealedBankAccount {
  bank: string;
  accountName: string;
  accountNumberSealed: string | null;
}

export function sealedAccount(cipher: FieldCipher, account: BankAccountInput): SealedBankAccount {
  return { bank: account.bank, accountName: account.accountName, accountNumberSealed: sealAllowanceAccount(cipher, account.accountNumber) };
}

export function openedAccount(cipher: FieldCipher, account: SealedBankAccount): BankAccountInput {
  return { bank: account.bank, accountName: account.accountName, accountNumber: openAllowanceAccount(cipher, account.accountNumberSealed) };
}

export function sealAllowanceAccount(cipher: FieldCipher, accountNumber: string): string {
  return cipher.encryptField(ALLOWANCE_ACCOUNT_FIELD, accountNumber);
}

export function openAllowanceAccount(cipher: FieldCipher, sealed: string | null): string {
  if (sealed === null) throw new Error('an allowance account number not sealed yet: the start-up sealing runs before the service serves');
  return cipher.decryptField(ALLOWANCE_ACCOUNT_FIELD, sealed);
}

/** Who sees a family's account number in full: the offices that pay it (allowance.md). */
export function seesFullAccountNumbers(actor: Actor): boolean {
  return actor.role === 'civil_affairs' || actor.role === 'finance';
}

/** A sealed account number as the actor may see it: in full, or its first and last 4 digits. */
export function accountNumberFor(actor: Actor, cipher: FieldCipher, sealed: string | null): string {
  const accountNumber = openAllowanceAccount(cipher, sealed);
  return seesFullAccountNumbers(actor) ? accountNumber : maskAccountNumber(accountNumber);
}

/** Where the care allowance keeps account numbers sealed. */
export function allowanceAccountsSealing(cipher: FieldCipher): SealedTable[] {
  const field = ALLOWANCE_ACCOUNT_FIELD;
  return [
    oneColumnSealing(cipher, { table: beneficiaries, key: [beneficiaries.id], sealed: beneficiaries.accountNumberSealed, plain: beneficiaries.plainAccountNumber, field }),
    oneColumnSealing(cipher, { table: beneficiaryAccountChanges, key: [beneficiaryAccountChanges.id], sealed: beneficiaryAccountChanges.accountNumberSealed, plain: beneficiaryAccountChanges.plainAccountNumber, field }),
    oneColumnSealing(cipher, {
      table: allowanceTransfers,
      key: [allowanceTransfers.rollId, allowanceTransfers.transferNo],
      sealed: allowanceTransfers.accountNumberSealed,
      plain: allowanceTransfers.plainAccountNumber,
      field,
    }),
  ];
}
