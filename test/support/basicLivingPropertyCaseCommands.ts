import { expect } from 'vitest';
import { addDays, addMonths, ageOn, ProgrammeCommand } from './monthlyRollProperty.js';
import { BasicLivingModel, BasicLivingReal, BIRTH_DATES, type CaseModel, type Category, type Living, type Officer } from './basicLivingPropertyModel.js';
import { idNumber } from './testApp.js';

// The property test's commands on a case of a child in difficulty (basicLivingPropertyCommands.ts
// has the rolls' and the weighted list): recognise a new case, change its living arrangement from a
// month, hold and release it by hand, verify it, exit it from a month, ask for and confirm a new
// account (two officers). Each runs over HTTP and updates the model from what the service
// answered, checking the answer where the model can tell it.

type Command = ProgrammeCommand<BasicLivingModel, BasicLivingReal>;
const unsupportedParents = { father: [{ situation: 'dead', since: '2019-01-01', until: null }], mother: [{ situation: 'severe_disability', since: '2018-05-01', until: null }] };
const orphanParents = { father: [{ situation: 'dead', since: '2020-01-01', until: null }], mother: [{ situation: 'dead', since: '2021-06-01', until: null }] };
const NAMES = ['张小明', '李小红', '王大宝', '赵小花', '刘一', '陈二', '杨三', '黄四'];
export const MAX_CASES = 7;

let accountSequence = 0;
const account = () => ({ bank: '四川农信通川区联社', accountName: '监护人', accountNumber: `62146799${String(++accountSequence).padStart(11, '0')}` });
const answer = (response: { status: number; body: any }) => [response.status, response.body?.error?.code];

/** A child registered, its case received the days back and checked by the township, and recognised today by a civil affairs officer. */
export class Recognise extends ProgrammeCommand<BasicLivingModel, BasicLivingReal> {
  constructor(
    readonly category: Category,
    readonly living: Living,
    readonly birth: number,
    readonly daysBack: number,
    readonly by: Officer,
  ) {
    super();
  }
  check = (model: Readonly<BasicLivingModel>) => model.cases.length < MAX_CASES;
  toString = () => `Recognise(${this.category}, ${this.living}, born ${BIRTH_DATES[this.birth]}, received ${this.daysBack} days back, by ${this.by})`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    const birthDate = BIRTH_DATES[this.birth]!;
    const registered = await real.call(real.township, 'POST', '/children', {
      idNumber: idNumber(real.regionCode, birthDate),
      name: NAMES[model.cases.length % NAMES.length],
      regionCode: real.regionCode,
      villageCode: real.villageCode,
      guardian: { name: '监护人', relation: 'grandfather', phone: '13800000000' },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const receivedOn = addDays(model.today(), -this.daysBack);
    const received = await real.call(real.township, 'POST', '/protection/cases', {
      childId: registered.body.id,
      receivedOn,
      viaVillage: false,
      applicant: { name: '监护人', relation: 'grandfather', phone: '13800000000' },
      categories: [this.category],
      schoolingSupport: false,
      leftBehind: false,
      hivAffected: false,
      parents: this.category === 'orphan' ? orphanParents : unsupportedParents,
      documents: ['户口簿'],
      bankAccount: account(),
    });
    if (ageOn(birthDate, receivedOn) >= 18) {
      expect(answer(received), JSON.stringify(received.body)).toEqual([422, 'INELIGIBLE_AGE']);
      return;
    }
    expect(received.status, JSON.stringify(received.body)).toBe(201);
    const checked = await real.call(real.township, 'POST', `/protection/cases/${received.body.id}/check`, { decision: 'agree' });
    expect(checked.body.status, JSON.stringify(checked.body)).toBe('county_review');
    const recognised = await real.call(real.officer(this.by), 'POST', `/protection/cases/${received.body.id}/recognise`, { livingArrangement: this.living });
    expect(recognised.status, JSON.stringify(recognised.body)).toBe(200);
    const coverFrom = addMonths(model.currentMonth(), 1);
    const lastMonth = `${Number(birthDate.slice(0, 4)) + 18}-${birthDate.slice(5, 7)}`;
    expect(recognised.body.recognition).toMatchObject({ coverFrom, lastMonth, livingArrangement: this.living });
    model.cases.push({
      id: received.body.id,
      childId: registered.body.id,
      category: this.category,
      birthDate,
      coverFrom,
      lastMonth,
      status: 'recognised',
      exitFromMonth: null,
      living: [{ fromMonth: coverFrom, livingArrangement: this.living }],
      manualHold: false,
      bankFailure: false,
      lastVerifiedOn: model.today(),
    });
  }
}

/** A command on one of the run's cases (by index, modulo their number). */
abstract class OnCase extends ProgrammeCommand<BasicLivingModel, BasicLivingReal> {
  constructor(readonly index: number) {
    super();
  }
  check = (model: Readonly<BasicLivingModel>) => model.cases.length > 0;
  protected caseOf(model: BasicLivingModel): CaseModel {
    return model.cases[this.index % model.cases.length]!;
  }
}

/**
 * A living arrangement from a month (§4.5): at or after coverFrom and after every month of the case
 * in a live entry, else 409 INVALID_STATE (a month already in a roll keeps the standard it was paid at).
 */
export class ChangeLiving extends OnCase {
  constructor(index: number, readonly living: Living, readonly monthOffset: number) {
    super(index);
  }
  toString = () => `ChangeLiving(case ${this.index}, ${this.living} from this month ${this.monthOffset >= 0 ? '+' : ''}${this.monthOffset})`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    const found = this.caseOf(model);
    const fromMonth = addMonths(model.currentMonth(), this.monthOffset);
    const live = await real.liveMonthsOf(found.id);
    const response = await real.call(real.civilAffairs, 'POST', `/protection/cases/${found.id}/living-arrangement`, { livingArrangement: this.living, fromMonth });
    const allowed = found.status === 'recognised' && fromMonth >= found.coverFrom && live.every((month) => month < fromMonth);
    expect(answer(response), `${this.toString()} with live months ${live.join(',')}: ${JSON.stringify(response.body)}`).toEqual(allowed ? [200, undefined] : [409, 'INVALID_STATE']);
    if (response.status !== 200) return;
    found.living = [...found.living.filter((row) => row.fromMonth !== fromMonth), { fromMonth, livingArrangement: this.living }];
  }
}

export class Hold extends OnCase {
  toString = () => `Hold(case ${this.index})`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    const found = this.caseOf(model);
    const response = await real.call(real.civilAffairs, 'POST', `/protection/cases/${found.id}/hold`, { reason: '监护情况核实中' });
    expect(answer(response), JSON.stringify(response.body)).toEqual(found.status === 'recognised' && !found.manualHold ? [200, undefined] : [409, 'INVALID_STATE']);
    if (response.status === 200) found.manualHold = true;
  }
}

export class Release extends OnCase {
  toString = () => `Release(case ${this.index})`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    const found = this.caseOf(model);
    const response = await real.call(real.civilAffairs, 'POST', `/protection/cases/${found.id}/release`);
    expect(answer(response), JSON.stringify(response.body)).toEqual(found.status === 'recognised' && found.manualHold ? [200, undefined] : [409, 'INVALID_STATE']);
    if (response.status === 200) found.manualHold = false;
  }
}

export class Verify extends OnCase {
  toString = () => `Verify(case ${this.index})`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    const found = this.caseOf(model);
    const response = await real.call(real.civilAffairs, 'POST', `/protection/cases/${found.id}/verify`, { on: model.today() });
    expect(answer(response), JSON.stringify(response.body)).toEqual(found.status === 'recognised' ? [200, undefined] : [409, 'INVALID_STATE']);
    if (response.status === 200) found.lastVerifiedOn = model.today();
  }
}

/** An exit (§5) from a month around this one, the event today; it ends a manual hold. */
export class Exit extends OnCase {
  constructor(index: number, readonly monthOffset: number) {
    super(index);
  }
  toString = () => `Exit(case ${this.index}, from this month ${this.monthOffset >= 0 ? '+' : ''}${this.monthOffset})`;
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    const found = this.caseOf(model);
    const fromMonth = addMonths(model.currentMonth(), this.monthOffset);
    const response = await real.call(real.civilAffairs, 'POST', `/protection/cases/${found.id}/exit`, { reason: 'parent_resumed_care', eventOn: model.today(), fromMonth });
    expect(answer(response), JSON.stringify(response.body)).toEqual(found.status === 'recognised' ? [200, undefined] : [409, 'INVALID_STATE']);
    if (response.status !== 200) return;
    found.status = 'exited';
    found.exitFromMonth = fromMonth;
    found.manualHold = false;
  }
}

/**
 * A new account asked for by one civil affairs officer and confirmed by the other (security.md §2;
 * the asker's own confirmation first, when `askerTriesFirst`, is 409 FOUR_EYES_REQUIRED); it ends a
 * bank_failure hold. The case is the index-th of those held for a failed transfer, else of all.
 */
export class AccountChanged extends OnCase {
  constructor(index: number, readonly asker: Officer, readonly askerTriesFirst: boolean) {
    super(index);
  }
  toString = () => `AccountChanged(case ${this.index}, asked by ${this.asker}${this.askerTriesFirst ? ', who tries to confirm it' : ''})`;
  protected override caseOf(model: BasicLivingModel): CaseModel {
    const failed = model.cases.filter((found) => found.bankFailure);
    return failed.length > 0 ? failed[this.index % failed.length]! : super.caseOf(model);
  }
  async act(model: BasicLivingModel, real: BasicLivingReal) {
    await changeAccount(model, real, this.caseOf(model), this.asker, this.askerTriesFirst);
  }
}

/** Asks for and confirms a new account; answers whether it took effect. */
export async function changeAccount(model: BasicLivingModel, real: BasicLivingReal, found: CaseModel, asker: Officer, askerTriesFirst = false): Promise<boolean> {
  const confirmer: Officer = asker === 'civilAffairs' ? 'civilAffairs2' : 'civilAffairs';
  // A case that is still paid takes a new account: a recognised one, or an exited one with months
  // still owed (allowance.md § Corrections: an account is accepted on an exited record while it has due months).
  const owed = found.status === 'recognised' || (await real.paymentsOf(found.childId)).some((row) => row.status === 'due' || row.status === 'held');
  const asked = await real.call(real.officer(asker), 'PUT', `/protection/cases/${found.id}/bank-account`, account());
  if (!owed) {
    expect(answer(asked), JSON.stringify(asked.body)).toEqual([409, 'INVALID_STATE']);
    return false;
  }
  expect(asked.status, `${found.status} case, bank failure ${found.bankFailure}: ${JSON.stringify(asked.body)}`).toBe(200);
  if (askerTriesFirst) expect(answer(await real.call(real.officer(asker), 'POST', `/protection/cases/${found.id}/bank-account/confirm`))).toEqual([409, 'FOUR_EYES_REQUIRED']);
  const confirmed = await real.call(real.officer(confirmer), 'POST', `/protection/cases/${found.id}/bank-account/confirm`);
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  expect(confirmed.body.pendingBankAccount).toBeNull();
  found.bankFailure = false;
  return true;
}

export type { Command };
