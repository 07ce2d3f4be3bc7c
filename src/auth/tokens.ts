import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

// Random credentials and their storage. Tokens, session keys, activation and recovery codes are
// random with enough bits that a plain SHA-256 is enough to store them: there is nothing to
// brute-force as there would be with a password, and the lookup stays one indexed equality.

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Equal strings in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

// Letters and digits a person reads off a slip of paper without confusing them (no 0/O, 1/I/L, U).
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomCode(length: number): string {
  let code = '';
  for (let index = 0; index < length; index++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** An activation code: 12 characters (≈ 59 bits), handed over in person. */
export function newActivationCode(): string {
  return randomCode(12);
}

/** A recovery code of a second factor: 10 characters (≈ 49 bits), used once. */
export function newRecoveryCode(): string {
  return randomCode(10);
}

/** A code as typed (spaces, dashes, lower case) in the form it was made. */
export function normalizeCode(typed: string): string {
  return typed.replace(/[\s-]+/g, '').toUpperCase();
}
