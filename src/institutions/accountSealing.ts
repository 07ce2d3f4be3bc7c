import { batches, institutionAccountChanges, institutions } from '../db/schema.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { oneColumnSealing, type SealedTable } from '../keys/plaintextSealing.js';
import { ACCOUNT_FIELDS } from './accountSecrets.js';

/** Where the rehabilitation side keeps account numbers sealed: institutions', their pending changes' and batches' payees'. */
export function institutionAccountsSealing(cipher: FieldCipher): SealedTable[] {
  return [
    oneColumnSealing(cipher, { table: institutions, key: [institutions.id], sealed: institutions.bankAccountNumberSealed, plain: institutions.plainBankAccountNumber, field: ACCOUNT_FIELDS.institution }),
    oneColumnSealing(cipher, {
      table: institutionAccountChanges,
      key: [institutionAccountChanges.id],
      sealed: institutionAccountChanges.bankAccountNumberSealed,
      plain: institutionAccountChanges.plainBankAccountNumber,
      field: ACCOUNT_FIELDS.accountChange,
    }),
    oneColumnSealing(cipher, { table: batches, key: [batches.id], sealed: batches.payeeAccountNumberSealed, plain: batches.plainPayeeAccountNumber, field: ACCOUNT_FIELDS.batchPayee }),
  ];
}
