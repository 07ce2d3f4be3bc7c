import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect } from 'vitest';
import { brokenAllowanceSqlInvariants } from './allowanceInvariants.js';
import { brokenLedgerInvariants, guardedCall, ProgrammeCommand, stateDigest, type Ledger, type PayabilityModel, type ProgrammeReal } from './monthlyRollProperty.js';
import { ADMIN_TOKEN, client, idNumber, type Client, type Response, type TestApp } from './testApp.js';
import { createUser } from './world.js';

// The care allowance under the monthly programme's property test (monthlyRollProperty.ts): its
// model (the records each child has, which months each should pay, their tiers; the rolls and the
// clock), its commands (enrol and re-enrol, approve, reject, tier, verify, hold, release,
// objection, exit, account change, certificate recorded and revoked, build, publish, issue,
// results, cancel, recovery, refund, and the clock moving) and how its ledger is read.

const FIRST_STANDARD_MONTH = '2000-01';
const START = '2025-01-06';
const END = '2026-12-28';
const DAY_MS = 86_400_000;

const chinaDate = (instant: Date) => new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number) => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
const addMonths = (month: string, n: number) => monthOf(monthIndex(month) + n);
const ageOn = (birthDate: string, date: string) => Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (date.slice(5) < birthDate.slice(5) ? 1 : 0);
const latest = (months: string[]) => months.reduce((max, month) => (month > max ? month : max), '');

type Tier = 'care' | 'nursing_supplement';
const MONTHLY: Record<Tier, string> = { care: '30.00', nursing_supplement: '10.00' };

/** The children of a run: one ages out within the 24 months, one was born before the scheme's first standard, one has no certificate yet. */
const CHILDREN = [
  { name: '张小明', birthDate: '2008-03-15', certificate: true },
  { name: '李小红', birthDate: '2016-07-01', certificate: true },
  { name: '王大宝', birthDate: '1999-06-15', certificate: true },
  { name: '赵小花', birthDate: '2019-11-20', certificate: false },
];
const COMMUNITIES = [
  { name: '朝阳社区' },
  { name: '新华村', code: '511702001001' },
  { name: '新华村', code: '511702002001' },
];

interface RecordModel {
  id: string;
  child: number;
  startMonth: string;
  lastMonth: string;
  status: 'pending' | 'active' | 'rejected' | 'exited';
  exitFromMonth: string | null;
  /** In the order recorded: for a month the latest recorded change at or before it decides. */
  tiers: { fromMonth: string; tier: Tier }[];
}

interface RollModel {
  id: string;
  month: string;
  status: 'draft' | 'published' | 'issued' | 'settled' | 'cancelled';
  noticeTo: string | null;
}

export class AllowanceModel implements PayabilityModel {
  now = new Date(`${START}T10:00:00+08:00`);
  children: { id: string; birthDate: string; certificate: boolean; certificateIssuedOn: string | null }[] = [];
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
  constructor(
    readonly test: TestApp,
    readonly regionCode: string,
    readonly reviewer: Client,
    readonly civilAffairs: Client,
    readonly finance: Client,
  ) {}

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
      `select x::text from allowance_rolls x where region_code = ${region}`,
      ofRolls('allowance_transfers'),
      ofRolls('allowance_entries'),
      ofRolls('allowance_objections'),
      `select x::text from allowance_overpayments x where region_code = ${region}`,
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
      })),
      rolls: (listed.body.items as { id: string; status: string; total: string }[])
        .filter((roll) => roll.status !== 'cancelled')
        .map((roll) => ({ id: roll.id, total: roll.total, transfers: transfers.filter((transfer) => transfer.roll_id === roll.id).map((transfer) => ({ amount: transfer.amount, entryTotal: transfer.entry_total })) })),
      dueMonths,
    };
    expect(brokenLedgerInvariants(ledger, model)).toEqual([]);
  }
}

let countySequence = 0;

/** A fresh county (region 52xxxx) with its three offices and four children, the clock at the start. */
export async function setUpAllowanceRun(test: TestApp): Promise<{ model: AllowanceModel; real: AllowanceReal }> {
  countySequence += 1;
  const regionCode = `52${String(countySequence % 10_000).padStart(4, '0')}`;
  const model = new AllowanceModel();
  test.clock.set(model.now.toISOString());
  const admin = client(test.app, ADMIN_TOKEN);
  const as = async (role: string) => client(test.app, (await createUser(admin, { name: `${role}${countySequence}`, role, regionCode })).token);
  const real = new AllowanceReal(test, regionCode, await as('reviewer'), await as('civil_affairs'), await as('finance'));
  for (const child of CHILDREN) {
    const id = idNumber(regionCode, child.birthDate);
    const registered = await real.reviewer.post('/api/v1/children', {
      idNumber: id,
      name: child.name,
      regionCode,
      category: 'autism',
      ...(child.certificate ? { certificateNo: `${id}62` } : {}),
      guardian: { name: '家长', relation: 'mother', phone: '13800000000' },
    });
    if (registered.status !== 201) throw new Error(`child not registered: ${JSON.stringify(registered.body)}`);
    model.children.push({ id: registered.body.id, birthDate: child.birthDate, certificate: child.certificate, certificateIssuedOn: null });
  }
  // The county already pays two children when the months begin.
  await new EnrolApproved(new Enrol(0, 100, 'care', 0, true)).act(model, real);
  await new EnrolApproved(new Enrol(1, 40, 'nursing_supplement', 1, true)).act(model, real);
  return { model, real };
}

type Command = ProgrammeCommand<AllowanceModel, AllowanceReal>;
const child = fc.integer({ min: 0, max: CHILDREN.length - 1 });

const expectStatus = (response: Response, allowed: number[], what: string) => expect(allowed, `${what}: ${response.status} ${JSON.stringify(response.body)}`).toContain(response.status);

class Enrol extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly child: number, readonly daysBack: number, readonly tier: Tier, readonly community: number, readonly byReviewer: boolean) {
    super();
  }
  check = () => true;
  toString = () => `Enrol(child ${this.child}, ${this.daysBack} days back, ${this.tier}, community ${this.community}${this.byReviewer ? ', reviewer' : ''})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const subject = model.children[this.child]!;
    const back = addDays(model.today(), -this.daysBack);
    const acceptedOn = back < subject.birthDate ? subject.birthDate : back;
    const response = await real.call(this.byReviewer ? real.reviewer : real.civilAffairs, 'POST', '/allowance/beneficiaries', {
      childId: subject.id,
      tier: this.tier,
      acceptedOn,
      acceptedBy: '东城街道办事处',
      community: COMMUNITIES[this.community],
      bankAccount: { bank: '四川农信', accountName: '家长', accountNumber: `6214670000${String(this.child).padStart(9, '0')}` },
    });
    const lastMonth = `${Number(subject.birthDate.slice(0, 4)) + 18}-${subject.birthDate.slice(5, 7)}`;
    const records = model.records.filter((record) => record.child === this.child);
    const startMonth = latest([acceptedOn.slice(0, 7), ...records.filter((record) => record.status === 'exited').map((record) => record.exitFromMonth!)]);
    const expected = !subject.certificate
      ? [422, 'NO_CERTIFICATE']
      : ageOn(subject.birthDate, acceptedOn) >= 18
        ? [422, 'INELIGIBLE_AGE']
        : records.some((record) => record.status === 'pending' || record.status === 'active')
          ? [409, 'ALREADY_EXISTS']
          : startMonth > lastMonth
            ? [422, 'INELIGIBLE_AGE']
            : [201, undefined];
    expect([response.status, response.body?.error?.code], JSON.stringify(response.body)).toEqual(expected);
    if (response.status !== 201) return;
    expect([response.body.startMonth, response.body.lastMonth]).toEqual([startMonth, lastMonth]);
    model.records.push({ id: response.body.id, child: this.child, startMonth, lastMonth, status: 'pending', exitFromMonth: null, tiers: [{ fromMonth: startMonth, tier: this.tier }] });
  }
}

/** A command on the latest record of a child, when it has one. */
abstract class OnRecord extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly child: number) {
    super();
  }
  check = (model: Readonly<AllowanceModel>) => model.records.some((record) => record.child === this.child);
  protected record(model: AllowanceModel): RecordModel {
    return model.latestRecordOf(this.child)!;
  }
}

class Approve extends OnRecord {
  toString = () => `Approve(child ${this.child})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const record = this.record(model);
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${record.id}/approve`);
    const expected = record.status !== 'pending' ? 409 : model.children[this.child]!.certificate ? 200 : 422;
    expect(response.status, JSON.stringify(response.body)).toBe(expected);
    if (response.status === 200) record.status = 'active';
  }
}

class Reject extends OnRecord {
  toString = () => `Reject(child ${this.child})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const record = this.record(model);
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${record.id}/reject`, { reason: '材料不全' });
    expect(response.status).toBe(record.status === 'pending' ? 200 : 409);
    if (response.status === 200) record.status = 'rejected';
  }
}

class ChangeTier extends OnRecord {
  constructor(child: number, readonly tier: Tier, readonly monthOffset: number) {
    super(child);
  }
  toString = () => `ChangeTier(child ${this.child}, ${this.tier} from this month ${this.monthOffset >= 0 ? '+' : ''}${this.monthOffset})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const record = this.record(model);
    const fromMonth = addMonths(model.currentMonth(), this.monthOffset);
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${record.id}/tier`, { tier: this.tier, fromMonth });
    const active = model.statusOf(record) === 'active';
    expectStatus(response, active && fromMonth >= record.startMonth && fromMonth <= record.lastMonth ? [200, 409] : [409], this.toString());
    if (response.status === 200) record.tiers.push({ fromMonth, tier: this.tier });
  }
}

class Verify extends OnRecord {
  constructor(child: number, readonly daysBack: number) {
    super(child);
  }
  toString = () => `Verify(child ${this.child}, ${this.daysBack} days back)`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${this.record(model).id}/verify`, { on: addDays(model.today(), -this.daysBack) });
    expectStatus(response, [200, 400, 409], this.toString());
  }
}

class Hold extends OnRecord {
  toString = () => `Hold(child ${this.child})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    expectStatus(await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${this.record(model).id}/hold`, { reason: '核查' }), [200, 409], this.toString());
  }
}

class Release extends OnRecord {
  toString = () => `Release(child ${this.child})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    expectStatus(await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${this.record(model).id}/release`), [200, 409], this.toString());
  }
}

class Exit extends OnRecord {
  constructor(child: number, readonly monthOffset: number) {
    super(child);
  }
  toString = () => `Exit(child ${this.child}, from this month ${this.monthOffset >= 0 ? '+' : ''}${this.monthOffset})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const record = this.record(model);
    const fromMonth = addMonths(model.currentMonth(), this.monthOffset);
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${record.id}/exit`, { reason: 'moved_out', fromMonth });
    const expected = model.statusOf(record) !== 'active' ? 409 : fromMonth < record.startMonth ? 400 : 200;
    expect(response.status, JSON.stringify(response.body)).toBe(expected);
    if (response.status === 200) {
      record.status = 'exited';
      record.exitFromMonth = fromMonth;
    }
  }
}

class ChangeAccount extends OnRecord {
  constructor(child: number, readonly byReviewer: boolean, readonly account: number) {
    super(child);
  }
  toString = () => `ChangeAccount(child ${this.child}, account ${this.account}${this.byReviewer ? ', reviewer' : ''})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const record = this.record(model);
    const response = await real.call(this.byReviewer ? real.reviewer : real.civilAffairs, 'PUT', `/allowance/beneficiaries/${record.id}/bank-account`, {
      bank: ['中国农业银行', '四川农信'][this.account % 2],
      accountName: '家长',
      accountNumber: `62284800${String(this.account).padStart(11, '0')}`,
    });
    expectStatus(response, record.status === 'rejected' ? [409] : [200, 409], this.toString());
  }
}

class RecordCertificate extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly child: number) {
    super();
  }
  check = () => true;
  toString = () => `RecordCertificate(child ${this.child})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const subject = model.children[this.child]!;
    const issuedOn = model.today();
    const response = await real.call(real.reviewer, 'PUT', `/children/${subject.id}/certificate`, { certificateNo: `C${this.child}-${issuedOn}`, issuedOn });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    subject.certificate = true;
    subject.certificateIssuedOn = issuedOn;
  }
}

class RevokeCertificate extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly child: number, readonly daysBack: number) {
    super();
  }
  check = () => true;
  toString = () => `RevokeCertificate(child ${this.child}, ${this.daysBack} days back)`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const subject = model.children[this.child]!;
    const on = addDays(model.today(), -this.daysBack);
    const response = await real.call(real.reviewer, 'POST', `/children/${subject.id}/certificate/revoke`, { on, reason: '复查不符' });
    const expected = !subject.certificate ? 409 : subject.certificateIssuedOn && on < subject.certificateIssuedOn ? 400 : 200;
    expect(response.status, JSON.stringify(response.body)).toBe(expected);
    if (response.status !== 200) return;
    subject.certificate = false;
    subject.certificateIssuedOn = null;
    const fromMonth = addMonths(on.slice(0, 7), 1);
    const record = model.latestRecordOf(this.child);
    if (record && record.status === 'active' && record.lastMonth >= fromMonth) {
      record.status = 'exited';
      record.exitFromMonth = fromMonth < record.startMonth ? record.startMonth : fromMonth;
    }
  }
}

class Build extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly monthsBack: number) {
    super();
  }
  check = () => true;
  toString = () => `Build(this month −${this.monthsBack})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const month = addMonths(model.currentMonth(), -this.monthsBack);
    const response = await real.call(real.civilAffairs, 'POST', '/allowance/rolls', { month });
    const after = latest(model.rolls.filter((roll) => roll.status !== 'cancelled').map((roll) => roll.month));
    expect(response.status, JSON.stringify(response.body)).toBe(after && month <= after ? 409 : 201);
    if (response.status === 201) model.rolls.push({ id: response.body.id, month, status: 'draft', noticeTo: null });
  }
}

class Publish extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly daysBack: number) {
    super();
  }
  check = (model: Readonly<AllowanceModel>) => model.rolls.some((roll) => roll.status === 'draft');
  toString = () => `Publish(notice from ${this.daysBack} days back)`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const roll = model.latestRoll(['draft'])!;
    const from = addDays(model.today(), -this.daysBack);
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/rolls/${roll.id}/publish`, { from });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    roll.status = 'published';
    roll.noticeTo = addDays(from, 6);
  }
}

class Issue extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  check = (model: Readonly<AllowanceModel>) => model.rolls.some((roll) => roll.status === 'published');
  toString = () => 'Issue()';
  async act(model: AllowanceModel, real: AllowanceReal) {
    const roll = model.latestRoll(['published'])!;
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/rolls/${roll.id}/issue`);
    expect([response.status, response.body?.error?.code]).toEqual(model.today() > roll.noticeTo! ? [200, undefined] : [409, 'NOTICE_PERIOD_NOT_OVER']);
    if (response.status === 200) roll.status = response.body.status;
  }
}

class Results extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly failures: number) {
    super();
  }
  check = (model: Readonly<AllowanceModel>) => model.rolls.some((roll) => roll.status === 'issued');
  toString = () => `Results(failure pattern ${this.failures.toString(2)})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const roll = model.latestRoll(['issued'])!;
    const detail = await real.call(real.finance, 'GET', `/allowance/rolls/${roll.id}`);
    const pending = (detail.body.transfers as { transferNo: number; status: string }[]).filter((transfer) => transfer.status === 'pending');
    const results = pending.map((transfer, index) => ((this.failures >> index) & 1 ? { transferNo: transfer.transferNo, status: 'failed', reason: '账户已销户' } : { transferNo: transfer.transferNo, status: 'paid' }));
    const response = await real.call(real.finance, 'POST', `/allowance/rolls/${roll.id}/results`, { results });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    roll.status = response.body.status;
  }
}

class Cancel extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  check = (model: Readonly<AllowanceModel>) => model.rolls.some((roll) => roll.status === 'draft' || roll.status === 'published');
  toString = () => 'Cancel()';
  async act(model: AllowanceModel, real: AllowanceReal) {
    const roll = model.latestRoll(['draft', 'published'])!;
    expect((await real.call(real.civilAffairs, 'POST', `/allowance/rolls/${roll.id}/cancel`)).status).toBe(200);
    roll.status = 'cancelled';
  }
}

class Object_ extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly transfer: number) {
    super();
  }
  check = (model: Readonly<AllowanceModel>) => model.rolls.some((roll) => roll.status === 'draft' || roll.status === 'published');
  toString = () => `Objection(transfer #${this.transfer})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const roll = model.latestRoll(['draft', 'published'])!;
    const transfers = (await real.call(real.civilAffairs, 'GET', `/allowance/rolls/${roll.id}`)).body.transfers as { beneficiaryId: string }[];
    if (transfers.length === 0) return;
    const beneficiaryId = transfers[this.transfer % transfers.length]!.beneficiaryId;
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/rolls/${roll.id}/objections`, { beneficiaryId, reason: '群众反映' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  }
}

class Recover extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly whole: boolean) {
    super();
  }
  check = () => true;
  toString = () => `Recover(${this.whole ? 'all' : 'part'})`;
  async act(_model: AllowanceModel, real: AllowanceReal) {
    const open = ((await real.call(real.civilAffairs, 'GET', '/allowance/overpayments?limit=500')).body.items as { id: string; status: string; remaining: string }[]).find(
      (item) => item.status === 'open' || item.status === 'partially_recovered',
    );
    if (!open) return;
    const cents = Math.round(Number(open.remaining) * 100);
    const amount = this.whole || cents < 2 ? cents : Math.floor(cents / 2);
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/overpayments/${open.id}/recoveries`, { amount: (amount / 100).toFixed(2), on: chinaDate(real.test.clock.now()), voucherNo: 'HK' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  }
}

class Refund extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  check = () => true;
  toString = () => 'Refund()';
  async act(_model: AllowanceModel, real: AllowanceReal) {
    const owed = ((await real.call(real.civilAffairs, 'GET', '/allowance/overpayments?limit=500')).body.items as { id: string; refundDue: string }[]).find((item) => item.refundDue !== '0.00');
    if (!owed) return;
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/overpayments/${owed.id}/refunds`, { amount: owed.refundDue, on: chinaDate(real.test.clock.now()), voucherNo: 'TK' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ refundDue: '0.00', status: 'refunded' });
  }
}

class Advance extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly days: number) {
    super();
  }
  check = (model: Readonly<AllowanceModel>) => chinaDate(new Date(model.now.getTime() + this.days * DAY_MS)) <= END;
  toString = () => `Advance(${this.days} days)`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    model.now = new Date(model.now.getTime() + this.days * DAY_MS);
    real.setClock(model);
  }
}

/** A family applies and civil affairs approves at once: the usual way a record starts. */
class EnrolApproved extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly enrol: Enrol) {
    super();
  }
  check = () => true;
  toString = () => `EnrolApproved(${this.enrol.toString().slice('Enrol('.length, -1)})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const before = model.records.length;
    await this.enrol.act(model, real);
    if (model.records.length > before) await new Approve(this.enrol.child).act(model, real);
  }
}

/**
 * A month's roll from end to end: the clock moved to the 20th of the next month if this month has
 * its roll, then the roll built for the month, its notice up nine days ago, issued, the bank's results back.
 */
class MonthEnd extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly failures: number) {
    super();
  }
  check = (model: Readonly<AllowanceModel>) => addMonths(model.currentMonth(), 1) <= END.slice(0, 7);
  toString = () => `MonthEnd(failure pattern ${this.failures.toString(2)})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    if (model.rolls.some((roll) => roll.status !== 'cancelled' && roll.month >= model.currentMonth())) {
      model.now = new Date(`${addMonths(model.currentMonth(), 1)}-20T10:00:00+08:00`);
      real.setClock(model);
    }
    const rolls = model.rolls.length;
    await new Build(0).act(model, real);
    if (model.rolls.length === rolls) return;
    await new Publish(9).act(model, real);
    await new Issue().act(model, real);
    if (model.latestRoll(['issued'])) await new Results(this.failures).act(model, real);
  }
}

/** Each arbitrary with its weight: how often a month of a county's work does it. */
const weighted = (...pairs: [fc.Arbitrary<Command>, number][]): fc.Arbitrary<Command>[] => pairs.flatMap(([arbitrary, weight]) => Array.from({ length: weight }, () => arbitrary));

/** The care allowance's commands, weighted towards what a county's months are made of. */
const enrolment = fc
  .tuple(child, fc.constantFrom(0, 15, 40, 100, 400, 3000, 9600), fc.constantFrom<Tier>('care', 'nursing_supplement'), fc.integer({ min: 0, max: 2 }), fc.boolean())
  .map((args) => new Enrol(...args));

export const allowanceCommands: fc.Arbitrary<Command>[] = weighted(
  [enrolment, 2],
  [enrolment.map((enrol) => new EnrolApproved(enrol)), 5],
  [child.map((index) => new Approve(index)), 2],
  [child.map((index) => new Reject(index)), 1],
  [fc.tuple(child, fc.constantFrom<Tier>('care', 'nursing_supplement'), fc.integer({ min: -3, max: 3 })).map((args) => new ChangeTier(...args)), 2],
  [fc.tuple(child, fc.constantFrom(0, 30, 400)).map((args) => new Verify(...args)), 2],
  [child.map((index) => new Hold(index)), 1],
  [child.map((index) => new Release(index)), 2],
  [fc.tuple(child, fc.integer({ min: -14, max: 2 })).map((args) => new Exit(...args)), 2],
  [fc.tuple(child, fc.boolean(), fc.integer({ min: 0, max: 9 })).map((args) => new ChangeAccount(...args)), 1],
  [child.map((index) => new RecordCertificate(index)), 1],
  [fc.tuple(child, fc.constantFrom(0, 20, 70)).map((args) => new RevokeCertificate(...args)), 1],
  [fc.integer({ min: 0, max: 15 }).map((failures) => new MonthEnd(failures)), 5],
  [fc.integer({ min: 0, max: 2 }).map((monthsBack) => new Build(monthsBack)), 4],
  [fc.constantFrom(0, 3, 9).map((daysBack) => new Publish(daysBack)), 3],
  [fc.constant(new Issue()), 3],
  [fc.integer({ min: 0, max: 15 }).map((failures) => new Results(failures)), 3],
  [fc.constant(new Cancel()), 1],
  [fc.nat({ max: 7 }).map((transfer) => new Object_(transfer)), 1],
  [fc.boolean().map((whole) => new Recover(whole)), 1],
  [fc.constant(new Refund()), 1],
  [fc.constantFrom(1, 6, 12, 31, 45, 62, 92).map((days) => new Advance(days)), 6],
);
