import type { Database } from '../db/client.js';
import { batches, institutionAccountChanges, institutions } from '../db/schema.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { sealPlaintextRows } from '../keys/plaintextSealing.js';
import { sealAccountNumber } from './accountSecrets.js';

/** Account numbers kept in clear by a version before sealing, sealed at the first start (keys/plaintextSealing.ts). */
export async function sealPlaintextAccounts(db: Database, cipher: FieldCipher): Promise<number> {
  const inInstitutions = await sealPlaintextRows(db, {
    table: institutions,
    id: institutions.id,
    sealedMarker: institutions.bankAccountNumberSealed,
    plain: { plainBankAccountNumber: institutions.plainBankAccountNumber },
    seal: (row) => ({ bankAccountNumberSealed: sealAccountNumber(cipher, 'institution', row.plainBankAccountNumber!) }),
  });
  const inChanges = await sealPlaintextRows(db, {
    table: institutionAccountChanges,
    id: institutionAccountChanges.id,
    sealedMarker: institutionAccountChanges.bankAccountNumberSealed,
    plain: { plainBankAccountNumber: institutionAccountChanges.plainBankAccountNumber },
    seal: (row) => ({ bankAccountNumberSealed: sealAccountNumber(cipher, 'accountChange', row.plainBankAccountNumber!) }),
  });
  const inBatches = await sealPlaintextRows(db, {
    table: batches,
    id: batches.id,
    sealedMarker: batches.payeeAccountNumberSealed,
    plain: { plainPayeeAccountNumber: batches.plainPayeeAccountNumber },
    seal: (row) => ({ payeeAccountNumberSealed: sealAccountNumber(cipher, 'batchPayee', row.plainPayeeAccountNumber!) }),
  });
  return inInstitutions + inChanges + inBatches;
}
