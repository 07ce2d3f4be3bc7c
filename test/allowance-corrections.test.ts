import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { pdfText } from '../src/testing/pdfTools.js';
import {
  accountNumber,
  activeBeneficiary,
  beneficiaryDetail,
  buildRoll,
  certifiedChild,
  changeAccount,
  createCounty,
  enrolBody,
  issuedRoll,
  monthRange,
  monthsOf,
  transferOf,
  withAllowanceApp,
  type County,
  type Roll,
} from './support/allowance.js';
import { tableCounts, type TestApp } from './support/testApp.js';

// Issue 23: the care allowance's defects, each pinned by the case that showed it (numbered as the
// issue numbers them), and the section "Corrections and edges" of allowance.md. Each scenario runs
// in a county of its own; the clock is moved as the scenario needs.

let test: TestApp;
const { at, auditOf } = withAllowanceApp((made) => (test = made));

describe('issue 23: the defects, each by the case that showed it', () => {
  it('1. re-enrolled after an exit from 2026-03 with acceptance 2025-12-01: the new record starts in 2026-03 and the March roll pays the first record Sep–Feb (180.00) and the new one March (30.00), each month once', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const first = await activeBeneficiary(county, { acceptedOn: '2025-09-26' });
    at('2026-03-10');
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${first.id}/exit`, { reason: 'moved_out', fromMonth: '2026-03' })).status).toBe(200);
    const again = await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(first.childId, { acceptedOn: '2025-12-01' }));
    expect(again.status).toBe(201);
    expect(again.body.startMonth).toBe('2026-03');
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${again.body.id}/approve`, {})).status).toBe(200);
    const roll = await buildRoll(county, '2026-03');
    expect(transferOf(roll, first.id)).toMatchObject({ months: monthRange('2025-09', '2026-02'), amount: '180.00' });
    expect(transferOf(roll, again.body.id)).toMatchObject({ months: ['2026-03'], amount: '30.00' });
    expect(roll.total).toBe('210.00');
    expect(monthsOf(await beneficiaryDetail(county, again.body.id))).toEqual(['2026-03:in_roll']);
  });

  it('2. born 1999-01-10 and accepted 1999-06-01, before the first standard (2000-01): approve, the record and the roll answer; 1999-06…12 are not_covered and never held, 2000-01…2017-01 are owed (205 × 30.00 = 6,150.00, held for review)', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const old = await activeBeneficiary(county, { birthDate: '1999-01-10', acceptedOn: '1999-06-01' });
    const record = await beneficiaryDetail(county, old.id);
    expect(record).toMatchObject({ startMonth: '1999-06', lastMonth: '2017-01', status: 'ended', holds: [{ reason: 'review_overdue' }] });
    expect(record.months.filter((month: { status: string }) => month.status === 'not_covered').map((month: { month: string }) => month.month)).toEqual(monthRange('1999-06', '1999-12'));
    expect(record.months.filter((month: { status: string }) => month.status === 'held').map((month: { month: string }) => month.month)).toEqual(monthRange('2000-01', '2017-01'));
    const roll = await buildRoll(county, '2025-12');
    expect(roll.transfers).toEqual([]);
    expect(roll.held).toMatchObject([{ beneficiaryId: old.id, reason: 'review_overdue', amount: '6150.00' }]);
    expect(roll.held[0]!.months).toEqual(monthRange('2000-01', '2017-01'));
  });

  it('3. objection, manual hold or overdue review, then exit: the exit ends those holds and the months before it are paid in the next roll (60.00, 60.00 and 7 × 30.00); release and verify then work on the exited record while it has due months', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const objected = await activeBeneficiary(county, { acceptedOn: '2025-10-05', name: '赵一' });
    const held = await activeBeneficiary(county, { acceptedOn: '2025-10-05', name: '钱二' });
    const overdue = await activeBeneficiary(county, { acceptedOn: '2024-11-30', name: '孙三' });
    const december = await buildRoll(county, '2025-12');
    expect(december.held).toMatchObject([{ beneficiaryId: overdue.id, reason: 'review_overdue' }]);
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${december.id}/publish`, { from: '2025-12-11' });
    expect((await county.civilAffairs.post(`/api/v1/allowance/rolls/${december.id}/objections`, { beneficiaryId: objected.id, reason: '群众反映已迁出' })).status).toBe(200);
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${held.id}/hold`, { reason: '核查户籍' })).status).toBe(200);
    for (const [id, fromMonth] of [
      [objected.id, '2025-12'],
      [held.id, '2025-12'],
      [overdue.id, '2025-06'],
    ] as const) {
      const exited = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${id}/exit`, { reason: 'moved_out', fromMonth });
      expect(exited.status).toBe(200);
      expect(exited.body.holds).toEqual([]);
      expect(exited.body.months.every((month: { status: string }) => month.status === 'due')).toBe(true);
    }
    expect(await auditOf(county, held.id)).toContain('beneficiary.released');
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${december.id}/cancel`, {});
    const again = await buildRoll(county, '2025-12');
    expect(again.held).toEqual([]);
    expect(transferOf(again, objected.id)).toMatchObject({ months: ['2025-10', '2025-11'], amount: '60.00' });
    expect(transferOf(again, held.id)).toMatchObject({ months: ['2025-10', '2025-11'], amount: '60.00' });
    expect(transferOf(again, overdue.id)).toMatchObject({ months: monthRange('2024-11', '2025-05'), amount: '210.00' });
    // An objection to an exited child's arrears holds them; release ends it, verify is taken too.
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${again.id}/publish`, { from: '2025-12-11' });
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${again.id}/objections`, { beneficiaryId: overdue.id, reason: '核对补发月份' });
    const released = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${overdue.id}/release`, {});
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body).toMatchObject({ status: 'exited', holds: [] });
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${overdue.id}/verify`, { on: '2025-12-11' })).status).toBe(200);
    // With nothing due (its months are in the roll) an exited record takes neither.
    const before = await tableCounts(test.db);
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${objected.id}/verify`, { on: '2025-12-11' })).status).toBe(409);
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${objected.id}/release`, {})).status).toBe(409);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('4. a corrected bank account reaches the draft and the published roll at once (same transfer number); the issued roll keeps what it sent', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-10-20', name: '张三' });
    await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '李四' });
    const draft = await buildRoll(county, '2025-12');
    const number = transferOf(draft, beneficiary.id)!.transferNo;
    const account = (value: string) => ({ bank: '中国农业银行', accountName: '张大山', accountNumber: value });
    const first = accountNumber();
    await changeAccount(county, beneficiary.id, account(first));
    const afterDraft = (await county.civilAffairs.get(`/api/v1/allowance/rolls/${draft.id}`)).body as Roll;
    expect(transferOf(afterDraft, beneficiary.id)).toMatchObject({ transferNo: number, accountNumber: first, accountName: '张大山', bank: '中国农业银行' });
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${draft.id}/publish`, { from: '2025-12-11' });
    const second = accountNumber();
    await changeAccount(county, beneficiary.id, account(second), { by: county.civilAffairs });
    expect(transferOf((await county.civilAffairs.get(`/api/v1/allowance/rolls/${draft.id}`)).body, beneficiary.id)).toMatchObject({ transferNo: number, accountNumber: second });
    at('2025-12-18');
    const issued = (await county.civilAffairs2.post(`/api/v1/allowance/rolls/${draft.id}/issue`, {})).body as Roll;
    expect(transferOf(issued, beneficiary.id)!.accountNumber).toBe(second);
    await changeAccount(county, beneficiary.id, account(accountNumber()), { by: county.civilAffairs });
    expect(transferOf((await county.civilAffairs.get(`/api/v1/allowance/rolls/${draft.id}`)).body, beneficiary.id)!.accountNumber).toBe(second);
  });

  it('5. recovered 60.00, then the transfer fails: the overpayment comes to 0.00 and 60.00 is owed back (refund_due); a refund of 70.00 is 422, of 60.00 closes it as refunded', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-10-05' });
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-11');
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/exit`, { reason: 'death', fromMonth: '2025-11' });
    const id = (await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items[0].id as string;
    expect((await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/recoveries`, { amount: '60.00', on: '2025-12-18', voucherNo: 'HK-1' })).body.status).toBe('recovered');
    await county.finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results: [{ transferNo: 1, status: 'failed', reason: '账户冻结' }] });
    const owed = (await county.finance.get('/api/v1/allowance/overpayments')).body.items[0];
    expect(owed).toMatchObject({ amount: '0.00', recovered: '60.00', refunded: '0.00', refundDue: '60.00', status: 'refund_due' });
    const stats = (await county.civilAffairs.get('/api/v1/allowance/stats?year=2025')).body;
    expect(stats.overpayments).toMatchObject({ open: '0.00', refundDue: '60.00' });
    const before = await tableCounts(test.db);
    const tooMuch = await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/refunds`, { amount: '70.00', on: '2025-12-18', voucherNo: 'TK-1' });
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([422, 'AMOUNT_MISMATCH']);
    expect((await county.finance.post(`/api/v1/allowance/overpayments/${id}/refunds`, { amount: '60.00', on: '2025-12-18', voucherNo: 'TK-1' })).status).toBe(403);
    expect(await tableCounts(test.db)).toEqual(before);
    const refunded = await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/refunds`, { amount: '60.00', on: '2025-12-18', voucherNo: 'TK-1' });
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'refunded', refunded: '60.00', refundDue: '0.00', refunds: [{ amount: '60.00', on: '2025-12-18', voucherNo: 'TK-1' }] });
    expect(await auditOf(county, id)).toEqual(['overpayment.created', 'overpayment.recovered', 'overpayment.reduced', 'overpayment.refunded']);
    expect((await county.civilAffairs.get('/api/v1/allowance/stats?year=2025')).body.overpayments).toMatchObject({ refundDue: '0.00' });
  });

  it('6. two villages named 新华村 with codes 511702001001 and 511702002001 are two parts of the notice and two lines of the summary, and transfers are numbered by name, then code, then child', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const zhang = await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '张三', community: '新华村', communityCode: '511702002001' });
    const li = await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '李四', community: '新华村', communityCode: '511702001001' });
    const wang = await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '王五', community: '新华村', communityCode: '511702001001' });
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-11');
    expect(roll.transfers.map((transfer) => [transfer.transferNo, transfer.beneficiaryId])).toEqual([
      [1, li.id],
      [2, wang.id],
      [3, zhang.id],
    ]);
    const pages = pdfText((await county.civilAffairs.get(`/api/v1/allowance/rolls/${roll.id}/notice.pdf`)).rawPayload).split('\f');
    const first = pages.filter((page) => page.includes('新华村（511702001001）'));
    const second = pages.filter((page) => page.includes('新华村（511702002001）'));
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(first[0]).toContain('李*');
    expect(first[0]).not.toContain('张*');
    expect(second[0]).toContain('张*');
    expect(second[0]).not.toContain('李*');
    const summary = pdfText((await county.civilAffairs.get(`/api/v1/allowance/rolls/${roll.id}/pdf`)).rawPayload);
    expect(summary).toContain('新华村（511702001001）');
    expect(summary).toContain('新华村（511702002001）');
  });

  it('7. an overpayment that shrinks without reaching zero is audited: Dec + Jan 60.00, January’s transfer fails → 30.00 and overpayment.reduced', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-11-05' });
    await issuedRoll(test, county, '2025-12', '2025-12-11');
    at('2026-01-12');
    const january = await issuedRoll(test, county, '2026-01', '2026-01-12');
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/exit`, { reason: 'moved_out', fromMonth: '2025-12' });
    const overpayment = (await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items[0];
    expect(overpayment).toMatchObject({ months: ['2025-12', '2026-01'], amount: '60.00' });
    await county.finance.post(`/api/v1/allowance/rolls/${january.id}/results`, { results: [{ transferNo: 1, status: 'failed', reason: '账户冻结' }] });
    expect((await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items[0]).toMatchObject({ months: ['2025-12'], amount: '30.00', status: 'open' });
    const events = (await county.civilAffairs.get(`/api/v1/audit?entityId=${overpayment.id}`)).body.items;
    expect(events.map((event: { action: string }) => event.action)).toEqual(['overpayment.created', 'overpayment.reduced']);
    expect(events[1].data).toMatchObject({ before: '60.00', after: '30.00', rollId: january.id, transferNo: 1 });
  });

  it('8. a child past the 18th-birthday month (born 2007-11-10) is ended, not active: not listed under ?status=active, not counted active, and not counted held when nothing is due', async () => {
    at('2025-11-20');
    const county = await createCounty(test);
    const aged = await activeBeneficiary(county, { birthDate: '2007-11-10', acceptedOn: '2025-10-08', name: '周一' });
    const young = await activeBeneficiary(county, { acceptedOn: '2025-11-03', name: '吴二' });
    const roll = await issuedRoll(test, county, '2025-11', '2025-11-20');
    await county.finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results: roll.transfers.map((transfer) => ({ transferNo: transfer.transferNo, status: 'paid' })) });
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${aged.id}/hold`, { reason: '核查' })).status).toBe(200);
    at('2025-12-15');
    expect((await beneficiaryDetail(county, aged.id)).status).toBe('ended');
    const active = (await county.civilAffairs.get('/api/v1/allowance/beneficiaries?status=active')).body.items.map((item: { id: string }) => item.id);
    expect(active).toEqual([young.id]);
    const ended = (await county.civilAffairs.get('/api/v1/allowance/beneficiaries?status=ended')).body.items;
    expect(ended).toMatchObject([{ id: aged.id, status: 'ended' }]);
    const stats = (await county.finance.get('/api/v1/allowance/stats?year=2025')).body;
    expect(stats.active).toEqual({ care: 1, nursingSupplement: 0 });
    expect(stats.heldNow).toEqual({});
    // Nothing due: an ended record takes no hold, release or verification; ended writes no audit row.
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${aged.id}/verify`, { on: '2025-12-15' })).status).toBe(409);
    expect(await auditOf(county, aged.id)).toEqual(['beneficiary.enrolled', 'beneficiary.approved', 'beneficiary.held']);
  });

  it('9. a tier change from the start month keeps the first tier in the history: nursing_supplement from 2025-11, then care from 2025-11', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-11-03', tier: 'nursing_supplement' });
    at('2025-12-16');
    const changed = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/tier`, { tier: 'care', fromMonth: '2025-11' });
    expect(changed.status).toBe(200);
    expect(changed.body.tiers).toEqual([
      { fromMonth: '2025-11', tier: 'nursing_supplement', recordedAt: '2025-12-15T02:00:00.000Z' },
      { fromMonth: '2025-11', tier: 'care', recordedAt: '2025-12-16T02:00:00.000Z' },
    ]);
    expect(changed.body.tier).toBe('care');
    const roll = await buildRoll(county, '2025-12');
    expect(transferOf(roll, beneficiary.id)).toMatchObject({ amount: '60.00' });
    expect(roll.byFund).toEqual({ county: '60.00', hardship: '0.00' });
  });

  it('11. an exited record shows the holds that hold its months: an overdue review ended by the exit shows neither a hold nor held months; a bank failure shows both', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const overdue = await activeBeneficiary(county, { acceptedOn: '2024-11-30', name: '郑一' });
    const exited = (await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${overdue.id}/exit`, { reason: 'moved_out', fromMonth: '2025-06' })).body;
    expect(exited.holds).toEqual([]);
    expect(new Set(exited.months.map((month: { status: string }) => month.status))).toEqual(new Set(['due']));
    const failing = await activeBeneficiary(county, { acceptedOn: '2025-11-05', name: '冯二' });
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-15');
    await county.finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results: [{ transferNo: transferOf(roll, failing.id)!.transferNo, status: 'failed', reason: '账户已销户' }] });
    const failed = (await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${failing.id}/exit`, { reason: 'moved_out', fromMonth: '2026-01' })).body;
    expect(failed.holds).toMatchObject([{ reason: 'bank_failure' }]);
    expect(monthsOf(failed)).toEqual(['2025-11:held', '2025-12:held']);
  });
});

describe('issue 23: certificates recorded later, and revoked', () => {
  it('a child registered before certification is enrolled once its certificate is recorded; revoking it on 2026-01-20 exits the active record from 2026-02 in the same transaction', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const child = await certifiedChild(county, { certificate: false });
    expect((await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(child.id))).body.error.code).toBe('NO_CERTIFICATE');
    // Registering the child again does not add a certificate.
    const certificateNo = `${child.idNumber}62`;
    const elsewhere = await createCounty(test);
    const before = await tableCounts(test.db);
    // Another person's certificate (its first 18 characters another ID number) opens nothing.
    const anothers = `${child.idNumber.slice(0, 14)}${child.idNumber[14] === '9' ? '0' : '9'}${child.idNumber.slice(15)}62`;
    for (const bad of [{ certificateNo: '', issuedOn: '2025-12-01' }, { certificateNo, issuedOn: '2025-12-16' }, { certificateNo, issuedOn: '2025-02-30' }, { certificateNo }, { certificateNo: anothers, issuedOn: '2025-12-01' }]) {
      expect((await county.reviewer.put(`/api/v1/children/${child.id}/certificate`, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await county.civilAffairs.put(`/api/v1/children/${child.id}/certificate`, { certificateNo, issuedOn: '2025-12-01' })).status).toBe(403);
    expect((await elsewhere.reviewer.put(`/api/v1/children/${child.id}/certificate`, { certificateNo, issuedOn: '2025-12-01' })).status).toBe(404);
    expect(await tableCounts(test.db)).toEqual(before);
    const recorded = await county.reviewer.put(`/api/v1/children/${child.id}/certificate`, { certificateNo, issuedOn: '2025-12-01' });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ certificateNo, certificateIssuedOn: '2025-12-01' });
    const enrolled = await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(child.id, { acceptedOn: '2025-12-02' }));
    expect(enrolled.status).toBe(201);
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {});
    const events = (await county.reviewer.get(`/api/v1/audit?entityId=${child.id}`)).body.items;
    expect(events.map((event: { action: string }) => event.action)).toEqual(['child.registered', 'child.certificate_recorded']);
    expect(JSON.stringify(events[1].data)).not.toContain(child.idNumber);

    at('2026-01-25');
    expect((await county.reviewer.post(`/api/v1/children/${child.id}/certificate/revoke`, { on: '2026-01-26', reason: '复查不符' })).status).toBe(400);
    expect((await county.civilAffairs.post(`/api/v1/children/${child.id}/certificate/revoke`, { on: '2026-01-20', reason: '复查不符' })).status).toBe(403);
    const revoked = await county.reviewer.post(`/api/v1/children/${child.id}/certificate/revoke`, { on: '2026-01-20', reason: '复查不符' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ certificateNo: null, certificateIssuedOn: null });
    const record = await beneficiaryDetail(county, enrolled.body.id);
    expect(record).toMatchObject({ status: 'exited', exit: { reason: 'certificate_revoked', fromMonth: '2026-02' } });
    expect(monthsOf(record)).toEqual(['2025-12:due', '2026-01:due']);
    expect(await auditOf(county, enrolled.body.id)).toEqual(['beneficiary.enrolled', 'beneficiary.approved', 'beneficiary.exited']);
    expect((await county.reviewer.get(`/api/v1/audit?entityId=${child.id}`)).body.items.at(-1)).toMatchObject({ action: 'child.certificate_revoked', data: { on: '2026-01-20', reason: '复查不符' } });
    // Revoked again: there is no certificate to revoke.
    expect((await county.reviewer.post(`/api/v1/children/${child.id}/certificate/revoke`, { on: '2026-01-21', reason: '复查不符' })).status).toBe(409);
  });
});

describe('issue 23: bank lists are data, not formulas', () => {
  it('the CSV holds account numbers as plain digits; an account name =HYPERLINK(…) is written with a leading \' in the CSV and the XLSX; the XLSX account number is a text cell', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const formula = '=HYPERLINK("http://example.invalid","点击")';
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-12-01', accountName: formula });
    const full = (await beneficiaryDetail(county, beneficiary.id)).bankAccount.accountNumber as string;
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-11');
    const csv = (await county.finance.get(`/api/v1/allowance/rolls/${roll.id}/bank.csv`)).rawPayload.subarray(3).toString('utf8');
    expect(csv.split('\r\n')[1]).toBe(`1,"'=HYPERLINK(""http://example.invalid"",""点击"")",${full},四川农信通川区联社,30.00,2025年12月残疾儿童关爱补贴`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await county.finance.get(`/api/v1/allowance/rolls/${roll.id}/bank.xlsx`)).rawPayload as unknown as ArrayBuffer);
    const row = workbook.getWorksheet('代发清单')!.getRow(2);
    expect(row.getCell(2).value).toBe(`'${formula}`);
    expect(row.getCell(3).value).toBe(full);
    expect(row.getCell(3).type).toBe(ExcelJS.ValueType.String);
  });
});
