import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { fieldCipher } from '../../src/keys/fieldCipher.js';
import { paymentMonthsOfChild } from '../../src/protection/childPayments.js';
import {
  addMonths,
  brokenLedgerInvariants,
  chinaDate,
  guardedCall,
  LedgerMemory,
  monthIndex,
  monthOf,
  stateDigest,
  type Ledger,
  type PayabilityModel,
  type ProgrammeReal,
} from './monthlyRollProperty.js';
import type { Client, Response, TestApp } from './testApp.js';

// The basic-living allowance of children in difficulty (基本生活费, protection.md §8) under the
// monthly programme's property test (monthlyRollProperty.ts): its model (each recognised case's
// cover, living arrangement, exit and holds; which months it should be paid and at what amount
// under the seeded standard 1000.00 / 600.00 / 600.00; the rolls and the clock) and how its ledger
// is read and checked after every command. Its commands are in basicLivingPropertyCommands.ts.

export const START = '2025-06-09';
export const END = '2027-03-28';

/** The seeded default standard (national minimums, from 2019-01). */
const MONTHLY = { orphanInstitution: '1000.00', orphanScattered: '600.00', deFactoUnsupported: '600.00' } as const;
const TIERS = { orphanInstitution: 'orphan_institution', orphanScattered: 'orphan_scattered', deFactoUnsupported: 'de_facto_unsupported' } as const;
type StandardKind = keyof typeof MONTHLY;

export type Category = 'orphan' | 'de_facto_unsupported';
export type Living = 'scattered' | 'institution';

/** Birth dates of the children a run recognises: one turns 18 within the run's months. */
export const BIRTH_DATES = ['2008-11-20', '2012-05-01', '2016-07-01'];

/** The two civil affairs officers (security.md §2): 民政甲 builds and asks, 民政乙 issues and confirms. */
export type Officer = 'civilAffairs' | 'civilAffairs2';

export interface CaseModel {
  id: string;
  childId: string;
  category: Category;
  birthDate: string;
  coverFrom: string;
  lastMonth: string;
  /** As stored: recognised (read `ended` after lastMonth) or exited. */
  status: 'recognised' | 'exited';
  exitFromMonth: string | null;
  /** Living arrangement from a month on; one row per month, the latest recorded for a month replacing it. */
  living: { fromMonth: string; livingArrangement: Living }[];
  manualHold: boolean;
  bankFailure: boolean;
  lastVerifiedOn: string;
}

export interface RollModel {
  id: string;
  month: string;
  status: 'draft' | 'issued' | 'settled' | 'cancelled';
}

export class BasicLivingModel implements PayabilityModel {
  now = new Date(`${START}T10:00:00+08:00`);
  cases: CaseModel[] = [];
  rolls: RollModel[] = [];

  today(): string {
    return chinaDate(this.now);
  }
  currentMonth(): string {
    return this.today().slice(0, 7);
  }
  case(id: string): CaseModel {
    return this.cases.find((found) => found.id === id)!;
  }
  approvedRecordIds(): string[] {
    return this.cases.map((found) => found.id);
  }
  childOf(caseId: string): string {
    return this.case(caseId).childId;
  }
  /** §8 read with allowance.md: coverFrom … min(lastMonth, exit's fromMonth − 1, throughMonth); every month of an orphan or a de facto unsupported child is payable. */
  payableMonths(caseId: string, throughMonth: string): ReadonlySet<string> {
    const found = this.case(caseId);
    let last = found.lastMonth < throughMonth ? found.lastMonth : throughMonth;
    if (found.exitFromMonth !== null && addMonths(found.exitFromMonth, -1) < last) last = addMonths(found.exitFromMonth, -1);
    const months = new Set<string>();
    for (let index = monthIndex(found.coverFrom); index <= monthIndex(last); index++) months.add(monthOf(index));
    return months;
  }
  livingIn(caseId: string, month: string): Living {
    let best: { fromMonth: string; livingArrangement: Living } | undefined;
    for (const row of this.case(caseId).living) if (row.fromMonth <= month && (!best || row.fromMonth > best.fromMonth)) best = row;
    return best!.livingArrangement;
  }
  /** The standard a month is paid at: an orphan's by that month's living arrangement, the de facto unsupported child's own. */
  kindOf(caseId: string, month: string): StandardKind {
    if (this.case(caseId).category === 'de_facto_unsupported') return 'deFactoUnsupported';
    return this.livingIn(caseId, month) === 'institution' ? 'orphanInstitution' : 'orphanScattered';
  }
  amountOf(caseId: string, month: string): string {
    return MONTHLY[this.kindOf(caseId, month)];
  }
  tierOf(caseId: string, month: string): string {
    return TIERS[this.kindOf(caseId, month)];
  }
  /** Why a roll of `rollMonth` holds the case, in §8 item 4's order (an exit settles what a review would check); null when it pays it. */
  holdReason(caseId: string, rollMonth: string): string | null {
    const found = this.case(caseId);
    if (found.bankFailure) return 'bank_failure';
    if (found.manualHold) return 'manual';
    if (found.exitFromMonth === null && found.lastVerifiedOn < `${addMonths(rollMonth, -12)}-01`) return 'review_overdue';
    return null;
  }
  /** recognised, ended (derived from the date), or exited. */
  statusOf(found: CaseModel): string {
    return found.status === 'recognised' && this.currentMonth() > found.lastMonth ? 'ended' : found.status;
  }
  latestRoll(statuses: RollModel['status'][]): RollModel | undefined {
    return this.rolls.filter((roll) => statuses.includes(roll.status)).at(-1);
  }
  latestRollMonth(): string | null {
    const months = this.rolls.filter((roll) => roll.status !== 'cancelled').map((roll) => roll.month);
    return months.length === 0 ? null : months.reduce((max, month) => (month > max ? month : max));
  }
}

interface LiveEntryRow {
  case_id: string;
  child_id: string;
  month: string;
  roll_id: string;
  roll_month: string;
  roll_status: string;
  tier: string;
  amount: string;
  transfer_status: string;
  recovering: boolean;
}

export class BasicLivingReal implements ProgrammeReal<BasicLivingModel> {
  private readonly memory = new LedgerMemory();
  constructor(
    readonly test: TestApp,
    readonly regionCode: string,
    readonly township: Client,
    readonly civilAffairs: Client,
    readonly civilAffairs2: Client,
    readonly finance: Client,
  ) {}

  get villageCode(): string {
    return `${this.regionCode}001001`;
  }
  officer(who: Officer): Client {
    return this[who];
  }

  /** The county's rows, for the "a refused request changes nothing" digest. */
  private digest = () => {
    const region = `'${this.regionCode}'`;
    const ofCases = (table: string) => `select x::text from ${table} x join protection_cases c on c.id = x.case_id where c.region_code = ${region}`;
    const ofRolls = (table: string) => `select x::text from ${table} x join basic_living_rolls r on r.id = x.roll_id where r.region_code = ${region}`;
    return stateDigest(this.test.db, [
      `select x::text from children x where region_code = ${region}`,
      `select x::text from protection_cases x where region_code = ${region}`,
      ofCases('protection_case_holds'),
      ofCases('protection_case_living'),
      ofCases('protection_case_categories'),
      `select x::text from basic_living_rolls x where region_code = ${region}`,
      ofRolls('basic_living_transfers'),
      ofRolls('basic_living_entries'),
      `select x::text from basic_living_overpayments x where region_code = ${region}`,
      ofRolls('basic_living_overpayment_entries'),
    ]);
  };

  call(as: Client, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown): Promise<Response> {
    return guardedCall(this.digest, as, method, `/api/v1${url}`, body);
  }

  setClock(model: BasicLivingModel) {
    this.test.clock.set(model.now.toISOString());
  }

  async rows<T>(text: string): Promise<T[]> {
    const result = (await this.test.db.execute(sql.raw(text))) as unknown as { rows?: T[] } & T[];
    return result.rows ?? result;
  }

  /** The months of a case in live entries (of any roll of the region). */
  async liveMonthsOf(caseId: string): Promise<string[]> {
    if (!/^[0-9a-f-]{36}$/.test(caseId)) throw new Error(`not a case id: ${caseId}`);
    return (await this.rows<{ month: string }>(`select month from basic_living_entries where live and case_id = '${caseId}' order by month`)).map((row) => row.month);
  }

  private liveEntries(): Promise<LiveEntryRow[]> {
    return this.rows<LiveEntryRow>(`
      select e.case_id, e.child_id, e.month, e.roll_id, r.month as roll_month, r.status as roll_status, e.tier, e.amount::text as amount, t.status as transfer_status,
        exists (select 1 from basic_living_overpayment_entries x where x.live and x.roll_id = e.roll_id and x.transfer_no = e.transfer_no and x.month = e.month) as recovering
      from basic_living_entries e join basic_living_rolls r on r.id = e.roll_id
      join basic_living_transfers t on t.roll_id = e.roll_id and t.transfer_no = e.transfer_no
      where e.live and r.region_code = '${this.regionCode}'`);
  }

  /**
   * The child's payments month by month as its file shows them (protection.md §7), read with the
   * file's own function rather than over HTTP: the whole file after every command would cost the run
   * most of its time (the file's answer is tested in protection-rolls*.test.ts).
   */
  paymentsOf(childId: string): Promise<{ month: string; amount: string; status: string; rollNumber: string | null }[]> {
    return paymentMonthsOfChild(this.test.db, this.cipher, { id: childId, regionCode: this.regionCode }, chinaDate(this.test.clock.now()).slice(0, 7));
  }
  private get cipher() {
    return fieldCipher(this.test.keyring);
  }

  /** Every invariant after a command: the ledger's (monthlyRollProperty.ts), each case's status and its file's payments, each entry's standard. */
  async checkInvariants(model: BasicLivingModel): Promise<void> {
    const region = `'${this.regionCode}'`;
    const entries = await this.liveEntries();
    const transfers = await this.rows<{ roll_id: string; amount: string; entry_total: string }>(`
      select t.roll_id, t.amount::text as amount,
        (select coalesce(sum(e.amount), 0) from basic_living_entries e where e.roll_id = t.roll_id and e.transfer_no = t.transfer_no and e.removed_reason is null)::numeric(14,2)::text as entry_total
      from basic_living_transfers t join basic_living_rolls r on r.id = t.roll_id where r.region_code = ${region} and t.status <> 'removed'`);
    const listed = await this.call(this.civilAffairs, 'GET', '/protection/rolls?limit=500');
    expect(listed.status).toBe(200);
    const cases = await this.call(this.civilAffairs, 'GET', '/protection/cases?limit=500');
    expect(cases.status).toBe(200);
    const statusById = new Map((cases.body.items as { id: string; status: string }[]).map((item) => [item.id, item.status]));

    const dueMonths = new Map<string, Set<string>>();
    for (const found of model.cases) {
      expect(statusById.get(found.id), `case ${found.id}`).toBe(model.statusOf(found));
      const payments = await this.paymentsOf(found.childId);
      const waiting = payments.filter((row) => row.status === 'due' || row.status === 'held');
      // Due and held months are shown as held exactly when a roll of this month would hold the case.
      const reason = model.holdReason(found.id, model.currentMonth());
      for (const row of waiting) expect([row.month, row.status], `case ${found.id}: held by ${reason}`).toEqual([row.month, reason === null ? 'due' : 'held']);
      for (const row of waiting) expect([row.month, row.amount], `case ${found.id}: a waiting month at the model's amount`).toEqual([row.month, model.amountOf(found.id, row.month)]);
      // The file's paid and in-roll months are the child's live entries, paid once the bank said so.
      const live = entries.filter((entry) => entry.child_id === found.childId).sort((a, b) => a.month.localeCompare(b.month));
      expect(
        payments.filter((row) => row.status === 'paid' || row.status === 'in_roll').map((row) => [row.month, row.status, row.amount]),
        `case ${found.id}: the file's paid and in-roll months`,
      ).toEqual(live.map((entry) => [entry.month, entry.transfer_status === 'paid' ? 'paid' : 'in_roll', entry.amount]));
      dueMonths.set(found.id, new Set(waiting.map((row) => row.month)));
    }
    for (const entry of entries) {
      if (!model.payableMonths(entry.case_id, entry.roll_month).has(entry.month)) continue;
      expect([entry.case_id, entry.month, entry.tier], 'an entry is paid at the standard of its month').toEqual([entry.case_id, entry.month, model.tierOf(entry.case_id, entry.month)]);
    }
    const ledger: Ledger = {
      liveEntries: entries.map((entry) => ({
        recordId: entry.case_id,
        childId: entry.child_id,
        month: entry.month,
        rollId: entry.roll_id,
        rollMonth: entry.roll_month,
        rollState: entry.roll_status === 'draft' ? 'open' : 'sent',
        recovering: entry.recovering,
        amount: entry.amount,
      })),
      rolls: (listed.body.items as { id: string; status: string; total: string }[])
        .filter((roll) => roll.status !== 'cancelled')
        .map((roll) => ({
          id: roll.id,
          sent: roll.status === 'issued' || roll.status === 'settled',
          total: roll.total,
          transfers: transfers.filter((transfer) => transfer.roll_id === roll.id).map((transfer) => ({ amount: transfer.amount, entryTotal: transfer.entry_total })),
        })),
      dueMonths,
    };
    expect(brokenLedgerInvariants(ledger, model, this.memory)).toEqual([]);
  }
}
