import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../db/client.js';
import { batches, institutionAccountChanges, institutions } from '../db/schema.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { resealRows, sealPlaintextRows } from '../keys/plaintextSealing.js';
import { openAccountNumber, sealAccountNumber, type AccountField } from './accountSecrets.js';

// Where the rehabilitation side keeps account numbers: each table's sealed column (and its
// property), its column in clear from before sealing, and its field of the field cipher.
interface AccountColumns {
  table: PgTable;
  id: PgColumn;
  sealed: PgColumn;
  property: 'bankAccountNumberSealed' | 'payeeAccountNumberSealed';
  plain: PgColumn;
  plainProperty: 'plainBankAccountNumber' | 'plainPayeeAccountNumber';
  field: AccountField;
}

const ACCOUNT_COLUMNS: AccountColumns[] = [
  { table: institutions, id: institutions.id, sealed: institutions.bankAccountNumberSealed, property: 'bankAccountNumberSealed', plain: institutions.plainBankAccountNumber, plainProperty: 'plainBankAccountNumber', field: 'institution' },
  {
    table: institutionAccountChanges,
    id: institutionAccountChanges.id,
    sealed: institutionAccountChanges.bankAccountNumberSealed,
    property: 'bankAccountNumberSealed',
    plain: institutionAccountChanges.plainBankAccountNumber,
    plainProperty: 'plainBankAccountNumber',
    field: 'accountChange',
  },
  { table: batches, id: batches.id, sealed: batches.payeeAccountNumberSealed, property: 'payeeAccountNumberSealed', plain: batches.plainPayeeAccountNumber, plainProperty: 'plainPayeeAccountNumber', field: 'batchPayee' },
];

/** Account numbers kept in clear by a version before sealing, sealed at the first start (keys/plaintextSealing.ts). */
export async function sealPlaintextAccounts(db: Database, cipher: FieldCipher): Promise<number> {
  let sealed = 0;
  for (const columns of ACCOUNT_COLUMNS) {
    sealed += await sealPlaintextRows(db, {
      table: columns.table,
      id: columns.id,
      sealedMarker: columns.sealed,
      plain: { [columns.plainProperty]: columns.plain },
      seal: (row) => ({ [columns.property]: sealAccountNumber(cipher, columns.field, row[columns.plainProperty]!) }),
    });
  }
  return sealed;
}

/** Every account number under the ring's current key (npm run rotate-key). */
export async function resealAccounts(tx: Transaction, cipher: FieldCipher): Promise<number> {
  let resealed = 0;
  for (const columns of ACCOUNT_COLUMNS) {
    resealed += await resealRows(tx, {
      table: columns.table,
      id: columns.id,
      sealed: { sealed: columns.sealed },
      reseal: (row) => (row.sealed ? { [columns.property]: sealAccountNumber(cipher, columns.field, openAccountNumber(cipher, columns.field, row.sealed)) } : {}),
    });
  }
  return resealed;
}
