import { asc, desc, eq, isNull, or } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { protectionStandards } from '../db/schema.js';
import type { ProtectionStandard } from '../domain/protectionPaymentRule.js';

// The basic-living standards (基本生活费, protection.md §8): monthly amounts by standard, by month
// and region. The rule (src/domain/protectionPaymentRule.ts) picks the one in force each month.

export type ProtectionStandardRow = typeof protectionStandards.$inferSelect;

/** Every standard, newest first. */
export async function protectionStandardRows(db: Executor): Promise<ProtectionStandardRow[]> {
  return db.select().from(protectionStandards).orderBy(desc(protectionStandards.effectiveFrom), asc(protectionStandards.id));
}

/** The standards that may apply to a region: its own and the default's, as the rule takes them. */
export async function protectionStandardsForRegion(db: Executor, regionCode: string): Promise<ProtectionStandard[]> {
  return db
    .select({
      id: protectionStandards.id,
      effectiveFrom: protectionStandards.effectiveFrom,
      regionCode: protectionStandards.regionCode,
      orphanInstitutionMonthly: protectionStandards.orphanInstitutionMonthly,
      orphanScatteredMonthly: protectionStandards.orphanScatteredMonthly,
      deFactoUnsupportedMonthly: protectionStandards.deFactoUnsupportedMonthly,
    })
    .from(protectionStandards)
    .where(or(eq(protectionStandards.regionCode, regionCode), isNull(protectionStandards.regionCode)));
}

export async function insertProtectionStandard(tx: Executor, row: typeof protectionStandards.$inferInsert): Promise<ProtectionStandardRow> {
  return (await tx.insert(protectionStandards).values(row).returning())[0]!;
}
