import { expect } from 'vitest';
import { addDays, addMonths, ageOn, AllowanceModel, AllowanceReal, COMMUNITIES, latest, type Officer, type RecordModel, type Tier } from './allowancePropertyModel.js';
import { ProgrammeCommand } from './monthlyRollProperty.js';
import type { Response } from './testApp.js';

// The property test's commands on a child's records (allowancePropertyCommands.ts has the rolls'
// and the weighted list): enrol and re-enrol, approve, reject, tier, verify, hold, release, exit,
// account change, certificate recorded and revoked. Each runs over HTTP and updates the model from
// what the service answered, checking the answer where the model can tell it.

export const expectStatus = (response: Response, allowed: number[], what: string) => expect(allowed, `${what}: ${response.status} ${JSON.stringify(response.body)}`).toContain(response.status);

export class Enrol extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
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
    model.records.push({
      id: response.body.id,
      child: this.child,
      startMonth,
      lastMonth,
      status: 'pending',
      exitFromMonth: null,
      tiers: [{ fromMonth: startMonth, tier: this.tier }],
      enrolledBy: this.byReviewer ? 'reviewer' : 'civilAffairs',
      pendingAccountBy: null,
    });
  }
}

/** A command on the latest record of a child, when it has one. */
export abstract class OnRecord extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly child: number) {
    super();
  }
  check = (model: Readonly<AllowanceModel>) => model.records.some((record) => record.child === this.child);
  protected record(model: AllowanceModel): RecordModel {
    return model.latestRecordOf(this.child)!;
  }
}

/** An approval by one of the two civil affairs officers: the one who enrolled the record is refused (409 FOUR_EYES_REQUIRED). */
export class Approve extends OnRecord {
  constructor(child: number, readonly by: 'civilAffairs' | 'civilAffairs2') {
    super(child);
  }
  toString = () => `Approve(child ${this.child}, by ${this.by})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const record = this.record(model);
    const response = await real.call(real.officer(this.by), 'POST', `/allowance/beneficiaries/${record.id}/approve`);
    // The state first, then the certificate, then the second person.
    const expected =
      record.status !== 'pending'
        ? [409, 'INVALID_STATE']
        : !model.children[this.child]!.certificate
          ? [422, 'NO_CERTIFICATE']
          : record.enrolledBy === this.by
            ? [409, 'FOUR_EYES_REQUIRED']
            : [200, undefined];
    expect([response.status, response.body?.error?.code], JSON.stringify(response.body)).toEqual(expected);
    if (response.status === 200) record.status = 'active';
  }
}

export class Reject extends OnRecord {
  toString = () => `Reject(child ${this.child})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const record = this.record(model);
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${record.id}/reject`, { reason: '材料不全' });
    expect(response.status).toBe(record.status === 'pending' ? 200 : 409);
    if (response.status === 200) record.status = 'rejected';
  }
}

export class ChangeTier extends OnRecord {
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

export class Verify extends OnRecord {
  constructor(child: number, readonly daysBack: number) {
    super(child);
  }
  toString = () => `Verify(child ${this.child}, ${this.daysBack} days back)`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const response = await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${this.record(model).id}/verify`, { on: addDays(model.today(), -this.daysBack) });
    expectStatus(response, [200, 400, 409], this.toString());
  }
}

export class Hold extends OnRecord {
  toString = () => `Hold(child ${this.child})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    expectStatus(await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${this.record(model).id}/hold`, { reason: '核查' }), [200, 409], this.toString());
  }
}

export class Release extends OnRecord {
  toString = () => `Release(child ${this.child})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    expectStatus(await real.call(real.civilAffairs, 'POST', `/allowance/beneficiaries/${this.record(model).id}/release`), [200, 409], this.toString());
  }
}

export class Exit extends OnRecord {
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

/** A request for a new account: pending until another user confirms it (ConfirmAccount); a later request replaces it. */
export class ChangeAccount extends OnRecord {
  constructor(child: number, readonly by: Officer, readonly account: number) {
    super(child);
  }
  toString = () => `ChangeAccount(child ${this.child}, account ${this.account}, by ${this.by})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const record = this.record(model);
    const response = await real.call(real.officer(this.by), 'PUT', `/allowance/beneficiaries/${record.id}/bank-account`, {
      bank: ['中国农业银行', '四川农信'][this.account % 2],
      accountName: '家长',
      accountNumber: `62284800${String(this.account).padStart(11, '0')}`,
    });
    expectStatus(response, record.status === 'rejected' ? [409] : [200, 409], this.toString());
    if (response.status !== 200) return;
    record.pendingAccountBy = this.by;
    // In full for civil affairs, masked for the reviewer: the last 4 digits either way.
    expect(response.body.pendingBankAccount?.accountNumber.slice(-4)).toBe(String(this.account).padStart(4, '0'));
  }
}

/** The confirmation of a pending change of account: by whoever asked → 409; by another → it takes effect (or 409 when the record no longer takes one). */
export class ConfirmAccount extends OnRecord {
  constructor(child: number, readonly by: Officer) {
    super(child);
  }
  toString = () => `ConfirmAccount(child ${this.child}, by ${this.by})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const record = this.record(model);
    const response = await real.call(real.officer(this.by), 'POST', `/allowance/beneficiaries/${record.id}/bank-account/confirm`);
    if (record.pendingAccountBy === null) {
      expect([response.status, response.body?.error?.code], this.toString()).toEqual([409, 'INVALID_STATE']);
      return;
    }
    // The record's state answers first (INVALID_STATE), then the second person.
    expectStatus(response, record.pendingAccountBy === this.by ? [409] : [200, 409], this.toString());
    if (response.status === 409 && record.pendingAccountBy !== this.by) expect(response.body.error.code).toBe('INVALID_STATE');
    if (response.status !== 200) return;
    record.pendingAccountBy = null;
    expect(response.body.pendingBankAccount).toBeNull();
  }
}

export class RecordCertificate extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
  constructor(readonly child: number) {
    super();
  }
  check = () => true;
  toString = () => `RecordCertificate(child ${this.child})`;
  async act(model: AllowanceModel, real: AllowanceReal) {
    const subject = model.children[this.child]!;
    const issuedOn = model.today();
    const response = await real.call(real.reviewer, 'PUT', `/children/${subject.id}/certificate`, { certificateNo: `${subject.idNumber}6${1 + (this.child % 4)}`, issuedOn });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    subject.certificate = true;
    subject.certificateIssuedOn = issuedOn;
  }
}

export class RevokeCertificate extends ProgrammeCommand<AllowanceModel, AllowanceReal> {
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

