import { maskIdNumber } from '../domain/idNumber.js';
import type { FieldCipher } from '../keys/fieldCipher.js';

// A child's personal values as the database keeps them (security.md §5): the ID number, the
// guardian's phone and the disability certificate number (a 残疾人证 number is the ID number and two
// more digits) sealed with the field cipher; the ID number also as the keyed hash of the whole
// number and of its last 6 characters (the only searches by number there are), and masked
// (511702********0029) for documents and lists that need no key: a batch of 100,000 lines reads the
// masked column and decrypts nothing.

export const CHILD_FIELDS = {
  idNumber: 'child.id_number',
  idNumberTail: 'child.id_number_tail',
  guardianPhone: 'child.guardian_phone',
  certificateNo: 'child.certificate_no',
} as const;

/** How many characters of the end of an ID number a search may give on its own. */
export const ID_NUMBER_TAIL_LENGTH = 6;

export interface ChildPersonalData {
  idNumber: string;
  guardianPhone: string;
  certificateNo: string | null;
}

/** The stored row's sealed columns. */
export interface SealedChildColumns {
  idNumberSealed: string | null;
  idNumberLookup: string | null;
  idNumberTailLookup: string | null;
  idNumberMasked: string | null;
  guardianPhoneSealed: string | null;
  certificateNoSealed: string | null;
}

const normalised = (idNumber: string) => idNumber.trim().toUpperCase();

export function idNumberLookup(cipher: FieldCipher, idNumber: string): string {
  return cipher.lookupHash(CHILD_FIELDS.idNumber, normalised(idNumber));
}

export function idNumberTailLookup(cipher: FieldCipher, idNumberOrTail: string): string {
  return cipher.lookupHash(CHILD_FIELDS.idNumberTail, normalised(idNumberOrTail).slice(-ID_NUMBER_TAIL_LENGTH));
}

/** The columns that keep a child's personal values. */
export function sealChild(cipher: FieldCipher, data: ChildPersonalData): SealedChildColumns {
  const idNumber = normalised(data.idNumber);
  return {
    idNumberSealed: cipher.encryptField(CHILD_FIELDS.idNumber, idNumber),
    idNumberLookup: idNumberLookup(cipher, idNumber),
    idNumberTailLookup: idNumberTailLookup(cipher, idNumber),
    idNumberMasked: maskIdNumber(idNumber),
    guardianPhoneSealed: sealGuardianPhone(cipher, data.guardianPhone),
    certificateNoSealed: data.certificateNo === null ? null : sealCertificateNo(cipher, data.certificateNo),
  };
}

/** A guardian's phone as corrected after registration. */
export function sealGuardianPhone(cipher: FieldCipher, guardianPhone: string): string {
  return cipher.encryptField(CHILD_FIELDS.guardianPhone, guardianPhone);
}

/** A certificate number recorded (or replaced) after registration. */
export function sealCertificateNo(cipher: FieldCipher, certificateNo: string): string {
  return cipher.encryptField(CHILD_FIELDS.certificateNo, certificateNo);
}

/** The certificate number of a row, or null when the child holds none. */
export function openCertificateNo(cipher: FieldCipher, sealed: string | null): string | null {
  return sealed === null ? null : cipher.decryptField(CHILD_FIELDS.certificateNo, sealed);
}

/** A child's personal values, opened from its row. */
export function openChild(cipher: FieldCipher, row: Pick<SealedChildColumns, 'idNumberSealed' | 'guardianPhoneSealed' | 'certificateNoSealed'>): ChildPersonalData {
  if (!row.idNumberSealed || !row.guardianPhoneSealed) throw new Error('a child row not sealed yet: the start-up sealing (childSealing.ts) runs before the service serves');
  return {
    idNumber: cipher.decryptField(CHILD_FIELDS.idNumber, row.idNumberSealed),
    guardianPhone: cipher.decryptField(CHILD_FIELDS.guardianPhone, row.guardianPhoneSealed),
    certificateNo: openCertificateNo(cipher, row.certificateNoSealed),
  };
}

/**
 * What a typed search finds by ID number: the whole number (18 characters) or its last 6; anything
 * else is searched as a name only (a part of an ID number cannot be found in a keyed hash).
 */
export function idNumberSearch(cipher: FieldCipher, typed: string): { idNumberLookup?: string; idNumberTailLookup?: string } {
  const text = normalised(typed);
  if (/^\d{17}[\dX]$/.test(text)) return { idNumberLookup: idNumberLookup(cipher, text) };
  if (new RegExp(`^\\d{${ID_NUMBER_TAIL_LENGTH - 1}}[\\dX]$`).test(text)) return { idNumberTailLookup: idNumberTailLookup(cipher, text) };
  return {};
}
