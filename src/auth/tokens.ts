import { createHash, randomBytes } from 'node:crypto';

// Tokens are 256 random bits, so a plain SHA-256 is enough to store them: there is nothing to
// brute-force as there would be with a password, and the lookup stays one indexed equality.

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
