import { basicLivingTransfers, protectionCases, protectionReports, protectionVisits } from '../db/schema.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import type { SealedTable, Values } from '../keys/plaintextSealing.js';

// The protection programme's personal values, sealed at rest by the field cipher (security.md §5,
// protection.md's privacy rules): the applicant's phone, the parents' facts (court judgments,
// diagnoses), hivAffected, the bank account numbers of a case, and the free text about a child in
// danger of visits and reports. One field of the cipher per kind of value: the current and the
// pending account number are one field (a confirmed change moves the number from one to the
// other), the visit's note, the report's note and the action taken another.
//
// The programme never kept them in clear (it was first deployed sealed), so the first start has
// nothing to seal here (`plain` is empty); rotate-key re-seals every one of them.

export const PROTECTION_FIELDS = {
  applicantPhone: 'protection.applicant_phone',
  parents: 'protection.parents',
  hivAffected: 'protection.hiv_affected',
  bankAccountNumber: 'protection.bank_account_number',
  note: 'protection.note',
} as const;

export type ProtectionField = keyof typeof PROTECTION_FIELDS;

export function sealProtection(cipher: FieldCipher, field: ProtectionField, value: string): string;
export function sealProtection(cipher: FieldCipher, field: ProtectionField, value: string | null): string | null;
export function sealProtection(cipher: FieldCipher, field: ProtectionField, value: string | null): string | null {
  return value === null ? null : cipher.encryptField(PROTECTION_FIELDS[field], value);
}

export function openProtection(cipher: FieldCipher, field: ProtectionField, sealed: string): string;
export function openProtection(cipher: FieldCipher, field: ProtectionField, sealed: string | null): string | null;
export function openProtection(cipher: FieldCipher, field: ProtectionField, sealed: string | null): string | null {
  return sealed === null ? null : cipher.decryptField(PROTECTION_FIELDS[field], sealed);
}

/** A table whose sealed columns (by property name) each hold one field, with nothing ever kept in clear. */
function sealedOnly(cipher: FieldCipher, table: SealedTable['table'], key: SealedTable['key'], columns: Record<string, { column: SealedTable['key'][number]; field: ProtectionField }>): SealedTable {
  const names = Object.keys(columns);
  return {
    table,
    key,
    plain: {},
    sealed: Object.fromEntries(names.map((name) => [name, columns[name]!.column])),
    seal: () => {
      throw new Error('the protection programme never kept its personal values in clear: there is nothing to seal');
    },
    reseal: (row) => Object.fromEntries(names.map((name) => [name, sealProtection(cipher, columns[name]!.field, openProtection(cipher, columns[name]!.field, row[name] ?? null))])) as Values,
  };
}

/** Where the protection programme keeps personal values sealed. */
export function protectionSealing(cipher: FieldCipher): SealedTable[] {
  return [
    sealedOnly(cipher, protectionCases, [protectionCases.id], {
      applicantPhoneSealed: { column: protectionCases.applicantPhoneSealed, field: 'applicantPhone' },
      parentsSealed: { column: protectionCases.parentsSealed, field: 'parents' },
      hivAffectedSealed: { column: protectionCases.hivAffectedSealed, field: 'hivAffected' },
      bankAccountNumberSealed: { column: protectionCases.bankAccountNumberSealed, field: 'bankAccountNumber' },
      pendingBankAccountNumberSealed: { column: protectionCases.pendingBankAccountNumberSealed, field: 'bankAccountNumber' },
    }),
    sealedOnly(cipher, protectionVisits, [protectionVisits.id], { noteSealed: { column: protectionVisits.noteSealed, field: 'note' } }),
    sealedOnly(cipher, protectionReports, [protectionReports.id], {
      noteSealed: { column: protectionReports.noteSealed, field: 'note' },
      actionTakenSealed: { column: protectionReports.actionTakenSealed, field: 'note' },
    }),
    // A basic-living roll's transfer carries the case's account as it stood (one field with the case's).
    sealedOnly(cipher, basicLivingTransfers, [basicLivingTransfers.rollId, basicLivingTransfers.transferNo], {
      accountNumberSealed: { column: basicLivingTransfers.accountNumberSealed, field: 'bankAccountNumber' },
    }),
  ];
}
