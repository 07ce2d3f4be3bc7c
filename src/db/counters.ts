import { sql } from 'drizzle-orm';
import type { Executor } from './client.js';
import { batchCounters, reconciliationCounters } from './schema.js';

// Numbers counted per region and year (batches 511702-2026-0007, reconciliation reports
// 511702-DZ-2026-3): the counter row of the region and year is taken and raised in one statement,
// inside the caller's transaction, so two numbers are never the same and a rolled-back one is
// given again.

type CounterTable = typeof batchCounters | typeof reconciliationCounters;

/** The next number of a region's year in `table`, from 1. */
export async function nextCount(db: Executor, table: CounterTable, regionCode: string, year: number): Promise<number> {
  const rows = await db
    .insert(table)
    .values({ regionCode, year, lastNumber: 1 })
    .onConflictDoUpdate({ target: [table.regionCode, table.year], set: { lastNumber: sql`${table.lastNumber} + 1` } })
    .returning({ lastNumber: table.lastNumber });
  return rows[0]!.lastNumber;
}
