import { children } from '../db/schema.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import type { SealedTable } from '../keys/plaintextSealing.js';
import { openChild, sealChild } from './childSecrets.js';

/** Where a child's ID number, phone and certificate number are kept sealed, and where an older version kept them in clear. */
export function childrenSealing(cipher: FieldCipher): SealedTable {
  return {
    table: children,
    key: [children.id],
    plain: { plainIdNumber: children.plainIdNumber, plainGuardianPhone: children.plainGuardianPhone, plainCertificateNo: children.plainCertificateNo },
    sealed: {
      idNumberSealed: children.idNumberSealed,
      idNumberLookup: children.idNumberLookup,
      idNumberTailLookup: children.idNumberTailLookup,
      idNumberMasked: children.idNumberMasked,
      guardianPhoneSealed: children.guardianPhoneSealed,
      certificateNoSealed: children.certificateNoSealed,
    },
    seal: (row) => ({ ...sealChild(cipher, { idNumber: row.plainIdNumber!, guardianPhone: row.plainGuardianPhone!, certificateNo: row.plainCertificateNo ?? null }) }),
    reseal: (row) =>
      ({ ...sealChild(cipher, openChild(cipher, { idNumberSealed: row.idNumberSealed ?? null, guardianPhoneSealed: row.guardianPhoneSealed ?? null, certificateNoSealed: row.certificateNoSealed ?? null })) }),
  };
}
