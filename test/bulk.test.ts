import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { deviceClaim, trainingClaim } from './support/claims.js';
import { idNumber, tableCounts, type TestApp } from './support/testApp.js';
import { childBody, referredChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let test: TestApp, world: World;
let child: { id: string; idNumber: string };
withTestWorld((made) => ({ test, world } = made));
beforeAll(async () => {
  child = (await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training', 'device'] })).child;
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function claimCount(): Promise<number> {
  const result = (await test.db.execute(sql`select count(*)::int as n from claims`)) as any;
  return (result.rows ?? result)[0].n;
}

describe('bulk claims, per-row mode', () => {
  const rows = () => [
    trainingClaim(child.id, '2026-01', '2026-02', '3000', { externalRef: 'B-1' }),
    trainingClaim(child.id, '2026-02', '2026-03', '3000', { externalRef: 'B-2' }), // February again
    { ...trainingClaim(child.id, '2026-04', '2026-04', '100', { externalRef: 'B-3' }), grossCost: 100 },
    trainingClaim('01a20000-0000-7000-8000-000000000000', '2026-04', '2026-04', '100', { externalRef: 'B-4' }),
    deviceClaim(child.id, 'hearing_aid', '2026-05-01', '6000', { externalRef: 'B-5' }),
    trainingClaim(child.id, '2026-06', '2026-06', '100', { externalRef: 'B-6', deductions: { medicalAid: '200' } }),
  ];

  it('checks every row as a single submission and answers each, keeping the good ones', async () => {
    const before = await claimCount();
    const response = await world.a.post('/api/v1/claims/bulk', { rows: rows() });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ created: 2, existing: 0, refused: 4 });
    expect(response.body.results.map((result: { row: number; status: string; error: { code: string } | null }) => [result.row, result.status, result.error?.code ?? null])).toEqual([
      [1, 'created', null],
      [2, 'refused', 'DUPLICATE_SERVICE_PERIOD'],
      [3, 'refused', 'VALIDATION_FAILED'],
      [4, 'refused', 'NOT_REFERRED'],
      [5, 'created', null],
      [6, 'refused', 'DEDUCTIONS_EXCEED_GROSS'],
    ]);
    expect(response.body.results[0].claimId).toEqual(expect.any(String));
    expect(response.body.results[2].error.details[0].field).toBe('grossCost');
    expect(await claimCount()).toBe(before + 2);
    const stored = await world.a.get(`/api/v1/claims/${response.body.results[4].claimId}`);
    expect(stored.body).toMatchObject({ externalRef: 'B-5', estimate: { subsidy: '4800.00' } });
  });

  it('resending the same rows creates nothing twice', async () => {
    const before = await claimCount();
    const response = await world.a.post('/api/v1/claims/bulk', { rows: rows() });
    expect(response.body.summary).toEqual({ created: 0, existing: 2, refused: 4 });
    expect(await claimCount()).toBe(before);
  });
});

describe('bulk claims in chunks of 500', () => {
  it('answers 1,201 rows as if submitted one by one: repeats found within a chunk and across chunks, the stored claims as a single submission stores them', async () => {
    const { child: other } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training', 'device'] });
    const filler = (index: number) => deviceClaim(other.id, 'mobility_aid', `2026-0${(index % 9) + 1}-01`, '10.00', { externalRef: `C-fill-${index}` });
    const rows: Record<string, unknown>[] = Array.from({ length: 1201 }, (_, index) => filler(index));
    // Chunk one: a training month, and two references used again later.
    rows[0] = trainingClaim(other.id, '2026-03', '2026-03', '1800.00', { externalRef: 'C-same' });
    rows[1] = trainingClaim(other.id, '2026-04', '2026-04', '1800.00', { externalRef: 'C-changed' });
    rows[2] = trainingClaim(other.id, '2026-05', '2026-05', '1800.00', { externalRef: 'C-may' });
    rows[3] = trainingClaim(other.id, '2026-05', '2026-05', '1800.00', { externalRef: 'C-may-again' }); // the same month, same chunk
    // Chunk two: the same content under a used reference, different content under one, a month held by chunk one.
    rows[700] = trainingClaim(other.id, '2026-03', '2026-03', '1800.00', { externalRef: 'C-same', reviewedBy: '另一位会计' });
    rows[800] = trainingClaim(other.id, '2026-04', '2026-04', '1900.00', { externalRef: 'C-changed' });
    rows[900] = trainingClaim(other.id, '2026-03', '2026-06', '7200.00', { externalRef: 'C-overlap' });
    // Chunk three: by ID number, a month nobody holds.
    const { childId: _dropped, ...byNumber } = trainingClaim(other.id, '2026-07', '2026-07', '1800.00', { externalRef: 'C-by-number' });
    rows[1200] = { ...byNumber, childIdNumber: other.idNumber };
    const auditBefore = (await test.db.execute(sql`select count(*)::int as n from audit_events where action = 'claim.submitted'`)) as any;

    const response = await world.a.post('/api/v1/claims/bulk', { rows });
    expect(response.status).toBe(200);
    const results = response.body.results as { row: number; status: string; claimId: string | null; error: { code: string } | null }[];
    const answer = (row: number) => [results[row - 1]!.status, results[row - 1]!.error?.code ?? null];
    expect(answer(1)).toEqual(['created', null]);
    expect(answer(4)).toEqual(['refused', 'DUPLICATE_SERVICE_PERIOD']);
    expect(answer(701)).toEqual(['existing', null]);
    expect(results[700]!.claimId).toBe(results[0]!.claimId);
    expect(answer(801)).toEqual(['refused', 'DUPLICATE_EXTERNAL_REF']);
    expect(answer(901)).toEqual(['refused', 'DUPLICATE_SERVICE_PERIOD']);
    expect(answer(1201)).toEqual(['created', null]);
    expect(results.map((result) => result.row)).toEqual(Array.from({ length: 1201 }, (_, index) => index + 1));
    expect(response.body.summary).toEqual({ created: 1197, existing: 1, refused: 3 });

    // Every created claim has its months and its audit event, as a single submission writes them.
    const auditAfter = (await test.db.execute(sql`select count(*)::int as n from audit_events where action = 'claim.submitted'`)) as any;
    expect((auditAfter.rows ?? auditAfter)[0].n - (auditBefore.rows ?? auditBefore)[0].n).toBe(1197);
    const months = (await test.db.execute(sql`select month from claim_months where child_id = ${other.id} and service = 'training' order by month`)) as any;
    expect((months.rows ?? months).map((row: { month: string }) => row.month)).toEqual(['2026-03', '2026-04', '2026-05', '2026-07']);
    const stored = await world.a.get(`/api/v1/claims/${results[1200]!.claimId}`);
    expect(stored.body).toMatchObject({ externalRef: 'C-by-number', childId: other.id, grossCost: '1800.00', remainder: '1800.00', status: 'submitted', estimate: { subsidy: '1700.00' } });
    expect(stored.body.history).toEqual([expect.objectContaining({ action: 'submitted' })]);
  }, 120_000);

  it('a chunk that meets a month taken by another request at the same moment is answered row by row: every month held once', async () => {
    const { child: raced } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const months = Array.from({ length: 10 }, (_, index) => `2026-${String(index + 1).padStart(2, '0')}`);
    const bulkRows = months.map((month) => trainingClaim(raced.id, month, month, '1000.00', { externalRef: `RB-${month}` }));
    const [bulk, ...singles] = await Promise.all([
      world.a.post('/api/v1/claims/bulk', { rows: bulkRows }),
      ...months.map((month) => world.a.post('/api/v1/claims', trainingClaim(raced.id, month, month, '1000.00', { externalRef: `RS-${month}` }))),
    ]);
    expect(bulk.status).toBe(200);
    months.forEach((month, index) => {
      const bulkWon = bulk.body.results[index].status === 'created';
      const singleWon = singles[index]!.status === 201;
      expect([month, bulkWon || singleWon, bulkWon && singleWon]).toEqual([month, true, false]);
      if (!bulkWon) expect(bulk.body.results[index].error.code).toBe('DUPLICATE_SERVICE_PERIOD');
      if (!singleWon) expect([singles[index]!.status, singles[index]!.body.error.code]).toEqual([409, 'DUPLICATE_SERVICE_PERIOD']);
    });
    const held = (await test.db.execute(sql`select count(*)::int as n from claim_months where child_id = ${raced.id}`)) as any;
    expect((held.rows ?? held)[0].n).toBe(10);
  });
});

describe('bulk claims, atomic mode', () => {
  it('one bad row: nothing is stored and every refused row is named', async () => {
    const before = await tableCounts(test.db);
    const response = await world.a.post('/api/v1/claims/bulk', {
      atomic: true,
      rows: [
        trainingClaim(child.id, '2026-07', '2026-07', '1000', { externalRef: 'A-1' }),
        trainingClaim(child.id, '2026-07', '2026-08', '1000', { externalRef: 'A-2' }),
        trainingClaim(child.id, '2026-09', '2026-09', '1000', { externalRef: 'A-3', service: 'massage' }),
        trainingClaim(child.id, '2026-10', '2026-10', '1000', { externalRef: 'A-4' }),
      ],
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('BULK_REFUSED');
    expect(response.body.error.details.map((detail: { row: number; error: { code: string } }) => [detail.row, detail.error.code])).toEqual([
      [2, 'DUPLICATE_SERVICE_PERIOD'],
      [3, 'VALIDATION_FAILED'],
    ]);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('all good: all stored', async () => {
    const response = await world.a.post('/api/v1/claims/bulk', {
      atomic: true,
      rows: [trainingClaim(child.id, '2026-07', '2026-07', '1000', { externalRef: 'A-1' }), trainingClaim(child.id, '2026-08', '2026-08', '1000', { externalRef: 'A-5' })],
    });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ created: 2, existing: 0, refused: 0 });
  });
});

describe('bulk claims from files', () => {
  it('the template has the Chinese column layout; a filled-in XLSX is taken row by row', async () => {
    const template = await world.a.request('GET', '/api/v1/claims/template.xlsx');
    expect(template.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('结算申请')!;
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    expect(headers).toEqual(['结算申请号', '儿童身份证号', '儿童编号', '救助项目', '辅具类别', '开始月份', '结束月份', '服务日期', '免费配发', '总费用', '基本医疗保险', '大病保险', '大病补充保险', '医疗救助', '自审人']);
    expect(workbook.getWorksheet('填写说明')).toBeDefined();
    const column = (name: string) => headers.indexOf(name) + 1;
    const fill = (values: Record<string, string | number | Date>) => {
      const row = sheet.addRow([]);
      for (const [name, value] of Object.entries(values)) row.getCell(column(name)).value = value;
    };
    fill({ 结算申请号: 'X-1', 儿童身份证号: child.idNumber, 救助项目: '康复训练', 开始月份: '2026-09', 结束月份: '2026-09', 总费用: 1500, 医疗救助: 200, 自审人: '李会计' });
    fill({ 结算申请号: 'X-2', 儿童身份证号: child.idNumber, 救助项目: '辅助器具', 辅具类别: '轮椅', 服务日期: new Date(Date.UTC(2026, 5, 1)), 免费配发: '是', 总费用: '800.00', 自审人: '李会计' });
    fill({ 结算申请号: 'X-3', 儿童身份证号: child.idNumber, 救助项目: '人工耳蜗手术', 服务日期: '2026-06-02', 总费用: 100, 自审人: '李会计' });
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await world.a.request('POST', '/api/v1/claims/bulk', bytes, { 'content-type': XLSX });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.results.map((result: { row: number; fileRow: number; status: string; error: { code: string } | null }) => [result.row, result.fileRow, result.status, result.error?.code ?? null])).toEqual([
      [1, 2, 'created', null],
      [2, 3, 'created', null],
      [3, 4, 'refused', 'NOT_REFERRED'],
    ]);
    const device = await world.a.get(`/api/v1/claims/${response.body.results[1].claimId}`);
    expect(device.body).toMatchObject({ service: 'device', deviceKind: 'mobility_aid', serviceDate: '2026-06-01', freeIssued: true, estimate: { subsidy: '0.00' } });
    // Each row is named by its 结算申请号; a refused row comes back as the file had it, to fix.
    expect(response.body.results.map((result: { reference: string }) => result.reference)).toEqual(['X-1', 'X-2', 'X-3']);
    expect(response.body.results[0]).not.toHaveProperty('cells');
    expect(response.body.results[2].cells).toMatchObject({ 结算申请号: 'X-3', 救助项目: '人工耳蜗手术', 服务日期: '2026-06-02', 总费用: '100' });
  });

  it('the template downloads under a Chinese name, and its 填写说明 speaks only Chinese', async () => {
    const template = await world.a.request('GET', '/api/v1/claims/template.xlsx');
    expect(template.headers['content-disposition']).toContain(encodeURIComponent('救助申报导入模板.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const notes = workbook.getWorksheet('填写说明')!;
    expect((notes.getRow(1).values as string[]).slice(1)).toEqual(['列名', '必填', '说明']);
    const text: string[] = [];
    notes.eachRow((row) => row.eachCell((cell) => text.push(String(cell.value))));
    // No field name of the API (externalRef, childIdNumber, …) in what a clerk reads.
    expect(text.filter((value) => /[A-Za-z]{4,}/.test(value))).toEqual([]);
    expect(text.join(' ')).toContain('康复训练、早期干预、人工耳蜗手术');
  });

  it('a misspelt service is refused naming the column; with atomic=true the refused rows come back with their cells too', async () => {
    const csv = ['结算申请号,儿童身份证号,救助项目,开始月份,结束月份,总费用,自审人', `M-1,${child.idNumber},康复训良,2026-10,2026-10,100,李会计`].join('\r\n');
    const response = await world.a.request('POST', '/api/v1/claims/bulk', csv, { 'content-type': 'text/csv' });
    expect(response.body.results[0]).toMatchObject({ status: 'refused', reference: 'M-1', error: { code: 'VALIDATION_FAILED', details: [{ field: 'service' }] }, cells: { 救助项目: '康复训良' } });
    const atomic = await world.a.request('POST', '/api/v1/claims/bulk?atomic=true', csv, { 'content-type': 'text/csv' });
    expect(atomic.status).toBe(422);
    expect(atomic.body.error.details[0]).toMatchObject({ fileRow: 2, cells: { 结算申请号: 'M-1' } });
  });

  it('a CSV in GB18030 with Chinese headers, atomic from the query', async () => {
    const csv = [
      '结算申请号,儿童身份证号,救助项目,开始月份,结束月份,总费用,自审人',
      `C-1,${child.idNumber},康复训练,2026-10,2026-10,"1,000.00",李会计`,
      `C-2,${child.idNumber},康复训练,2026-11,2026-11,500,李会计`,
    ].join('\r\n');
    const response = await world.a.request('POST', '/api/v1/claims/bulk?atomic=true', csv, { 'content-type': 'text/csv; charset=utf-8' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.summary).toEqual({ created: 2, existing: 0, refused: 0 });
  });

  it('a malformed file, a file without the needed columns or rows → 400 and nothing stored', async () => {
    const before = await tableCounts(test.db);
    const post = (body: string | Buffer, type = 'text/csv') => world.a.request('POST', '/api/v1/claims/bulk', body, { 'content-type': type });
    for (const [label, response] of [
      ['unclosed quote', await post('结算申请号,总费用\n"X,1\n')],
      ['uneven rows', await post('结算申请号,总费用,自审人,救助项目\nX,1\n')],
      ['missing columns', await post('结算申请号,总费用\nX,1\n')],
      ['header only', await post('结算申请号,救助项目,总费用,自审人\n')],
      ['not an xlsx', await post(Buffer.from('PK not really'), XLSX)],
      ['empty JSON rows', await world.a.post('/api/v1/claims/bulk', { rows: [] })],
      ['rows not an array', await world.a.post('/api/v1/claims/bulk', { rows: 'x' })],
    ] as const) {
      expect(response.status, label).toBe(400);
      expect(response.body.error.code, label).toBe('VALIDATION_FAILED');
    }
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('more than 5,000 rows is refused with a clear error', async () => {
    const tooMany = Array.from({ length: 5001 }, (_, index) => trainingClaim(child.id, '2026-01', '2026-01', '1', { externalRef: `M-${index}` }));
    const response = await world.a.post('/api/v1/claims/bulk', { rows: tooMany });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('5000');
    const csv = ['结算申请号,救助项目,总费用,自审人', ...Array.from({ length: 5001 }, (_, index) => `M-${index},康复训练,1,x`)].join('\n');
    const file = await world.a.request('POST', '/api/v1/claims/bulk', csv, { 'content-type': 'text/csv' });
    expect(file.status).toBe(400);
    expect(file.body.error.message).toMatch(/more than 5,000 rows/);
  });

  it('only institutions submit in bulk', async () => {
    expect((await world.reviewer.post('/api/v1/claims/bulk', { rows: [{}] })).status).toBe(403);
  });
});

describe('bulk children', () => {
  it('registers new children, reports existing ones with their ids, refuses bad rows', async () => {
    const known = childBody();
    const first = await world.reviewer.post('/api/v1/children', known);
    const response = await world.reviewer.post('/api/v1/children/bulk', {
      rows: [childBody({ name: '新儿童' }), known, { ...childBody(), idNumber: '511702202003150020' }, childBody({ regionCode: '511781' })],
    });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ created: 1, existing: 1, refused: 2 });
    expect(response.body.results[1]).toMatchObject({ status: 'existing', childId: first.body.id });
    expect(response.body.results.map((result: { error: { code: string } | null }) => result.error?.code ?? null)).toEqual([null, null, 'VALIDATION_FAILED', 'FORBIDDEN']);
  });

  it('from a CSV with Chinese headers and category names', async () => {
    const number = idNumber('511702', '2022-03-01', 'female');
    const csv = ['身份证号,姓名,地区代码,残疾类别,残疾证号,监护人姓名,监护人关系,监护人电话', `${number},李小花,511702,孤独症,,李大山,父亲,13800000000`].join('\n');
    const response = await world.a.request('POST', '/api/v1/children/bulk', `\ufeff${csv}`, { 'content-type': 'text/csv' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.summary.created).toBe(1);
    const registered = await world.a.get(`/api/v1/children/${response.body.results[0].childId}`);
    expect(registered.body).toMatchObject({ category: 'autism', sex: 'female', birthDate: '2022-03-01', certificateNo: null });
  });
});
