import { getTableName } from 'drizzle-orm';
import type { MonthlyRollTables } from '../../src/db/schema.js';

// The invariants of the monthly-roll kit (src/monthlyRoll/) as SQL over one programme's tables (the
// care allowance's allowance_*, the basic-living allowance's basic_living_*): they depend only on
// the tables' shape, so every programme on the kit is checked by the same rules. Each query returns
// the rows that break it (an empty result is a pass). `auditRoll` is the programme's audit name of a
// roll (`roll`, `protection_roll`).

export function monthlyRollInvariants(t: MonthlyRollTables, auditRoll: string): Record<string, string> {
  const rolls = getTableName(t.rolls);
  const transfers = getTableName(t.transfers);
  const entries = getTableName(t.entries);
  const overpayments = getTableName(t.overpayments);
  const overpaymentEntries = getTableName(t.overpaymentEntries);
  const recoveries = getTableName(t.recoveries);
  const refunds = getTableName(t.refunds);
  const payee = t.entries.payeeId.name;
  return {
    // No month of a child is in two live entries, across all of its records.
    monthInTwoLiveEntries: `select child_id, month from ${entries} where live group by child_id, month having count(*) > 1`,
    // An entry is live exactly while its roll is not cancelled, it was not taken off and its transfer did not fail.
    liveness: `
      select e.roll_id, e.${payee}, e.month from ${entries} e
      join ${rolls} r on r.id = e.roll_id
      join ${transfers} t on t.roll_id = e.roll_id and t.transfer_no = e.transfer_no
      where e.live <> (r.status <> 'cancelled' and e.removed_reason is null and t.status <> 'failed')`,
    // Every transfer is the sum of its entries; every issued roll's total is the sum of its entries and of its transfers.
    transferTotals: `
      select t.roll_id, t.transfer_no from ${transfers} t
      left join ${entries} e on e.roll_id = t.roll_id and e.transfer_no = t.transfer_no and e.removed_reason is null
      where t.status <> 'removed'
      group by t.roll_id, t.transfer_no, t.amount having t.amount <> coalesce(sum(e.amount), 0)`,
    // An entry belongs to its payee's transfer.
    entryOfAnotherPayee: `
      select e.roll_id, e.transfer_no, e.month from ${entries} e join ${transfers} t on t.roll_id = e.roll_id and t.transfer_no = e.transfer_no
      where t.${payee} <> e.${payee}`,
    issuedRollTotals: `
      select r.id from ${rolls} r where r.status in ('issued', 'settled') and (
        r.issued_total <> (select coalesce(sum(amount), 0) from ${entries} e where e.roll_id = r.id and e.removed_reason is null)
        or r.issued_total <> (select coalesce(sum(amount), 0) from ${transfers} t where t.roll_id = r.id and t.status <> 'removed'))`,
    resultWithoutIssuedRoll: `
      select t.roll_id, t.transfer_no from ${transfers} t join ${rolls} r on r.id = t.roll_id
      where t.status in ('paid', 'failed') and (r.status not in ('issued', 'settled') or t.result_recorded_at is null)`,
    settledWithPending: `
      select r.id from ${rolls} r where (r.status = 'settled') = exists (select 1 from ${transfers} t where t.roll_id = r.id and t.status = 'pending')
        and r.status in ('issued', 'settled')`,
    // An overpayment is the sum of its live entries; its status follows from its figures.
    overpaymentAmounts: `
      select o.id from ${overpayments} o where o.amount <> (select coalesce(sum(amount), 0) from ${overpaymentEntries} x where x.overpayment_id = o.id and x.live)`,
    overpaymentStatus: `
      select o.id, o.status from ${overpayments} o where
        (o.status = 'refund_due') <> (o.recovered - o.refunded > o.amount)
        or (o.status = 'cancelled' and (o.amount <> 0 or o.recovered <> 0))
        or (o.status = 'refunded' and (o.refunded = 0 or o.recovered - o.refunded <> o.amount))
        or (o.status = 'recovered' and o.recovered - o.refunded <> o.amount)
        or (o.status = 'open' and o.recovered <> 0)
        or (o.status = 'partially_recovered' and (o.recovered = 0 or o.recovered >= o.amount))
        or o.recovered <> (select coalesce(sum(amount), 0) from ${recoveries} v where v.overpayment_id = o.id)
        or o.refunded <> (select coalesce(sum(amount), 0) from ${refunds} f where f.overpayment_id = o.id)`,
    // Every state a roll reached was audited in the same transaction.
    missingRollAudit: `
      select 'roll' as kind, r.id from ${rolls} r where not exists (select 1 from audit_events a where a.entity_id = r.id and a.action = '${auditRoll}.created')
      union all select 'issue', r.id from ${rolls} r where r.status in ('issued', 'settled') and not exists (select 1 from audit_events a where a.entity_id = r.id and a.action = '${auditRoll}.issued')
      union all select 'settle', r.id from ${rolls} r where r.status = 'settled' and not exists (select 1 from audit_events a where a.entity_id = r.id and a.action = '${auditRoll}.settled')
      union all select 'cancel', r.id from ${rolls} r where r.status = 'cancelled' and not exists (select 1 from audit_events a where a.entity_id = r.id and a.action = '${auditRoll}.cancelled')`,
  };
}

/** Runs every rule of `invariants` with the caller's driver; the broken ones with their rows. */
export async function brokenSqlInvariants(invariants: Record<string, string>, query: (text: string) => Promise<readonly unknown[]>): Promise<Record<string, readonly unknown[]>> {
  const broken: Record<string, readonly unknown[]> = {};
  for (const [name, text] of Object.entries(invariants)) {
    const rows = await query(text);
    if (rows.length > 0) broken[name] = rows;
  }
  return broken;
}
