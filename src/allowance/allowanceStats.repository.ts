import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { allowanceEntries, allowanceOverpayments, allowanceRolls, allowanceTransfers, beneficiaries, beneficiaryTiers } from '../db/schema.js';

// The figures of the allowance's dashboard, summed by PostgreSQL in numeric.

/** Per China month of the recorded result, the paid transfers' entries by fund, in a year. */
export async function paidByMonth(db: Executor, regionCode: string, year: number) {
  const month = sql<string>`to_char(${allowanceTransfers.resultRecordedAt} at time zone 'Asia/Shanghai', 'YYYY-MM')`;
  return db
    .select({
      month,
      county: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.fund} = 'county'), 0)::numeric(14,2)::text`,
      hardship: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.fund} = 'hardship'), 0)::numeric(14,2)::text`,
      arrears: sql<string>`coalesce(sum(${allowanceEntries.amount}) filter (where ${allowanceEntries.month} < ${allowanceRolls.month}), 0)::numeric(14,2)::text`,
    })
    .from(allowanceTransfers)
    .innerJoin(allowanceRolls, eq(allowanceRolls.id, allowanceTransfers.rollId))
    .innerJoin(allowanceEntries, and(eq(allowanceEntries.rollId, allowanceTransfers.rollId), eq(allowanceEntries.transferNo, allowanceTransfers.transferNo), isNull(allowanceEntries.removedReason)))
    .where(and(eq(allowanceRolls.regionCode, regionCode), eq(allowanceTransfers.status, 'paid'), sql`${month} like ${`${year}-%`}`))
    .groupBy(month)
    .orderBy(month);
}

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

/**
 * Overpayments of a region: what is left to recover on open ones, what the county kept of what it
 * recovered (recovered less refunded), and what is still owed back to families.
 */
export async function overpaymentTotals(db: Executor, regionCode: string) {
  const o = allowanceOverpayments;
  const rows = await db
    .select({
      open: sql<string>`coalesce(sum(greatest(${o.amount} - (${o.recovered} - ${o.refunded}), 0)) filter (where ${o.status} in ('open', 'partially_recovered')), 0)::numeric(14,2)::text`,
      recovered: sql<string>`coalesce(sum(${o.recovered} - ${o.refunded}), 0)::numeric(14,2)::text`,
      refundDue: sql<string>`coalesce(sum(greatest(${o.recovered} - ${o.refunded} - ${o.amount}, 0)), 0)::numeric(14,2)::text`,
    })
    .from(o)
    .where(eq(o.regionCode, regionCode));
  return rows[0]!;
}
