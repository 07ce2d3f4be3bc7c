import { hash, verify } from '@node-rs/argon2';
import type { AuthSettings } from './settings.js';

// Passwords are stored only as argon2id hashes (@node-rs/argon2: a maintained binding with prebuilt
// binaries in its npm packages; it hashes on libuv's thread pool, off the event loop). The hash
// string carries its own salt and parameters.

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /**
   * Spends what a verification spends, for a name that names no account: an unknown username
   * costs one hash as a known one does, so the time of the answer does not tell whether it exists.
   */
  verifyNothing(password: string): Promise<false>;
}

export function createPasswordHasher(cost: AuthSettings['passwordHashCost']): PasswordHasher {
  // algorithm 2 is Argon2id (the package's Algorithm is a const enum, which isolated modules cannot read).
  const options = { algorithm: 2, memoryCost: cost.memoryKiB, timeCost: cost.passes, parallelism: 1 };
  const dummy = hash('an account that does not exist', options);
  dummy.catch(() => undefined);
  const hasher: PasswordHasher = {
    hash: (password) => hash(password, options),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password);
      } catch {
        return false;
      }
    },
    async verifyNothing(password) {
      await hasher.verify(await dummy, password);
      return false;
    },
  };
  return hasher;
}
