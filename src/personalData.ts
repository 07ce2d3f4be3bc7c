import { getTableName } from 'drizzle-orm';
import { allowanceAccountsSealing } from './allowance/allowanceAccounts.js';
import { totpSecretsSealing } from './auth/totpSecrets.js';
import { childrenSealing } from './children/childSealing.js';
import type { Database } from './db/client.js';
import { institutionAccountsSealing } from './institutions/accountSealing.js';
import { protectionSealing } from './protection/caseSecrets.js';
import { ephemeralKeyring, type ServiceKeyring } from './keys/serviceKeys.js';
import { fieldCipher, type FieldCipher } from './keys/fieldCipher.js';
import { PAGE_ROWS, resealRows, sealPlaintextTables, type SealedTable } from './keys/plaintextSealing.js';

// The personal values the service keeps sealed (security.md §5), every table at once: children's
// ID numbers, phones and certificate numbers; the account numbers of institutions, their pending
// changes and batches; of allowance beneficiaries, their pending changes and transfers; users'
// second-factor secrets; the protection programme's applicants' phones, parents' facts,
// hivAffected, account numbers and the notes of visits and reports (never kept in clear: nothing to
// seal at the first start). A programme that keeps more adds its tables here, and the first start,
// rotate-key and restore's key check cover them.

/** What each count of a sealing pass says. */
export interface SealedCounts {
  children: number;
  accounts: number;
  secondFactors: number;
  /** Rows of the protection programme's cases, visits and reports. */
  protection: number;
}

function sealedTables(cipher: FieldCipher): { kind: keyof SealedCounts; spec: SealedTable }[] {
  return [
    { kind: 'children', spec: childrenSealing(cipher) },
    ...institutionAccountsSealing(cipher).map((spec) => ({ kind: 'accounts' as const, spec })),
    ...allowanceAccountsSealing(cipher).map((spec) => ({ kind: 'accounts' as const, spec })),
    { kind: 'secondFactors', spec: totpSecretsSealing(cipher) },
    ...protectionSealing(cipher).map((spec) => ({ kind: 'protection' as const, spec })),
  ];
}

function counted(tables: { kind: keyof SealedCounts }[], counts: number[]): SealedCounts {
  const totals: SealedCounts = { children: 0, accounts: 0, secondFactors: 0, protection: 0 };
  tables.forEach((table, index) => (totals[table.kind] += counts[index]!));
  return totals;
}

/**
 * What a version before sealing kept in clear, sealed at the first start before anything is
 * served, in one transaction over every table. Nothing is left to seal on later starts.
 */
export async function sealPlaintextPersonalData(db: Database, cipher: FieldCipher, pageRows = PAGE_ROWS): Promise<SealedCounts> {
  const tables = sealedTables(cipher);
  return counted(tables, await sealPlaintextTables(db, tables.map((table) => table.spec), pageRows));
}

/** Every sealed value and lookup under the ring's current key, in one transaction (npm run rotate-key). */
export async function resealPersonalData(db: Database, cipher: FieldCipher, pageRows = PAGE_ROWS): Promise<SealedCounts> {
  const tables = sealedTables(cipher);
  const counts = await db.transaction(async (tx) => {
    const resealed: number[] = [];
    for (const table of tables) resealed.push(await resealRows(tx, table.spec, pageRows));
    return resealed;
  });
  return counted(tables, counts);
}

/** Every sealed column, as table and column names (lookups and masks name no key). */
export function sealedColumns(): { table: string; column: string }[] {
  // Only the tables' columns are read: the cipher is never used.
  return sealedTables(fieldCipher(ephemeralKeyring())).flatMap(({ spec }) =>
    Object.values(spec.sealed)
      .filter((column) => column.name.endsWith('_sealed'))
      .map((column) => ({ table: getTableName(spec.table), column: column.name })),
  );
}

/**
 * A query of the ids of the keys that sealed values name (`key_id` rows), over the sealed columns
 * a database has (`existing`, as `table.column`): a database from an older version has fewer.
 */
export function sealedKeyIdsQuery(existing: ReadonlySet<string>): string | null {
  const columns = sealedColumns().filter(({ table, column }) => existing.has(`${table}.${column}`));
  if (columns.length === 0) return null;
  return columns.map(({ table, column }) => `select distinct split_part(${column}, '.', 2) as key_id from ${table} where ${column} is not null`).join(' union ');
}

/** The keys named by sealed values that a key ring lacks: without them those values are lost. */
export function missingKeys(keyIds: readonly string[], keyring: ServiceKeyring): string[] {
  return keyIds.filter((id) => !keyring.byId(id));
}
