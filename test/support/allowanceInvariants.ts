import { allowanceRollTables } from '../../src/db/schema.js';
import { brokenSqlInvariants, monthlyRollInvariants } from './monthlyRollInvariants.js';

// The care allowance's invariants as SQL (the roll kit's rules over its tables, and its own), each
// query returning the rows that break it (an empty result is a pass). Plain SQL text, so that the crash suite (postgres.js against the service's
// PostgreSQL) and the property test (drizzle on PGlite or PostgreSQL) check the same rules.

export const ALLOWANCE_INVARIANTS: Record<string, string> = {
  ...monthlyRollInvariants(allowanceRollTables, 'roll'),
  // Nothing is paid for a month that is not payable: outside the record's span, after its exit, after
  // the roll's month, or before any standard was in force. A sent entry for a month an exit made
  // unpayable is being recovered: it is in a live entry of an overpayment.
  entryOutsideSpan: `
    select e.roll_id, e.beneficiary_id, e.month from allowance_entries e
    join allowance_rolls r on r.id = e.roll_id join beneficiaries b on b.id = e.beneficiary_id
    where e.live and (e.month < b.start_month or e.month > b.last_month or e.month > r.month)`,
  entryAfterExit: `
    select e.roll_id, e.beneficiary_id, e.month from allowance_entries e
    join allowance_rolls r on r.id = e.roll_id join beneficiaries b on b.id = e.beneficiary_id
    where e.live and b.exit_from_month is not null and e.month >= b.exit_from_month
      and (r.status in ('draft', 'published') or not (
        exists (select 1 from allowance_overpayment_entries x where x.live and x.roll_id = e.roll_id and x.transfer_no = e.transfer_no and x.month = e.month)
        or exists (select 1 from beneficiaries later where later.child_id = e.child_id and later.id <> b.id and later.status in ('active', 'exited')
          and e.month >= later.start_month and e.month <= later.last_month and (later.exit_from_month is null or e.month < later.exit_from_month))))`,
  // Nothing is recovered for a month a record of the child makes payable (a re-enrolment from the exit month).
  recoveredWhileOwed: `
    select x.overpayment_id, x.month from allowance_overpayment_entries x
    join allowance_entries e on e.roll_id = x.roll_id and e.transfer_no = x.transfer_no and e.month = x.month
    join beneficiaries b on b.child_id = e.child_id and b.status in ('active', 'exited')
    where x.live and x.month >= b.start_month and x.month <= b.last_month and (b.exit_from_month is null or x.month < b.exit_from_month)`,
  entryNotCovered: `
    select e.roll_id, e.month from allowance_entries e join allowance_rolls r on r.id = e.roll_id
    where e.live and not exists (select 1 from allowance_standards s where s.effective_from <= e.month and (s.region_code is null or s.region_code = r.region_code))`,
  // One record pays a month: a record made after an earlier record of the child exited starts no earlier than that exit.
  recordsOverlap: `
    select later.id from beneficiaries later join beneficiaries earlier on earlier.child_id = later.child_id and earlier.id <> later.id
    where earlier.status = 'exited' and earlier.id < later.id and later.status in ('pending', 'active', 'exited')
      and later.start_month < earlier.exit_from_month`,
  // A held beneficiary has no live entry in a draft or published roll.
  heldInOpenRoll: `
    select h.beneficiary_id from beneficiary_holds h join allowance_entries e on e.beneficiary_id = h.beneficiary_id and e.live
    join allowance_rolls r on r.id = e.roll_id and r.status in ('draft', 'published')
    where h.released_at is null`,
  exitedMonthInOpenRoll: `
    select b.id from beneficiaries b join allowance_entries e on e.beneficiary_id = b.id and e.live and e.month >= b.exit_from_month
    join allowance_rolls r on r.id = e.roll_id and r.status in ('draft', 'published') where b.status = 'exited'`,
  // An exit ends the manual and objection holds placed before it (ids are UUIDv7: creation order).
  holdOutlivingExit: `
    select h.id from beneficiary_holds h join audit_events a on a.entity_id = h.beneficiary_id and a.action = 'beneficiary.exited'
    where h.released_at is null and h.reason in ('manual', 'objection') and h.id < a.id`,
  // Open rolls pay the account the record has now (a change of account reaches them). The sealed
  // number is copied as it is (src/allowance/allowanceAccounts.ts), so the sealed texts are equal
  // (a key rotation, which seals each again, is not run in the tests that check this).
  openTransferAccount: `
    select t.roll_id, t.transfer_no from allowance_transfers t join allowance_rolls r on r.id = t.roll_id join beneficiaries b on b.id = t.beneficiary_id
    where r.status in ('draft', 'published') and t.status <> 'removed'
      and (t.account_number_sealed is distinct from b.account_number_sealed or t.account_name <> b.account_name or t.bank <> b.bank)`,
  // Tier history is kept: one row at enrolment and one per recorded change.
  tierHistory: `
    select b.id from beneficiaries b where (select count(*) from beneficiary_tiers t where t.beneficiary_id = b.id)
      <> 1 + (select count(*) from audit_events a where a.entity_id = b.id and a.action = 'beneficiary.tier_changed')`,
  missingAllowanceAudit: `
    select 'exit' as kind, b.id from beneficiaries b where b.status = 'exited' and not exists (select 1 from audit_events a where a.entity_id = b.id and a.action = 'beneficiary.exited')
    union all select 'reduced', o.id from allowance_overpayments o
      where o.amount < (select sum(amount) from allowance_overpayment_entries x where x.overpayment_id = o.id)
        and not exists (select 1 from audit_events a where a.entity_id = o.id and a.action = 'overpayment.reduced')
    union all select 'refund', f.id from allowance_refunds f
      where (select count(*) from allowance_refunds g where g.overpayment_id = f.overpayment_id)
        > (select count(*) from audit_events a where a.entity_id = f.overpayment_id and a.action = 'overpayment.refunded')`,
};

/**
 * The rules read only one region's rows when a region is given: each table the rules name is
 * shadowed by a common table expression of that region's rows (a WITH name hides a table of the
 * same name). The property test runs many counties on one database; a county's broken rule must
 * not be blamed on the next.
 */
function inRegion(text: string, regionCode: string): string {
  if (!/^\d{6}$/.test(regionCode)) throw new Error(`not a region code: ${regionCode}`);
  const region = `'${regionCode}'`;
  return `with beneficiaries as (select * from public.beneficiaries where region_code = ${region}),
    allowance_rolls as (select * from public.allowance_rolls where region_code = ${region}),
    allowance_overpayments as (select * from public.allowance_overpayments where region_code = ${region}),
    allowance_entries as (select * from public.allowance_entries where roll_id in (select id from allowance_rolls)),
    allowance_transfers as (select * from public.allowance_transfers where roll_id in (select id from allowance_rolls)),
    beneficiary_holds as (select * from public.beneficiary_holds where beneficiary_id in (select id from beneficiaries)),
    beneficiary_tiers as (select * from public.beneficiary_tiers where beneficiary_id in (select id from beneficiaries)),
    allowance_overpayment_entries as (select * from public.allowance_overpayment_entries where overpayment_id in (select id from allowance_overpayments)),
    allowance_recoveries as (select * from public.allowance_recoveries where overpayment_id in (select id from allowance_overpayments)),
    allowance_refunds as (select * from public.allowance_refunds where overpayment_id in (select id from allowance_overpayments)),
    audit_events as (select * from public.audit_events where region_code = ${region})
    ${text}`;
}

/** Runs every invariant with the caller's driver (of one region when given); the broken ones with their rows. */
export async function brokenAllowanceSqlInvariants(query: (text: string) => Promise<readonly unknown[]>, options: { regionCode?: string } = {}): Promise<Record<string, readonly unknown[]>> {
  return brokenSqlInvariants(ALLOWANCE_INVARIANTS, (text) => query(options.regionCode ? inRegion(text, options.regionCode) : text));
}
