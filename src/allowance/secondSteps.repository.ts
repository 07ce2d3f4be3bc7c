import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { beneficiaryAccountChanges, users } from '../db/schema.js';
import { IDS_PER_LIST } from '../monthlyRoll/rolls.repository.js';

// What the care allowance keeps waiting for a second person (security.md §2): a change of a
// beneficiary's bank account (a waiver of an overpayment is the monthly-roll kit's). Each is asked for by one user and is
// pending until another confirms it; a later request replaces a pending one. The rows stay as the
// history (pending → confirmed or replaced).

export type AccountChangeRow = typeof beneficiaryAccountChanges.$inferSelect;

/** A pending request with the name of the user who asked for it. */
export type Pending<Row> = Row & { requestedByName: string };

type SecondStepTable = typeof beneficiaryAccountChanges;

export async function pendingAccountChangesOf(db: Executor, beneficiaryIds: readonly string[]): Promise<Map<string, Pending<AccountChangeRow>>> {
  const map = new Map<string, Pending<AccountChangeRow>>();
  for (let start = 0; start < beneficiaryIds.length; start += IDS_PER_LIST) {
    const rows = await db
      .select({ change: beneficiaryAccountChanges, requestedByName: users.name })
      .from(beneficiaryAccountChanges)
      .innerJoin(users, eq(users.id, beneficiaryAccountChanges.requestedByUserId))
      .where(and(inArray(beneficiaryAccountChanges.beneficiaryId, beneficiaryIds.slice(start, start + IDS_PER_LIST)), eq(beneficiaryAccountChanges.status, 'pending')));
    for (const row of rows) map.set(row.change.beneficiaryId, { ...row.change, requestedByName: row.requestedByName });
  }
  return map;
}

export async function insertAccountChange(db: Executor, row: typeof beneficiaryAccountChanges.$inferInsert): Promise<void> {
  await db.insert(beneficiaryAccountChanges).values(row);
}

/** Closes a pending request: confirmed (it took effect) or replaced (by a later request). */
export async function closeSecondStep(db: Executor, table: SecondStepTable, id: string, status: 'confirmed' | 'replaced', decidedByUserId: string, decidedAt: Date): Promise<void> {
  await db
    .update(table)
    .set({ status, decidedByUserId, decidedAt })
    .where(and(eq(table.id, id), eq(table.status, 'pending')));
}
