import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestApp } from './support/lifecycle.js';
import { auditRows, caseBody, createProtectionCounty, expectOk, receiveCase, townshipChild, type ProtectionCounty } from './support/protection.js';
import type { Client, TestApp } from './support/testApp.js';
import { personalAdmins } from './support/world.js';

// Quarterly updates (protection.md §6) — the quarterly part of worked example 5: 2026-Q1 updates
// are accepted from 2026-03-01; a township with cases in care and none is `due` in March and
// `overdue` from 2026-04-01; an update of 2026-04-03 is `late` — and the report, and the
// programme's statistics (§10).

let test: TestApp;
let county: ProtectionCounty;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);
const orphanParents = { father: [{ situation: 'dead', since: '2019-01-01', until: null }], mother: [{ situation: 'dead', since: '2020-01-01', until: null }] };

async function recognised(township: Client, village: string, name: string, extra: Record<string, unknown> = {}) {
  const child = await townshipChild(county, { village, name, registrar: township });
  const received = await receiveCase(county, caseBody(child.id, { parents: orphanParents, ...extra }), township);
  await expectOk(township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
  return { child, kase: await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, {}), 'recognise') };
}

async function readWorkbook(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}
const rowValues = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);

let a: Awaited<ReturnType<typeof recognised>>;
let b: Awaited<ReturnType<typeof recognised>>;
let c: Awaited<ReturnType<typeof recognised>>;

describe('worked example 5, the quarter: 2026-Q1', () => {
  it('accepted from 2026-03-01 (earlier 422 SERVICE_NOT_YET_DELIVERED); both townships not_yet_due in February and due in March', async () => {
    at('2025-12-01');
    county = await createProtectionCounty(test, '517283');
    a = await recognised(county.township, county.village, '甲一', { leftBehind: true });
    b = await recognised(county.township, county.village, '甲二');
    c = await recognised(county.otherTownship, county.otherVillage, '乙一');
    at('2026-02-28');
    const early = await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/quarterly-updates', { quarter: '2026-Q1', lines: [] }), 422, 'SERVICE_NOT_YET_DELIVERED');
    expect(early.body.error.details).toEqual([{ acceptedFrom: '2026-03-01' }]);
    const february = (await county.civilAffairs.get('/api/v1/protection/quarterly-updates?quarter=2026-Q1')).body;
    expect(february.items.map((item: { townshipCode: string; status: string; casesInCare: number }) => [item.townshipCode, item.status, item.casesInCare])).toEqual([
      ['517283001', 'not_yet_due', 2],
      ['517283002', 'not_yet_due', 1],
    ]);
    at('2026-03-01');
    const march = (await county.civilAffairs.get('/api/v1/protection/quarterly-updates?quarter=2026-Q1')).body.items as { status: string }[];
    expect(march.map((item) => item.status)).toEqual(['due', 'due']);
    // A township reads its own line only.
    expect((await county.township.get('/api/v1/protection/quarterly-updates?quarter=2026-Q1')).body.items.map((item: { townshipCode: string }) => item.townshipCode)).toEqual(['517283001']);
  });

  it('the lines name each recognised case of the township exactly once (400 with details); a changed guardian applies at once, a changed arrangement is reported for civil affairs; one update a quarter (409)', async () => {
    at('2026-03-10');
    const missing = await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/quarterly-updates', { quarter: '2026-Q1', lines: [{ caseId: a.kase.id, result: 'confirmed' }] }), 400, 'VALIDATION_FAILED');
    expect(missing.body.error.details).toEqual([{ caseId: b.kase.id, problem: 'missing: every recognised case of the township has a line' }]);
    const foreign = await expectRefusedUnchanged(
      test.db,
      () => county.township.post('/api/v1/protection/quarterly-updates', { quarter: '2026-Q1', lines: [{ caseId: a.kase.id, result: 'confirmed' }, { caseId: b.kase.id, result: 'confirmed' }, { caseId: c.kase.id, result: 'confirmed' }] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(foreign.body.error.details).toEqual([{ caseId: c.kase.id, problem: 'not a recognised case of the township' }]);
    const twice = await expectRefusedUnchanged(
      test.db,
      () => county.township.post('/api/v1/protection/quarterly-updates', { quarter: '2026-Q1', lines: [{ caseId: a.kase.id, result: 'confirmed' }, { caseId: a.kase.id, result: 'confirmed' }, { caseId: b.kase.id, result: 'confirmed' }] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(twice.body.error.details).toEqual([{ caseId: a.kase.id, problem: 'named twice' }]);
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/quarterly-updates', { quarter: '2026-Q1', lines: [{ caseId: a.kase.id, result: 'changed' }, { caseId: b.kase.id, result: 'confirmed' }] }), 400, 'VALIDATION_FAILED');

    const submitted = await county.township.post('/api/v1/protection/quarterly-updates', {
      quarter: '2026-Q1',
      lines: [
        { caseId: a.kase.id, result: 'confirmed' },
        { caseId: b.kase.id, result: 'changed', changes: { guardian: { name: '李秀英', relation: 'aunt', phone: '13700001111' }, livingArrangement: 'institution', note: '已送县儿童福利院' } },
      ],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    expect(submitted.body).toMatchObject({ quarter: '2026-Q1', townshipCode: '517283001', submittedOn: '2026-03-10', late: false });
    expect(submitted.body.lines.find((line: { caseId: string }) => line.caseId === b.kase.id).changes.guardian).toEqual({ name: '李秀英', relation: 'aunt', phone: '137****1111' });
    const child = (await county.township.get(`/api/v1/children/${b.child.id}`)).body;
    expect(child.guardian).toEqual({ name: '李秀英', relation: 'aunt', phone: '13700001111' });
    const changedCase = (await county.civilAffairs.get(`/api/v1/protection/cases/${b.kase.id}`)).body;
    expect(changedCase).toMatchObject({ lastVerifiedOn: '2026-03-10', reportedChanges: [{ quarter: '2026-Q1', reportedOn: '2026-03-10', livingArrangement: 'institution', categories: null, note: '已送县儿童福利院' }] });
    // Civil affairs applies it: no longer reported.
    const applied = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${b.kase.id}/living-arrangement`, { livingArrangement: 'institution', fromMonth: '2026-04' }), 'apply');
    expect(applied.reportedChanges).toEqual([]);
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/quarterly-updates', { quarter: '2026-Q1', lines: [{ caseId: a.kase.id, result: 'confirmed' }, { caseId: b.kase.id, result: 'confirmed' }] }), 409, 'ALREADY_EXISTS');
    const audit = await auditRows(test.db, { entityType: 'child', entityId: b.child.id });
    expect(audit.map((row) => row.action)).toContain('child.guardian_changed');
    expect(JSON.stringify(audit)).not.toContain('13700001111');
  });

  it('a township with cases in care and no update is overdue from 2026-04-01; its update of 2026-04-03 is late; an exited line holds the case until civil affairs records the exit', async () => {
    at('2026-03-31');
    expect(((await county.civilAffairs.get('/api/v1/protection/quarterly-updates?quarter=2026-Q1')).body.items as { status: string }[]).map((item) => item.status)).toEqual(['submitted', 'due']);
    at('2026-04-01');
    const april = (await county.civilAffairs.get('/api/v1/protection/quarterly-updates?quarter=2026-Q1')).body.items as { townshipCode: string; status: string; late: boolean }[];
    expect(april.map((item) => [item.townshipCode, item.status, item.late])).toEqual([
      ['517283001', 'submitted', false],
      ['517283002', 'overdue', false],
    ]);
    const stats = (await county.civilAffairs.get('/api/v1/protection/stats?year=2026')).body;
    expect(stats.quarterlyUpdates).toEqual({ quarter: '2026-Q1', expected: 2, submitted: 1, overdue: ['517283002'] });

    at('2026-04-03');
    const late = await county.otherTownship.post('/api/v1/protection/quarterly-updates', { quarter: '2026-Q1', lines: [{ caseId: c.kase.id, result: 'exited', exit: { reason: 'adopted', eventOn: '2026-02-10' } }] });
    expect(late.status, JSON.stringify(late.body)).toBe(201);
    expect(late.body).toMatchObject({ submittedOn: '2026-04-03', late: true });
    const statuses = (await county.civilAffairs.get('/api/v1/protection/quarterly-updates?quarter=2026-Q1')).body.items as { status: string; late: boolean }[];
    expect(statuses.map((item) => [item.status, item.late])).toEqual([
      ['submitted', false],
      ['submitted', true],
    ]);
    const held = (await county.civilAffairs.get(`/api/v1/protection/cases/${c.kase.id}`)).body;
    expect(held.holds).toEqual([{ reason: 'exit_reported', note: expect.stringContaining('2026-Q1'), since: expect.any(String) }]);
    const exited = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${c.kase.id}/exit`, { reason: 'adopted', eventOn: '2026-02-10' }), 'exit');
    expect(exited).toMatchObject({ status: 'exited', holds: [], exit: { fromMonth: '2026-03' } });
  });

  it('the report: 汇总 with a row per township and a 合计 row, then a sheet per township; a township gets its own sheet', async () => {
    at('2026-04-05');
    const response = await county.civilAffairs.get('/api/v1/protection/quarterly-updates/report.xlsx?quarter=2026-Q1');
    expect(response.status).toBe(200);
    const workbook = await readWorkbook(response.rawPayload);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '517283001', '517283002']);
    const summary = workbook.getWorksheet('汇总')!;
    expect(rowValues(summary, 1)).toEqual(['乡镇(街道)', '乡镇代码', '孤儿', '事实无人抚养', '重病重残', '特困供养', '贫困家庭', '监护缺失', '临时困境', '在册合计', '留守', '本季新增', '本季退出', '本季变更', '报送日期', '是否逾期']);
    // In care on 2026-03-31: 甲一 and 甲二 (orphans, 甲一 left behind); 乙一 exited from 2026-03.
    expect(rowValues(summary, 2)).toEqual(['517283001', '517283001', 2, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 1, '2026-03-10', '否']);
    expect(rowValues(summary, 3)).toEqual(['517283002', '517283002', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, '2026-04-03', '是']);
    expect(rowValues(summary, 4)).toEqual(['合计', undefined, 2, 0, 0, 0, 0, 0, 0, 2, 1, 0, 1, 1]);
    const first = workbook.getWorksheet('517283001')!;
    expect(rowValues(first, 1)).toEqual(['序号', '姓名', '身份证号', '村(社区)', '类别', '认定日期', '本季结果', '变更内容']);
    // By village, then by name as people sort them (pinyin: 甲二 jiǎ èr before 甲一 jiǎ yī).
    const lines = [rowValues(first, 2), rowValues(first, 3)];
    expect(lines.map((line) => [line[1], line[6]])).toEqual([
      ['甲二', '变更'],
      ['甲一', '确认'],
    ]);
    expect(String(lines[1]![2])).toMatch(/^517283\*{8}\d{3}[\dX]$/);
    expect(lines[0]![7]).toBe('监护人：李秀英（姑姨）；生活安置：机构养育；已送县儿童福利院');
    const second = workbook.getWorksheet('517283002')!;
    expect(rowValues(second, 2)[6]).toBe('退出');

    const own = await readWorkbook((await county.township.get('/api/v1/protection/quarterly-updates/report.xlsx?quarter=2026-Q1')).rawPayload);
    expect(own.worksheets.map((sheet) => sheet.name)).toEqual(['517283001']);
  });
});

describe('statistics (§10)', () => {
  it('open cases by status, in care now by category, decisions and exits of the year, timeliness of each step', async () => {
    at('2026-04-05');
    const stats = (await county.civilAffairs.get('/api/v1/protection/stats?year=2026')).body;
    expect(stats).toMatchObject({
      year: 2026,
      regionCode: '517283',
      on: '2026-04-05',
      open: { received: 0, notice: 0, returned_to_township: 0, county_review: 0 },
      inCare: { total: 2, byCategory: { orphan: 2, de_facto_unsupported: 0 }, leftBehind: 1, hivAffected: 0, payable: 2 },
      decided: { recognised: 0, refusedByTownship: 0, refusedByCounty: 0, withdrawn: 0 },
      exits: { adopted: 1, age_18: 0 },
    });
    const last = (await county.civilAffairs.get('/api/v1/protection/stats?year=2025')).body;
    expect(last.decided.recognised).toBe(3);
    expect(last.timeliness.townshipCheck).toEqual({ decided: 3, decidedInTime: 3, overdueNow: 0 });
    expect(last.timeliness.countyReview.civil_affairs).toEqual({ decided: 3, decidedInTime: 3, overdueNow: 0 });
    const admin = (await personalAdmins(test)).admin.client;
    expect((await admin.get('/api/v1/protection/stats?year=2026&regionCode=517283')).body.inCare.total).toBe(2);
    expect((await admin.get('/api/v1/protection/stats?year=2026')).status).toBe(400);
    expect((await county.finance.get('/api/v1/protection/stats?year=2026')).status).toBe(200);
    expect((await county.finance.get('/api/v1/protection/stats?year=2026&regionCode=511702')).status).toBe(404);
    expect((await county.township.get('/api/v1/protection/stats?year=2026')).status).toBe(403);
  });

  it('a pending step past its due date is overdue now; the queue lists it with overdue=true', async () => {
    at('2026-04-06');
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id, { parents: orphanParents }));
    at('2026-04-14');
    const queue = (await county.township.get('/api/v1/protection/cases?status=received&overdue=true')).body.items as { id: string; overdue: boolean; dueOn: string }[];
    expect(queue.map((item) => [item.id, item.overdue, item.dueOn])).toEqual([[received.id, true, '2026-04-13']]);
    expect((await county.civilAffairs.get('/api/v1/protection/stats?year=2026')).body.timeliness.townshipCheck.overdueNow).toBe(1);
  });
});
