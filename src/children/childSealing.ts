import type { Database, Transaction } from '../db/client.js';
import { children } from '../db/schema.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { resealRows, sealPlaintextRows } from '../keys/plaintextSealing.js';
import { openChild, sealChild } from './childSecrets.js';

/** Children kept in clear by a version before sealing, sealed at the first start (keys/plaintextSealing.ts). */
export function sealPlaintextChildren(db: Database, cipher: FieldCipher): Promise<number> {
  return sealPlaintextRows(db, {
    table: children,
    id: children.id,
    sealedMarker: children.idNumberSealed,
    plain: { plainIdNumber: children.plainIdNumber, plainGuardianPhone: children.plainGuardianPhone, plainCertificateNo: children.plainCertificateNo },
    seal: (row) => sealChild(cipher, { idNumber: row.plainIdNumber!, guardianPhone: row.plainGuardianPhone!, certificateNo: row.plainCertificateNo ?? null }),
  });
}

/** Every child's sealed values and lookups under the ring's current key (npm run rotate-key). */
export function resealChildren(tx: Transaction, cipher: FieldCipher): Promise<number> {
  return resealRows(tx, {
    table: children,
    id: children.id,
    sealed: { idNumberSealed: children.idNumberSealed, guardianPhoneSealed: children.guardianPhoneSealed, certificateNoSealed: children.certificateNoSealed },
    reseal: (row) => (!row.idNumberSealed ? {} : sealChild(cipher, openChild(cipher, { idNumberSealed: row.idNumberSealed, guardianPhoneSealed: row.guardianPhoneSealed ?? null, certificateNoSealed: row.certificateNoSealed ?? null }))),
  });
}
