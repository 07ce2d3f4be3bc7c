import { resealChildren, sealPlaintextChildren } from './children/childSealing.js';
import type { Database } from './db/client.js';
import { resealAccounts, sealPlaintextAccounts } from './institutions/accountSealing.js';
import type { FieldCipher } from './keys/fieldCipher.js';
import type { ServiceKeyring } from './keys/serviceKeys.js';

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

/** Every sealed column, as table and column: what a key must open. */
const SEALED_COLUMNS = [
  ['children', 'id_number_sealed'],
  ['children', 'guardian_phone_sealed'],
  ['children', 'certificate_no_sealed'],
  ['institutions', 'bank_account_number_sealed'],
  ['institution_account_changes', 'bank_account_number_sealed'],
  ['batches', 'payee_account_number_sealed'],
] as const;

/** A query of the ids of the keys that sealed values name (`key_id` rows); a database from before sealing has no such columns. */
export const SEALED_KEY_IDS_QUERY = SEALED_COLUMNS.map(
  ([table, column]) => `select distinct split_part(${column}, '.', 2) as key_id from ${table} where ${column} is not null`,
).join(' union ');

/** The keys named by sealed values that a key ring lacks: without them those values are lost. */
export function missingKeys(keyIds: readonly string[], keyring: ServiceKeyring): string[] {
  return keyIds.filter((id) => !keyring.byId(id));
}

/** Every sealed value and lookup under the ring's current key, in one transaction (npm run rotate-key). */
export async function resealPersonalData(db: Database, cipher: FieldCipher): Promise<{ children: number; accounts: number }> {
  return db.transaction(async (tx) => ({ children: await resealChildren(tx, cipher), accounts: await resealAccounts(tx, cipher) }));
}
