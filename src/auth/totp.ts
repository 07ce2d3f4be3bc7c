import * as OTPAuth from 'otpauth';

// The second factor, RFC 6238 through otpauth: SHA-1, 6 digits, 30-second steps, one step either
// side. The service records the last step it accepted, so that a code works once.

const PERIOD_SECONDS = 30;
const ISSUER = '残疾儿童康复救助结算';

function totpOf(secretBase32: string, username = ''): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: ISSUER, label: username, secret: OTPAuth.Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS });
}

/** A fresh 160-bit secret, base32 (what an authenticator app takes by hand). */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/** The otpauth:// URI a QR code carries. */
export function otpauthUri(secretBase32: string, username: string): string {
  return totpOf(secretBase32, username).toString();
}

/** The code at an instant (for tests and the demo). */
export function totpCode(secretBase32: string, atMs: number): string {
  return totpOf(secretBase32).generate({ timestamp: atMs });
}

/**
 * The time step a code belongs to, when it is right at `atMs` within one step either side and
 * later than `lastAcceptedStep`; else null.
 */
export function acceptedTotpStep(secretBase32: string, code: string, atMs: number, lastAcceptedStep: number | null): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secretBase32).validate({ token, timestamp: atMs, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(atMs / 1000 / PERIOD_SECONDS) + delta;
  if (lastAcceptedStep !== null && step <= lastAcceptedStep) return null;
  return step;
}
