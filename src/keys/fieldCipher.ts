import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { ServiceKeyring } from './serviceKeys.js';

// Personal values at rest (security.md §5): a child's ID number, a guardian's phone, a bank
// account number, and whatever later programmes keep of the same kind (the protection programme's
// children and guardians). Every programme stores them through this one module:
//
//   const cipher = fieldCipher(keyring);
//   row.idNumberSealed = cipher.encryptField('child.id_number', idNumber);   // stored
//   row.idNumberLookup = cipher.lookupHash('child.id_number', idNumber);     // exact look-ups, unique index
//   const idNumber = cipher.decryptField('child.id_number', row.idNumberSealed);
//
// encryptField: AES-256-GCM under the key ring's current data key, a fresh 96-bit nonce per value,
// the field's name as additional data (a value moved to another column does not decrypt), sealed
// as text `f1.<key id>.<nonce, ciphertext and tag in base64url>` so that both databases keep it in
// a plain text column and the key that made it is named beside it. decryptField takes the key it
// names from the ring (older keys stay in the ring after a rotation).
//
// lookupHash: HMAC-SHA256 under the ring's current lookup key, with the field's name, as hex. The
// same value of the same field always gives the same hash, so a unique index on it keeps values
// unique and an equality finds one without decrypting anything. A rotation recomputes the hashes
// (npm run rotate-key). Only exact values can be found this way: a search by a part of a value
// hashes the part it allows (the last 6 characters of an ID number) into a column of its own.

export const SEALED_PREFIX = 'f1';

export class FieldCipherError extends Error {
  override name = 'FieldCipherError';
}

export interface FieldCipher {
  /** The value sealed for storage in `field` (a name such as `child.id_number`). */
  encryptField(field: string, plaintext: string): string;
  /** The value of a sealed text of `field`; throws when it was changed, moved or its key is gone. */
  decryptField(field: string, sealed: string): string;
  /** The keyed hash for exact look-ups of `value` in `field`. */
  lookupHash(field: string, value: string): string;
  /** Whether a stored text is sealed by this module (a plaintext row not yet migrated is not). */
  isSealed(stored: string): boolean;
  /** The id of the key a sealed text names. */
  keyIdOf(sealed: string): string;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function fieldCipher(keyring: ServiceKeyring): FieldCipher {
  const keyIdOf = (sealed: string) => {
    const parts = sealed.split('.');
    if (parts.length !== 3 || parts[0] !== SEALED_PREFIX) throw new FieldCipherError('not a sealed field value');
    return parts[1]!;
  };
  return {
    encryptField(field, plaintext) {
      const keyId = keyring.current.id;
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyring.derive('data-encryption', keyId), nonce);
      cipher.setAAD(Buffer.from(field, 'utf8'));
      const body = Buffer.concat([nonce, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${SEALED_PREFIX}.${keyId}.${body.toString('base64url')}`;
    },
    decryptField(field, sealed) {
      const keyId = keyIdOf(sealed);
      if (!keyring.byId(keyId)) throw new FieldCipherError(`the value was sealed with key ${keyId}, which the key file does not hold`);
      const body = Buffer.from(sealed.slice(sealed.lastIndexOf('.') + 1), 'base64url');
      if (body.length < NONCE_BYTES + TAG_BYTES) throw new FieldCipherError('a sealed value too short to be one');
      const decipher = createDecipheriv('aes-256-gcm', keyring.derive('data-encryption', keyId), body.subarray(0, NONCE_BYTES));
      decipher.setAAD(Buffer.from(field, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(body.subarray(NONCE_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new FieldCipherError(`a sealed value of ${field} does not open: changed, moved from another field, or sealed with another key`);
      }
    },
    lookupHash(field, value) {
      return createHmac('sha256', keyring.derive('lookup-hmac')).update(`${field}\u0000${value}`, 'utf8').digest('hex');
    },
    isSealed: (stored) => stored.startsWith(`${SEALED_PREFIX}.`),
    keyIdOf,
  };
}
