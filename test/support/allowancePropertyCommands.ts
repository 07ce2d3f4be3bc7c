import fc from 'fast-check';
import { expect } from 'vitest';
import {
  addDays,
  addMonths,
  AllowanceModel,
  AllowanceReal,
  chinaDate,
  CHILDREN,
  DAY_MS,
  END,
  latest,
  type Officer,
  type Tier,
} from './allowancePropertyModel.js';
import {
  Approve,
  ChangeAccount,
  ChangeTier,
  ConfirmAccount,
  Enrol,
  Exit,
  Hold,
  RecordCertificate,
  Reject,
  Release,
  RevokeCertificate,
  Verify,
} from './allowancePropertyRecordCommands.js';
import { ProgrammeCommand } from './monthlyRollProperty.js';
import { ADMIN_TOKEN, client, idNumber, type TestApp } from './testApp.js';
import { createUser } from './world.js';

// The care allowance's commands for the property test (allowancePropertyModel.ts holds its model,
// allowancePropertyRecordCommands.ts the commands on a child's records): build, publish, issue (by
// the second civil affairs officer, or refused by the builder), results, cancel, objection,
// recovery, refund, waiver (asked and confirmed), the clock moving, and composites a county does
// every month (a family enrolled and approved by another officer; a new account asked for and
// confirmed; a month's roll from build to the bank's results);
// the set-up of a run; and the list of every command weighted by how often a county does it.

let countySequence = 0;

/** A fresh county (region 52xxxx) with its three offices and four children, the clock at the start. */
export async function setUpAllowanceRun(test: TestApp): Promise<{ model: AllowanceModel; real: AllowanceReal }> {
  countySequence += 1;
  const regionCode = `52${String(countySequence % 10_000).padStart(4, '0')}`;
  const model = new AllowanceModel();
  test.clock.set(model.now.toISOString());
  const admin = client(test.app, ADMIN_TOKEN);
  const as = async (role: string) => (await createUser(admin, { name: `${role}${countySequence}`, role, regionCode })).client;
  const real = new AllowanceReal(test, regionCode, await as('reviewer'), await as('civil_affairs'), await as('civil_affairs'), await as('finance'));
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
    model.children.push({ id: registered.body.id, idNumber: id, birthDate: child.birthDate, certificate: child.certificate, certificateIssuedOn: null });
  }
  // The county already pays two children when the months begin.
  await new EnrolApproved(new Enrol(0, 100, 'care', 0, true)).act(model, real);
  await new EnrolApproved(new Enrol(1, 40, 'nursing_supplement', 1, true)).act(model, real);
  return { model, real };
}

type Command = ProgrammeCommand<AllowanceModel, AllowanceReal>;
const child = fc.integer({ min: 0, max: CHILDREN.length - 1 });
const officer = fc.constantFrom<Officer>('reviewer', 'civilAffairs', 'civilAffairs2');

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

/** Issue by the second civil affairs officer, or by the one who built every roll (refused: 409 FOUR_EYES_REQUIRED, after the notice period). */
class Issue extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly byBuilder = false) {
    super();
  }
  check = (model: Readonly<AllowanceModel>) => model.rolls.some((roll) => roll.status === 'published');
  toString = () => `Issue(${this.byBuilder ? 'by its builder' : ''})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const roll = model.latestRoll(['published'])!;
    const response = await real.call(this.byBuilder ? real.civilAffairs : real.civilAffairs2, 'POST', `/allowance/rolls/${roll.id}/issue`);
    const expected = model.today() <= roll.noticeTo! ? [409, 'NOTICE_PERIOD_NOT_OVER'] : this.byBuilder ? [409, 'FOUR_EYES_REQUIRED'] : [200, undefined];
    expect([response.status, response.body?.error?.code]).toEqual(expected);
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

/** A waiver asked for by the first civil affairs officer and confirmed by the second, or (refused, still open) by the first. */
class Waive extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly confirmedBySecond: boolean) {
    super();
  }
  check = () => true;
  toString = () => `Waive(${this.confirmedBySecond ? 'confirmed by another' : 'confirmed by the asker'})`;
  async act(_model: AllowanceModel, real: AllowanceReal) {
    const open = ((await real.call(real.civilAffairs, 'GET', '/allowance/overpayments?limit=500')).body.items as { id: string; status: string }[]).find(
      (item) => item.status === 'open' || item.status === 'partially_recovered',
    );
    if (!open) return;
    const asked = await real.call(real.civilAffairs, 'POST', `/allowance/overpayments/${open.id}/waive`, { reason: '家庭困难' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body).toMatchObject({ status: open.status, pendingWaiver: { reason: '家庭困难' } });
    const confirmed = await real.call(this.confirmedBySecond ? real.civilAffairs2 : real.civilAffairs, 'POST', `/allowance/overpayments/${open.id}/waive/confirm`);
    if (this.confirmedBySecond) {
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      expect(confirmed.body).toMatchObject({ status: 'waived', waiveReason: '家庭困难', pendingWaiver: null });
    } else expect([confirmed.status, confirmed.body?.error?.code]).toEqual([409, 'FOUR_EYES_REQUIRED']);
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
    if (model.records.length === before) return;
    // Approved by a civil affairs officer who did not enrol it; the one who did is refused first.
    if (!this.enrol.byReviewer) await new Approve(this.enrol.child, 'civilAffairs').act(model, real);
    await new Approve(this.enrol.child, this.enrol.byReviewer ? 'civilAffairs' : 'civilAffairs2').act(model, real);
  }
}

/** A family's new account asked for and at once confirmed (by another user, or refused when by the asker). */
class AccountChanged extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(
    readonly change: ChangeAccount,
    readonly confirmer: Officer,
  ) {
    super();
  }
  check = (model: Readonly<AllowanceModel>) => this.change.check(model);
  toString = () => `AccountChanged(${this.change.toString().slice('ChangeAccount('.length, -1)}, confirmed by ${this.confirmer})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    await this.change.act(model, real);
    await new ConfirmAccount(this.change.child, this.confirmer).act(model, real);
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
    // Now and then the officer who built it tries to issue it first (refused).
    if (this.failures % 4 === 0) await new Issue(true).act(model, real);
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
  [fc.tuple(child, fc.constantFrom<'civilAffairs' | 'civilAffairs2'>('civilAffairs', 'civilAffairs2')).map((args) => new Approve(...args)), 2],
  [child.map((index) => new Reject(index)), 1],
  [fc.tuple(child, fc.constantFrom<Tier>('care', 'nursing_supplement'), fc.integer({ min: -3, max: 3 })).map((args) => new ChangeTier(...args)), 2],
  [fc.tuple(child, fc.constantFrom(0, 30, 400)).map((args) => new Verify(...args)), 2],
  [child.map((index) => new Hold(index)), 1],
  [child.map((index) => new Release(index)), 2],
  [fc.tuple(child, fc.integer({ min: -14, max: 2 })).map((args) => new Exit(...args)), 2],
  [fc.tuple(child, officer, fc.integer({ min: 0, max: 9 })).map((args) => new ChangeAccount(...args)), 1],
  [fc.tuple(child, officer).map((args) => new ConfirmAccount(...args)), 1],
  [fc.tuple(child, officer, fc.integer({ min: 0, max: 9 }), officer).map(([index, by, account, confirmer]) => new AccountChanged(new ChangeAccount(index, by, account), confirmer)), 2],
  [child.map((index) => new RecordCertificate(index)), 1],
  [fc.tuple(child, fc.constantFrom(0, 20, 70)).map((args) => new RevokeCertificate(...args)), 1],
  [fc.integer({ min: 0, max: 15 }).map((failures) => new MonthEnd(failures)), 5],
  [fc.integer({ min: 0, max: 2 }).map((monthsBack) => new Build(monthsBack)), 4],
  [fc.constantFrom(0, 3, 9).map((daysBack) => new Publish(daysBack)), 3],
  [fc.constantFrom(false, false, false, true).map((byBuilder) => new Issue(byBuilder)), 3],
  [fc.integer({ min: 0, max: 15 }).map((failures) => new Results(failures)), 3],
  [fc.constant(new Cancel()), 1],
  [fc.nat({ max: 7 }).map((transfer) => new Object_(transfer)), 1],
  [fc.boolean().map((whole) => new Recover(whole)), 1],
  [fc.constant(new Refund()), 1],
  [fc.boolean().map((confirmedBySecond) => new Waive(confirmedBySecond)), 2],
  [fc.constantFrom(1, 6, 12, 31, 45, 62, 92).map((days) => new Advance(days)), 6],
);
