import { describe, expect, it } from 'vitest';
import { acceptedTotpStep, newTotpSecret, otpauthUri, totpCode } from './totp.js';

// RFC 6238, Appendix B: the SHA-1 secret is the ASCII string "12345678901234567890"; the 8-digit
// codes there end in the 6-digit codes below (a 6-digit TOTP is the same HOTP value mod 10^6).
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: [number, string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

describe('TOTP (RFC 6238: SHA-1, 6 digits, 30 s)', () => {
  it.each(RFC_VECTORS)('at T = %i s the code is %s', (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code);
    expect(acceptedTotpStep(RFC_SECRET, code, seconds * 1000, null)).toBe(Math.floor(seconds / 30));
  });

  it('accepts one step either side, not two', () => {
    const at = 1111111111 * 1000;
    expect(acceptedTotpStep(RFC_SECRET, totpCode(RFC_SECRET, at - 30_000), at, null)).not.toBeNull();
    expect(acceptedTotpStep(RFC_SECRET, totpCode(RFC_SECRET, at + 30_000), at, null)).not.toBeNull();
    expect(acceptedTotpStep(RFC_SECRET, totpCode(RFC_SECRET, at - 60_000), at, null)).toBeNull();
    expect(acceptedTotpStep(RFC_SECRET, totpCode(RFC_SECRET, at + 60_000), at, null)).toBeNull();
  });

  it('a code is accepted once: not at or before the last step accepted', () => {
    const at = 1234567890 * 1000;
    const step = acceptedTotpStep(RFC_SECRET, '005924', at, null)!;
    expect(acceptedTotpStep(RFC_SECRET, '005924', at, step)).toBeNull();
    expect(acceptedTotpStep(RFC_SECRET, totpCode(RFC_SECRET, at + 30_000), at, step)).toBe(step + 1);
  });

  it('refuses what is not six digits; a new secret is 160 bits of base32 in an otpauth URI', () => {
    expect(acceptedTotpStep(RFC_SECRET, '28708', 59_000, null)).toBeNull();
    expect(acceptedTotpStep(RFC_SECRET, 'abcdef', 59_000, null)).toBeNull();
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri(secret, 'zhang.hao')).toMatch(new RegExp(`^otpauth://totp/.+:zhang\\.hao\\?.*secret=${secret}`));
    expect(otpauthUri(secret, 'zhang.hao')).toContain('algorithm=SHA1&digits=6&period=30');
  });
});
