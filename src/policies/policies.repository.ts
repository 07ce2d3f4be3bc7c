import { and, asc, desc, eq, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { preparedStatement } from '../db/prepared.js';
import { policyRules, policyVersions, settlements } from '../db/schema.js';

export type PolicyVersionRow = typeof policyVersions.$inferSelect;
export type PolicyRuleRow = typeof policyRules.$inferSelect;

export async function insertPolicy(
  db: Executor,
  version: typeof policyVersions.$inferInsert,
  rules: (typeof policyRules.$inferInsert)[],
): Promise<void> {
  await db.insert(policyVersions).values(version);
  await db.insert(policyRules).values(rules);
}

export async function findPolicyVersion(db: Executor, id: string, options: { lock?: boolean } = {}): Promise<PolicyVersionRow | undefined> {
  const query = db.select().from(policyVersions).where(eq(policyVersions.id, id)).limit(1);
  return (options.lock ? await query.for('update') : await query)[0];
}

export async function updatePolicyVersion(db: Executor, id: string, changes: Partial<typeof policyVersions.$inferInsert>): Promise<void> {
  await db.update(policyVersions).set(changes).where(eq(policyVersions.id, id));
}

/** Whether any settlement was made under the version. */
export async function policyWasUsed(db: Executor, id: string): Promise<boolean> {
  return (await db.select({ claimId: settlements.claimId }).from(settlements).where(eq(settlements.policyId, id)).limit(1)).length > 0;
}

// The policy in force is read on every submission and approval: built once (src/db/prepared.ts).
const rulesStatement = preparedStatement<{ policyIds: string[] }, PolicyRuleRow[]>((db) =>
  db
    .select()
    .from(policyRules)
    .where(sql`${policyRules.policyId} = any(${sql.placeholder('policyIds')})`)
    .orderBy(asc(policyRules.position))
    .prepare('policy_rules'),
);

export async function rulesOf(db: Executor, policyIds: string[]): Promise<PolicyRuleRow[]> {
  if (policyIds.length === 0) return [];
  return rulesStatement(db, { policyIds });
}

const versionInForce = preparedStatement<{ regionCode: string; onDate: string }, PolicyVersionRow[]>((db) =>
  db
    .select()
    .from(policyVersions)
    .where(
      and(
        or(eq(policyVersions.regionCode, sql.placeholder('regionCode')), isNull(policyVersions.regionCode)),
        lte(policyVersions.effectiveFrom, sql.placeholder('onDate')),
        // A pending version waits for its second admin; a withdrawn one is never applied.
        eq(policyVersions.status, 'approved'),
      ),
    )
    .orderBy(sql`${policyVersions.regionCode} is null`, desc(policyVersions.effectiveFrom))
    .limit(1)
    .prepare('policy_version_in_force'),
);

/**
 * The version in force for a region on a date: the region's own latest approved version that has
 * started, or, when the region has none, the default's.
 */
export async function findPolicyVersionInForce(db: Executor, regionCode: string, onDate: string) {
  return (await versionInForce(db, { regionCode, onDate }))[0];
}

export async function listPolicyVersions(
  db: Executor,
  filter: { regionCode?: string | undefined; before?: { date: string; id: string } | undefined; limit: number },
) {
  const conditions: SQL[] = [];
  if (filter.regionCode) conditions.push(eq(policyVersions.regionCode, filter.regionCode));
  if (filter.before) {
    conditions.push(sql`(${policyVersions.effectiveFrom}, ${policyVersions.id}) < (${filter.before.date}::date, ${filter.before.id}::uuid)`);
  }
  return db
    .select()
    .from(policyVersions)
    .where(and(...conditions))
    .orderBy(desc(policyVersions.effectiveFrom), desc(policyVersions.id))
    .limit(filter.limit + 1);
}
