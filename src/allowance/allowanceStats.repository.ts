import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { beneficiaries, beneficiaryTiers } from '../db/schema.js';

// The allowance's own figures of its dashboard (the payments' are the monthly-roll kit's,
// src/monthlyRoll/rollStats.repository.ts), summed by PostgreSQL in numeric.

/**
 * Active beneficiaries of a region counted by the tier in force in `month`: approved records whose
 * span holds the month (an ended record is not active), each by its latest recorded tier change
 * at or before the month.
 */
export async function activeByTier(db: Executor, regionCode: string, month: string): Promise<{ tier: string; count: number }[]> {
  // The month is bound once, in a subquery, so that the grouped expression has no parameter of its own.
  const rows = await db.execute(sql`
    select tier, count(*)::int as count from (
      select (select t.tier from ${beneficiaryTiers} t where t.beneficiary_id = b.id and t.from_month <= the.month
              order by t.seq desc limit 1) as tier
      from ${beneficiaries} b, (select ${month}::text as month) the
      where b.region_code = ${regionCode} and b.status = 'active' and b.start_month <= the.month and b.last_month >= the.month
    ) tiers group by tier`);
  const list = ((rows as unknown as { rows?: unknown[] }).rows ?? (rows as unknown as unknown[])) as { tier: string; count: number }[];
  return list.map((row) => ({ tier: row.tier, count: Number(row.count) }));
}
