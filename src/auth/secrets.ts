import { createHmac } from 'node:crypto';
import type { ServiceKeyring } from '../keys/serviceKeys.js';

// The key of the HMAC that stands for a typed username in the lockout counters and in the audit of
// failed sign-ins (people type passwords into the name field). It is derived from the service's key
// file (src/keys/serviceKeys.ts), outside the database, so that neither the database nor a backup
// holds what would turn those hashes back into names; every instance on one database shares the
// key file, and so the key. A rotation (npm run rotate-key) changes it: failures counted before
// then no longer add up with new ones, which only ends open lockouts early.

export function usernameKeyOf(keyring: ServiceKeyring): Buffer {
  return keyring.derive('username-hmac');
}

/** The keyed HMAC of a username as typed, compared without case and surrounding space. */
export function usernameHmac(key: Buffer, typed: string): string {
  return createHmac('sha256', key).update(typed.trim().toLowerCase(), 'utf8').digest('hex');
}
