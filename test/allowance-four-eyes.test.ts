import { describe, expect, it } from 'vitest';
import { pdfText } from '../src/testing/pdfTools.js';
import { accountNumber, activeBeneficiary, auditActions, buildRoll, certifiedChild, createCounty, enrolBody, issuedRoll, transferOf, type County, type Roll } from './support/allowance.js';
import { withTestApp } from './support/lifecycle.js';
import { tableCounts, type Client, type TestApp } from './support/testApp.js';

// Nobody moves money alone in the care allowance (security.md §2): a roll is issued by another
// civil affairs officer of the region than its builder; an enrolment is approved by a civil affairs
// officer who did not enrol it; a change of a family's bank account waits, pending, for another
// user allowed to change it, and until then every payment goes to the old account; a waiver waits
// for another civil affairs officer, and the overpayment stays open until then. The same person's
// second step is 409 FOUR_EYES_REQUIRED, after the state and notice-period checks, and changes
// nothing.

let test: TestApp;
withTestApp((made) => (test = made));

const at = (iso: string) => test.clock.set(iso.length === 10 ? `${iso}T10:00:00+08:00` : iso);
/** A user as answers name people: id and name. */
const me = async (client: Client) => {
  const { id, name } = (await client.get('/api/v1/me')).body as { id: string; name: string };
  return { id, name };
};

/** Expects the same person's second step refused with FOUR_EYES_REQUIRED and not a row changed. */
async function refusedAsSamePerson(call: () => Promise<{ status: number; body: any }>) {
  const before = await tableCounts(test.db);
  const refused = await call();
  expect([refused.status, refused.body.error?.code], JSON.stringify(refused.body)).toEqual([409, 'FOUR_EYES_REQUIRED']);
  expect(await tableCounts(test.db)).toEqual(before);
  return refused;
}

describe('a roll: built by one civil affairs officer, issued by another of the region', () => {
  it('the notice period answers first; then the builder’s issue is 409 FOUR_EYES_REQUIRED and changes nothing; the second officer issues it; the roll and its summary PDF name both', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const elsewhere = await createCounty(test);
    await activeBeneficiary(county, { acceptedOn: '2025-11-05' });
    const [builder, issuer] = [await me(county.civilAffairs), await me(county.civilAffairs2)];
    const built = await buildRoll(county, '2025-12');
    expect(built).toMatchObject({ builtBy: builder, issuedBy: null });
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${built.id}/publish`, { from: '2025-12-11' });
    // During the notice the period answers, whoever asks.
    expect((await county.civilAffairs.post(`/api/v1/allowance/rolls/${built.id}/issue`, {})).body.error.code).toBe('NOTICE_PERIOD_NOT_OVER');
    expect((await county.civilAffairs2.post(`/api/v1/allowance/rolls/${built.id}/issue`, {})).body.error.code).toBe('NOTICE_PERIOD_NOT_OVER');

    at('2025-12-18');
    await refusedAsSamePerson(() => county.civilAffairs.post(`/api/v1/allowance/rolls/${built.id}/issue`, {}));
    expect((await county.civilAffairs.get(`/api/v1/allowance/rolls/${built.id}`)).body).toMatchObject({ status: 'published', issuedBy: null, sha256: null });
    // Another region's officer has no such roll.
    expect((await elsewhere.civilAffairs2.post(`/api/v1/allowance/rolls/${built.id}/issue`, {})).status).toBe(404);

    const issued = await county.civilAffairs2.post(`/api/v1/allowance/rolls/${built.id}/issue`, {});
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ status: 'issued', builtBy: builder, issuedBy: issuer });
    expect((await county.finance.get('/api/v1/allowance/rolls')).body.items).toMatchObject([{ id: built.id, builtBy: builder, issuedBy: issuer }]);
    // Issued: the state answers first, whoever asks.
    expect((await county.civilAffairs.post(`/api/v1/allowance/rolls/${built.id}/issue`, {})).body.error.code).toBe('INVALID_STATE');
    expect((await county.civilAffairs2.post(`/api/v1/allowance/rolls/${built.id}/issue`, {})).body.error.code).toBe('INVALID_STATE');

    const [issuedEvent] = (await county.civilAffairs.get(`/api/v1/audit?entityId=${built.id}&action=roll.issued`)).body.items;
    expect(issuedEvent).toMatchObject({ actorId: issuer.id, data: { builtByUserId: builder.id } });
    const pdf = await county.finance.request('GET', `/api/v1/allowance/rolls/${built.id}/pdf`);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    expect(text).toContain(`经办人：${builder.name}`);
    expect(text).toContain(`审核人：${issuer.name}`);
  });
});

describe('an enrolment: approved by a civil affairs officer who did not enrol it', () => {
  it('enrolled by civil affairs: its own approval is 409 FOUR_EYES_REQUIRED and changes nothing; the other officer approves; an approved record answers INVALID_STATE first', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const child = await certifiedChild(county);
    const enrolled = await county.civilAffairs.post('/api/v1/allowance/beneficiaries', enrolBody(child.id));
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.enrolledBy).toEqual(await me(county.civilAffairs));
    await refusedAsSamePerson(() => county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {}));
    expect((await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${enrolled.body.id}`)).body.status).toBe('pending');

    const approved = await county.civilAffairs2.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('active');
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {})).body.error.code).toBe('INVALID_STATE');
    const [approvedEvent] = (await county.civilAffairs.get(`/api/v1/audit?entityId=${enrolled.body.id}&action=beneficiary.approved`)).body.items;
    expect(approvedEvent.actorId).toBe((await me(county.civilAffairs2)).id);
  });

  it('enrolled by the reviewer: either civil affairs officer approves; the one who enrolled may still reject it', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const byReviewer = await activeBeneficiary(county, { approve: false });
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${byReviewer.id}/approve`, {})).status).toBe(200);
    const child = await certifiedChild(county);
    const own = await county.civilAffairs.post('/api/v1/allowance/beneficiaries', enrolBody(child.id));
    // Rejecting moves no money: the officer who enrolled by mistake takes it back.
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${own.body.id}/reject`, { reason: '重复报送' })).body.status).toBe('rejected');
  });
});

describe('a family’s bank account: asked for by one user, confirmed by another', () => {
  const account = (number: string) => ({ bank: '中国农业银行', accountName: '张大山', accountNumber: number });
  /** As the reviewer reads an account number (allowance.md): its first and last 4 digits. */
  const masked = (number: string) => `${number.slice(0, 4)}${'*'.repeat(number.length - 8)}${number.slice(-4)}`;
  /** As the audit trail keeps it (security.md §4): its first 3 and last 4. */
  const audited = (number: string) => `${number.slice(0, 3)}${'*'.repeat(number.length - 7)}${number.slice(-4)}`;
  const pendingNumbers = async (county: County, id: string) =>
    (await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${id}`)).body as { bankAccount: { accountNumber: string }; pendingBankAccount: { accountNumber: string; requestedBy: { id: string } } | null };

  it('a change is pending (who asked, when) and the draft and published roll keep paying the old account; the asker cannot confirm; a second change replaces the first; another user confirms and only then the open roll carries it', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-10-20', name: '张三' });
    const oldFull = (await pendingNumbers(county, beneficiary.id)).bankAccount.accountNumber;
    const draft = await buildRoll(county, '2025-12');
    const number = transferOf(draft, beneficiary.id)!.transferNo;
    const [reviewer, civilAffairs] = [await me(county.reviewer), await me(county.civilAffairs)];

    const first = accountNumber();
    const asked = await county.reviewer.put(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account`, account(first));
    expect(asked.status).toBe(200);
    // The reviewer sees account numbers masked, the pending one too; civil affairs sees them in full.
    expect(asked.body.bankAccount.accountNumber).toBe(masked(oldFull));
    expect(asked.body.pendingBankAccount).toEqual({
      ...account(masked(first)),
      requestedBy: reviewer,
      requestedAt: '2025-12-11T02:00:00.000Z',
    });
    expect((await pendingNumbers(county, beneficiary.id)).pendingBankAccount!.accountNumber).toBe(first);
    expect(transferOf((await county.civilAffairs.get(`/api/v1/allowance/rolls/${draft.id}`)).body, beneficiary.id)).toMatchObject({ transferNo: number, accountNumber: oldFull });

    await refusedAsSamePerson(() => county.reviewer.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account/confirm`, {}));
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${draft.id}/publish`, { from: '2025-12-11' });
    expect(transferOf((await county.civilAffairs.get(`/api/v1/allowance/rolls/${draft.id}`)).body, beneficiary.id)!.accountNumber).toBe(oldFull);

    // A second change replaces the first: now the reviewer may confirm civil affairs' change.
    const second = accountNumber();
    const replaced = await county.civilAffairs.put(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account`, account(second));
    expect(replaced.body.pendingBankAccount).toMatchObject({ accountNumber: second, requestedBy: civilAffairs });
    await refusedAsSamePerson(() => county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account/confirm`, {}));
    const confirmed = await county.reviewer.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account/confirm`, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.pendingBankAccount).toBeNull();
    expect((await pendingNumbers(county, beneficiary.id)).bankAccount.accountNumber).toBe(second);
    expect(transferOf((await county.civilAffairs.get(`/api/v1/allowance/rolls/${draft.id}`)).body, beneficiary.id)).toMatchObject({ transferNo: number, accountNumber: second });
    // Nothing pending: the state answers, whoever asks.
    expect((await county.civilAffairs2.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account/confirm`, {})).body.error.code).toBe('INVALID_STATE');

    // The pending account numbers are stored to be confirmed, and audited masked only.
    const events = (await county.civilAffairs.get(`/api/v1/audit?entityId=${beneficiary.id}&limit=500`)).body.items as { action: string; actorId: string; data: Record<string, any> }[];
    const trail = events.filter((event) => event.action.startsWith('bank_account.') || event.action === 'beneficiary.bank_account_changed');
    expect(trail.map((event) => [event.action, event.actorId])).toEqual([
      ['bank_account.change_requested', reviewer.id],
      ['bank_account.change_requested', civilAffairs.id],
      ['bank_account.confirmed', reviewer.id],
      ['beneficiary.bank_account_changed', reviewer.id],
    ]);
    expect(trail[0]!.data.requested.accountNumber).toBe(audited(first));
    expect(trail[1]!.data.replaces).toMatchObject({ requestedByUserId: reviewer.id });
    expect(trail[2]!.data).toMatchObject({ requestedByUserId: civilAffairs.id });
    expect(trail[3]!.data).toMatchObject({ after: { accountNumber: audited(second) }, openRollsUpdated: [draft.id] });
    for (const full of [first, second, oldFull]) expect(JSON.stringify(events)).not.toContain(full);
  });

  it('a failed transfer’s bank_failure hold stays while the new account waits: the next roll holds the child; confirmed by another user, the hold ends and the rebuilt roll pays the new account', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-11-05' });
    const december = await issuedRoll(test, county, '2025-12', '2025-12-11');
    await county.finance.post(`/api/v1/allowance/rolls/${december.id}/results`, { results: [{ transferNo: 1, status: 'failed', reason: '账户已销户' }] });
    const newAccount = accountNumber();
    const asked = await county.civilAffairs.put(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account`, account(newAccount));
    expect(asked.body.holds).toMatchObject([{ reason: 'bank_failure' }]);
    at('2026-01-12');
    const january = await buildRoll(county, '2026-01');
    expect(transferOf(january, beneficiary.id)).toBeUndefined();
    expect(january.held).toMatchObject([{ beneficiaryId: beneficiary.id, reason: 'bank_failure', months: ['2025-11', '2025-12', '2026-01'] }]);
    await refusedAsSamePerson(() => county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account/confirm`, {}));

    const confirmed = await county.civilAffairs2.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account/confirm`, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.holds).toEqual([]);
    expect(await auditActions(county.civilAffairs, beneficiary.id)).toEqual(expect.arrayContaining(['bank_account.confirmed', 'beneficiary.bank_account_changed', 'beneficiary.released']));
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${january.id}/cancel`, {});
    const rebuilt = await buildRoll(county, '2026-01');
    expect(transferOf(rebuilt, beneficiary.id)).toMatchObject({ months: ['2025-11', '2025-12', '2026-01'], amount: '90.00', accountNumber: newAccount });
    // The issued December roll keeps the account it sent to.
    expect(transferOf((await county.civilAffairs.get(`/api/v1/allowance/rolls/${december.id}`)).body as Roll, beneficiary.id)!.accountNumber).not.toBe(newAccount);
  });

  it('two users confirming the same change at once: one takes effect, the other finds nothing pending (INVALID_STATE); one confirmation in the trail', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-11-05' });
    const wanted = accountNumber();
    await county.civilAffairs.put(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account`, account(wanted));
    const answers = await Promise.all([county.reviewer, county.civilAffairs2].map((client) => client.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account/confirm`, {})));
    expect(answers.map((answer) => [answer.status, answer.body.error?.code ?? null]).sort()).toEqual([
      [200, null],
      [409, 'INVALID_STATE'],
    ]);
    expect((await pendingNumbers(county, beneficiary.id)).bankAccount.accountNumber).toBe(wanted);
    expect((await auditActions(county.civilAffairs, beneficiary.id)).filter((action) => action === 'bank_account.confirmed')).toHaveLength(1);
  });

  it('a change asked for on a rejected record is refused before anything (INVALID_STATE), and so is a confirmation', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const pending = await activeBeneficiary(county, { approve: false });
    await county.reviewer.put(`/api/v1/allowance/beneficiaries/${pending.id}/bank-account`, account(accountNumber()));
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${pending.id}/reject`, { reason: '材料不全' });
    const before = await tableCounts(test.db);
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${pending.id}/bank-account/confirm`, {})).body.error.code).toBe('INVALID_STATE');
    expect((await county.reviewer.put(`/api/v1/allowance/beneficiaries/${pending.id}/bank-account`, account(accountNumber()))).body.error.code).toBe('INVALID_STATE');
    expect(await tableCounts(test.db)).toEqual(before);
  });
});

describe('a waiver: asked for by one civil affairs officer, confirmed by another', () => {
  /** An overpayment of 30.00: December sent, then the child moved out from December. */
  async function overpayment(county: County) {
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-11-05' });
    await issuedRoll(test, county, '2025-12', '2025-12-11');
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/exit`, { reason: 'moved_out', fromMonth: '2025-12' });
    return (await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items[0] as { id: string; amount: string };
  }

  it('the overpayment stays open while the waiver waits (recoveries go on); the asker cannot confirm; the other officer waives what is left', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const { id } = await overpayment(county);
    const [asker, confirmer] = [await me(county.civilAffairs), await me(county.civilAffairs2)];
    const asked = await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/waive`, { reason: '家庭困难' });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ status: 'open', remaining: '30.00', waiveReason: null, pendingWaiver: { reason: '家庭困难', requestedBy: asker, requestedAt: '2025-12-18T02:00:00.000Z' } });
    expect((await county.civilAffairs.get('/api/v1/allowance/stats?year=2025')).body.overpayments.open).toBe('30.00');
    await refusedAsSamePerson(() => county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/waive/confirm`, {}));

    const partial = await county.civilAffairs2.post(`/api/v1/allowance/overpayments/${id}/recoveries`, { amount: '10.00', on: '2025-12-18', voucherNo: 'HK-1' });
    expect(partial.body).toMatchObject({ status: 'partially_recovered', remaining: '20.00', pendingWaiver: { requestedBy: asker } });
    const waived = await county.civilAffairs2.post(`/api/v1/allowance/overpayments/${id}/waive/confirm`, {});
    expect(waived.status).toBe(200);
    expect(waived.body).toMatchObject({ status: 'waived', waiveReason: '家庭困难', pendingWaiver: null, recovered: '10.00' });
    expect((await county.civilAffairs2.post(`/api/v1/allowance/overpayments/${id}/waive/confirm`, {})).body.error.code).toBe('INVALID_STATE');

    const events = (await county.civilAffairs.get(`/api/v1/audit?entityId=${id}`)).body.items as { action: string; actorId: string; data: Record<string, unknown> }[];
    expect(events.map((event) => [event.action, event.actorId])).toEqual([
      [expect.stringMatching(/^overpayment\.created$/), expect.any(String)],
      ['overpayment.waive_requested', asker.id],
      ['overpayment.recovered', confirmer.id],
      ['overpayment.waived', confirmer.id],
    ]);
    expect(events[3]!.data).toMatchObject({ reason: '家庭困难', waived: '20.00', requestedByUserId: asker.id });
  });

  it('a second request replaces the first, so its asker’s colleague confirms; a waiver still waiting when the rest is recovered lapses (INVALID_STATE)', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const { id } = await overpayment(county);
    await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/waive`, { reason: '家庭困难' });
    const replaced = await county.civilAffairs2.post(`/api/v1/allowance/overpayments/${id}/waive`, { reason: '监护人无力偿还' });
    expect(replaced.body.pendingWaiver).toMatchObject({ reason: '监护人无力偿还', requestedBy: await me(county.civilAffairs2) });
    await refusedAsSamePerson(() => county.civilAffairs2.post(`/api/v1/allowance/overpayments/${id}/waive/confirm`, {}));
    await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/recoveries`, { amount: '30.00', on: '2025-12-18', voucherNo: 'HK-2' });
    const before = await tableCounts(test.db);
    const lapsed = await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/waive/confirm`, {});
    expect(lapsed.body.error.code).toBe('INVALID_STATE');
    expect(await tableCounts(test.db)).toEqual(before);
    expect((await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items[0]).toMatchObject({ status: 'recovered', pendingWaiver: null });
  });
});
