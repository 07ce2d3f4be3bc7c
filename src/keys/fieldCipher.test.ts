import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldCipher, FieldCipherError } from './fieldCipher.js';
import { keyringOf, newServiceKey } from './serviceKeys.js';

const oldKey = newServiceKey(new Date('2026-01-01T00:00:00Z'));
const newKey = newServiceKey(new Date('2026-06-01T00:00:00Z'));
const cipher = fieldCipher(keyringOf([oldKey]));

describe('fieldCipher (security.md §5)', () => {
  it('gives back what it sealed, for any text; the sealed text never holds it and differs every time', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (value) => {
        const sealed = cipher.encryptField('child.id_number', value);
        expect(cipher.decryptField('child.id_number', sealed)).toBe(value);
        expect(cipher.encryptField('child.id_number', value)).not.toBe(sealed);
        expect(cipher.isSealed(sealed)).toBe(true);
      }),
    );
    const sealed = cipher.encryptField('child.id_number', '511702201801010011');
    expect(sealed).toMatch(new RegExp(`^f1\\.${oldKey.id}\\.[A-Za-z0-9_-]+$`));
    expect(sealed).not.toContain('511702');
    expect(cipher.keyIdOf(sealed)).toBe(oldKey.id);
  });

  it('refuses a changed value, one moved to another field, and one whose key the ring lacks', () => {
    const sealed = cipher.encryptField('child.guardian_phone', '13800000000');
    const body = sealed.slice(sealed.lastIndexOf('.') + 1);
    const flipped = `${sealed.slice(0, sealed.lastIndexOf('.') + 1)}${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
    expect(() => cipher.decryptField('child.guardian_phone', flipped)).toThrow(FieldCipherError);
    expect(() => cipher.decryptField('beneficiary.account_number', sealed)).toThrow(FieldCipherError);
    expect(() => fieldCipher(keyringOf([newKey])).decryptField('child.guardian_phone', sealed)).toThrow(/does not hold/);
    expect(() => cipher.decryptField('child.guardian_phone', '13800000000')).toThrow(FieldCipherError);
    expect(cipher.isSealed('13800000000')).toBe(false);
  });

  it('after a rotation seals under the new key and still opens what the old one sealed', () => {
    const sealedBefore = cipher.encryptField('institution.account_number', '6228480000000000123');
    const rotated = fieldCipher(keyringOf([oldKey, newKey]));
    expect(rotated.keyIdOf(rotated.encryptField('institution.account_number', '6228480000000000123'))).toBe(newKey.id);
    expect(rotated.decryptField('institution.account_number', sealedBefore)).toBe('6228480000000000123');
  });

  it('lookupHash: the same value and field give the same hash; another field, value or key another', () => {
    const hash = cipher.lookupHash('child.id_number', '511702201801010011');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.lookupHash('child.id_number', '511702201801010011')).toBe(hash);
    expect(cipher.lookupHash('child.id_number', '511702201801010029')).not.toBe(hash);
    expect(cipher.lookupHash('child.id_number_tail', '511702201801010011')).not.toBe(hash);
    expect(fieldCipher(keyringOf([oldKey, newKey])).lookupHash('child.id_number', '511702201801010011')).not.toBe(hash);
  });
});
