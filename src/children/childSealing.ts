import type { Database } from '../db/client.js';
import { children } from '../db/schema.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { sealPlaintextRows } from '../keys/plaintextSealing.js';
import { sealChild } from './childSecrets.js';

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
