import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { brokenAllowanceSqlInvariants } from './allowanceInvariants.js';
import { addMonths, brokenLedgerInvariants, chinaDate, guardedCall, LedgerMemory, monthIndex, monthOf, stateDigest, type Ledger, type PayabilityModel, type ProgrammeReal } from './monthlyRollProperty.js';
import type { Client, Response, TestApp } from './testApp.js';

// The care allowance under the monthly programme's property test (monthlyRollProperty.ts): its
// model (the records each child has, which months each should pay, their tiers; the rolls and the
// clock) and how its ledger is read and checked after every command. Its commands are in
// allowancePropertyCommands.ts.

export const FIRST_STANDARD_MONTH = '2000-01';
export const START = '2025-01-06';
export const END = '2026-12-28';
export { addDays, addMonths, ageOn, chinaDate, DAY_MS, latest, monthIndex, monthOf } from './monthlyRollProperty.js';

export type Tier = 'care' | 'nursing_supplement';
const MONTHLY: Record<Tier, string> = { care: '30.00', nursing_supplement: '10.00' };

/** The children of a run: one ages out within the 24 months, one was born before the scheme's first standard, one has no certificate yet. */
export const CHILDREN = [
  { name: '张小明', birthDate: '2008-03-15', certificate: true },
  { name: '李小红', birthDate: '2016-07-01', certificate: true },
  { name: '王大宝', birthDate: '1999-06-15', certificate: true },
  { name: '赵小花', birthDate: '2019-11-20', certificate: false },
];
export const COMMUNITIES = [
  { name: '朝阳社区' },
  { name: '新华村', code: '511702001001' },
  { name: '新华村', code: '511702002001' },
];

/** The county's people who act on a record: the reviewer and the two civil affairs officers (security.md §2). */
export type Officer = 'reviewer' | 'civilAffairs' | 'civilAffairs2';

export interface RecordModel {
  id: string;
  child: number;
  startMonth: string;
  lastMonth: string;
  status: 'pending' | 'active' | 'rejected' | 'exited';
  exitFromMonth: string | null;
  /** In the order recorded: for a month the latest recorded change at or before it decides. */
  tiers: { fromMonth: string; tier: Tier }[];
  /** Who enrolled it: another civil affairs officer approves it. */
  enrolledBy: Officer;
  /** Who asked for the change of account waiting for a second person, if one waits. */
  pendingAccountBy: Officer | null;
}

export interface RollModel {
  id: string;
  month: string;
  status: 'draft' | 'published' | 'issued' | 'settled' | 'cancelled';
  noticeTo: string | null;
}

export class AllowanceModel implements PayabilityModel {
  now = new Date(`${START}T10:00:00+08:00`);
  children: { id: string; idNumber: string; birthDate: string; certificate: boolean; certificateIssuedOn: string | null }[] = [];
  records: RecordModel[] = [];
  rolls: RollModel[] = [];

  today(): string {
    return chinaDate(this.now);
  }
  currentMonth(): string {
    return this.today().slice(0, 7);
  }
  record(id: string): RecordModel {
    return this.records.find((record) => record.id === id)!;
  }
  latestRecordOf(child: number): RecordModel | undefined {
    return this.records.filter((record) => record.child === child).at(-1);
  }
  childOf(recordId: string): string {
    return this.children[this.record(recordId).child]!.id;
  }
  approvedRecordIds(): string[] {
    return this.records.filter((record) => record.status === 'active' || record.status === 'exited').map((record) => record.id);
  }
  /** What the spec says a record pays: its span from the later of its start and the first standard, before its exit. */
  payableMonths(recordId: string, throughMonth: string): ReadonlySet<string> {
    const record = this.record(recordId);
    const months = new Set<string>();
    if (!record || (record.status !== 'active' && record.status !== 'exited')) return months;
    let last = record.lastMonth < throughMonth ? record.lastMonth : throughMonth;
    if (record.exitFromMonth && addMonths(record.exitFromMonth, -1) < last) last = addMonths(record.exitFromMonth, -1);
    const first = record.startMonth > FIRST_STANDARD_MONTH ? record.startMonth : FIRST_STANDARD_MONTH;
    for (let index = monthIndex(first); index <= monthIndex(last); index++) months.add(monthOf(index));
    return months;
  }
  amountOf(recordId: string, month: string): string {
    return MONTHLY[this.tierFor(recordId, month)];
  }
  tierFor(recordId: string, month: string): Tier {
    let tier: Tier | undefined;
    for (const change of this.record(recordId).tiers) if (change.fromMonth <= month) tier = change.tier;
    return tier!;
  }
  /** active, ended (derived from the date), or as stored. */
  statusOf(record: RecordModel): string {
    return record.status === 'active' && this.currentMonth() > record.lastMonth ? 'ended' : record.status;
  }
  latestRoll(statuses: RollModel['status'][]): RollModel | undefined {
    return this.rolls.filter((roll) => statuses.includes(roll.status)).at(-1);
  }
}

export class AllowanceReal implements ProgrammeReal<AllowanceModel> {
  private readonly memory = new LedgerMemory();
  constructor(
    readonly test: TestApp,
    readonly regionCode: string,
    readonly reviewer: Client,
    readonly civilAffairs: Client,
    readonly civilAffairs2: Client,
    readonly finance: Client,
  ) {}

  officer(who: Officer): Client {
    return this[who];
  }

  /** The county's rows, for the "a refused request changes nothing" digest. */
  private digest = () => {
    const region = `'${this.regionCode}'`;
    const ofRecords = (table: string) => `select x::text from ${table} x join beneficiaries b on b.id = x.beneficiary_id where b.region_code = ${region}`;
    const ofRolls = (table: string) => `select x::text from ${table} x join allowance_rolls r on r.id = x.roll_id where r.region_code = ${region}`;
    return stateDigest(this.test.db, [
      `select x::text from children x where region_code = ${region}`,
      `select x::text from beneficiaries x where region_code = ${region}`,
      ofRecords('beneficiary_holds'),
      ofRecords('beneficiary_tiers'),
      ofRecords('beneficiary_account_changes'),
      `select x::text from allowance_rolls x where region_code = ${region}`,
      ofRolls('allowance_transfers'),
      ofRolls('allowance_entries'),
      ofRolls('allowance_objections'),
      `select x::text from allowance_overpayments x where region_code = ${region}`,
      `select x::text from allowance_waivers x join allowance_overpayments o on o.id = x.overpayment_id where o.region_code = ${region}`,
      ofRolls('allowance_overpayment_entries'),
    ]);
  };

  call(as: Client, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown): Promise<Response> {
    return guardedCall(this.digest, as, method, `/api/v1${url}`, body);
  }

  setClock(model: AllowanceModel) {
    this.test.clock.set(model.now.toISOString());
  }

  private async rows<T>(text: string): Promise<T[]> {
    const result = (await this.test.db.execute(sql.raw(text))) as unknown as { rows?: T[] } & T[];
    return result.rows ?? result;
  }

  /** Every invariant after a command: the shared SQL rules, the ledger's, and the model's view of each record. */
  async checkInvariants(model: AllowanceModel): Promise<void> {
    expect(await brokenAllowanceSqlInvariants((text) => this.rows(text), { regionCode: this.regionCode })).toEqual({});
    const region = `'${this.regionCode}'`;
    const entries = await this.rows<{ beneficiary_id: string; child_id: string; month: string; roll_id: string; roll_month: string; roll_status: string; tier: Tier; amount: string; recovering: boolean }>(`
      select e.beneficiary_id, e.child_id, e.month, e.roll_id, r.month as roll_month, r.status as roll_status, e.tier, e.amount::text as amount,
        exists (select 1 from allowance_overpayment_entries x where x.live and x.roll_id = e.roll_id and x.transfer_no = e.transfer_no and x.month = e.month) as recovering
      from allowance_entries e join allowance_rolls r on r.id = e.roll_id where e.live and r.region_code = ${region}`);
    const transfers = await this.rows<{ roll_id: string; amount: string; entry_total: string }>(`
      select t.roll_id, t.amount::text as amount,
        (select coalesce(sum(e.amount), 0) from allowance_entries e where e.roll_id = t.roll_id and e.transfer_no = t.transfer_no and e.removed_reason is null)::numeric(14,2)::text as entry_total
      from allowance_transfers t join allowance_rolls r on r.id = t.roll_id where r.region_code = ${region} and t.status <> 'removed'`);
    const listed = await this.call(this.civilAffairs, 'GET', '/allowance/rolls?limit=500');
    expect(listed.status).toBe(200);
    const dueMonths = new Map<string, Set<string>>();
    for (const id of model.approvedRecordIds()) {
      const record = model.record(id);
      const detail = await this.call(this.civilAffairs, 'GET', `/allowance/beneficiaries/${id}`);
      expect(detail.status).toBe(200);
      const view = detail.body as { status: string; startMonth: string; lastMonth: string; holds: { reason: string }[]; months: { month: string; status: string }[] };
      expect({ status: view.status, startMonth: view.startMonth, lastMonth: view.lastMonth }, `record ${id}`).toEqual({
        status: model.statusOf(record),
        startMonth: record.startMonth,
        lastMonth: record.lastMonth,
      });
      const covered = view.months.filter((month) => month.status !== 'not_covered').map((month) => month.month);
      expect(covered, `record ${id}: the months of its view are its payable months`).toEqual([...model.payableMonths(id, model.currentMonth())]);
      expect(view.months.filter((month) => month.status === 'not_covered').every((month) => month.month < FIRST_STANDARD_MONTH)).toBe(true);
      const held = view.months.some((month) => month.status === 'held');
      const waiting = view.months.some((month) => month.status === 'due' || month.status === 'held');
      expect({ held, due: view.months.some((month) => month.status === 'due') && held }, `record ${id}: held months follow its holds ${JSON.stringify(view.holds)}`).toEqual({
        held: view.holds.length > 0 && waiting,
        due: false,
      });
      if (record.status === 'exited') expect(view.holds.map((hold) => hold.reason)).not.toContain('review_overdue');
      dueMonths.set(id, new Set(view.months.filter((month) => month.status === 'due' || month.status === 'held').map((month) => month.month)));
    }
    for (const entry of entries) {
      const tier = model.tierFor(entry.beneficiary_id, entry.month);
      expect([entry.tier, entry.amount], `entry ${entry.beneficiary_id} ${entry.month}: the tier in force then, at its standard`).toEqual([tier, MONTHLY[tier]]);
    }
    const ledger: Ledger = {
      liveEntries: entries.map((entry) => ({
        recordId: entry.beneficiary_id,
        childId: entry.child_id,
        month: entry.month,
        rollId: entry.roll_id,
        rollMonth: entry.roll_month,
        rollState: entry.roll_status === 'draft' || entry.roll_status === 'published' ? 'open' : 'sent',
        recovering: entry.recovering,
        amount: entry.amount,
      })),
      rolls: (listed.body.items as { id: string; status: string; total: string }[])
        .filter((roll) => roll.status !== 'cancelled')
        .map((roll) => ({ id: roll.id, sent: roll.status === 'issued' || roll.status === 'settled', total: roll.total, transfers: transfers.filter((transfer) => transfer.roll_id === roll.id).map((transfer) => ({ amount: transfer.amount, entryTotal: transfer.entry_total })) })),
      dueMonths,
    };
    expect(brokenLedgerInvariants(ledger, model, this.memory)).toEqual([]);
  }
}

