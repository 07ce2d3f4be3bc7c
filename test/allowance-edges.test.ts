import { describe, expect, it } from 'vitest';
import {
  accountNumber,
  activeBeneficiary,
  auditActions,
  beneficiaryDetail,
  buildRoll,
  changeAccount,
  createCounty,
  enrolBody,
  issuedRoll,
  monthRange,
  monthsOf,
  transferOf,
  type County,
  type Roll,
} from './support/allowance.js';
import { withTestApp } from './support/lifecycle.js';
import { tableCounts, type TestApp } from './support/testApp.js';

// Issue 23: the section "Corrections and edges" of allowance.md beyond the numbered defects
// (allowance-corrections.test.ts), and the case the property test found. Each scenario runs in a
// county of its own; the clock is moved as the scenario needs.

let test: TestApp;
withTestApp((made) => {
  test = made;
});

const at = (iso: string) => test.clock.set(iso.length === 10 ? `${iso}T10:00:00+08:00` : iso);
// The trail of an allowance record as the county's civil affairs office reads it (security.md §3).
const auditOf = (county: County, entityId: string) => auditActions(county.civilAffairs, entityId);

describe('issue 23: corrections and edges beyond the defects', () => {
  it('an ended record with months due (born 2007-11-10, held for review) takes a verification and a new account, and is then paid; tier and exit stay with active records (409)', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const aged = await activeBeneficiary(county, { birthDate: '2007-11-10', acceptedOn: '2024-11-20' });
    const record = await beneficiaryDetail(county, aged.id);
    expect(record).toMatchObject({ status: 'ended', holds: [{ reason: 'review_overdue' }] });
    expect(record.months.filter((month: { status: string }) => month.status === 'held')).toHaveLength(13);
    const before = await tableCounts(test.db);
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${aged.id}/tier`, { tier: 'nursing_supplement', fromMonth: '2025-11' })).status).toBe(409);
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${aged.id}/exit`, { reason: 'other', fromMonth: '2025-11' })).status).toBe(409);
    expect(await tableCounts(test.db)).toEqual(before);
    const verified = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${aged.id}/verify`, { on: '2025-12-15' });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'ended', holds: [] });
    await changeAccount(county, aged.id, { bank: '中国农业银行', accountName: '张大山', accountNumber: accountNumber() });
    const roll = await buildRoll(county, '2025-12');
    // 2024-11 to 2025-11, the month of the 18th birthday: 13 × 30.00.
    expect(transferOf(roll, aged.id)).toMatchObject({ months: monthRange('2024-11', '2025-11'), amount: '390.00' });
    expect(roll.held).toEqual([]);
    // All of it in a roll: nothing is due, and the ended record takes no hold.
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${aged.id}/hold`, { reason: '核查' })).status).toBe(409);
  });

  it('a tier change recorded later for an earlier month supersedes the one after it: care from 2025-11, nursing_supplement from 2026-02, then care from 2026-01 → January to March are care', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-11-03' });
    const tier = (tierName: string, fromMonth: string) => county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/tier`, { tier: tierName, fromMonth });
    expect((await tier('nursing_supplement', '2026-02')).status).toBe(200);
    at('2025-12-16');
    const later = await tier('care', '2026-01');
    expect(later.body.tiers.map((change: { fromMonth: string; tier: string }) => `${change.fromMonth}:${change.tier}`)).toEqual(['2025-11:care', '2026-02:nursing_supplement', '2026-01:care']);
    at('2026-03-10');
    const roll = await buildRoll(county, '2026-03');
    expect(transferOf(roll, beneficiary.id)).toMatchObject({ months: monthRange('2025-11', '2026-03'), amount: '150.00' });
    expect(roll.byFund).toEqual({ county: '150.00', hardship: '0.00' });
  });

  it('an exited record with a failed transfer: the new account is taken while months are due, ends the bank_failure hold, and the next roll pays the months before the exit', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-10-05' });
    const december = await issuedRoll(test, county, '2025-12', '2025-12-11');
    await county.finance.post(`/api/v1/allowance/rolls/${december.id}/results`, { results: [{ transferNo: 1, status: 'failed', reason: '账户已销户' }] });
    at('2026-01-12');
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/exit`, { reason: 'moved_out', fromMonth: '2025-12' });
    const held = await beneficiaryDetail(county, beneficiary.id);
    expect(held).toMatchObject({ status: 'exited', holds: [{ reason: 'bank_failure' }] });
    expect(monthsOf(held)).toEqual(['2025-10:held', '2025-11:held']);
    // Nothing was sent for December (the transfer failed): no overpayment.
    expect((await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items).toEqual([]);
    const changed = await changeAccount(county, beneficiary.id, { bank: '中国农业银行', accountName: '张大山', accountNumber: accountNumber() });
    expect(changed.holds).toEqual([]);
    expect(await auditOf(county, beneficiary.id)).toEqual([
      'beneficiary.enrolled',
      'beneficiary.approved',
      'beneficiary.held',
      'beneficiary.exited',
      'bank_account.change_requested',
      'bank_account.confirmed',
      'beneficiary.bank_account_changed',
      'beneficiary.released',
    ]);
    const january = await buildRoll(county, '2026-01');
    expect(transferOf(january, beneficiary.id)).toMatchObject({ months: ['2025-10', '2025-11'], amount: '60.00' });
    // Paid in a roll, nothing is due: another change of account is refused on the exited record.
    const before = await tableCounts(test.db);
    expect((await county.reviewer.put(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account`, { bank: '中国农业银行', accountName: '张大山', accountNumber: accountNumber() })).status).toBe(409);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('the stats count open overpayments as open and partially recovered only: 60.00 open, 20.00 of 30.00 recovered → open 70.00, recovered 20.00; a refund with nothing owed back is 422', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const first = await activeBeneficiary(county, { acceptedOn: '2025-10-05', name: '甲' });
    const second = await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '乙' });
    const third = await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '丙' });
    await issuedRoll(test, county, '2025-12', '2025-12-11');
    for (const [id, fromMonth] of [
      [first.id, '2025-11'],
      [second.id, '2025-12'],
      [third.id, '2025-12'],
    ] as const) {
      await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${id}/exit`, { reason: 'moved_out', fromMonth });
    }
    const items = (await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items as { id: string; beneficiaryId: string }[];
    const of = (id: string) => items.find((item) => item.beneficiaryId === id)!.id;
    await county.civilAffairs.post(`/api/v1/allowance/overpayments/${of(second.id)}/recoveries`, { amount: '20.00', on: '2025-12-18', voucherNo: 'HK-1' });
    await county.civilAffairs.post(`/api/v1/allowance/overpayments/${of(third.id)}/recoveries`, { amount: '30.00', on: '2025-12-18', voucherNo: 'HK-2' });
    const stats = (await county.civilAffairs.get('/api/v1/allowance/stats?year=2025')).body;
    expect(stats.overpayments).toEqual({ open: '70.00', recovered: '50.00', refundDue: '0.00' });
    const refused = await county.civilAffairs.post(`/api/v1/allowance/overpayments/${of(first.id)}/refunds`, { amount: '1.00', on: '2025-12-18', voucherNo: 'TK-1' });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'AMOUNT_MISMATCH']);
  });

  it('GET /allowance/rolls gives each roll its own figures: an issued roll of 90.00 (60.00 arrears) and a draft of 30.00 beside it', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    await activeBeneficiary(county, { acceptedOn: '2025-10-05' });
    await issuedRoll(test, county, '2025-12', '2025-12-11');
    at('2026-01-12');
    await buildRoll(county, '2026-01');
    const list = (await county.civilAffairs.get('/api/v1/allowance/rolls')).body.items as Roll[];
    expect(list.map((roll) => [roll.status, roll.total, roll.arrearsTotal, roll.entryCount, roll.beneficiaryCount])).toEqual([
      ['issued', '90.00', '60.00', 3, 1],
      ['draft', '30.00', '0.00', 1, 1],
    ]);
  });
});

describe('issue 23: found by the property test', () => {
  it('January sent, the child exited from January and enrolled again from January: January counts as paid under the new record and is not recovered; an exit of the new record from January recovers it again', async () => {
    at('2026-01-06');
    const county = await createCounty(test);
    const first = await activeBeneficiary(county, { acceptedOn: '2025-11-27' });
    const roll = await issuedRoll(test, county, '2026-01', '2025-12-28');
    expect(transferOf(roll, first.id)).toMatchObject({ months: ['2025-11', '2025-12', '2026-01'], amount: '90.00' });
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${first.id}/exit`, { reason: 'moved_out', fromMonth: '2026-01' });
    const overpayment = (await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items[0];
    expect(overpayment).toMatchObject({ months: ['2026-01'], amount: '30.00', status: 'open' });
    await county.civilAffairs.post(`/api/v1/allowance/overpayments/${overpayment.id}/recoveries`, { amount: '10.00', on: '2026-01-06', voucherNo: 'HK-1' });
    const again = await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(first.childId, { acceptedOn: '2026-01-06' }));
    expect(again.body.startMonth).toBe('2026-01');
    const approved = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${again.body.id}/approve`, {});
    expect(monthsOf(approved.body)).toEqual(['2026-01:in_roll']);
    // January is the new record's and was sent: nothing to recover, and the 10.00 repaid is owed back.
    const shrunk = (await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items[0];
    expect(shrunk).toMatchObject({ id: overpayment.id, months: [], amount: '0.00', recovered: '10.00', refundDue: '10.00', status: 'refund_due' });
    expect(await auditOf(county, overpayment.id)).toEqual(['overpayment.created', 'overpayment.recovered', 'overpayment.reduced']);
    // The new record's own exit from January makes January unpayable again: it is recovered anew.
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${again.body.id}/exit`, { reason: 'moved_out', fromMonth: '2026-01' });
    const items = (await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items as { beneficiaryId: string; months: string[]; amount: string }[];
    expect(items.find((item) => item.beneficiaryId === again.body.id)).toMatchObject({ months: ['2026-01'], amount: '30.00' });
  });
});
