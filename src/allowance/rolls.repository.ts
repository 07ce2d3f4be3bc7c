import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { allowanceObjections, beneficiaries, children } from '../db/schema.js';

// The care allowance's own part of its rolls: the objections raised during the public notice. The
// rest of a roll is the monthly-roll kit's (src/monthlyRoll/rolls.repository.ts).

export async function objectionsOf(db: Executor, rollId: string) {
  return db
    .select({ objection: allowanceObjections, childName: children.name })
    .from(allowanceObjections)
    .innerJoin(beneficiaries, eq(beneficiaries.id, allowanceObjections.beneficiaryId))
    .innerJoin(children, eq(children.id, beneficiaries.childId))
    .where(eq(allowanceObjections.rollId, rollId))
    .orderBy(asc(allowanceObjections.recordedAt));
}

export async function insertObjection(db: Executor, row: typeof allowanceObjections.$inferInsert): Promise<void> {
  await db.insert(allowanceObjections).values(row);
}
