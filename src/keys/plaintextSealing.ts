import { and, getTableName, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../db/client.js';
import type { FieldCipher } from './fieldCipher.js';

// How a table keeps personal values sealed (security.md §5), for the two passes over every sealed
// table: the first start after an upgrade, which seals what an older version kept in clear, and
// npm run rotate-key, which seals every value and lookup again under a new key. Each programme
// describes its tables (children/childSealing.ts, institutions/accountSealing.ts, ...) and
// src/personalData.ts runs them all, each pass in one transaction.

/** Values by property name; null where a row holds none. */
export type Values = Record<string, string | null>;

export interface SealedTable {
  table: PgTable;
  /** The primary key's columns. */
  key: PgColumn[];
  /** The columns an older version kept in clear, by property name: a row with any of them set is still in clear. Each is emptied once sealed. Empty for a table never kept in clear. */
  plain: Record<string, PgColumn>;
  /** The sealed columns and lookups, by property name. */
  sealed: Record<string, PgColumn>;
  /** The sealed columns' values of a row from its values in clear. */
  seal(plain: Values): Values;
  /** The sealed columns' values under the ring's current key, from their values under the key each names. */
  reseal(sealed: Values): Values;
}

/** Rows read and written at a time (a test passes fewer, to page through a few rows). */
export const PAGE_ROWS = 1000;

/** The rows of a table after `after` (by key), `PAGE_ROWS` at most, locked: their keys and the columns asked for. */
async function pageOf(tx: Transaction, spec: SealedTable, columns: Record<string, PgColumn>, where: SQL | undefined, after: string[] | null, pageRows: number) {
  const keyFields = Object.fromEntries(spec.key.map((column, index) => [`key${index}`, sql<string>`${column}::text`]));
  const keyTuple = sql.join(spec.key, sql`, `);
  const afterCondition = after === null ? undefined : sql`(${keyTuple}) > (${sql.join(spec.key.map((column, index) => sql`${after[index]}::${sql.raw(column.getSQLType())}`), sql`, `)})`;
  return (await tx
    .select({ ...keyFields, ...columns })
    .from(spec.table)
    .where(and(where, afterCondition))
    .orderBy(...spec.key)
    .limit(pageRows)
    .for('update')) as unknown as Values[];
}

/**
 * Writes `values` (by property name of `columns`) into the rows of the page, in one statement: the
 * keys and values go as arrays of text (cast back here), which both drivers pass as they are.
 */
async function writePage(tx: Transaction, spec: SealedTable, columns: Record<string, PgColumn>, rows: { key: string[]; values: Values }[]): Promise<void> {
  const names = Object.keys(columns);
  const arrays = [
    ...spec.key.map((_, index) => sql`${sql.param(rows.map((row) => row.key[index]!))}::text[]`),
    ...names.map((name) => sql`${sql.param(rows.map((row) => row.values[name] ?? null))}::text[]`),
  ];
  const aliases = [...spec.key.map((_, index) => `k${index}`), ...names.map((_, index) => `v${index}`)];
  const assignments = names.map((name, index) => sql`${sql.identifier(columns[name]!.name)} = v.${sql.raw(`v${index}`)}`);
  const matches = spec.key.map((column, index) => sql`${spec.table}.${sql.identifier(column.name)} = v.${sql.raw(`k${index}`)}::${sql.raw(column.getSQLType())}`);
  await tx.execute(sql`update ${spec.table} set ${sql.join(assignments, sql`, `)}
    from unnest(${sql.join(arrays, sql`, `)}) as v(${sql.raw(aliases.join(', '))})
    where ${sql.join(matches, sql` and `)}`);
}

const keyOf = (spec: SealedTable, row: Values) => spec.key.map((_, index) => row[`key${index}`]!);

/** Seals the rows of a table still in clear, inside the caller's transaction; returns how many. */
export async function sealPlaintextRows(tx: Transaction, spec: SealedTable, pageRows = PAGE_ROWS): Promise<number> {
  // A table that never kept anything in clear (the protection programme's) has nothing to seal; without
  // this, `or()` of no condition is no condition at all, and every row would count as in clear.
  if (Object.keys(spec.plain).length === 0) return 0;
  const inClear = or(...Object.values(spec.plain).map((column) => isNotNull(column)));
  const emptied = Object.fromEntries(Object.keys(spec.plain).map((name) => [name, null]));
  const columns = { ...spec.sealed, ...spec.plain };
  let sealed = 0;
  // Each page sealed leaves the condition, so the next page is the next rows still in clear.
  for (;;) {
    const rows = await pageOf(tx, spec, spec.plain, inClear, null, pageRows);
    if (rows.length === 0) return sealed;
    await writePage(tx, spec, columns, rows.map((row) => ({ key: keyOf(spec, row), values: { ...emptied, ...spec.seal(row) } })));
    sealed += rows.length;
  }
}

/** Re-seals every sealed row of a table inside the caller's transaction; returns how many. */
export async function resealRows(tx: Transaction, spec: SealedTable, pageRows = PAGE_ROWS): Promise<number> {
  const anySealed = or(...Object.values(spec.sealed).map((column) => isNotNull(column)));
  let resealed = 0;
  let after: string[] | null = null;
  for (;;) {
    const rows = await pageOf(tx, spec, spec.sealed, anySealed, after, pageRows);
    if (rows.length === 0) return resealed;
    await writePage(tx, spec, spec.sealed, rows.map((row) => ({ key: keyOf(spec, row), values: spec.reseal(row) })));
    resealed += rows.length;
    after = keyOf(spec, rows.at(-1)!);
  }
}

/**
 * Seals what every table still keeps in clear, all in one transaction (a start that fails leaves
 * them as they were and the next start tries again); the tables that held any are then rewritten
 * (VACUUM FULL) and checkpointed, so that their data files no longer hold the old values. The WAL
 * keeps them until its segments are recycled, and older backups keep them for good (README,
 * Personal data at rest). Returns how many rows of each table were sealed.
 */
export async function sealPlaintextTables(db: Database, specs: readonly SealedTable[], pageRows = PAGE_ROWS): Promise<number[]> {
  const counts = await db.transaction(async (tx) => {
    const sealed: number[] = [];
    for (const spec of specs) sealed.push(await sealPlaintextRows(tx, spec, pageRows));
    return sealed;
  });
  const rewritten = specs.filter((_, index) => counts[index]! > 0);
  for (const spec of rewritten) await db.execute(sql.raw(`vacuum full "${getTableName(spec.table)}"`));
  if (rewritten.length > 0) await db.execute(sql`checkpoint`);
  return counts;
}

/** A table that keeps one value sealed in one column under one field of the field cipher (an account number). */
export function oneColumnSealing(cipher: FieldCipher, spec: { table: PgTable; key: PgColumn[]; sealed: PgColumn; plain: PgColumn; field: string }): SealedTable {
  return {
    table: spec.table,
    key: spec.key,
    plain: { plain: spec.plain },
    sealed: { sealed: spec.sealed },
    seal: (row) => ({ sealed: cipher.encryptField(spec.field, row.plain!) }),
    reseal: (row) => ({ sealed: cipher.encryptField(spec.field, cipher.decryptField(spec.field, row.sealed!)) }),
  };
}
