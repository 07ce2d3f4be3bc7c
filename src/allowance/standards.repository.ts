import { asc, desc } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { allowanceStandards } from '../db/schema.js';

// The allowance standards: monthly amounts per tier by month and region.

/** Every standard, newest first; the rule picks the one in force for each month. */
export async function standardRows(db: Executor) {
  return db.select().from(allowanceStandards).orderBy(desc(allowanceStandards.effectiveFrom), asc(allowanceStandards.id));
}

export async function insertStandard(db: Executor, row: typeof allowanceStandards.$inferInsert) {
  return (await db.insert(allowanceStandards).values(row).returning())[0]!;
}
