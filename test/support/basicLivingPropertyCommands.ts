import fc from 'fast-check';
import { expect } from 'vitest';
import { AccountChanged, ChangeLiving, changeAccount, Exit, Hold, Recognise, Release, Verify, type Command } from './basicLivingPropertyCaseCommands.js';
import { BasicLivingModel, BasicLivingReal, END, type Officer } from './basicLivingPropertyModel.js';
import { addMonths, chinaDate, DAY_MS, ProgrammeCommand } from './monthlyRollProperty.js';
import { ADMIN_TOKEN, client, type TestApp } from './testApp.js';
import { createUser } from './world.js';

// The basic-living allowance's commands for the property test (basicLivingPropertyModel.ts holds
// its model, basicLivingPropertyCaseCommands.ts the commands on a case): build a month's roll
// (民政甲), issue it (民政乙; the builder is refused), the bank's results with random failures,
// cancel a draft, the clock moving, a month's roll from build to results; the set-up of a run; the
// finish (every failure mended, a last roll paid: every month owed and not held is then paid); and
// the list of every command weighted by how often a county does it.

let countySequence = 0;

/** A fresh county (region 53xxxx) with a township, two civil affairs officers and finance, and two recognised cases, the clock at the start. */
export async function setUpBasicLivingRun(test: TestApp): Promise<{ model: BasicLivingModel; real: BasicLivingReal }> {
  countySequence += 1;
  const regionCode = `53${String(countySequence % 10_000).padStart(4, '0')}`;
  const model = new BasicLivingModel();
  test.clock.set(model.now.toISOString());
  const admin = client(test.app, ADMIN_TOKEN);
  const as = async (body: Record<string, unknown>) => (await createUser(admin, { name: `${body.role}${countySequence}`, ...body })).client;
  const real = new BasicLivingReal(
    test,
    regionCode,
    await as({ role: 'township', townshipCode: `${regionCode}001` }),
    await as({ role: 'civil_affairs', regionCode }),
    await as({ role: 'civil_affairs', regionCode }),
    await as({ role: 'finance', regionCode }),
  );
  // The county already pays two children when the months begin.
  await new Recognise('orphan', 'scattered', 1, 10, 'civilAffairs').act(model, real);
  await new Recognise('de_facto_unsupported', 'scattered', 0, 3, 'civilAffairs2').act(model, real);
  return { model, real };
}

interface RollAnswer {
  id: string;
  status: string;
  transfers: { transferNo: number; caseId: string; status: string }[];
  held: { caseId: string; reason: string; months: string[] }[];
}

/** The roll of a month this one or one before, built by 民政甲: refused (409) unless later than every roll not cancelled. */
class Build extends ProgrammeCommand<BasicLivingModel, BasicLivingReal> {
  constructor(readonly monthsBack: number) {
    super();
  }
  check = () => true;
  toString = () => `Build(this month −${this.monthsBack})`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    const month = addMonths(model.currentMonth(), -this.monthsBack);
    const response = await real.call(real.civilAffairs, 'POST', '/protection/rolls', { month });
    const after = model.latestRollMonth();
    expect([response.status, response.body?.error?.code], JSON.stringify(response.body)).toEqual(after !== null && month <= after ? [409, 'INVALID_STATE'] : [201, undefined]);
    if (response.status !== 201) return;
    const roll = response.body as RollAnswer;
    model.rolls.push({ id: roll.id, month, status: 'draft' });
    // Who is paid and who is held, and why (§8 item 4's order): as the model says.
    for (const transfer of roll.transfers) expect([transfer.caseId, model.holdReason(transfer.caseId, month)]).toEqual([transfer.caseId, null]);
    for (const held of roll.held) expect([held.caseId, held.reason]).toEqual([held.caseId, model.holdReason(held.caseId, month)]);
  }
}

/** Issue by 民政乙, or by 民政甲 who built it (409 FOUR_EYES_REQUIRED). */
class Issue extends ProgrammeCommand<BasicLivingModel, BasicLivingReal> {
  constructor(readonly byBuilder = false) {
    super();
  }
  check = (model: Readonly<BasicLivingModel>) => model.rolls.some((roll) => roll.status === 'draft');
  toString = () => `Issue(${this.byBuilder ? 'by its builder' : ''})`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    const roll = model.latestRoll(['draft'])!;
    const response = await real.call(this.byBuilder ? real.civilAffairs : real.civilAffairs2, 'POST', `/protection/rolls/${roll.id}/issue`);
    expect([response.status, response.body?.error?.code], JSON.stringify(response.body)).toEqual(this.byBuilder ? [409, 'FOUR_EYES_REQUIRED'] : [200, undefined]);
    if (response.status === 200) roll.status = response.body.status;
  }
}

/** Finance records the bank's results of the latest issued roll, the transfers whose bit is set failing. */
class Results extends ProgrammeCommand<BasicLivingModel, BasicLivingReal> {
  constructor(readonly failures: number) {
    super();
  }
  check = (model: Readonly<BasicLivingModel>) => model.rolls.some((roll) => roll.status === 'issued');
  toString = () => `Results(failure pattern ${this.failures.toString(2)})`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    await recordResults(model, real, this.failures);
  }
}

async function recordResults(model: BasicLivingModel, real: BasicLivingReal, failures: number) {
  const roll = model.latestRoll(['issued']);
  if (!roll) return;
  const detail = await real.call(real.finance, 'GET', `/protection/rolls/${roll.id}`);
  const pending = (detail.body as RollAnswer).transfers.filter((transfer) => transfer.status === 'pending');
  const results = pending.map((transfer, index) => ((failures >> index) & 1 ? { transferNo: transfer.transferNo, status: 'failed', reason: '账户已销户' } : { transferNo: transfer.transferNo, status: 'paid' }));
  const response = await real.call(real.finance, 'POST', `/protection/rolls/${roll.id}/results`, { results });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  roll.status = response.body.status;
  // A failed transfer holds its case (bank_failure) until a new account is confirmed.
  for (const result of results) if (result.status === 'failed') model.case(pending.find((transfer) => transfer.transferNo === result.transferNo)!.caseId).bankFailure = true;
}

class Cancel extends ProgrammeCommand<BasicLivingModel, BasicLivingReal> {
  check = (model: Readonly<BasicLivingModel>) => model.rolls.some((roll) => roll.status === 'draft');
  toString = () => 'Cancel()';
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    const roll = model.latestRoll(['draft'])!;
    expect((await real.call(real.civilAffairs, 'POST', `/protection/rolls/${roll.id}/cancel`)).status).toBe(200);
    roll.status = 'cancelled';
  }
}

class Advance extends ProgrammeCommand<BasicLivingModel, BasicLivingReal> {
  constructor(readonly days: number) {
    super();
  }
  check = (model: Readonly<BasicLivingModel>) => chinaDate(new Date(model.now.getTime() + this.days * DAY_MS)) <= END;
  toString = () => `Advance(${this.days} days)`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    model.now = new Date(model.now.getTime() + this.days * DAY_MS);
    real.setClock(model);
  }
}

/** The clock to the 5th of the next month when this month has its roll (a month's roll is built once). */
function toNextRollMonth(model: BasicLivingModel, real: BasicLivingReal) {
  const latest = model.latestRollMonth();
  if (latest !== null && latest >= model.currentMonth()) {
    model.now = new Date(`${addMonths(model.currentMonth(), 1)}-05T10:00:00+08:00`);
    real.setClock(model);
  }
}

/** A month's roll from end to end: built (the next month's, if this one has its roll), issued (now and then first by its builder, refused), the bank's results back. */
class MonthEnd extends ProgrammeCommand<BasicLivingModel, BasicLivingReal> {
  constructor(readonly failures: number) {
    super();
  }
  check = (model: Readonly<BasicLivingModel>) => addMonths(model.currentMonth(), 1) <= END.slice(0, 7);
  toString = () => `MonthEnd(failure pattern ${this.failures.toString(2)})`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    for (const draft of model.rolls.filter((roll) => roll.status === 'draft')) {
      await new Issue().act(model, real);
      if (draft.status === 'issued') await recordResults(model, real, 0);
    }
    toNextRollMonth(model, real);
    await new Build(0).act(model, real);
    if (this.failures % 4 === 0) await new Issue(true).act(model, real);
    await new Issue().act(model, real);
    await recordResults(model, real, this.failures);
  }
}

/**
 * After a sequence: the bank's results of every roll still waiting (paid), every failed account
 * mended (asked and confirmed by two officers), a draft cancelled, and a last roll built, issued and
 * paid. Then every month the model says payable up to that roll's month is paid, unless the case is
 * held (by hand, or its verification is overdue): nothing owed is left behind.
 */
export async function finishBasicLivingRun(model: BasicLivingModel, real: BasicLivingReal): Promise<void> {
  while (model.latestRoll(['issued'])) await recordResults(model, real, 0);
  for (const found of model.cases.filter((one) => one.bankFailure)) {
    const asker: Officer = model.cases.indexOf(found) % 2 === 0 ? 'civilAffairs' : 'civilAffairs2';
    await changeAccount(model, real, found, asker);
  }
  for (const draft of model.rolls.filter((roll) => roll.status === 'draft')) {
    expect((await real.call(real.civilAffairs, 'POST', `/protection/rolls/${draft.id}/cancel`)).status).toBe(200);
    draft.status = 'cancelled';
  }
  toNextRollMonth(model, real);
  await new Build(0).act(model, real);
  expect(model.latestRoll(['draft']), 'the last roll is built').toBeDefined();
  await new Issue().act(model, real);
  await recordResults(model, real, 0);
  await real.checkInvariants(model);
  const month = model.currentMonth();
  for (const found of model.cases) {
    if (model.holdReason(found.id, month) !== null) continue;
    const paid = (await real.paymentsOf(found.childId)).filter((row) => row.status === 'paid').map((row) => row.month);
    expect(paid, `case ${found.id} (${found.status}, ${found.coverFrom} … ${found.lastMonth}, exit ${found.exitFromMonth}): every payable month paid by the roll of ${month}`).toEqual(
      expect.arrayContaining([...model.payableMonths(found.id, month)]),
    );
  }
}

/** Each arbitrary with its weight: how often a month of a county's work does it. */
const weighted = (...pairs: [fc.Arbitrary<Command>, number][]): fc.Arbitrary<Command>[] => pairs.flatMap(([arbitrary, weight]) => Array.from({ length: weight }, () => arbitrary));
const someCase = fc.nat({ max: 6 });
const officer = fc.constantFrom<Officer>('civilAffairs', 'civilAffairs2');

export const basicLivingCommands: fc.Arbitrary<Command>[] = weighted(
  [
    fc
      .tuple(fc.constantFrom<['orphan', 'scattered'] | ['orphan', 'institution'] | ['de_facto_unsupported', 'scattered']>(['orphan', 'scattered'], ['orphan', 'institution'], ['de_facto_unsupported', 'scattered']), fc.nat({ max: 2 }), fc.constantFrom(0, 5, 40), officer)
      .map(([[category, living], birth, daysBack, by]) => new Recognise(category, living, birth, daysBack, by)),
    2,
  ],
  [fc.tuple(someCase, fc.constantFrom<'scattered' | 'institution'>('scattered', 'institution'), fc.integer({ min: -2, max: 2 })).map((args) => new ChangeLiving(...args)), 3],
  [someCase.map((index) => new Hold(index)), 1],
  [someCase.map((index) => new Release(index)), 2],
  [someCase.map((index) => new Verify(index)), 1],
  [fc.tuple(someCase, fc.integer({ min: -4, max: 2 })).map((args) => new Exit(...args)), 1],
  [fc.tuple(someCase, officer, fc.boolean()).map((args) => new AccountChanged(...args)), 3],
  [fc.integer({ min: 0, max: 15 }).map((failures) => new MonthEnd(failures)), 5],
  [fc.integer({ min: 0, max: 1 }).map((monthsBack) => new Build(monthsBack)), 3],
  [fc.constantFrom(false, false, false, true).map((byBuilder) => new Issue(byBuilder)), 3],
  [fc.integer({ min: 0, max: 15 }).map((failures) => new Results(failures)), 3],
  [fc.constant(new Cancel()), 1],
  [fc.constantFrom(1, 12, 31, 45, 62).map((days) => new Advance(days)), 5],
);
