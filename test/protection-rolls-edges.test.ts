import { describe, expect, it } from 'vitest';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestApp } from './support/lifecycle.js';
import { caseBody, createProtectionCounty, expectOk, protectionAccount, receiveCase, townshipChild, type ProtectionCounty } from './support/protection.js';
import type { Client, TestApp } from './support/testApp.js';
import { createWorld, type World } from './support/world.js';

// The edges of the basic-living rolls (protection.md §5, §8) the review found: a case paid for HIV
// at the orphan rate, a case made payable without an account, the bank's results sent twice, an
// earlier graduation that would unpay a month in a roll, a child's new case and its earlier case's
// overpayment, a child moved to another township with a draft open. Region 511702 starts a case's
// cover in the month of receipt, so cases received in the past have months to pay.

let test: TestApp;
let world: World;
let county: ProtectionCounty;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);

interface Roll {
  id: string;
  total: string;
  transfers: { transferNo: number; caseId: string; villageCode: string; townshipName?: string; months: string[]; amount: string; status: string }[];
  held: { caseId: string; reason: string; months: string[]; amount: string }[];
}

/** A case of a new child received on `receivedOn` and recognised that day by 民政甲 (cover from the month of receipt). */
async function recognisedCase(receivedOn: string, body: Record<string, unknown> = {}, options: { birthDate?: string; childId?: string } = {}) {
  at(receivedOn);
  const childId = options.childId ?? ((await townshipChild(county, options.birthDate ? { birthDate: options.birthDate } : {})).id as string);
  const received = await receiveCase(county, caseBody(childId, { receivedOn, ...body }));
  await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
  await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, {}), 'recognise');
  return { childId, caseId: received.id as string };
}

const build = async (month: string, by: Client = county.civilAffairs) => (await expectOk(by.post('/api/v1/protection/rolls', { month }), `build ${month}`)) as Roll;
const issue = async (roll: Roll) => (await expectOk(county.civilAffairs2.post(`/api/v1/protection/rolls/${roll.id}/issue`), 'issue')) as Roll;
const paid = (roll: Roll) => expectOk(county.finance.post(`/api/v1/protection/rolls/${roll.id}/results`, { results: roll.transfers.map((transfer) => ({ transferNo: transfer.transferNo, status: 'paid' })) }), 'results');
const overpaymentsOf = async (caseId: string) =>
  ((await expectOk(county.civilAffairs.get('/api/v1/protection/overpayments?limit=500'), 'overpayments')).items as { caseId: string; amount: string; status: string; months: string[] }[]).filter(
    (item) => item.caseId === caseId,
  );

describe('basic-living rolls at their edges', () => {
  it('a poor family’s case with hivAffected is paid at the orphan scattered rate (600.00); a case made an orphan’s later without an account is held no_account, on the roll and on its page', async () => {
    at('2026-01-05');
    world = await createWorld(test);
    county = await createProtectionCounty(test);
    await expectOk(world.admin.put('/api/v1/regions/511702/settings', { protectionCoverFrom: 'received_month' }), 'cover');
    const hiv = await recognisedCase('2026-01-05', { categories: ['guardianship_lacking'], hivAffected: true });
    const later = await recognisedCase('2026-01-05', { categories: ['guardianship_lacking'], bankAccount: null });
    at('2026-01-20');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${later.caseId}/categories`, { categories: ['orphan'], fromMonth: '2026-02' }), 'categories');
    at('2026-02-05');
    const roll = await build('2026-02');
    expect(roll.transfers.map((transfer) => [transfer.caseId, transfer.months, transfer.amount])).toEqual([[hiv.caseId, ['2026-01', '2026-02'], '1200.00']]);
    expect(roll.held).toEqual([expect.objectContaining({ caseId: later.caseId, reason: 'no_account', months: ['2026-02'], amount: '600.00' })]);
    const page = await expectOk(county.civilAffairs.get(`/api/v1/protection/cases/${later.caseId}`), 'case');
    expect(page.holds.map((hold: { reason: string }) => hold.reason)).toEqual(['no_account']);
    expect(page.months).toEqual([{ caseId: later.caseId, month: '2026-02', amount: '600.00', status: 'held', rollNumber: null, sent: false }]);
    const issued = await issue(roll);
    await paid(issued);
    // The same results again change nothing; a different result for a recorded transfer is refused.
    const again = await county.finance.post(`/api/v1/protection/rolls/${roll.id}/results`, { results: [{ transferNo: issued.transfers[0]!.transferNo, status: 'paid' }] });
    expect(again.status).toBe(200);
    await expectRefusedUnchanged(
      test.db,
      () => county.finance.post(`/api/v1/protection/rolls/${roll.id}/results`, { results: [{ transferNo: issued.transfers[0]!.transferNo, status: 'failed', reason: '户名不符' }] }),
      409,
      'INVALID_STATE',
    );
  });

  it('studying posted again with an earlier graduation that would unpay a month in a roll is 409 and changes nothing; one that keeps every month in a roll is taken', async () => {
    // Born 2008-05-10: 18 in 2026-05, covered to 2026-05; studying to 2026-12 extends it.
    const student = await recognisedCase('2026-02-10', {}, { birthDate: '2008-05-10' });
    at('2026-03-02');
    await expectOk(county.township.post(`/api/v1/protection/cases/${student.caseId}/studying`, { school: '达州职业技术学校', stage: 'vocational_high_school', expectedGraduation: '2026-12' }), 'studying');
    at('2026-06-03');
    const june = await build('2026-06');
    expect(june.transfers.find((transfer) => transfer.caseId === student.caseId)?.months).toEqual(['2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    await expectRefusedUnchanged(
      test.db,
      () => county.township.post(`/api/v1/protection/cases/${student.caseId}/studying`, { school: '达州职业技术学校', stage: 'vocational_high_school', expectedGraduation: '2026-05' }),
      409,
      'INVALID_STATE',
    );
    const later = await expectOk(county.township.post(`/api/v1/protection/cases/${student.caseId}/studying`, { school: '达州职业技术学校', stage: 'vocational_high_school', expectedGraduation: '2026-07' }), 'studying');
    expect(later.recognition.lastMonth).toBe('2026-07');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/rolls/${june.id}/cancel`), 'cancel');
  });

  it('a child’s new case that pays nothing leaves the earlier case’s overpayment open; a new case paying the month makes it payable again (cancelled)', async () => {
    const first = await recognisedCase('2026-06-05');
    at('2026-07-03');
    const july = await issue(await build('2026-07'));
    expect(july.transfers.find((transfer) => transfer.caseId === first.caseId)?.months).toEqual(['2026-06', '2026-07']);
    at('2026-07-10');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${first.caseId}/exit`, { reason: 'other', eventOn: '2026-06-20', fromMonth: '2026-07', note: '监护人变更' }), 'exit');
    expect(await overpaymentsOf(first.caseId)).toEqual([expect.objectContaining({ amount: '600.00', status: 'open', months: ['2026-07'] })]);
    // The same child, recognised again from July as a poor family's child only: nothing is payable.
    const notPayable = await recognisedCase('2026-07-10', { categories: ['guardianship_lacking'] }, { childId: first.childId });
    expect(await overpaymentsOf(first.caseId)).toEqual([expect.objectContaining({ amount: '600.00', status: 'open' })]);
    at('2026-07-12');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${notPayable.caseId}/exit`, { reason: 'other', eventOn: '2026-07-11', fromMonth: '2026-07', note: '登记有误' }), 'exit');
    // An orphan's case from July pays July: it is counted paid, not recovered.
    await recognisedCase('2026-07-12', {}, { childId: first.childId });
    expect(await overpaymentsOf(first.caseId)).toEqual([expect.objectContaining({ amount: '0.00', status: 'cancelled' })]);
  });

  it('a child moved to the other township while a draft pays it: the draft names the new village and township; issued rolls keep theirs', async () => {
    const mover = await recognisedCase('2026-07-14');
    at('2026-08-03');
    const august = await build('2026-08');
    expect(august.transfers.find((transfer) => transfer.caseId === mover.caseId)?.villageCode).toBe(county.village);
    await expectOk(county.civilAffairs.put(`/api/v1/children/${mover.childId}/village`, { villageCode: county.otherVillage }), 'move');
    const after = (await expectOk(county.civilAffairs.get(`/api/v1/protection/rolls/${august.id}`), 'roll')) as Roll;
    expect(after.transfers.find((transfer) => transfer.caseId === mover.caseId)?.villageCode).toBe(county.otherVillage);
    const issued = await issue(after);
    const summary = await county.finance.get(`/api/v1/protection/rolls/${issued.id}/pdf`);
    expect(summary.status).toBe(200);
  });

  it('an account asked for on a case still paid is refused once its exit leaves nothing owed (409), and taken while a failed month is owed', async () => {
    const owed = await recognisedCase('2026-08-04');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.put(`/api/v1/protection/cases/${owed.caseId}/bank-account`, { bogus: true }), 400, 'VALIDATION_FAILED');
    at('2026-09-02');
    const september = await issue(await build('2026-09'));
    const mine = september.transfers.find((transfer) => transfer.caseId === owed.caseId)!;
    await expectOk(
      county.finance.post(`/api/v1/protection/rolls/${september.id}/results`, {
        results: september.transfers.map((transfer) => ({ transferNo: transfer.transferNo, status: transfer.caseId === owed.caseId ? 'failed' : 'paid', reason: '账户冻结' })),
      }),
      'results',
    );
    expect(mine.months).toEqual(['2026-08', '2026-09']);
    at('2026-09-20');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${owed.caseId}/exit`, { reason: 'adopted', eventOn: '2026-09-10' }), 'exit');
    await expectOk(county.civilAffairs.put(`/api/v1/protection/cases/${owed.caseId}/bank-account`, protectionAccount()), 'change');
    await expectOk(county.civilAffairs2.post(`/api/v1/protection/cases/${owed.caseId}/bank-account/confirm`), 'confirm');
    at('2026-10-05');
    const october = await build('2026-10');
    expect(october.transfers.find((transfer) => transfer.caseId === owed.caseId)?.months).toEqual(['2026-08', '2026-09']);
  });

  it('a bank return file whose 金额 or 户名 differ from the roll’s transfer (another roll’s file) is refused whole, naming the line; the matching file is recorded', async () => {
    at('2026-10-08');
    const october = ((await expectOk(county.civilAffairs.get('/api/v1/protection/rolls?month=2026-10&status=draft'), 'rolls')).items as { id: string }[])[0]!;
    const issued = (await expectOk(county.civilAffairs2.post(`/api/v1/protection/rolls/${october.id}/issue`), 'issue')) as Roll & { transfers: (Roll['transfers'][number] & { accountName: string })[] };
    const csv = (rows: string[][]) => ['序号,户名,金额,结果,失败原因', ...rows.map((row) => row.join(','))].join('\r\n');
    const upload = (body: string) => county.finance.request('POST', `/api/v1/protection/rolls/${issued.id}/results`, body, { 'content-type': 'text/csv' });
    const [first, ...rest] = issued.transfers;
    const wrong = await expectRefusedUnchanged(test.db, () => upload(csv([[String(first!.transferNo), first!.accountName, '999.00', '成功', '']])), 400, 'VALIDATION_FAILED');
    expect(wrong.body.error.details[0].hint).toContain('不符');
    await expectRefusedUnchanged(test.db, () => upload(csv([[String(first!.transferNo), '张三', first!.amount, '成功', '']])), 400, 'VALIDATION_FAILED');
    const settled = (await expectOk(upload(csv([first!, ...rest].map((transfer) => [String(transfer.transferNo), transfer.accountName, transfer.amount, '成功', '']))), 'results')) as Roll & { status: string };
    expect(settled.status).toBe('settled');
  });
});
