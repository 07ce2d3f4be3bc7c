import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../src/testing/pdfTools.js';
import { accessLogSince } from './support/accessLog.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestApp } from './support/lifecycle.js';
import { auditRows, caseBody, createProtectionCounty, expectOk, protectionAccount, receiveCase, townshipChild, type ProtectionCounty, unsupported } from './support/protection.js';
import { queryRows } from '../src/db/rows.js';
import type { Client, TestApp } from './support/testApp.js';
import { createWorld, type World } from './support/world.js';

// The basic-living rolls (基本生活费, protection.md §8, §13 worked example 4) over HTTP: built by one
// civil affairs officer and issued by another, paid by finance, a failed transfer held until the
// account changes and then paid with its arrears, an exit after issue recorded as an overpayment.
// The tests of a file run in order, each from where the last left the county.

let test: TestApp;
let world: World;
let county: ProtectionCounty;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);


/** A case received and checked on `receivedOn`, recognised on `recognisedOn` by 民政甲 (coverFrom: the next month). */
async function recognised(name: string, receivedOn: string, recognisedOn: string, body: Record<string, unknown> = {}, options: { village?: string; birthDate?: string } = {}) {
  at(receivedOn);
  const child = await townshipChild(county, { name, ...options });
  const received = await receiveCase(county, caseBody(child.id, body));
  await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
  at(recognisedOn);
  const made = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, {}), 'recognise');
  return { childId: child.id as string, caseId: made.id as string, coverFrom: made.recognition.coverFrom as string };
}

interface Transfer {
  transferNo: number;
  caseId: string;
  childName: string;
  villageCode: string;
  villageName: string;
  accountNumber: string;
  months: string[];
  amount: string;
  status: string;
}
interface Roll {
  id: string;
  number: string;
  status: string;
  caseCount: number;
  total: string;
  totalInWords: string;
  arrearsTotal: string;
  byStandard: Record<string, string>;
  builtBy: { name: string };
  issuedBy: { name: string } | null;
  transfers: Transfer[];
  held: { caseId: string; reason: string; months: string[]; amount: string }[];
}

const build = async (by: Client, month: string) => (await expectOk(by.post('/api/v1/protection/rolls', { month }), `build ${month}`)) as Roll;
const transferOf = (roll: Roll, caseId: string) => roll.transfers.find((transfer) => transfer.caseId === caseId)!;

let A: Awaited<ReturnType<typeof recognised>>;
let B: Awaited<ReturnType<typeof recognised>>;
let C: Awaited<ReturnType<typeof recognised>>;
let january: Roll;

describe('worked example 4: a roll with arrears, four eyes and an overpayment', () => {
  it('民政甲 builds 2026-01 on 2026-01-08: 511702-JB-2026-01, A 1800.00 (2025-11 … 2026-01), B 600.00 + 1000.00 = 1600.00, C 600.00; total 4000.00 (肆仟元整), arrears 1800.00, byStandard 1000.00 / 2400.00 / 600.00', async () => {
    at('2025-10-08');
    world = await createWorld(test);
    county = await createProtectionCounty(test);
    A = await recognised('乙孤儿', '2025-10-09', '2025-10-20');
    B = await recognised('甲孤儿', '2025-11-03', '2025-11-10', {}, { village: '511702001004' });
    C = await recognised('丙儿童', '2025-12-01', '2025-12-08', unsupported);
    expect([A.coverFrom, B.coverFrom, C.coverFrom]).toEqual(['2025-11', '2025-12', '2026-01']);
    at('2025-12-20');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${B.caseId}/living-arrangement`, { livingArrangement: 'institution', fromMonth: '2026-01' }), 'living');

    at('2026-01-08');
    // A month not yet begun is not paid; nobody but civil affairs builds.
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post('/api/v1/protection/rolls', { month: '2026-02' }), 422, 'SERVICE_NOT_YET_DELIVERED');
    for (const other of [county.township, county.finance, county.reviewer, world.admin]) {
      await expectRefusedUnchanged(test.db, () => other.post('/api/v1/protection/rolls', { month: '2026-01' }), 403, 'FORBIDDEN');
    }
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post('/api/v1/protection/rolls', { month: '2026-1' }), 400, 'VALIDATION_FAILED');

    january = await build(county.civilAffairs, '2026-01');
    expect(january).toMatchObject({
      number: '511702-JB-2026-01',
      status: 'draft',
      caseCount: 3,
      total: '4000.00',
      totalInWords: '肆仟元整',
      arrearsTotal: '1800.00',
      byStandard: { orphanInstitution: '1000.00', orphanScattered: '2400.00', deFactoUnsupported: '600.00' },
      builtBy: { name: '民政甲' },
      issuedBy: null,
      held: [],
    });
    expect(january).not.toHaveProperty('noticeFrom');
    // Numbered by township code, village code, child name (code point) and case id: village 003 holds
    // C (丙 U+4E19) and A (乙 U+4E59), village 004 holds B.
    expect(january.transfers.map((transfer) => [transfer.transferNo, transfer.childName, transfer.villageCode, transfer.months, transfer.amount])).toEqual([
      [1, '丙儿童', '511702001003', ['2026-01'], '600.00'],
      [2, '乙孤儿', '511702001003', ['2025-11', '2025-12', '2026-01'], '1800.00'],
      [3, '甲孤儿', '511702001004', ['2025-12', '2026-01'], '1600.00'],
    ]);
    expect(transferOf(january, A.caseId)).toMatchObject({ villageName: '翠屏路社区居民委员会', townshipName: '东城街道', status: 'pending' });
    expect(transferOf(january, A.caseId).accountNumber).toMatch(/^62146700\d{11}$/);
    // The transfer keeps the case's account sealed, as the case does (security.md §5).
    const stored = await queryRows<{ sealed: string | null; plain: string | null }>(test.db, sql`select account_number_sealed as sealed, account_number as plain from basic_living_transfers where roll_id = ${january.id}`);
    expect(stored).toHaveLength(3);
    for (const row of stored) {
      expect(row.plain).toBeNull();
      expect(row.sealed).toMatch(/^f1\./);
      expect(row.sealed).not.toContain('62146700');
    }

    const created = await auditRows(test.db, { action: 'protection_roll.created' });
    expect(created.map((row) => [row.entityType, row.entityId, row.data.number, row.data.total])).toEqual([['protection_roll', january.id, '511702-JB-2026-01', '4000.00']]);
    // The same month again is refused, naming it.
    const again = await expectRefusedUnchanged(test.db, () => county.civilAffairs2.post('/api/v1/protection/rolls', { month: '2026-01' }), 409, 'INVALID_STATE');
    expect(again.body.error.hint ?? again.body.error.message).toMatch(/2026年1月名册已存在|2026-01/);
  });

  it('a draft is civil affairs’ own: finance does not see it (404), a township or the 残联 may not look (403), another county finds nothing (404); its documents wait for the issue (409)', async () => {
    expect((await county.finance.get(`/api/v1/protection/rolls/${january.id}`)).status).toBe(404);
    expect((await county.finance.get('/api/v1/protection/rolls')).body.items).toEqual([]);
    expect((await county.township.get(`/api/v1/protection/rolls/${january.id}`)).status).toBe(403);
    expect((await county.reviewer.get('/api/v1/protection/rolls')).status).toBe(403);
    const elsewhere = await createProtectionCounty(test, '511781');
    expect((await elsewhere.civilAffairs.get(`/api/v1/protection/rolls/${january.id}`)).status).toBe(404);
    expect((await elsewhere.civilAffairs.get('/api/v1/protection/rolls')).body.items).toEqual([]);
    for (const document of ['pdf', 'bank.xlsx', 'bank.csv']) {
      const refused = await county.civilAffairs.get(`/api/v1/protection/rolls/${january.id}/${document}`);
      expect([refused.status, refused.body.error.code]).toEqual([409, 'INVALID_STATE']);
    }
  });

  it('民政甲 issues → 409 FOUR_EYES_REQUIRED and nothing changes; 民政乙 issues: frozen with its SHA-256, the summary names 民政甲 经办人 and 民政乙 审核人 and totals by standard and township', async () => {
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/rolls/${january.id}/issue`), 409, 'FOUR_EYES_REQUIRED');
    const issued = (await expectOk(county.civilAffairs2.post(`/api/v1/protection/rolls/${january.id}/issue`), 'issue')) as Roll & { sha256: string };
    expect(issued).toMatchObject({ status: 'issued', builtBy: { name: '民政甲' }, issuedBy: { name: '民政乙' }, total: '4000.00' });
    expect(issued.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Issued: again is INVALID_STATE (the state answers first), and it is no longer cancelled.
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/rolls/${january.id}/issue`), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/rolls/${january.id}/cancel`), 409, 'INVALID_STATE');

    const pdf = await county.finance.get(`/api/v1/protection/rolls/${january.id}/pdf`);
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    for (const words of ['困境儿童基本生活费发放汇总表', '511702-JB-2026-01', '经办人：民政甲', '审核人：民政乙', '机构养育孤儿', '散居孤儿', '事实无人抚养儿童', '东城街道', '4,000.00', '肆仟元整', issued.sha256]) {
      expect(text).toContain(words);
    }
    // Never a category of a child on the bank's list: the months only.
    const csv = await county.finance.get(`/api/v1/protection/rolls/${january.id}/bank.csv`);
    expect(csv.status).toBe(200);
    const lines = csv.rawPayload.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('序号,户名,账号,开户行,金额,摘要');
    expect(lines.slice(1, 4).map((line) => line.split(',').at(-1))).toEqual(['2026年1月基本生活费', '2025年11月至2026年1月基本生活费', '2025年12月至2026年1月基本生活费']);
    expect(lines.at(-1)).toBe('合计,3 笔,,,4000.00,');
    expect(csv.rawPayload.toString('utf8')).not.toMatch(/孤儿|事实无人抚养|艾滋/);
    expect((await county.finance.get(`/api/v1/protection/rolls/${january.id}/bank.xlsx`)).status).toBe(200);

    const audit = await auditRows(test.db, { action: 'protection_roll.issued' });
    expect(audit.map((row) => [row.entityId, row.data.total, row.data.sha256])).toEqual([[january.id, '4000.00', issued.sha256]]);
    // Finance reads it now; every read and download of it is in the access log.
    expect((await expectOk(county.finance.get(`/api/v1/protection/rolls/${january.id}`), 'read')).transfers).toHaveLength(3);
    const read = await accessLogSince(world.auditor, null, '&entityType=protection_roll');
    expect(read.filter((row) => row.entityId === january.id).map((row) => [row.actorName, row.action]).sort()).toEqual([
      ['财政', 'download'],
      ['财政', 'download'],
      ['财政', 'download'],
      ['财政', 'read'],
    ]);
  });

  it('finance records C’s transfer failed: C is held (bank_failure); roll 2026-02 (no new account yet) pays A 600.00 and B 1000.00 and holds C for 2026-01 and 2026-02, 1200.00', async () => {
    at('2026-01-20');
    const c = transferOf(january, C.caseId);
    // An unknown transfer number refuses the whole set and writes nothing.
    await expectRefusedUnchanged(test.db, () => county.finance.post(`/api/v1/protection/rolls/${january.id}/results`, { results: [{ transferNo: 9, status: 'paid' }] }), 400, 'VALIDATION_FAILED');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/rolls/${january.id}/results`, { results: [{ transferNo: 1, status: 'paid' }] }), 403, 'FORBIDDEN');
    const settled = (await expectOk(
      county.finance.post(`/api/v1/protection/rolls/${january.id}/results`, {
        results: january.transfers.map((transfer) => (transfer.caseId === C.caseId ? { transferNo: transfer.transferNo, status: 'failed', reason: '账户已销户' } : { transferNo: transfer.transferNo, status: 'paid' })),
      }),
      'results',
    )) as Roll;
    expect(settled.status).toBe('settled');
    expect(transferOf(settled, C.caseId)).toMatchObject({ status: 'failed', failureReason: '账户已销户', transferNo: c.transferNo });
    const held = await expectOk(county.civilAffairs.get(`/api/v1/protection/cases/${C.caseId}`), 'case');
    expect(held.holds.map((hold: { reason: string }) => hold.reason)).toContain('bank_failure');

    at('2026-02-06');
    const february = await build(county.civilAffairs, '2026-02');
    expect(february.transfers.map((transfer) => [transfer.caseId, transfer.months, transfer.amount])).toEqual([
      [A.caseId, ['2026-02'], '600.00'],
      [B.caseId, ['2026-02'], '1000.00'],
    ]);
    expect(february.held).toEqual([{ caseId: C.caseId, childName: '丙儿童', villageCode: '511702001003', villageName: '翠屏路社区居民委员会', townshipName: '东城街道', reason: 'bank_failure', months: ['2026-01', '2026-02'], amount: '1200.00' }]);
    await expectOk(county.civilAffairs2.post(`/api/v1/protection/rolls/${february.id}/issue`), 'issue');
    await expectOk(county.finance.post(`/api/v1/protection/rolls/${february.id}/results`, { results: february.transfers.map((transfer) => ({ transferNo: transfer.transferNo, status: 'paid' })) }), 'results');
  });

  it('C’s new account is asked for by 民政甲 and confirmed by 民政乙; roll 2026-03 pays A 600.00, B 1000.00, C 1800.00 (2026-01 … 03): total 3400.00, arrears 1200.00, issued 03-09', async () => {
    at('2026-02-25');
    await expectOk(county.civilAffairs.put(`/api/v1/protection/cases/${C.caseId}/bank-account`, protectionAccount()), 'change');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${C.caseId}/bank-account/confirm`), 409, 'FOUR_EYES_REQUIRED');
    await expectOk(county.civilAffairs2.post(`/api/v1/protection/cases/${C.caseId}/bank-account/confirm`), 'confirm');

    at('2026-03-05');
    const march = await build(county.civilAffairs, '2026-03');
    expect(march.transfers.map((transfer) => [transfer.caseId, transfer.months, transfer.amount])).toEqual([
      [C.caseId, ['2026-01', '2026-02', '2026-03'], '1800.00'],
      [A.caseId, ['2026-03'], '600.00'],
      [B.caseId, ['2026-03'], '1000.00'],
    ]);
    expect(march).toMatchObject({ total: '3400.00', arrearsTotal: '1200.00', held: [] });
    at('2026-03-09');
    const issued = (await expectOk(county.civilAffairs2.post(`/api/v1/protection/rolls/${march.id}/issue`), 'issue')) as Roll & { issuedAt: string };
    expect(issued.issuedAt.slice(0, 10)).toBe('2026-03-09');
  });

  it('on 03-12 A exits (adopted, eventOn 2026-02-10 → fromMonth 2026-03): March’s 600.00 sent becomes an open overpayment; recovering more is 422 AMOUNT_MISMATCH; a waiver takes a second officer', async () => {
    at('2026-03-12');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${A.caseId}/exit`, { reason: 'adopted', eventOn: '2026-02-10' }), 'exit');
    const list = await expectOk(county.finance.get('/api/v1/protection/overpayments'), 'overpayments');
    expect(list.items).toEqual([
      expect.objectContaining({ caseId: A.caseId, childName: '乙孤儿', months: ['2026-03'], amount: '600.00', recovered: '0.00', remaining: '600.00', status: 'open' }),
    ]);
    const overpayment = list.items[0] as { id: string };
    const created = await auditRows(test.db, { action: 'protection_overpayment.created' });
    expect(created.map((row) => [row.entityType, row.entityId, row.data.caseId, row.data.amount])).toEqual([['protection_overpayment', overpayment.id, A.caseId, '600.00']]);

    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/overpayments/${overpayment.id}/recoveries`, { amount: '600.01', on: '2026-03-12', voucherNo: 'HK-1' }), 422, 'AMOUNT_MISMATCH');
    await expectRefusedUnchanged(test.db, () => county.finance.post(`/api/v1/protection/overpayments/${overpayment.id}/recoveries`, { amount: '100.00', on: '2026-03-12', voucherNo: 'HK-1' }), 403, 'FORBIDDEN');
    const partly = await expectOk(county.civilAffairs.post(`/api/v1/protection/overpayments/${overpayment.id}/recoveries`, { amount: '100.00', on: '2026-03-12', voucherNo: 'HK-1' }), 'recover');
    expect(partly).toMatchObject({ status: 'partially_recovered', recovered: '100.00', remaining: '500.00' });
    await expectOk(county.civilAffairs.post(`/api/v1/protection/overpayments/${overpayment.id}/waive`, { reason: '家庭困难，经研究予以核销' }), 'waive');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/overpayments/${overpayment.id}/waive/confirm`), 409, 'FOUR_EYES_REQUIRED');
    const waived = await expectOk(county.civilAffairs2.post(`/api/v1/protection/overpayments/${overpayment.id}/waive/confirm`), 'confirm');
    expect(waived).toMatchObject({ status: 'waived', waiveReason: '家庭困难，经研究予以核销' });
    expect((await auditRows(test.db, { action: 'protection_overpayment.waived' })).length).toBe(1);
  });

  it('the year’s payments: 2026 paid 4000.00 − 600.00 failed + 1600.00 in January and February (by the results’ month), arrears paid, the budget’s remainder; the child’s file shows A’s months paid', async () => {
    at('2026-03-20');
    await expectOk(world.admin.put('/api/v1/regions/511702/budgets/2026', { protectionBasicLiving: '100000.00' }), 'budget');
    const stats = await expectOk(county.civilAffairs.get('/api/v1/protection/stats?year=2026'), 'stats');
    expect(stats.payments).toMatchObject({
      budget: { budget: '100000.00', paid: '5000.00', remaining: '95000.00' },
      byStandard: { orphanInstitution: '2000.00', orphanScattered: '3000.00', deFactoUnsupported: '0.00' },
      arrearsPaid: '1800.00',
      overpayments: { open: '0.00', recovered: '100.00', refundDue: '0.00' },
    });
    expect(stats.payments.paidByMonth.map((row: { month: string; total: string }) => [row.month, row.total])).toEqual([
      ['2026-01', '3400.00'],
      ['2026-02', '1600.00'],
    ]);
    const file = await expectOk(county.township.get(`/api/v1/protection/children/${A.childId}/file`), 'file');
    expect(file.payments.map((row: { month: string; status: string; rollNumber: string | null; amount: string }) => [row.month, row.status, row.rollNumber, row.amount])).toEqual([
      ['2025-11', 'paid', '511702-JB-2026-01', '600.00'],
      ['2025-12', 'paid', '511702-JB-2026-01', '600.00'],
      ['2026-01', 'paid', '511702-JB-2026-01', '600.00'],
      ['2026-02', 'paid', '511702-JB-2026-02', '600.00'],
      ['2026-03', 'in_roll', '511702-JB-2026-03', '600.00'],
    ]);
  });
});

describe('holds and cancelling before issue', () => {
  it('a manual hold takes the case off the draft (its transfer removed, the roll’s total down); released, a new roll pays it; a cancelled draft’s months are due again', async () => {
    at('2026-04-03');
    const april = await build(county.civilAffairs, '2026-04');
    expect(april.transfers.map((transfer) => [transfer.caseId, transfer.amount])).toEqual([
      [C.caseId, '600.00'],
      [B.caseId, '1000.00'],
    ]);
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${B.caseId}/hold`, { reason: '监护情况核实中' }), 'hold');
    const after = (await expectOk(county.civilAffairs.get(`/api/v1/protection/rolls/${april.id}`), 'roll')) as Roll;
    expect(after.transfers.map((transfer) => transfer.caseId)).toEqual([C.caseId]);
    expect(after.total).toBe('600.00');
    expect(after.held).toEqual([expect.objectContaining({ caseId: B.caseId, reason: 'manual', months: ['2026-04'], amount: '1000.00' })]);
    await expectOk(county.civilAffairs.post(`/api/v1/protection/rolls/${april.id}/cancel`), 'cancel');
    expect((await auditRows(test.db, { action: 'protection_roll.cancelled' })).map((row) => row.entityId)).toEqual([april.id]);
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${B.caseId}/release`), 'release');
    const rebuilt = await build(county.civilAffairs2, '2026-04');
    expect(rebuilt.number).toBe('511702-JB-2026-04-2');
    expect(rebuilt.transfers.map((transfer) => [transfer.caseId, transfer.months, transfer.amount])).toEqual([
      [C.caseId, ['2026-04'], '600.00'],
      [B.caseId, ['2026-04'], '1000.00'],
    ]);
    // Built by 民政乙 this time: 民政乙 may not issue it, 民政甲 may.
    await expectRefusedUnchanged(test.db, () => county.civilAffairs2.post(`/api/v1/protection/rolls/${rebuilt.id}/issue`), 409, 'FOUR_EYES_REQUIRED');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/rolls/${rebuilt.id}/issue`), 'issue');
  });

  it('an exited case whose last transfer failed takes a new account (two officers) and the next roll pays it the month before its exit; one with nothing owed is refused (409)', async () => {
    const april = ((await expectOk(county.finance.get('/api/v1/protection/rolls?month=2026-04&status=issued'), 'rolls')).items as { id: string }[])[0]!;
    const issued = (await expectOk(county.finance.get(`/api/v1/protection/rolls/${april.id}`), 'roll')) as Roll;
    at('2026-04-22');
    await expectOk(
      county.finance.post(`/api/v1/protection/rolls/${april.id}/results`, {
        results: issued.transfers.map((transfer) => ({ transferNo: transfer.transferNo, status: transfer.caseId === C.caseId ? 'failed' : 'paid', reason: '户名不符' })),
      }),
      'results',
    );
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${C.caseId}/exit`, { reason: 'adopted', eventOn: '2026-04-20' }), 'exit');
    // A exited in March with every month paid or recovered: nothing is owed, so no account change.
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.put(`/api/v1/protection/cases/${A.caseId}/bank-account`, protectionAccount()), 409, 'INVALID_STATE');
    await expectOk(county.civilAffairs.put(`/api/v1/protection/cases/${C.caseId}/bank-account`, protectionAccount()), 'change');
    await expectOk(county.civilAffairs2.post(`/api/v1/protection/cases/${C.caseId}/bank-account/confirm`), 'confirm');
    at('2026-05-06');
    const may = await build(county.civilAffairs, '2026-05');
    expect(may.transfers.map((transfer) => [transfer.caseId, transfer.months, transfer.amount])).toEqual([
      [C.caseId, ['2026-04'], '600.00'],
      [B.caseId, ['2026-05'], '1000.00'],
    ]);
  });
});
