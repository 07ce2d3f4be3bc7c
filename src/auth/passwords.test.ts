import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from './passwords.js';
import { DEFAULT_AUTH_SETTINGS } from './settings.js';

describe('password hashing', () => {
  it('is argon2id at OWASP’s cost (19 MiB, 2 passes), salted per password, and verifies', async () => {
    const hasher = createPasswordHasher(DEFAULT_AUTH_SETTINGS.passwordHashCost);
    const first = await hasher.hash('Kx9#mountain-road');
    const second = await hasher.hash('Kx9#mountain-road');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
    expect(await hasher.verify(first, 'Kx9#mountain-road')).toBe(true);
    expect(await hasher.verify(first, 'Kx9#mountain-roaD')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
    expect(await hasher.verifyNothing('Kx9#mountain-road')).toBe(false);
  });
});
