import { resealChildren, sealPlaintextChildren } from './children/childSealing.js';
import type { Database } from './db/client.js';
import { resealAccounts, sealPlaintextAccounts } from './institutions/accountSealing.js';
import type { FieldCipher } from './keys/fieldCipher.js';

// The personal values the service keeps sealed (security.md §5), all tables at once: children's
// ID numbers, phones and certificate numbers; institutions', their pending changes' and batches'
// account numbers.

/**
 * What a version before sealing kept in clear, sealed at the first start before anything is
 * served (each table in one transaction). Nothing is left to seal on later starts.
 */
export async function sealPlaintextPersonalData(db: Database, cipher: FieldCipher): Promise<{ children: number; accounts: number }> {
  return { children: await sealPlaintextChildren(db, cipher), accounts: await sealPlaintextAccounts(db, cipher) };
}

/** Every sealed value and lookup under the ring's current key, in one transaction (npm run rotate-key). */
export async function resealPersonalData(db: Database, cipher: FieldCipher): Promise<{ children: number; accounts: number }> {
  return db.transaction(async (tx) => ({ children: await resealChildren(tx, cipher), accounts: await resealAccounts(tx, cipher) }));
}
