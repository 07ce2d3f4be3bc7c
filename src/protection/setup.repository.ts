import { asc, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { protectionCriteria, protectionRouteTables } from '../db/schema.js';
import type { CriteriaVersion } from '../domain/protectionCriteriaRule.js';
import type { RouteCondition } from '../domain/protectionRoutesRule.js';

// Criteria versions and route tables (protection.md §3, §4.4): data an admin adds, read by every
// decision that needs them.

export type CriteriaRow = typeof protectionCriteria.$inferSelect;

export function criteriaVersionOf(row: CriteriaRow): CriteriaVersion & { effectiveFrom: string; regionCode: string | null; name: string } {
  return {
    id: row.id,
    name: row.name,
    effectiveFrom: row.effectiveFrom,
    regionCode: row.regionCode,
    deFactoUnsupported: row.deFactoUnsupported as CriteriaVersion['deFactoUnsupported'],
    extremePovertyUnderAge: row.extremePovertyUnderAge,
  };
}

export async function listCriteria(db: Executor): Promise<CriteriaRow[]> {
  return db.select().from(protectionCriteria).orderBy(desc(protectionCriteria.effectiveFrom), asc(protectionCriteria.id));
}

/** The versions that may apply to a region: its own and the default's. */
export async function criteriaForRegion(db: Executor, regionCode: string) {
  const rows = await db
    .select()
    .from(protectionCriteria)
    .where(or(eq(protectionCriteria.regionCode, regionCode), isNull(protectionCriteria.regionCode)));
  return rows.map(criteriaVersionOf);
}

export async function insertCriteria(tx: Executor, row: typeof protectionCriteria.$inferInsert): Promise<CriteriaRow> {
  return (await tx.insert(protectionCriteria).values(row).returning())[0]!;
}

export type RouteTableRow = typeof protectionRouteTables.$inferSelect;

/** The region's own table and the default's. */
export async function routeTablesFor(db: Executor, regionCode: string): Promise<{ own: RouteTableRow | undefined; fallback: RouteTableRow | undefined }> {
  const rows = await db.select().from(protectionRouteTables).where(inArray(protectionRouteTables.scope, [regionCode, 'default']));
  return { own: rows.find((row) => row.scope === regionCode), fallback: rows.find((row) => row.scope === 'default') };
}

export function routeConditionsOf(row: RouteTableRow): RouteCondition[] {
  return row.routes as RouteCondition[];
}

export async function upsertRouteTable(tx: Executor, row: typeof protectionRouteTables.$inferInsert): Promise<RouteTableRow> {
  return (
    await tx
      .insert(protectionRouteTables)
      .values(row)
      .onConflictDoUpdate({ target: protectionRouteTables.scope, set: { routes: row.routes, updatedByUserId: row.updatedByUserId, updatedAt: row.updatedAt } })
      .returning()
  )[0]!;
}
