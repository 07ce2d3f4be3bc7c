import { sealPlaintextChildren } from './children/childSealing.js';
import type { Database } from './db/client.js';
import { sealPlaintextAccounts } from './institutions/accountSealing.js';
import type { FieldCipher } from './keys/fieldCipher.js';

/**
 * What a version before sealing kept in clear (security.md §5), sealed at the first start before
 * anything is served: children's ID numbers, phones and certificate numbers; institutions', their
 * pending changes' and batches' account numbers. Nothing is left to seal on later starts.
 */
export async function sealPlaintextPersonalData(db: Database, cipher: FieldCipher): Promise<{ children: number; accounts: number }> {
  return { children: await sealPlaintextChildren(db, cipher), accounts: await sealPlaintextAccounts(db, cipher) };
}
