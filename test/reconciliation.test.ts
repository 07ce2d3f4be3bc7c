import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../src/testing/pdfTools.js';
import { deviceClaim, submit, submitAndApprove, trainingClaim } from './support/claims.js';
import { client, createTestApp, tableCounts, type Client, type TestApp } from './support/testApp.js';
import { createInstitution, createUser, createWorld, registerChild, type World } from './support/world.js';

let test: TestApp;
let world: World;
let institution: { id: string; name: string };
let user: Client;

// One institution's year: claims in every state, a paid batch of two, one claim in December 2025.
beforeAll(async () => {
  test = await createTestApp();
  world = await createWorld(test);
  institution = await createInstitution(world.admin, { name: '对账测试康复中心' });
  user = client(test.app, (await createUser(world.admin, { name: '对账会计', role: 'institution', institutionId: institution.id })).token);
  const refer = async (year: number) => {
    const child = await registerChild(world.reviewer, { birthDate: '2021-02-01' });
    for (const y of year === 2025 ? [2025, 2026] : [year]) {
      const filed = await world.reviewer.post('/api/v1/applications', { childId: child.id, year: y, services: ['training', 'device'], institutionId: institution.id });
      await world.reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
    }
    return child;
  };
  const child = await refer(2025);
  await submitAndApprove(user, world.reviewer, trainingClaim(child.id, '2026-01', '2026-02', '3000', { externalRef: 'R-PAID' }));
  await submitAndApprove(user, world.reviewer, trainingClaim(child.id, '2026-03', '2026-03', '1000', { externalRef: 'R-APPROVED' }));
  const batch = (await world.reviewer.post('/api/v1/batches', { institutionId: institution.id })).body.batches[0];
  // The two claims so far make a batch, which is issued and paid.
  await world.reviewer2.post(`/api/v1/batches/${batch.id}/issue`, {});
  await world.finance.post(`/api/v1/batches/${batch.id}/payment`, { voucherNo: 'CZ-R1', paidAt: '2026-11-22', amount: batch.total });
  await submit(user, trainingClaim(child.id, '2026-04', '2026-04', '1000', { externalRef: 'R-SUBMITTED' }));
  const rejected = await submit(user, trainingClaim(child.id, '2026-05', '2026-05', '1000', { externalRef: 'R-REJECTED' }));
  await world.reviewer.post(`/api/v1/claims/${rejected.id}/reject`, { reason: 'x' });
  const withdrawn = await submit(user, trainingClaim(child.id, '2026-06', '2026-06', '1000', { externalRef: 'R-WITHDRAWN' }));
  await user.post(`/api/v1/claims/${withdrawn.id}/withdraw`, {});
  const returned = await submit(user, trainingClaim(child.id, '2026-07', '2026-07', '1000', { externalRef: 'R-RETURNED' }));
  await world.reviewer.post(`/api/v1/claims/${returned.id}/return`, { reason: 'x' });
  await submitAndApprove(user, world.reviewer, deviceClaim(child.id, 'hearing_aid', '2026-08-31', '500', { externalRef: 'R-AUGUST' }));
  await submitAndApprove(user, world.reviewer, trainingClaim(child.id, '2025-12', '2025-12', '1000', { externalRef: 'R-DEC-2025' }));
});
afterAll(async () => test?.close());

const reconcile = (caller: Client, lines: { externalRef: string; amount: string }[], from = '2026-01', to = '2026-12') =>
  caller.post('/api/v1/reconciliations', { institutionId: institution.id, from, to, lines });

const statusOf = (body: { lines: { externalRef: string; status: string }[] }) => Object.fromEntries(body.lines.map((line) => [line.externalRef, line.status]));

describe('reconciliation', () => {
  it('gives each line its status, with totals of statement, approved and paid', async () => {
    const response = await reconcile(user, [
      { externalRef: 'R-PAID', amount: '3000' },
      { externalRef: 'R-APPROVED', amount: '999.99' },
      { externalRef: 'R-SUBMITTED', amount: '1000.00' },
      { externalRef: 'R-REJECTED', amount: '1000.00' },
      { externalRef: 'NEVER-SENT', amount: '50.00' },
    ]);
    expect(response.status).toBe(201);
    expect(statusOf(response.body)).toEqual({
      'R-PAID': 'matched',
      'R-APPROVED': 'amount_mismatch',
      'R-SUBMITTED': 'amount_mismatch',
      'R-REJECTED': 'amount_mismatch',
      'NEVER-SENT': 'missing_in_system',
      // Not listed: the returned claim and August's device; the withdrawn one is left out, and
      // December 2025 is outside the period.
      'R-RETURNED': 'missing_in_statement',
      'R-AUGUST': 'missing_in_statement',
    });
    expect(response.body.summary).toEqual({
      matched: 1,
      amountMismatch: 3,
      missingInSystem: 1,
      missingInStatement: 2,
      statementTotal: '6049.99',
      approvedTotal: '4500.00', // 3000 and 1000 paid, 500 hearing aids approved
      paidTotal: '4000.00', // both claims of the paid batch
    });
    const paid = response.body.lines.find((line: { externalRef: string }) => line.externalRef === 'R-PAID');
    expect(paid).toMatchObject({ statementAmount: '3000.00', approvedAmount: '3000.00', claimStatus: 'paid' });
    expect(response.body.lines.find((line: { externalRef: string }) => line.externalRef === 'NEVER-SENT')).toMatchObject({ approvedAmount: null, claimStatus: null, claimId: null });
    expect((await user.get(`/api/v1/reconciliations/${response.body.id}`)).body).toEqual(response.body);
  });

  it('a paid claim matches its approved amount, too', async () => {
    const response = await reconcile(user, [{ externalRef: 'R-APPROVED', amount: '1000.00' }]);
    expect(statusOf(response.body)['R-APPROVED']).toBe('matched');
    expect(response.body.lines[0].claimStatus).toBe('paid');
  });

  it('the period goes by service month: December 2025 belongs to 2025', async () => {
    const december = await reconcile(user, [], '2025-12', '2025-12');
    expect(statusOf(december.body)).toEqual({ 'R-DEC-2025': 'missing_in_statement' });
    const august = await reconcile(user, [], '2026-08', '2026-08');
    expect(statusOf(august.body)).toEqual({ 'R-AUGUST': 'missing_in_statement' });
    // A listed rejected or withdrawn claim is still compared, and found not approved.
    const listed = await reconcile(user, [{ externalRef: 'R-WITHDRAWN', amount: '1000' }], '2026-06', '2026-06');
    expect(statusOf(listed.body)).toEqual({ 'R-WITHDRAWN': 'amount_mismatch' });
  });

  it('from a CSV in UTF-8 with a BOM and in GB18030, with Chinese headers and Excel-style amounts', async () => {
    const csv = '结算申请号,金额\r\nR-PAID,"3,000.00"\r\nR-APPROVED,￥1000\r\n';
    const withBom = await user.request('POST', `/api/v1/reconciliations?institutionId=${institution.id}&from=2026-01&to=2026-03`, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]), { 'content-type': 'text/csv' });
    expect(withBom.status, JSON.stringify(withBom.body)).toBe(201);
    expect(statusOf(withBom.body)).toEqual({ 'R-PAID': 'matched', 'R-APPROVED': 'matched' });
    const gb18030 = Buffer.from(new Uint8Array([...encodeGb18030(csv)]));
    expect(gb18030.includes(Buffer.from('结算', 'utf8'))).toBe(false);
    const fromGb = await user.request('POST', `/api/v1/reconciliations?institutionId=${institution.id}&from=2026-01&to=2026-03`, gb18030, { 'content-type': 'text/csv' });
    expect(fromGb.status, JSON.stringify(fromGb.body)).toBe(201);
    expect(statusOf(fromGb.body)).toEqual({ 'R-PAID': 'matched', 'R-APPROVED': 'matched' });
  });

  it('from an XLSX file with numbers in the amount column', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('对账单');
    sheet.addRow(['结算申请号', '金额']);
    sheet.addRow(['R-PAID', 3000]);
    sheet.addRow(['R-APPROVED', 1000.5]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await user.request('POST', `/api/v1/reconciliations?institutionId=${institution.id}&from=2026-01&to=2026-03`, bytes, { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(statusOf(response.body)).toEqual({ 'R-PAID': 'matched', 'R-APPROVED': 'amount_mismatch' });
    expect(response.body.lines[1].statementAmount).toBe('1000.50');
  });

  it('refuses a reference listed twice, a bad file, missing columns or query, and writes nothing', async () => {
    const before = await tableCounts(test.db);
    const twice = await reconcile(user, [{ externalRef: 'R-PAID', amount: '1' }, { externalRef: 'R-PAID', amount: '2' }]);
    expect([twice.status, twice.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const upload = (body: Buffer | string, type = 'text/csv', query = `institutionId=${institution.id}&from=2026-01&to=2026-03`) =>
      user.request('POST', `/api/v1/reconciliations?${query}`, body, { 'content-type': type });
    expect((await upload('结算申请号,金额\n"R-PAID,1\n')).status).toBe(400);
    expect((await upload('编号,数额\nR-PAID,1\n')).status).toBe(400);
    expect((await upload('结算申请号,金额\nR-PAID,1.001\n')).status).toBe(400);
    expect((await upload('结算申请号,金额\nR-PAID,1\n', 'text/csv', 'from=2026-01&to=2026-03')).status).toBe(400);
    expect((await upload(Buffer.from('not a zip'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).status).toBe(400);
    expect((await reconcile(user, [], '2026-05', '2026-01')).status).toBe(400);
    expect((await user.post('/api/v1/reconciliations', { institutionId: institution.id, from: '2026-01', to: '2026-02' })).status).toBe(400);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('is scoped: an institution only itself; a reviewer an institution with claims in its region, and only reviewers’ reports', async () => {
    expect((await world.a.post('/api/v1/reconciliations', { institutionId: institution.id, from: '2026-01', to: '2026-12', lines: [] })).status).toBe(404);
    const byReviewer = await reconcile(world.reviewer, [{ externalRef: 'R-PAID', amount: '3000' }]);
    expect(byReviewer.status).toBe(201);
    expect(byReviewer.body.regionCode).toBe('511702');
    expect((await reconcile(world.otherReviewer, [])).status).toBe(404);
    expect((await world.finance.post('/api/v1/reconciliations', { institutionId: institution.id, from: '2026-01', to: '2026-12', lines: [] })).status).toBe(403);
    const own = await reconcile(user, []);
    expect((await world.a.get(`/api/v1/reconciliations/${own.body.id}`)).status).toBe(404);
    // The institution's own report may compare other regions' claims: not shown to reviewers.
    expect((await world.reviewer.get(`/api/v1/reconciliations/${own.body.id}`)).status).toBe(404);
    expect((await world.otherReviewer.get(`/api/v1/reconciliations/${own.body.id}`)).status).toBe(404);
    expect((await user.get(`/api/v1/reconciliations/${byReviewer.body.id}`)).status).toBe(200);
    const audit = await world.reviewer.get(`/api/v1/audit?entityType=reconciliation&entityId=${byReviewer.body.id}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(['reconciliation.created']);
  });

  it('the report as a Chinese PDF and as a spreadsheet: its number, the issuing office, the children’s names, signature blocks, Chinese file names', async () => {
    await world.admin.put('/api/v1/regions/511702/settings', { authorities: { disabledPersonsFederation: '达州市通川区残疾人联合会' } });
    const created = await reconcile(user, [{ externalRef: 'R-PAID', amount: '3000' }, { externalRef: 'NEVER-SENT', amount: '1' }]);
    expect(created.body.number).toMatch(/^511702-DZ-2026-\d+$/);
    expect(created.body.lines.find((line: { externalRef: string }) => line.externalRef === 'R-PAID').childName).toBe('张小明');
    expect(created.body.lines.find((line: { externalRef: string }) => line.externalRef === 'NEVER-SENT').childName).toBeNull();
    const pdf = await user.request('GET', `/api/v1/reconciliations/${created.body.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="reconciliation-${created.body.number}.pdf"; filename*=UTF-8''${encodeURIComponent(`对账报告-${created.body.number}.pdf`)}`);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    for (const expected of [
      '残疾儿童康复救助结算对账报告',
      `报告编号：${created.body.number}`,
      '出具单位：达州市通川区残疾人联合会',
      '对账测试康复中心',
      '张小明',
      '一致',
      '系统无此申请',
      '对账单未列',
      'R-PAID',
      '¥3,001.00',
      '机构经办人（签字）',
      '机构负责人（签字并盖章）',
      '县残联核对人（签字）',
    ]) expect(text, expected).toContain(expected);
    expect(text).not.toContain(created.body.id);
    const xlsx = await user.request('GET', `/api/v1/reconciliations/${created.body.id}/xlsx`);
    expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent(`对账报告-${created.body.number}.xlsx`));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('对账明细')!;
    expect(sheet.getRow(2).getCell(2).value).toBe('R-PAID');
    expect(sheet.getRow(2).getCell(3).value).toBe('张小明');
    expect(sheet.getRow(2).getCell(4).value).toBe('一致');
    expect(sheet.getRow(2).getCell(5).value).toBe(3000);
  });

  it('numbers count from 1 in each region and year, whoever runs the report', async () => {
    const numbers = [];
    for (const caller of [user, world.reviewer, user]) numbers.push((await reconcile(caller, [])).body.number as string);
    const sequence = numbers.map((number) => Number(number.split('-').at(-1)));
    expect(sequence).toEqual([sequence[0], sequence[0]! + 1, sequence[0]! + 2]);
    test.clock.set('2027-01-04T10:00:00+08:00');
    try {
      expect((await reconcile(user, [])).body.number).toBe('511702-DZ-2027-1');
    } finally {
      test.clock.set('2026-11-22T10:00:00+08:00');
    }
  });
  it('past reports are listed newest first without their lines, each scoped as its report: the institution all of its own, a reviewer its region’s', async () => {
    const first = await reconcile(user, []);
    const second = await reconcile(world.reviewer, []);
    const mine = await user.get('/api/v1/reconciliations?limit=2');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([second.body.id, first.body.id]);
    expect(mine.body.items[0]).not.toHaveProperty('lines');
    expect(mine.body.items[0].summary).toEqual(second.body.summary);
    const next = await user.get(`/api/v1/reconciliations?limit=2&cursor=${mine.body.nextCursor}`);
    expect(next.body.items.length).toBeGreaterThan(0);
    expect(next.body.items.every((item: { id: string }) => item.id < first.body.id)).toBe(true);
    const reviewers = await world.reviewer.get(`/api/v1/reconciliations?institutionId=${institution.id}&limit=500`);
    expect(reviewers.body.items.map((item: { id: string }) => item.id)).toContain(second.body.id);
    expect(reviewers.body.items.map((item: { id: string }) => item.id)).not.toContain(first.body.id);
    expect((await world.otherReviewer.get('/api/v1/reconciliations')).body.items).toEqual([]);
    expect((await world.a.get(`/api/v1/reconciliations?institutionId=${institution.id}`)).body.items).toEqual([]);
    expect((await world.finance.get('/api/v1/reconciliations')).status).toBe(403);
  });
});

/** GB18030 bytes of a string, for the test file only (Node can decode GB18030 but not encode it). */
function encodeGb18030(text: string): Uint8Array {
  const decoder = new TextDecoder('gb18030');
  const bytes: number[] = [];
  for (const character of text) {
    if (character.charCodeAt(0) < 0x80) {
      bytes.push(character.charCodeAt(0));
      continue;
    }
    // Search the two-byte GBK range for the character: slow, but the test strings are short.
    let found = false;
    for (let lead = 0x81; lead <= 0xfe && !found; lead++) {
      for (let trail = 0x40; trail <= 0xfe && !found; trail++) {
        if (trail === 0x7f) continue;
        if (decoder.decode(new Uint8Array([lead, trail])) === character) {
          bytes.push(lead, trail);
          found = true;
        }
      }
    }
    if (!found) throw new Error(`no GB18030 two-byte code for ${character}`);
  }
  return new Uint8Array(bytes);
}
