import { getTableName, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../db/client.js';

// The first start after an upgrade to sealed personal data (security.md §5): the rows of a table
// still kept in clear are sealed, all in one transaction (a start that fails leaves them as they
// were and the next start tries again), and the table is then rewritten (VACUUM FULL) and
// checkpointed, so that its data files no longer hold the old values. The WAL keeps them until its
// segments are recycled, and older backups keep them for good (README, Personal data at rest).

export interface PlaintextColumns<Table extends PgTable> {
  table: Table;
  id: PgColumn;
  /** The column that is null while a row is still in clear. */
  sealedMarker: PgColumn;
  /** The columns in clear, by their property names in the table; each is emptied once sealed. */
  plain: Record<string, PgColumn>;
  /** The sealed columns' values (and the emptied plain ones) of one row from its values in clear. */
  seal(values: Record<string, string | null>): Partial<Table['$inferInsert']>;
}

/** The sealed columns of a table, for a new key (npm run rotate-key). */
export interface SealedColumns<Table extends PgTable> {
  table: Table;
  id: PgColumn;
  /** The sealed columns (and lookups) to read, by name. */
  sealed: Record<string, PgColumn>;
  /** The columns' values under the ring's current key, from their values under the key they name. */
  reseal(values: Record<string, string | null>): Partial<Table['$inferInsert']>;
}

/** Re-seals every sealed row of a table inside the caller's transaction; returns how many. */
export async function resealRows<Table extends PgTable>(tx: Transaction, spec: SealedColumns<Table>): Promise<number> {
  const rows = (await tx
    .select({ id: spec.id, ...spec.sealed })
    .from(spec.table as PgTable)
    .orderBy(spec.id)
    .for('update')) as ({ id: string } & Record<string, string | null>)[];
  let resealed = 0;
  for (const row of rows) {
    const values = spec.reseal(row);
    if (Object.keys(values).length === 0) continue;
    await tx
      .update(spec.table as PgTable)
      .set(values as never)
      .where(sql`${spec.id} = ${row.id}` as SQL);
    resealed += 1;
  }
  return resealed;
}

/** Seals every row of the table still in clear; returns how many. */
export async function sealPlaintextRows<Table extends PgTable>(db: Database, spec: PlaintextColumns<Table>): Promise<number> {
  const sealed = await db.transaction(async (tx) => {
    const rows = (await tx
      .select({ id: spec.id, ...spec.plain })
      .from(spec.table as PgTable)
      .where(isNull(spec.sealedMarker))
      .orderBy(spec.id)
      .for('update')) as ({ id: string } & Record<string, string | null>)[];
    for (const row of rows) {
      const emptied = Object.fromEntries(Object.keys(spec.plain).map((name) => [name, null]));
      await tx
        .update(spec.table as PgTable)
        .set({ ...emptied, ...spec.seal(row) } as never)
        .where(sql`${spec.id} = ${row.id}` as SQL);
    }
    return rows.length;
  });
  if (sealed > 0) {
    await db.execute(sql.raw(`vacuum full "${getTableName(spec.table)}"`));
    await db.execute(sql`checkpoint`);
  }
  return sealed;
}
