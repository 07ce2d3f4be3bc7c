import type { Executor } from '../db/client.js';
import type { MonthlyRollTables } from '../db/schema.js';
import { formatMoney, money } from '../domain/money.js';
import { overpaymentTotals } from './rollStats.repository.js';

// What every programme's dashboard shows of its rolls beside its own figures: who a roll of this
// month would hold, by reason, and the region's overpayments.

export function heldCountsByReason(held: readonly { reason: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of held) counts[item.reason] = (counts[item.reason] ?? 0) + 1;
  return counts;
}

export async function overpaymentFigures(db: Executor, t: MonthlyRollTables, regionCode: string) {
  const totals = await overpaymentTotals(db, t, regionCode);
  return { open: formatMoney(money(totals.open)), recovered: formatMoney(money(totals.recovered)), refundDue: formatMoney(money(totals.refundDue)) };
}
