import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../src/testing/pdfTools.js';
import { canonicalBatchSha256 } from './support/canonical.js';
import { deviceClaim, submitAndApprove, trainingClaim } from './support/claims.js';
import { client, tableCounts, type TestApp } from './support/testApp.js';
import { createInstitution, createUser, OTHER_REGION, registerChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made)); // 2026-11-22 10:00 China time

async function referTo(institutionId: string, category = 'hearing', reviewer = world.reviewer, regionCode?: string) {
  const child = await registerChild(reviewer, { birthDate: '2021-02-01', category, regionCode });
  const filed = await reviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training', 'device'], institutionId });
  const approved = await reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
  if (approved.status !== 200) throw new Error(JSON.stringify(approved.body));
  return child;
}

/** An institution of region 511702 with its own user, so that a test's batches are its own. */
async function freshInstitution(name: string) {
  const institution = await createInstitution(world.admin, { name });
  const user = await createUser(world.admin, { name: `${name}会计`, role: 'institution', institutionId: institution.id });
  return { institution, user: client(test.app, user.token) };
}

describe('building batches', () => {
  it('one draft per institution of the region’s approved claims; other regions’ claims stay out; 0.00 claims are lines', async () => {
    const c1 = await referTo(world.instA.id);
    const c2 = await referTo(world.instB.id);
    const c3 = await referTo(world.instC.id); // an institution in another county, paid by 511702
    const c4 = await referTo(world.instC.id, 'hearing', world.otherReviewer, OTHER_REGION);
    await submitAndApprove(world.a, world.reviewer, trainingClaim(c1.id, '2026-01', '2026-03', '5400.00'));
    await submitAndApprove(world.a, world.reviewer, deviceClaim(c1.id, 'hearing_aid', '2026-05-10', '6000.00'));
    await submitAndApprove(world.a, world.reviewer, deviceClaim(c1.id, 'mobility_aid', '2026-05-11', '800.00', { freeIssued: true }));
    await submitAndApprove(world.b, world.reviewer, trainingClaim(c2.id, '2026-02', '2026-02', '1000.00'));
    await submitAndApprove(world.c, world.reviewer, trainingClaim(c3.id, '2026-04', '2026-04', '2000.00'));
    await submitAndApprove(world.c, world.otherReviewer, trainingClaim(c4.id, '2026-04', '2026-04', '3000.00'));

    const made = await world.reviewer.post('/api/v1/batches', {});
    expect(made.status).toBe(201);
    const byInstitution = Object.fromEntries(made.body.batches.map((batch: { institutionId: string }) => [batch.institutionId, batch]));
    expect(Object.keys(byInstitution).sort()).toEqual([world.instA.id, world.instB.id, world.instC.id].sort());
    expect(byInstitution[world.instA.id]).toMatchObject({ status: 'draft', regionCode: '511702', claimCount: 3, total: '9900.00' });
    expect(byInstitution[world.instB.id]).toMatchObject({ claimCount: 1, total: '1000.00' });
    expect(byInstitution[world.instC.id]).toMatchObject({ claimCount: 1, total: '1700.00' });
    for (const batch of made.body.batches) expect(batch.number).toMatch(/^511702-2026-\d{4}$/);
    expect(new Set(made.body.batches.map((batch: { number: string }) => batch.number)).size).toBe(3);

    const draft = await world.reviewer.get(`/api/v1/batches/${byInstitution[world.instA.id].id}`);
    expect(draft.body.lines.map((line: { approvedAmount: string; period: string }) => [line.period, line.approvedAmount])).toEqual([
      ['2026-01至2026-03', '5100.00'],
      ['2026-05-10', '4800.00'],
      ['2026-05-11', '0.00'],
    ]);
    expect(draft.body.lines[0]).toMatchObject({ lineNo: 1, childName: '张小明', idNumberMasked: `${c1.idNumber.slice(0, 6)}********${c1.idNumber.slice(-4)}`, category: 'hearing', service: 'training', grossCost: '5400.00', deductionsTotal: '0.00', remainder: '5400.00' });
    expect(draft.body.totalInWords).toBe('玖仟玖佰元整');
    expect(draft.body.sha256).toBeNull();

    // Nothing is left to batch in 511702: the answer names the drafts that hold the claims; 511781
    // batches its own claim.
    const again = await world.reviewer.post('/api/v1/batches', {});
    expect(again.body.batches).toEqual([]);
    expect(again.body.existingDrafts.map((batch: { id: string }) => batch.id).sort()).toEqual(made.body.batches.map((batch: { id: string }) => batch.id).sort());
    expect(again.body.existingDrafts.find((batch: { institutionId: string }) => batch.institutionId === world.instA.id)).toMatchObject({ status: 'draft', claimCount: 3, total: '9900.00' });
    expect((await world.reviewer.post('/api/v1/batches', { institutionId: world.instB.id })).body.existingDrafts).toEqual([expect.objectContaining({ institutionId: world.instB.id })]);
    const other = await world.otherReviewer.post('/api/v1/batches', {});
    expect(other.body.batches).toHaveLength(1);
    expect(other.body.batches[0]).toMatchObject({ regionCode: OTHER_REGION, institutionId: world.instC.id, total: '1700.00' });
    expect(other.body.batches[0].number).toMatch(/^511781-2026-0001$/);
  });

  it('a claim approved after the cut-off day (China time) stays out', async () => {
    const { institution, user } = await freshInstitution('截止日测试中心');
    const child = await referTo(institution.id);
    test.clock.set('2026-11-21T15:59:00Z'); // 23:59 on the 21st in China
    const before = await submitAndApprove(user, world.reviewer, trainingClaim(child.id, '2026-01', '2026-01', '100'));
    test.clock.set('2026-11-21T16:00:00Z'); // 00:00 on the 22nd in China
    const after = await submitAndApprove(user, world.reviewer, trainingClaim(child.id, '2026-02', '2026-02', '200'));
    test.clock.set('2026-11-22T10:00:00+08:00');
    const made = await world.reviewer.post('/api/v1/batches', { institutionId: institution.id, approvedThrough: '2026-11-21' });
    expect(made.body.batches).toHaveLength(1);
    const batch = await world.reviewer.get(`/api/v1/batches/${made.body.batches[0].id}`);
    expect(batch.body.approvedThrough).toBe('2026-11-21');
    expect(batch.body.lines.map((line: { claimId: string }) => line.claimId)).toEqual([before.id]);
    const rest = await world.reviewer.post('/api/v1/batches', { institutionId: institution.id });
    expect((await world.reviewer.get(`/api/v1/batches/${rest.body.batches[0].id}`)).body.lines.map((line: { claimId: string }) => line.claimId)).toEqual([after.id]);
    expect((await world.reviewer.post('/api/v1/batches', { approvedThrough: '2026-11-23' })).status).toBe(400);
    expect((await world.reviewer.post('/api/v1/batches', { institutionId: '01a20000-0000-7000-8000-000000000000' })).status).toBe(400);
  });

  it('the database refuses a claim in two live batches, whatever the code does', async () => {
    const { institution, user } = await freshInstitution('约束测试中心');
    const child = await referTo(institution.id);
    const claim = await submitAndApprove(user, world.reviewer, trainingClaim(child.id, '2026-03', '2026-03', '100'));
    const made = await world.reviewer.post('/api/v1/batches', { institutionId: institution.id });
    const batchId = made.body.batches[0].id;
    await expect(
      test.db.execute(sql`insert into batch_lines (batch_id, line_no, claim_id, external_ref, child_name, id_number_masked, category, service, period, gross_cost, deductions_total, remainder, approved_amount)
        values (${batchId}, 99, ${claim.id}, 'x', 'x', '511702********0000', 'hearing', 'training', 'x', 1, 0, 1, 1)`),
    ).rejects.toThrow();
  });

  it('cancelling a draft returns its claims; they go into the next batch', async () => {
    const { institution, user } = await freshInstitution('取消测试中心');
    const child = await referTo(institution.id);
    const claim = await submitAndApprove(user, world.reviewer, trainingClaim(child.id, '2026-03', '2026-03', '100'));
    const first = (await world.reviewer.post('/api/v1/batches', { institutionId: institution.id })).body.batches[0];
    expect((await world.reviewer.get(`/api/v1/claims/${claim.id}`)).body.batchId).toBe(first.id);
    const cancelled = await world.reviewer.post(`/api/v1/batches/${first.id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const claimAfter = (await world.reviewer.get(`/api/v1/claims/${claim.id}`)).body;
    expect([claimAfter.status, claimAfter.batchId]).toEqual(['approved', null]);
    const second = (await world.reviewer.post('/api/v1/batches', { institutionId: institution.id })).body.batches[0];
    expect(second.number).not.toBe(first.number);
    expect((await world.reviewer.get(`/api/v1/batches/${second.id}`)).body.lines.map((line: { claimId: string }) => line.claimId)).toEqual([claim.id]);
    for (const action of ['cancel', 'issue']) {
      const again = await world.reviewer.post(`/api/v1/batches/${first.id}/${action}`, {});
      expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_STATE']);
    }
  });
});

describe('issuing, the PDF and the spreadsheet', () => {
  let batchId: string;
  let childIdNumbers: string[];
  let institutionName: string;

  beforeAll(async () => {
    const { institution, user } = await freshInstitution('星光儿童康复中心');
    institutionName = institution.name;
    const first = await referTo(institution.id);
    const second = await referTo(institution.id, 'autism');
    childIdNumbers = [first.idNumber, second.idNumber];
    await submitAndApprove(user, world.reviewer, trainingClaim(first.id, '2026-01', '2026-10', '20000.00', { deductions: { basicMedicalInsurance: '2000', medicalAid: '500' } }));
    await submitAndApprove(user, world.reviewer, trainingClaim(second.id, '2026-03', '2026-05', '4500.00'));
    batchId = (await world.reviewer.post('/api/v1/batches', { institutionId: institution.id })).body.batches[0].id;
  });

  it('a draft has no PDF (409) and finance does not see it', async () => {
    const pdf = await world.reviewer.get(`/api/v1/batches/${batchId}/pdf`);
    expect([pdf.status, pdf.body.error.code]).toEqual([409, 'INVALID_STATE']);
    expect((await world.finance.get(`/api/v1/batches/${batchId}`)).status).toBe(404);
  });

  it('issue freezes it: the SHA-256 is the documented canonical serialisation of GET /batches/:id', async () => {
    const issued = await world.reviewer2.post(`/api/v1/batches/${batchId}/issue`, {});
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ status: 'issued', claimCount: 2, total: '21500.00', totalInWords: '贰万壹仟伍佰元整' });
    expect(issued.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const batch = (await world.finance.get(`/api/v1/batches/${batchId}`)).body;
    // The auditor's recomputation, written from the README, not from the service's code.
    expect(canonicalBatchSha256(batch)).toBe(batch.sha256);
    for (const line of batch.lines) expect((await world.reviewer.get(`/api/v1/claims/${line.claimId}`)).body.status).toBe('batched');
    const again = await world.reviewer2.post(`/api/v1/batches/${batchId}/issue`, {});
    expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_STATE']);
    expect((await world.reviewer.post(`/api/v1/batches/${batchId}/cancel`, {})).status).toBe(409);
  });

  it('the PDF is the same bytes on every download, and holds names, masked IDs and the total in words, never a full ID', async () => {
    const first = await world.finance.request('GET', `/api/v1/batches/${batchId}/pdf`);
    const second = await world.reviewer.request('GET', `/api/v1/batches/${batchId}/pdf`);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(first.rawPayload.equals(second.rawPayload)).toBe(true);
    const batch = (await world.finance.get(`/api/v1/batches/${batchId}`)).body;
    expect(createHash('sha256').update(first.rawPayload).digest('hex')).toBe(batch.pdfSha256);
    const text = pdfText(first.rawPayload).replace(/\s+/g, '');
    expect(text).toContain(institutionName);
    expect(text).toContain('贰万壹仟伍佰元整');
    expect(text).toContain(batch.sha256);
    for (const idNumber of childIdNumbers) {
      expect(text).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
      expect(text).not.toContain(idNumber);
    }
  });

  it('a stored PDF that no longer matches its hash is never served', async () => {
    const { institution, user } = await freshInstitution('完整性测试中心');
    const child = await referTo(institution.id);
    await submitAndApprove(user, world.reviewer, trainingClaim(child.id, '2026-03', '2026-03', '100'));
    const id = (await world.reviewer.post('/api/v1/batches', { institutionId: institution.id })).body.batches[0].id;
    await world.reviewer2.post(`/api/v1/batches/${id}/issue`, {});
    await test.db.execute(sql`update batch_documents set pdf = pdf || '\\x00'::bytea where batch_id = ${id}`);
    const response = await world.finance.request('GET', `/api/v1/batches/${id}/pdf`);
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('INTERNAL_ERROR');
  });

  it('the spreadsheet has the same lines and total, Chinese headers, numbers with 2 decimals', async () => {
    const response = await world.finance.request('GET', `/api/v1/batches/${batchId}/xlsx`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('结算明细')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['序号', '结算申请号', '儿童姓名', '身份证号', '残疾类别', '救助项目', '服务期间/日期', '总费用', '已报销', '剩余部分', '核定金额']);
    const batch = (await world.finance.get(`/api/v1/batches/${batchId}`)).body;
    batch.lines.forEach((line: { externalRef: string; approvedAmount: string; idNumberMasked: string }, index: number) => {
      const row = sheet.getRow(index + 2);
      expect(row.getCell(2).value).toBe(line.externalRef);
      expect(row.getCell(4).value).toBe(line.idNumberMasked);
      expect(row.getCell(11).value).toBe(Number(line.approvedAmount));
      expect(typeof row.getCell(11).value).toBe('number');
      expect(row.getCell(11).numFmt).toBe('#,##0.00');
    });
    const totalRow = sheet.getRow(batch.lines.length + 2);
    expect([totalRow.getCell(1).value, totalRow.getCell(11).value]).toEqual(['合计', 21500]);
    // The 批次信息 sheet says the status in words, as the page does.
    const info = workbook.getWorksheet('批次信息')!;
    expect(info.getRow(2).values).toEqual([undefined, '状态', '已签发，待支付']);
  });

  it('payment: a different amount → 422 AMOUNT_MISMATCH and nothing changes; then paid; paying twice → 409', async () => {
    const before = await tableCounts(test.db);
    const wrong = await world.finance.post(`/api/v1/batches/${batchId}/payment`, { voucherNo: 'CZ2026-1101', paidAt: '2026-11-22', amount: '21499.99' });
    expect([wrong.status, wrong.body.error.code]).toEqual([422, 'AMOUNT_MISMATCH']);
    expect((await world.finance.post(`/api/v1/batches/${batchId}/payment`, { voucherNo: 'CZ', paidAt: '2026-11-23', amount: '21500' })).status).toBe(400);
    expect((await world.finance.post(`/api/v1/batches/${batchId}/payment`, { voucherNo: 'CZ', paidAt: '2026-11-22', amount: 21500 })).status).toBe(400);
    expect((await world.reviewer.post(`/api/v1/batches/${batchId}/payment`, { voucherNo: 'CZ', paidAt: '2026-11-22', amount: '21500' })).status).toBe(403);
    expect((await world.otherFinance.post(`/api/v1/batches/${batchId}/payment`, { voucherNo: 'CZ', paidAt: '2026-11-22', amount: '21500' })).status).toBe(404);
    expect(await tableCounts(test.db)).toEqual(before);
    expect((await world.finance.get(`/api/v1/batches/${batchId}`)).body.status).toBe('issued');

    const paid = await world.finance.post(`/api/v1/batches/${batchId}/payment`, { voucherNo: 'CZ2026-1101', paidAt: '2026-11-22', amount: '21500' });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', voucherNo: 'CZ2026-1101', paidAt: '2026-11-22' });
    expect(paid.body).not.toHaveProperty('lines');
    for (const line of (await world.finance.get(`/api/v1/batches/${batchId}`)).body.lines) expect((await world.reviewer.get(`/api/v1/claims/${line.claimId}`)).body.status).toBe('paid');
    const twice = await world.finance.post(`/api/v1/batches/${batchId}/payment`, { voucherNo: 'CZ2026-1102', paidAt: '2026-11-22', amount: '21500' });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'INVALID_STATE']);
    // A paid batch is still frozen: its PDF is unchanged.
    expect((await world.finance.request('GET', `/api/v1/batches/${batchId}/pdf`)).status).toBe(200);
  });

  it('finance finds paid batches by date of payment and exports the list with voucher numbers and a total', async () => {
    const inRange = await world.finance.get('/api/v1/batches?status=paid&paidFrom=2026-11-22&paidTo=2026-11-22');
    expect(inRange.body.items.map((batch: { id: string }) => batch.id)).toContain(batchId);
    expect((await world.finance.get('/api/v1/batches?status=paid&paidFrom=2026-11-23')).body.items).toEqual([]);
    expect((await world.finance.get('/api/v1/batches?paidFrom=2026-13-01')).status).toBe(400);
    const exported = await world.finance.request('GET', '/api/v1/batches/export.xlsx?status=paid&paidFrom=2026-11-01&paidTo=2026-11-30');
    expect(exported.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('结算批次')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['批次号', '收款机构', '笔数', '合计金额', '状态', '签发时间', '支付日期', '付款凭证号']);
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, index) => sheet.getRow(index + 2));
    const ours = rows.find((row) => row.getCell(8).value === 'CZ2026-1101')!;
    expect([ours.getCell(4).value, ours.getCell(5).value, ours.getCell(7).value]).toEqual([21500, '已支付', '2026-11-22']);
    expect(rows.at(-1)!.getCell(1).value).toBe('合计');
    // Another region's finance exports none of it.
    const elsewhere = await world.otherFinance.request('GET', '/api/v1/batches/export.xlsx?status=paid');
    const other = new ExcelJS.Workbook();
    await other.xlsx.load(elsewhere.rawPayload as unknown as ArrayBuffer);
    expect(other.getWorksheet('结算批次')!.rowCount).toBe(2);
  });

  it('paying a draft → 409', async () => {
    const { institution, user } = await freshInstitution('草稿付款中心');
    const child = await referTo(institution.id);
    await submitAndApprove(user, world.reviewer, trainingClaim(child.id, '2026-03', '2026-03', '100'));
    const id = (await world.reviewer.post('/api/v1/batches', { institutionId: institution.id })).body.batches[0].id;
    // Finance cannot see a draft at all.
    expect((await world.finance.post(`/api/v1/batches/${id}/payment`, { voucherNo: 'x', paidAt: '2026-11-22', amount: '100' })).status).toBe(404);
  });
});

describe('scope', () => {
  it('reviewers and finance by region, institutions their own issued batches; admin none', async () => {
    const { institution, user } = await freshInstitution('范围测试中心');
    const child = await referTo(institution.id);
    await submitAndApprove(user, world.reviewer, trainingClaim(child.id, '2026-03', '2026-03', '100'));
    const id = (await world.reviewer.post('/api/v1/batches', { institutionId: institution.id })).body.batches[0].id;
    expect((await user.get(`/api/v1/batches/${id}`)).status).toBe(404); // a draft is not the institution's yet
    await world.reviewer2.post(`/api/v1/batches/${id}/issue`, {});
    expect((await user.get(`/api/v1/batches/${id}`)).status).toBe(200);
    expect((await user.request('GET', `/api/v1/batches/${id}/pdf`)).status).toBe(200);
    expect((await user.get('/api/v1/batches')).body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    expect((await world.a.get(`/api/v1/batches/${id}`)).status).toBe(404);
    expect((await world.a.request('GET', `/api/v1/batches/${id}/pdf`)).status).toBe(404);
    expect((await world.otherReviewer.get(`/api/v1/batches/${id}`)).status).toBe(404);
    expect((await world.otherFinance.request('GET', `/api/v1/batches/${id}/xlsx`)).status).toBe(404);
    expect((await world.admin.get('/api/v1/batches')).status).toBe(403);
    for (const caller of [world.finance, world.a]) {
      expect((await caller.post('/api/v1/batches', {})).status).toBe(403);
      expect((await caller.post(`/api/v1/batches/${id}/issue`, {})).status).toBe(403);
      expect((await caller.post(`/api/v1/batches/${id}/cancel`, {})).status).toBe(403);
    }
    const listed = await world.reviewer.get(`/api/v1/batches?institutionId=${institution.id}&status=issued`);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    expect(listed.body.items[0]).not.toHaveProperty('lines');
  });

  it('the audit trail holds created, issued and paid', async () => {
    const events = await world.reviewer.get('/api/v1/audit?entityType=batch&limit=500');
    const actions = new Set(events.body.items.map((event: { action: string }) => event.action));
    for (const action of ['batch.created', 'batch.cancelled', 'batch.issued', 'batch.paid']) expect(actions).toContain(action);
  });
});
