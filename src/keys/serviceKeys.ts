import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';

// The service's secret key, kept in a file outside the data folder (security.md §5: DATA_KEY_FILE,
// by default ./keys/data.key, mode 0600 in a 0700 folder). Backups of the database never hold it.
// Every keyed operation of the service derives its own key from the secret (HKDF-SHA256, one label
// each), so that one secret serves them all and no two uses share a key:
//   - lookups: the keyed HMAC of a personal value (an ID number searched for, in the access log;
//     the exact look-ups of encrypted values later);
//   - the audit seal: the keyed hash chain over the audit trail (src/audit/auditChain.ts), which a
//     database administrator without the key file cannot recompute;
//   - data encryption (AES-256-GCM of ID numbers, phones and accounts) derives its key here too.
// The file is a key ring: a rotation adds a key and makes it current, and the older keys stay, as
// seals and HMACs made with them name their key's id and are checked with it.

export const KEY_FILE_FORMAT = 'rehab-service-keys/1';

export interface ServiceKey {
  id: string;
  createdAt: string;
  secret: Buffer;
}

export type KeyPurpose = 'lookup-hmac' | 'audit-seal' | 'data-encryption';

export interface ServiceKeyring {
  /** The key new work uses. */
  readonly current: ServiceKey;
  /** A key by its id, for what an older key made; undefined when the ring no longer has it. */
  byId(id: string): ServiceKey | undefined;
  /** The 32-byte key for one purpose, derived from a key's secret (the current key's by default). */
  derive(purpose: KeyPurpose, keyId?: string): Buffer;
  /** The keyed HMAC of a personal value, as `<key id>:<hex>`: the same value gives the same text. */
  lookupHmac(value: string): string;
}

const SECRET_BYTES = 32;

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

function derived(secret: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `rehab-settlement ${purpose} v1`, SECRET_BYTES));
}

export function keyringOf(keys: ServiceKey[]): ServiceKeyring {
  if (keys.length === 0) throw new KeyFileError('the key ring holds no key');
  const current = keys.at(-1)!;
  const cache = new Map<string, Buffer>();
  const byId = (id: string) => keys.find((key) => key.id === id);
  const derive = (purpose: KeyPurpose, keyId = current.id) => {
    const name = `${keyId} ${purpose}`;
    let key = cache.get(name);
    if (!key) {
      const found = byId(keyId);
      if (!found) throw new KeyFileError(`the key ring has no key ${keyId}`);
      key = derived(found.secret, purpose);
      cache.set(name, key);
    }
    return key;
  };
  return {
    current,
    byId,
    derive,
    lookupHmac: (value) => `${current.id}:${createHmac('sha256', derive('lookup-hmac')).update(value, 'utf8').digest('hex')}`,
  };
}

/** A key made now: 256 random bits and an id that says when. */
export function newServiceKey(now = new Date()): ServiceKey {
  const stamp = now.toISOString().slice(0, 10).replaceAll('-', '');
  return { id: `k${stamp}-${randomBytes(4).toString('hex')}`, createdAt: now.toISOString(), secret: randomBytes(SECRET_BYTES) };
}

/** A key ring of one fresh key held only in memory (tests, the demo's own county). */
export function ephemeralKeyring(): ServiceKeyring {
  return keyringOf([newServiceKey()]);
}

function parseKeyFile(path: string, text: string): ServiceKey[] {
  let parsed: { format?: unknown; keys?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new KeyFileError(`${path} is not a key file of this service (not JSON)`);
  }
  if (parsed.format !== KEY_FILE_FORMAT || !Array.isArray(parsed.keys) || parsed.keys.length === 0) {
    throw new KeyFileError(`${path} is not a key file of this service (format ${KEY_FILE_FORMAT} with at least one key expected)`);
  }
  return parsed.keys.map((entry: { id?: unknown; createdAt?: unknown; secret?: unknown }, index) => {
    const secret = typeof entry.secret === 'string' ? Buffer.from(entry.secret, 'base64') : Buffer.alloc(0);
    if (typeof entry.id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(entry.id) || secret.length !== SECRET_BYTES) {
      throw new KeyFileError(`${path}: key ${index + 1} is damaged (an id and a ${SECRET_BYTES}-byte secret in base64 expected)`);
    }
    return { id: entry.id, createdAt: typeof entry.createdAt === 'string' ? entry.createdAt : '', secret };
  });
}

/** Writes the ring whole under a temporary name (mode 0600) and renames it, so it is never half written. */
export function writeKeyFile(path: string, keys: ServiceKey[]): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const body = `${JSON.stringify({ format: KEY_FILE_FORMAT, keys: keys.map((key) => ({ id: key.id, createdAt: key.createdAt, secret: key.secret.toString('base64') })) }, null, 2)}\n`;
  const temporary = `${path}.partial`;
  const descriptor = openSync(temporary, 'w', 0o600);
  try {
    writeSync(descriptor, body);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** Whether `inner` is `outer` or lies inside it. */
function isInside(inner: string, outer: string): boolean {
  const path = relative(resolve(outer), resolve(inner));
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

export interface KeyFileOptions {
  path: string;
  /** Make the file when there is none (the service's start); the commands only read it. */
  create: boolean;
  /** Folders the key must stay out of: the data folder and the backups (a copy of one is not a copy of the other). */
  notInside?: string[];
}

/**
 * Loads the key ring from its file, or makes one (a fresh key, mode 0600, its folder 0700) when
 * asked to and there is none. Refuses a file inside the data or backup folder, and on POSIX
 * systems one that others may read.
 */
export function loadKeyFile(options: KeyFileOptions): { keyring: ServiceKeyring; path: string; created: boolean } {
  const path = resolve(options.path);
  for (const folder of options.notInside ?? []) {
    if (isInside(path, folder)) {
      throw new KeyFileError(`the key file ${path} lies inside ${resolve(folder)}: keep it outside the data and backup folders (DATA_KEY_FILE), so that a copy of the data is never a copy of its key`);
    }
  }
  let created = false;
  if (!existsSync(path)) {
    if (!options.create) throw new KeyFileError(`no key file at ${path} (DATA_KEY_FILE): the service made it at its first start; without it the sealed audit trail cannot be checked`);
    writeKeyFile(path, [newServiceKey()]);
    created = true;
  }
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new KeyFileError(`the key file ${path} may be read by others (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 ${path}`);
    }
  }
  return { keyring: keyringOf(parseKeyFile(path, readFileSync(path, 'utf8'))), path, created };
}
