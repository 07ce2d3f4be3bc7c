import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { RequiredEvidence } from '../domain/evidence.js';
import type { Executor } from '../db/client.js';
import { preparedStatement } from '../db/prepared.js';
import { regionBudgets, regionSettings } from '../db/schema.js';

export type RegionSettingsRow = typeof regionSettings.$inferSelect;

export async function findRegionSettings(db: Executor, regionCode: string): Promise<RegionSettingsRow | undefined> {
  const rows = await db.select().from(regionSettings).where(eq(regionSettings.regionCode, regionCode)).limit(1);
  return rows[0];
}

// Read for every claim answered (its review deadline): built once (src/db/prepared.ts).
const reviewWorkingDays = preparedStatement<Record<string, never>, { regionCode: string; days: number | null }[]>((db) =>
  db
    .select({ regionCode: regionSettings.regionCode, days: regionSettings.reviewWorkingDays })
    .from(regionSettings)
    .where(isNotNull(regionSettings.reviewWorkingDays))
    .prepare('review_working_days'),
);

/** The regions that set their own number of review working days (a county each: a few rows). */
export async function reviewWorkingDaysByRegion(db: Executor): Promise<Map<string, number>> {
  const rows = await reviewWorkingDays(db, {});
  return new Map(rows.map((row) => [row.regionCode, row.days!]));
}

/** Writes a region's settings (creating the row the first time) and returns them. */
export async function upsertRegionSettings(db: Executor, row: typeof regionSettings.$inferInsert): Promise<RegionSettingsRow> {
  const rows = await db
    .insert(regionSettings)
    .values(row)
    .onConflictDoUpdate({
      target: regionSettings.regionCode,
      set: {
        reviewWorkingDays: row.reviewWorkingDays,
        supervisionPhone: row.supervisionPhone,
        townshipCheckWorkingDays: row.townshipCheckWorkingDays,
        protectionNoticeWorkingDays: row.protectionNoticeWorkingDays,
        countyReviewWorkingDays: row.countyReviewWorkingDays,
        protectionNoNoticeCategories: row.protectionNoNoticeCategories,
        protectionCoverFrom: row.protectionCoverFrom,
        visitCadenceMonths: row.visitCadenceMonths,
        reportAcknowledgeHours: row.reportAcknowledgeHours,
        requiredEvidence: row.requiredEvidence,
        authorities: row.authorities,
        updatedByUserId: row.updatedByUserId,
        updatedAt: row.updatedAt,
      },
    })
    .returning();
  return rows[0]!;
}

// Read for every claim answered while it waits for review (its evidence still missing).
const requiredEvidenceStatement = preparedStatement<{ regions: string[] }, { regionCode: string; required: unknown }[]>((db) =>
  db
    .select({ regionCode: regionSettings.regionCode, required: regionSettings.requiredEvidence })
    .from(regionSettings)
    .where(and(sql`${regionSettings.regionCode} = any(${sql.placeholder('regions')})`, isNotNull(regionSettings.requiredEvidence)))
    .prepare('required_evidence_of_regions'),
);

/** The evidence each service needs, for the regions that set any (api.md `requiredEvidence`). */
export async function requiredEvidenceOfRegions(db: Executor, regionCodes: string[]): Promise<Map<string, RequiredEvidence>> {
  if (regionCodes.length === 0) return new Map();
  const rows = await requiredEvidenceStatement(db, { regions: [...new Set(regionCodes)] });
  return new Map(rows.map((row) => [row.regionCode, row.required as RequiredEvidence]));
}

export type RegionBudgetRow = typeof regionBudgets.$inferSelect;

export async function findBudget(db: Executor, regionCode: string, year: number): Promise<RegionBudgetRow | undefined> {
  const rows = await db.select().from(regionBudgets).where(and(eq(regionBudgets.regionCode, regionCode), eq(regionBudgets.year, year))).limit(1);
  return rows[0];
}

export async function upsertBudget(db: Executor, row: typeof regionBudgets.$inferInsert): Promise<RegionBudgetRow> {
  const rows = await db
    .insert(regionBudgets)
    .values(row)
    .onConflictDoUpdate({
      target: [regionBudgets.regionCode, regionBudgets.year],
      set: {
        rehabilitation: row.rehabilitation,
        allowanceCounty: row.allowanceCounty,
        allowanceHardship: row.allowanceHardship,
        protectionBasicLiving: row.protectionBasicLiving,
        updatedByUserId: row.updatedByUserId,
        updatedAt: row.updatedAt,
      },
    })
    .returning();
  return rows[0]!;
}
