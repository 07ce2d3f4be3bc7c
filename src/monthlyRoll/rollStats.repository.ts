import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { MonthlyRollTables } from '../db/schema.js';
import type { RollProgramme } from './programme.js';

// The payment figures of a programme's dashboard, summed by PostgreSQL in numeric: what was paid
// per month by fund or standard (a transfer counts in the China month its paid result was
// recorded), arrears, and the region's overpayments.

/** Per China month of the recorded result, the paid transfers' entries by the programme's split, in a year. */
export async function paidByMonth(db: Executor, programme: Pick<RollProgramme, 'tables' | 'split'>, regionCode: string, year: number) {
  const { transfers, rolls, entries } = programme.tables;
  const month = sql<string>`to_char(${transfers.resultRecordedAt} at time zone 'Asia/Shanghai', 'YYYY-MM')`;
  const column = entries[programme.split.column];
  const rows = await db
    .select({
      month,
      ...Object.fromEntries(
        Object.entries(programme.split.keys).map(([key, value]) => [`split_${key}`, sql<string>`coalesce(sum(${entries.amount}) filter (where ${column} = ${value}), 0)::numeric(14,2)::text`]),
      ),
      arrears: sql<string>`coalesce(sum(${entries.amount}) filter (where ${entries.month} < ${rolls.month}), 0)::numeric(14,2)::text`,
    })
    .from(transfers)
    .innerJoin(rolls, eq(rolls.id, transfers.rollId))
    .innerJoin(entries, and(eq(entries.rollId, transfers.rollId), eq(entries.transferNo, transfers.transferNo), isNull(entries.removedReason)))
    .where(and(eq(rolls.regionCode, regionCode), eq(transfers.status, 'paid'), sql`${month} like ${`${year}-%`}`))
    .groupBy(month)
    .orderBy(month);
  return rows.map((row) => ({
    month: row.month as string,
    split: Object.fromEntries(Object.keys(programme.split.keys).map((key) => [key, String((row as Record<string, unknown>)[`split_${key}`])])),
    arrears: row.arrears as string,
  }));
}

/**
 * Overpayments of a region: what is left to recover on open ones, what the county kept of what it
 * recovered (recovered less refunded), and what is still owed back to families.
 */
export async function overpaymentTotals(db: Executor, t: MonthlyRollTables, regionCode: string) {
  const o = t.overpayments;
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
