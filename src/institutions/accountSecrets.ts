import type { FieldCipher } from '../keys/fieldCipher.js';

// The bank account numbers of the rehabilitation side, sealed at rest (security.md §5): an
// institution's account, a change of it waiting for a second admin, and a batch's payee as it
// stood when the batch was made. Each is its own field of the field cipher, so that a value copied
// from one column to another does not open there.

export const ACCOUNT_FIELDS = {
  institution: 'institution.bank_account_number',
  accountChange: 'institution_account_change.bank_account_number',
  batchPayee: 'batch.payee_account_number',
} as const;

export type AccountField = keyof typeof ACCOUNT_FIELDS;

export function sealAccountNumber(cipher: FieldCipher, field: AccountField, accountNumber: string): string {
  return cipher.encryptField(ACCOUNT_FIELDS[field], accountNumber);
}

export function openAccountNumber(cipher: FieldCipher, field: AccountField, sealed: string | null): string {
  if (sealed === null) throw new Error(`a ${ACCOUNT_FIELDS[field]} not sealed yet: the start-up sealing runs before the service serves`);
  return cipher.decryptField(ACCOUNT_FIELDS[field], sealed);
}
