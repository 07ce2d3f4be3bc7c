import { users } from '../db/schema.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import type { SealedTable } from '../keys/plaintextSealing.js';

// A user's second-factor secret (RFC 6238), sealed at rest with the field cipher: whoever reads the
// database or a backup could otherwise make every code of every account. The secret being set up
// and the confirmed one are one field, as confirming moves the one to the other as it is.

export const TOTP_SECRET_FIELD = 'user.totp_secret';

export function sealTotpSecret(cipher: FieldCipher, base32: string): string {
  return cipher.encryptField(TOTP_SECRET_FIELD, base32);
}

/** The base32 secret of a sealed one, or null where there is none. */
export function openTotpSecret(cipher: FieldCipher, sealed: string | null): string | null {
  return sealed === null ? null : cipher.decryptField(TOTP_SECRET_FIELD, sealed);
}

/** Where users' second-factor secrets are kept sealed, and where an older version kept them in clear. */
export function totpSecretsSealing(cipher: FieldCipher): SealedTable {
  const sealedOf = (value: string | null | undefined) => (value ? sealTotpSecret(cipher, value) : null);
  const resealed = (value: string | null | undefined) => sealedOf(openTotpSecret(cipher, value ?? null));
  return {
    table: users,
    key: [users.id],
    plain: { plainTotpSecret: users.plainTotpSecret, plainTotpPendingSecret: users.plainTotpPendingSecret },
    sealed: { totpSecretSealed: users.totpSecretSealed, totpPendingSecretSealed: users.totpPendingSecretSealed },
    seal: (row) => ({ totpSecretSealed: sealedOf(row.plainTotpSecret), totpPendingSecretSealed: sealedOf(row.plainTotpPendingSecret) }),
    reseal: (row) => ({ totpSecretSealed: resealed(row.totpSecretSealed), totpPendingSecretSealed: resealed(row.totpPendingSecretSealed) }),
  };
}
