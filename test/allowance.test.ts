import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { pdfText } from '../src/testing/pdfTools.js';
import {
  accountNumber,
  activeBeneficiary,
  certifiedChild,
  changeAccount,
  createCounty,
  enrolBody,
  issuedRoll,
  transferOf,
  type County,
  type Roll,
} from './support/allowance.js';
import { tableCounts, type Client, type TestApp, createTestApp } from './support/testApp.js';
import { createWorld, type World } from './support/world.js';

// The care allowance (allowance.md) over HTTP, with the worked figures in the test names. Each
// scenario runs in a county of its own (rolls of a region go in month order); the clock starts on
// Monday 15 December 2025 and scenarios that need later months move it.

let test: TestApp;
let world: World;
let admin: Client;
beforeAll(async () => {
  test = await createTestApp();
  test.clock.set('2025-12-15T10:00:00+08:00');
  world = await createWorld(test);
  admin = world.admin;
});
afterAll(async () => test?.close());

const at = (iso: string) => test.clock.set(iso.length === 10 ? `${iso}T10:00:00+08:00` : iso);

async function build(county: County, month: string): Promise<Roll> {
  const response = await county.civilAffairs.post('/api/v1/allowance/rolls', { month });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('enrolment', () => {
  it('a reviewer reports a certified child: pending from the month of acceptance (2025-09) to the month of the 18th birthday (2036-03)', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const child = await certifiedChild(county, { birthDate: '2018-03-03' });
    const enrolled = await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(child.id, { acceptedOn: '2025-09-26' }));
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).toMatchObject({ status: 'pending', startMonth: '2025-09', lastMonth: '2036-03', tier: 'care', childName: '张小明', months: [] });
    // The reviewer sees the account masked; civil affairs sees it in full.
    expect(enrolled.body.bankAccount.accountNumber).toMatch(/^6214\*+\d{4}$/);
    const full = await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${enrolled.body.id}`);
    expect(full.body.bankAccount.accountNumber).toMatch(/^\d{19}$/);
    const approved = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'active', lastVerifiedOn: '2025-09-26' });
    expect(approved.body.months.map((month: { month: string; status: string }) => `${month.month}:${month.status}`)).toEqual([
      '2025-09:due',
      '2025-10:due',
      '2025-11:due',
      '2025-12:due',
    ]);
  });

  it('refuses a child without a certificate (422 NO_CERTIFICATE), one 18 on the acceptance date (422 INELIGIBLE_AGE), a second live record (409 ALREADY_EXISTS with its id), a future date (400); nothing is written', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const uncertified = await certifiedChild(county, { certificate: false });
    const adult = await certifiedChild(county, { birthDate: '2007-10-01' });
    const enrolled = await activeBeneficiary(county, { approve: false });
    const before = await tableCounts(test.db);
    const noCertificate = await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(uncertified.id));
    expect(noCertificate.status).toBe(422);
    expect(noCertificate.body.error.code).toBe('NO_CERTIFICATE');
    // Born 2007-10-01: 18 on 2025-10-01, so accepted 2025-10-01 is too late and 2025-09-30 is in time.
    const eighteen = await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(adult.id, { acceptedOn: '2025-10-01' }));
    expect(eighteen.status).toBe(422);
    expect(eighteen.body.error.code).toBe('INELIGIBLE_AGE');
    const twice = await county.civilAffairs.post('/api/v1/allowance/beneficiaries', enrolBody(enrolled.childId));
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'ALREADY_EXISTS', details: [{ id: enrolled.id }] });
    const future = await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(uncertified.id, { acceptedOn: '2025-12-16' }));
    expect(future.status).toBe(400);
    for (const bad of [{ acceptedOn: '2025-13-01' }, { tier: 'gold' }, { community: { name: '' } }, { bankAccount: { bank: '银行', accountName: '某', accountNumber: '12ab' } }]) {
      const response = await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(adult.id, bad));
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await tableCounts(test.db)).toEqual(before);
    const inTime = await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(adult.id, { acceptedOn: '2025-09-30' }));
    expect(inTime.status).toBe(201);
    expect(inTime.body).toMatchObject({ startMonth: '2025-09', lastMonth: '2025-10' });
  });

  it('after a rejection the child may be enrolled again; an unknown beneficiary is 404; an institution is 403', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const pending = await activeBeneficiary(county, { approve: false });
    const rejected = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${pending.id}/reject`, { reason: '材料不全' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: '材料不全' });
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${pending.id}/approve`, {})).status).toBe(409);
    expect((await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(pending.childId))).status).toBe(201);
    expect((await county.civilAffairs.get('/api/v1/allowance/beneficiaries/0190f000-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await world.a.get('/api/v1/allowance/beneficiaries')).status).toBe(403);
  });
});

describe('monthly rolls', () => {
  it('accepted 2025-09-26, roll 2025-12 pays September to December: 4 × 30.00 = 120.00, of which 90.00 arrears, from the county fund', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-09-26' });
    const roll = await build(county, '2025-12');
    expect(roll).toMatchObject({ status: 'draft', number: `${county.regionCode}-GA-2025-12`, total: '120.00', arrearsTotal: '90.00', entryCount: 4, beneficiaryCount: 1 });
    expect(roll.byFund).toEqual({ county: '120.00', hardship: '0.00' });
    expect(transferOf(roll, beneficiary.id)).toMatchObject({ transferNo: 1, months: ['2025-09', '2025-10', '2025-11', '2025-12'], amount: '120.00', status: 'pending' });
    const detail = await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${beneficiary.id}`);
    expect(detail.body.months.map((month: { status: string }) => month.status)).toEqual(['in_roll', 'in_roll', 'in_roll', 'in_roll']);
  });

  it('the 18th-birthday month is the last paid: born 2007-11-10, accepted 2025-10-08, roll 2025-12 pays October and November = 60.00', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { birthDate: '2007-11-10', acceptedOn: '2025-10-08' });
    expect(beneficiary.lastMonth).toBe('2025-11');
    const roll = await build(county, '2025-12');
    expect(transferOf(roll, beneficiary.id)).toMatchObject({ months: ['2025-10', '2025-11'], amount: '60.00' });
  });

  it('tiers and funds: nursing_supplement is 10.00 a month from the hardship fund; a change to care from 2026-01 pays Nov–Dec 2 × 10.00 and January 30.00 = 50.00', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-11-03', tier: 'nursing_supplement' });
    at('2026-01-12');
    // A tier change must start after every month of the child already in a roll: none yet.
    const changed = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/tier`, { tier: 'care', fromMonth: '2026-01' });
    expect(changed.status).toBe(200);
    expect(changed.body.tiers).toEqual([
      { fromMonth: '2025-11', tier: 'nursing_supplement', recordedAt: '2025-12-15T02:00:00.000Z' },
      { fromMonth: '2026-01', tier: 'care', recordedAt: '2026-01-12T02:00:00.000Z' },
    ]);
    const roll = await build(county, '2026-01');
    expect(transferOf(roll, beneficiary.id)).toMatchObject({ months: ['2025-11', '2025-12', '2026-01'], amount: '50.00' });
    expect(roll.byFund).toEqual({ county: '30.00', hardship: '20.00' });
    // Now the months up to 2026-01 are in a roll: a change from 2026-01 is refused, from 2026-02 taken.
    const late = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/tier`, { tier: 'nursing_supplement', fromMonth: '2026-01' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('INVALID_STATE');
  });

  it('a standard changing mid-arrears: the region pays 40.00 from 2025-11, so October 30.00 + November 40.00 + December 40.00 = 110.00', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const standard = await admin.post('/api/v1/allowance/standards', { effectiveFrom: '2025-11', regionCode: county.regionCode, careMonthly: '40.00', nursingSupplementMonthly: '15.00' });
    expect(standard.status).toBe(201);
    expect((await admin.post('/api/v1/allowance/standards', { effectiveFrom: '2025-11', regionCode: county.regionCode, careMonthly: '41.00', nursingSupplementMonthly: '15.00' })).status).toBe(409);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-10-20' });
    const roll = await build(county, '2025-12');
    expect(transferOf(roll, beneficiary.id)).toMatchObject({ months: ['2025-10', '2025-11', '2025-12'], amount: '110.00' });
    const standards = await county.civilAffairs.get('/api/v1/allowance/standards');
    expect(standards.body.items.some((item: { regionCode: string | null; careMonthly: string }) => item.regionCode === null && item.careMonthly === '30.00')).toBe(true);
  });

  it('refuses a month not yet begun (422 SERVICE_NOT_YET_DELIVERED), a month not after the last roll (409), a malformed month (400); a cancelled roll’s months are built again as 2025-12-2', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-11-03' });
    const future = await county.civilAffairs.post('/api/v1/allowance/rolls', { month: '2026-01' });
    expect(future.status).toBe(422);
    expect(future.body.error.code).toBe('SERVICE_NOT_YET_DELIVERED');
    for (const month of ['2025-13', '2025-1', 'December']) expect((await county.civilAffairs.post('/api/v1/allowance/rolls', { month })).status).toBe(400);
    const first = await build(county, '2025-12');
    const again = await county.civilAffairs.post('/api/v1/allowance/rolls', { month: '2025-12' });
    expect(again.status).toBe(409);
    expect((await county.civilAffairs.post('/api/v1/allowance/rolls', { month: '2025-11' })).status).toBe(409);
    const cancelled = await county.civilAffairs.post(`/api/v1/allowance/rolls/${first.id}/cancel`, {});
    expect(cancelled.body.status).toBe('cancelled');
    const detail = await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${beneficiary.id}`);
    expect(detail.body.months.map((month: { status: string }) => month.status)).toEqual(['due', 'due']);
    const rebuilt = await build(county, '2025-12');
    expect(rebuilt.number).toBe(`${county.regionCode}-GA-2025-12-2`);
    expect(transferOf(rebuilt, beneficiary.id)).toMatchObject({ months: ['2025-11', '2025-12'], amount: '60.00' });
  });

  it('transfers are numbered by community, then name, then id: 朝阳社区 张三 (1), 朝阳社区 李四 (2), 西城社区 王五 (3)', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const west = await activeBeneficiary(county, { name: '王五', community: '西城社区', acceptedOn: '2025-12-01' });
    const li = await activeBeneficiary(county, { name: '李四', community: '朝阳社区', acceptedOn: '2025-12-01' });
    const zhang = await activeBeneficiary(county, { name: '张三', community: '朝阳社区', acceptedOn: '2025-12-01' });
    const roll = await build(county, '2025-12');
    // Code point order: 张 (U+5F20) before 李 (U+674E).
    expect(roll.transfers.map((transfer) => [transfer.transferNo, transfer.beneficiaryId])).toEqual([
      [1, zhang.id],
      [2, li.id],
      [3, west.id],
    ]);
  });

  it('two roll builds of one month at the same moment: one draft, one 409, and no month in two live entries', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    await activeBeneficiary(county, { acceptedOn: '2025-10-20' });
    const results = await Promise.all([1, 2, 3].map(() => county.civilAffairs.post('/api/v1/allowance/rolls', { month: '2025-12' })));
    expect(results.map((result) => result.status).sort()).toEqual([201, 409, 409]);
  });
});

describe('holds', () => {
  it('a manual hold takes the child off the draft at once; the roll lists it as held with 3 months, 90.00; after release the next roll pays October to January: 120.00', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-10-20' });
    const other = await activeBeneficiary(county, { acceptedOn: '2025-12-01' });
    const draft = await build(county, '2025-12');
    expect(draft.total).toBe('120.00');
    const held = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/hold`, { reason: '核查户籍' });
    expect(held.body.holds).toMatchObject([{ reason: 'manual', note: '核查户籍' }]);
    expect(held.body.months.map((month: { status: string }) => month.status)).toEqual(['held', 'held', 'held']);
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/hold`, { reason: '再次' })).status).toBe(409);
    const after = (await county.civilAffairs.get(`/api/v1/allowance/rolls/${draft.id}`)).body as Roll;
    expect(after.total).toBe('30.00');
    expect(transferOf(after, beneficiary.id)).toBeUndefined();
    expect(transferOf(after, other.id)).toMatchObject({ transferNo: 2 });
    expect(after.held).toEqual([{ beneficiaryId: beneficiary.id, childName: '张小明', community: '朝阳社区', reason: 'manual', months: ['2025-10', '2025-11', '2025-12'], amount: '90.00' }]);
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${draft.id}/publish`, { from: '2025-12-15' });
    at('2025-12-22');
    expect((await county.civilAffairs2.post(`/api/v1/allowance/rolls/${draft.id}/issue`, {})).body.total).toBe('30.00');
    const released = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/release`, {});
    expect(released.body.holds).toEqual([]);
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/release`, {})).status).toBe(409);
    at('2026-01-05');
    const january = await build(county, '2026-01');
    expect(transferOf(january, beneficiary.id)).toMatchObject({ months: ['2025-10', '2025-11', '2025-12', '2026-01'], amount: '120.00' });
  });

  it('review overdue: last verified 2024-11-30, the 2025-12 roll holds the child (before 2024-12-01); a verification on 2025-12-10 pays it', async () => {
    at('2025-12-15');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2024-11-30' });
    const roll = await build(county, '2025-12');
    expect(transferOf(roll, beneficiary.id)).toBeUndefined();
    expect(roll.held).toMatchObject([{ beneficiaryId: beneficiary.id, reason: 'review_overdue', amount: '420.00' }]);
    expect((await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${beneficiary.id}`)).body.holds).toMatchObject([{ reason: 'review_overdue', since: null }]);
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/cancel`, {});
    expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/verify`, { on: '2025-12-16' })).status).toBe(400);
    const verified = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/verify`, { on: '2025-12-10' });
    expect(verified.body).toMatchObject({ lastVerifiedOn: '2025-12-10', holds: [] });
    const rebuilt = await build(county, '2025-12');
    // November 2024 to December 2025: 14 months × 30.00.
    expect(transferOf(rebuilt, beneficiary.id)).toMatchObject({ amount: '420.00' });
    expect(transferOf(rebuilt, beneficiary.id)!.months).toHaveLength(14);
  });
});

describe('public notice and issue', () => {
  it('an objection during the notice takes the child off (total 150.00 → 60.00) and holds it; issuing on the last notice day 2025-12-17 is 409 NOTICE_PERIOD_NOT_OVER, on 2025-12-18 it is frozen with a SHA-256', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const objected = await activeBeneficiary(county, { acceptedOn: '2025-10-20', name: '赵小花' });
    const kept = await activeBeneficiary(county, { acceptedOn: '2025-11-20', name: '钱小宝' });
    const roll = await build(county, '2025-12');
    expect(roll.total).toBe('150.00');
    const published = await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/publish`, { from: '2025-12-11' });
    expect(published.body).toMatchObject({ status: 'published', noticeFrom: '2025-12-11', noticeTo: '2025-12-17' });
    const objection = await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/objections`, { beneficiaryId: objected.id, reason: '公示期间群众反映已迁出' });
    expect(objection.status).toBe(200);
    expect(objection.body).toMatchObject({ total: '60.00', objections: [{ beneficiaryId: objected.id, reason: '公示期间群众反映已迁出' }] });
    expect(objection.body.held).toMatchObject([{ beneficiaryId: objected.id, reason: 'objection', amount: '90.00' }]);
    expect((await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/objections`, { beneficiaryId: objected.id, reason: '再次' })).status).toBe(409);
    expect((await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/objections`, { beneficiaryId: '0190f000-0000-7000-8000-000000000000', reason: '无此人' })).status).toBe(404);
    expect((await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/objections`, { beneficiaryId: 'nope', reason: '无此人' })).status).toBe(400);
    expect((await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${objected.id}`)).body.holds).toMatchObject([{ reason: 'objection' }]);
    at('2025-12-17T23:59:00+08:00');
    const early = await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/issue`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('NOTICE_PERIOD_NOT_OVER');
    at('2025-12-18T00:01:00+08:00');
    const issued = await county.civilAffairs2.post(`/api/v1/allowance/rolls/${roll.id}/issue`, {});
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ status: 'issued', total: '60.00', totalInWords: '陆拾元整' });
    expect(issued.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(transferOf(issued.body, kept.id)).toMatchObject({ amount: '60.00' });
    // Frozen: no objection, cancel or second issue.
    expect((await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/objections`, { beneficiaryId: kept.id, reason: '迟到' })).status).toBe(409);
    expect((await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/cancel`, {})).status).toBe(409);
    expect((await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/issue`, {})).status).toBe(409);
  });

  it('the notice names children as 赵*花 and 钱*宝, one part per community, with the period in Chinese and the supervision phone, and no ID number or account number', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    await admin.put(`/api/v1/regions/${county.regionCode}/settings`, { supervisionPhone: '0818-2123456' });
    const zhao = await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '赵小花', community: '朝阳社区' });
    const qian = await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '钱小宝', community: '西城社区' });
    const roll = await build(county, '2025-12');
    expect((await county.civilAffairs.get(`/api/v1/allowance/rolls/${roll.id}/notice.pdf`)).status).toBe(409);
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/publish`, { from: '2025-12-11' });
    const notice = await county.reviewer.get(`/api/v1/allowance/rolls/${roll.id}/notice.pdf`);
    expect(notice.status).toBe(200);
    expect(notice.headers['content-type']).toBe('application/pdf');
    const text = pdfText(notice.rawPayload);
    for (const words of ['残疾儿童关爱补贴发放公示', '赵*花', '钱*宝', '朝阳社区', '西城社区', '公示期：2025年12月11日至2025年12月17日', '0818-2123456', '关爱补贴', '2025年12月']) {
      expect(text).toContain(words);
    }
    expect(text).not.toContain('赵小花');
    expect(text).not.toContain('钱小宝');
    for (const secret of [zhao.child.idNumber, qian.child.idNumber, zhao.child.idNumber.slice(0, 6) + zhao.child.idNumber.slice(6, 14), '621467', '孤独症', '四川农信']) {
      expect(text).not.toContain(secret);
    }
    // One part per community: 西城社区 starts on a page of its own.
    expect(text.split('\f').filter((page) => page.includes('残疾儿童关爱补贴发放公示')).length).toBeGreaterThanOrEqual(2);
  });

  it('the summary PDF of an issued roll: totals by fund and community, arrears, signature blocks for 民政局 and 财政局, 壹佰壹拾元整 for 110.00, the SHA-256; reviewer, civil affairs and finance may read it', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    await activeBeneficiary(county, { acceptedOn: '2025-10-20', community: '朝阳社区' });
    await activeBeneficiary(county, { acceptedOn: '2025-11-20', community: '西城社区', tier: 'nursing_supplement' });
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-11');
    expect(roll.total).toBe('110.00');
    expect(roll.byFund).toEqual({ county: '90.00', hardship: '20.00' });
    expect(roll.arrearsTotal).toBe('70.00');
    const pdf = await county.finance.get(`/api/v1/allowance/rolls/${roll.id}/pdf`);
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.rawPayload);
    for (const words of ['残疾儿童关爱补贴发放汇总表', county.regionCode, roll.number, '朝阳社区', '西城社区', '县本级财政', '困难群众资金', '壹佰壹拾元整', '其中补发：¥70.00', '经办人', '审核人', '民政局', '财政局', roll.sha256!, '第1页/共1页']) {
      expect(text).toContain(words);
    }
    expect((await county.reviewer.get(`/api/v1/allowance/rolls/${roll.id}/pdf`)).status).toBe(200);
    const again = await county.civilAffairs.get(`/api/v1/allowance/rolls/${roll.id}/pdf`);
    expect(again.rawPayload.equals(pdf.rawPayload)).toBe(true);
  });

  it('the bank list as CSV (BOM, account numbers as plain digits, 摘要 2025年10月至12月残疾儿童关爱补贴, a total row) and as XLSX (text cells); the reviewer may not download it (403)', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-10-20' });
    const full = (await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${beneficiary.id}`)).body.bankAccount.accountNumber as string;
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-11');
    const csv = await county.finance.get(`/api/v1/allowance/rolls/${roll.id}/bank.csv`);
    expect(csv.status).toBe(200);
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.rawPayload.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('序号,户名,账号,开户行,金额,摘要');
    expect(lines[1]).toBe(`1,张大山,${full},四川农信通川区联社,90.00,2025年10月至12月残疾儿童关爱补贴`);
    expect(lines[2]).toBe('合计,1 笔,,,90.00,');
    const xlsx = await county.civilAffairs.get(`/api/v1/allowance/rolls/${roll.id}/bank.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('代发清单')!;
    expect(sheet.getRow(2).getCell(3).value).toBe(full);
    expect(sheet.getRow(2).getCell(5).value).toBe(90);
    expect(sheet.getRow(3).getCell(1).value).toBe('合计');
    expect((await county.reviewer.get(`/api/v1/allowance/rolls/${roll.id}/bank.csv`)).status).toBe(403);
    // The reviewer reads the roll with account numbers masked.
    expect(transferOf((await county.reviewer.get(`/api/v1/allowance/rolls/${roll.id}`)).body, beneficiary.id)!.accountNumber).toMatch(/^6214\*+\d{4}$/);
  });
});

describe('bank results', () => {
  it('failure → hold → new account → paid exactly once: Oct–Dec 90.00 fails, the January roll holds it, the February roll pays Oct–Feb 150.00', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-10-20' });
    const other = await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '李四' });
    const december = await issuedRoll(test, county, '2025-12', '2025-12-11');
    const failedNo = transferOf(december, beneficiary.id)!.transferNo;
    const paidNo = transferOf(december, other.id)!.transferNo;
    const draftResults = await county.finance.post(`/api/v1/allowance/rolls/${december.id}/results`, { results: [{ transferNo: failedNo, status: 'failed', reason: '账户已销户' }] });
    expect(draftResults.status).toBe(200);
    expect(transferOf(draftResults.body, beneficiary.id)).toMatchObject({ status: 'failed', failureReason: '账户已销户' });
    expect(draftResults.body.status).toBe('issued');
    // The same result again changes nothing; a different one is refused.
    expect((await county.finance.post(`/api/v1/allowance/rolls/${december.id}/results`, { results: [{ transferNo: failedNo, status: 'failed', reason: '账户已销户' }] })).status).toBe(200);
    const contradicting = await county.finance.post(`/api/v1/allowance/rolls/${december.id}/results`, { results: [{ transferNo: paidNo, status: 'paid' }, { transferNo: failedNo, status: 'paid' }] });
    expect(contradicting.status).toBe(409);
    expect(transferOf((await county.finance.get(`/api/v1/allowance/rolls/${december.id}`)).body, other.id)!.status).toBe('pending');
    const settled = await county.finance.post(`/api/v1/allowance/rolls/${december.id}/results`, { results: [{ transferNo: paidNo, status: 'paid' }] });
    expect(settled.body.status).toBe('settled');
    expect((await county.finance.post(`/api/v1/allowance/rolls/${december.id}/results`, { results: [{ transferNo: paidNo, status: 'paid' }] })).status).toBe(200);

    const detail = (await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${beneficiary.id}`)).body;
    expect(detail.holds).toMatchObject([{ reason: 'bank_failure', note: '账户已销户' }]);
    expect(detail.months.map((month: { status: string }) => month.status)).toEqual(['held', 'held', 'held']);

    at('2026-01-12');
    const january = await build(county, '2026-01');
    expect(transferOf(january, beneficiary.id)).toBeUndefined();
    expect(january.held).toMatchObject([{ beneficiaryId: beneficiary.id, reason: 'bank_failure', months: ['2025-10', '2025-11', '2025-12', '2026-01'], amount: '120.00' }]);
    expect(transferOf(january, other.id)).toMatchObject({ months: ['2026-01'], amount: '30.00' });
    await county.civilAffairs.post(`/api/v1/allowance/rolls/${january.id}/publish`, { from: '2026-01-12' });
    at('2026-01-20');
    await county.civilAffairs2.post(`/api/v1/allowance/rolls/${january.id}/issue`, {});

    const newAccount = accountNumber();
    const changed = await changeAccount(county, beneficiary.id, { bank: '中国农业银行', accountName: '张大山', accountNumber: `${newAccount.slice(0, 4)} ${newAccount.slice(4)}` });
    expect(changed.holds).toEqual([]);
    at('2026-02-09');
    const february = await build(county, '2026-02');
    expect(transferOf(february, beneficiary.id)).toMatchObject({ months: ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02'], amount: '150.00' });
    expect((await county.civilAffairs.get(`/api/v1/allowance/rolls/${february.id}`)).body.transfers.find((transfer: { beneficiaryId: string }) => transfer.beneficiaryId === beneficiary.id).accountNumber).toBe(newAccount);
  });

  it('the bank’s return file as CSV (序号, 结果, 失败原因) records results; an unknown transfer number is 400 and writes nothing; a draft is not finance’s to see (404)', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '甲' });
    await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '乙' });
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-11');
    const before = await tableCounts(test.db);
    const unknown = await county.finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results: [{ transferNo: 1, status: 'paid' }, { transferNo: 9, status: 'paid' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toMatchObject([{ transferNo: 9 }]);
    expect((await county.finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results: [{ transferNo: 1, status: 'lost' }] })).status).toBe(400);
    expect((await county.finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results: [] })).status).toBe(400);
    expect(await tableCounts(test.db)).toEqual(before);
    const upload = (body: string) => county.finance.request('POST', `/api/v1/allowance/rolls/${roll.id}/results`, body, { 'content-type': 'text/csv' });
    expect((await upload('序号,结果,失败原因\n1,也许,\n')).status).toBe(400);
    const recorded = await upload('\ufeff序号,结果,失败原因\n1,成功,\n2,失败,户名不符\n');
    expect(recorded.status).toBe(200);
    expect(recorded.body.status).toBe('settled');
    expect(recorded.body.transfers.map((transfer: { status: string; failureReason: string | null }) => [transfer.status, transfer.failureReason])).toEqual([
      ['paid', null],
      ['failed', '户名不符'],
    ]);
    // The bank's file as XLSX, on a roll of another county.
    const xlsxCounty = await createCounty(test);
    await activeBeneficiary(xlsxCounty, { acceptedOn: '2025-12-01' });
    const xlsxRoll = await issuedRoll(test, xlsxCounty, '2025-12', '2025-12-11');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('回盘');
    sheet.addRow(['序号', '结果', '失败原因']);
    sheet.addRow([1, '失败', '账户冻结']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const fromXlsx = await xlsxCounty.finance.request('POST', `/api/v1/allowance/rolls/${xlsxRoll.id}/results`, xlsx, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(fromXlsx.status).toBe(200);
    expect(fromXlsx.body.transfers[0]).toMatchObject({ status: 'failed', failureReason: '账户冻结' });
    const draftCounty = await createCounty(test);
    await activeBeneficiary(draftCounty, { acceptedOn: '2025-12-01' });
    const draft = await build(draftCounty, '2025-12');
    expect((await draftCounty.finance.post(`/api/v1/allowance/rolls/${draft.id}/results`, { results: [{ transferNo: 1, status: 'paid' }] })).status).toBe(404);
  });
});

describe('exits and overpayments', () => {
  it('exit → overpayment → recovery: December 30.00 was sent when the child moved out from 2025-12; 10.00 recovered, 30.00 more is 422, 20.00 closes it', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-11-05' });
    await issuedRoll(test, county, '2025-12', '2025-12-11');
    const exited = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/exit`, { reason: 'moved_out', fromMonth: '2025-12', note: '迁往成都' });
    expect(exited.body).toMatchObject({ status: 'exited', exit: { reason: 'moved_out', fromMonth: '2025-12', note: '迁往成都' } });
    expect(exited.body.months.map((month: { month: string }) => month.month)).toEqual(['2025-11']);
    const listed = await county.finance.get('/api/v1/allowance/overpayments');
    expect(listed.body.items).toMatchObject([{ beneficiaryId: beneficiary.id, childName: '张小明', months: ['2025-12'], amount: '30.00', recovered: '0.00', status: 'open' }]);
    const id = listed.body.items[0].id;
    const partial = await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/recoveries`, { amount: '10.00', on: '2025-12-18', voucherNo: 'HK-001' });
    expect(partial.body).toMatchObject({ status: 'partially_recovered', recovered: '10.00', remaining: '20.00' });
    const tooMuch = await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/recoveries`, { amount: '30.00', on: '2025-12-18', voucherNo: 'HK-002' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('AMOUNT_MISMATCH');
    const closed = await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/recoveries`, { amount: '20.00', on: '2025-12-18', voucherNo: 'HK-003' });
    expect(closed.body).toMatchObject({ status: 'recovered', recovered: '30.00', remaining: '0.00' });
    expect(closed.body.recoveries).toHaveLength(2);
    expect((await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/waive`, { reason: '困难' })).status).toBe(409);
    expect((await county.finance.post(`/api/v1/allowance/overpayments/${id}/recoveries`, { amount: '1.00', on: '2025-12-18', voucherNo: 'X' })).status).toBe(403);
    // The child may be enrolled again after the exit.
    expect((await county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(beneficiary.childId, { acceptedOn: '2025-12-12' }))).status).toBe(201);
  });

  it('an exit from 2025-11 with Oct–Dec in an issued roll: overpayment 60.00; the transfer then fails, so nothing was paid and the overpayment is cancelled', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-10-05' });
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-11');
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/exit`, { reason: 'death', fromMonth: '2025-11' });
    const open = (await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items[0];
    expect(open).toMatchObject({ months: ['2025-11', '2025-12'], amount: '60.00', status: 'open' });
    await county.finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results: [{ transferNo: 1, status: 'failed', reason: '账户冻结' }] });
    expect((await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items[0]).toMatchObject({ amount: '0.00', status: 'cancelled', months: [] });
    // October was payable and is due again; it waits for a new account.
    const detail = (await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${beneficiary.id}`)).body;
    expect(detail.months).toMatchObject([{ month: '2025-10', status: 'held', amount: '30.00' }]);
  });

  it('an exit takes the exited months off a draft: Oct–Dec 90.00 becomes October 30.00', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-10-05' });
    const draft = await build(county, '2025-12');
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/exit`, { reason: 'certificate_revoked', fromMonth: '2025-11' });
    const after = (await county.civilAffairs.get(`/api/v1/allowance/rolls/${draft.id}`)).body;
    expect(transferOf(after, beneficiary.id)).toMatchObject({ months: ['2025-10'], amount: '30.00' });
    expect(after.total).toBe('30.00');
    expect((await county.civilAffairs.get('/api/v1/allowance/overpayments')).body.items).toEqual([]);
    for (const action of ['hold', 'verify', 'tier', 'exit']) {
      const body = { hold: { reason: 'x' }, verify: { on: '2025-12-01' }, tier: { tier: 'care', fromMonth: '2026-01' }, exit: { reason: 'other', fromMonth: '2025-12' } }[action];
      expect((await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/${action}`, body)).status, action).toBe(409);
    }
  });
});

describe('scoping and the dashboard', () => {
  it('each route by role and region: another county’s officers get 404; finance sees rolls once issued; an institution gets 403', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const elsewhere = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-12-01' });
    const draft = await build(county, '2025-12');
    for (const officer of [elsewhere.reviewer, elsewhere.civilAffairs, elsewhere.finance]) {
      expect((await officer.get(`/api/v1/allowance/beneficiaries/${beneficiary.id}`)).status).toBe(404);
      expect((await officer.get(`/api/v1/allowance/rolls/${draft.id}`)).status).toBe(404);
      expect((await officer.get('/api/v1/allowance/beneficiaries')).body.items).toEqual([]);
    }
    expect((await elsewhere.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/hold`, { reason: 'x' })).status).toBe(404);
    expect((await elsewhere.civilAffairs.post(`/api/v1/allowance/rolls/${draft.id}/cancel`, {})).status).toBe(404);
    expect((await county.finance.get(`/api/v1/allowance/rolls/${draft.id}`)).status).toBe(404);
    expect((await county.finance.get('/api/v1/allowance/rolls')).body.items).toEqual([]);
    expect((await county.reviewer.get('/api/v1/allowance/rolls')).body.items).toHaveLength(1);
    expect((await county.reviewer.post('/api/v1/allowance/rolls', { month: '2025-12' })).status).toBe(403);
    expect((await county.finance.post(`/api/v1/allowance/beneficiaries/${beneficiary.id}/approve`, {})).status).toBe(403);
    expect((await world.a.get(`/api/v1/allowance/rolls/${draft.id}`)).status).toBe(403);
    // civil_affairs reads the region's children, not rehabilitation claims.
    expect((await county.civilAffairs.get(`/api/v1/children/${beneficiary.childId}`)).status).toBe(200);
    expect((await county.civilAffairs.get('/api/v1/claims')).status).toBe(403);
  });

  it('the dashboard: budget 80,000.00 county and 30,000.00 hardship; 110.00 paid in December 2025 (90.00 county, 20.00 hardship, 70.00 arrears); remaining 79,910.00 and 29,980.00', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    expect((await admin.put(`/api/v1/regions/${county.regionCode}/budgets/2025`, { rehabilitation: '4600000.00', allowanceCounty: '80000.00', allowanceHardship: '30000.00' })).status).toBe(200);
    await activeBeneficiary(county, { acceptedOn: '2025-10-20' });
    await activeBeneficiary(county, { acceptedOn: '2025-11-20', tier: 'nursing_supplement' });
    const held = await activeBeneficiary(county, { acceptedOn: '2025-12-01' });
    await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${held.id}/hold`, { reason: '核查' });
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-11');
    await county.finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results: roll.transfers.map((transfer) => ({ transferNo: transfer.transferNo, status: 'paid' })) });
    const stats = await county.finance.get('/api/v1/allowance/stats?year=2025');
    expect(stats.status, JSON.stringify(stats.body)).toBe(200);
    expect(stats.body).toMatchObject({
      year: 2025,
      regionCode: county.regionCode,
      funds: { county: { budget: '80000.00', paid: '90.00', remaining: '79910.00' }, hardship: { budget: '30000.00', paid: '20.00', remaining: '29980.00' } },
      paidByMonth: [{ month: '2025-12', county: '90.00', hardship: '20.00' }],
      active: { care: 2, nursingSupplement: 1 },
      arrearsPaid: '70.00',
      heldNow: { manual: 1 },
      overpayments: { open: '0.00', recovered: '0.00' },
    });
    const unset = await county.civilAffairs.get('/api/v1/allowance/stats?year=2026');
    expect(unset.body.funds.county).toEqual({ budget: null, paid: '0.00', remaining: null });
    expect((await admin.get('/api/v1/allowance/stats?year=2025')).status).toBe(400);
    expect((await admin.get(`/api/v1/allowance/stats?year=2025&regionCode=${county.regionCode}`)).body.funds.county.paid).toBe('90.00');
    expect((await county.civilAffairs.get('/api/v1/allowance/stats?year=2025&regionCode=511781')).status).toBe(404);
    expect((await county.reviewer.get('/api/v1/allowance/stats?year=2025')).status).toBe(403);
    // The rehabilitation dashboard shows its budget beside approved and paid.
    const rehabilitation = await county.reviewer.get('/api/v1/stats?year=2025');
    expect(rehabilitation.body.budget).toEqual({ budget: '4600000.00', approved: '0.00', paid: '0.00', remaining: '4600000.00' });
  });

  it('every action is audited in its transaction, with the account number masked', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county, { acceptedOn: '2025-11-05' });
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-11');
    await county.finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results: [{ transferNo: 1, status: 'paid' }] });
    const events = await county.civilAffairs.get(`/api/v1/audit?entityId=${beneficiary.id}`);
    expect(events.body.items.map((event: { action: string }) => event.action)).toEqual(['beneficiary.enrolled', 'beneficiary.approved']);
    expect(JSON.stringify(events.body.items[0].data)).not.toContain(beneficiary.bankAccount.accountNumber.replace(/\*/g, ''));
    const rollEvents = await county.civilAffairs.get(`/api/v1/audit?entityId=${roll.id}`);
    expect(rollEvents.body.items.map((event: { action: string }) => event.action)).toEqual(['roll.created', 'roll.published', 'roll.issued', 'roll.results_recorded', 'roll.settled']);
  });
});
