import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCharacter } from '../src/domain/idNumber.js';
import { activeBeneficiary, createCounty, issuedRoll } from './support/allowance.js';
import { submit, trainingClaim } from './support/claims.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestWorld } from './support/lifecycle.js';
import { type TestApp } from './support/testApp.js';
import { childBody, referredChild, type World } from './support/world.js';

// Issue 27, point 6: errors that say what is wrong. A file may keep its closing 合计 row (the bank
// gives back the service's own list with it); every refused field carries what to do in Chinese
// (`hint`), by row where a file was read; a wrong ID check digit says so.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));
// The bank-results case moves the clock back to the roll's month; every case starts from the world's day.
afterEach(() => test.clock.set('2026-11-22T10:00:00+08:00'));

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const wrongCheckDigit = (id: string) => id.slice(0, 17) + (checkCharacter(id.slice(0, 17)) === '1' ? '2' : '1');

describe('a file may keep its closing total row', () => {
  it('the bank returns the service’s own bank list with its 合计 row and the results filled in: accepted', async () => {
    test.clock.set('2025-12-11T10:00:00+08:00');
    const county = await createCounty(test);
    await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '甲' });
    await activeBeneficiary(county, { acceptedOn: '2025-12-01', name: '乙' });
    const roll = await issuedRoll(test, county, '2025-12', '2025-12-11');
    const list = await county.finance.get(`/api/v1/allowance/rolls/${roll.id}/bank.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(list.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = sheet.getRow(1);
    header.getCell(7).value = '结果';
    header.getCell(8).value = '失败原因';
    sheet.getRow(2).getCell(7).value = '成功';
    sheet.getRow(3).getCell(7).value = '失败';
    sheet.getRow(3).getCell(8).value = '户名不符';
    expect(sheet.getRow(4).getCell(1).value).toBe('合计');
    const returned = Buffer.from(await workbook.xlsx.writeBuffer());
    const recorded = await county.finance.request('POST', `/api/v1/allowance/rolls/${roll.id}/results`, returned, { 'content-type': XLSX });
    expect(recorded.status).toBe(200);
    expect(recorded.body.transfers.map((transfer: { status: string }) => transfer.status)).toEqual(['paid', 'failed']);
  });

  it('a reconciliation statement typed in Excel with a 合计 line compares only its claims', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const claim = await submit(world.a, trainingClaim(child.id, '2026-03', '2026-03', '1700'));
    const csv = `结算申请号,金额\n${claim.externalRef},1700.00\n合计,1700.00\n`;
    const response = await world.a.request('POST', `/api/v1/reconciliations?institutionId=${world.instA.id}&from=2026-03&to=2026-03`, csv, { 'content-type': 'text/csv' });
    expect(response.status).toBe(201);
    expect(response.body.lines.map((line: { externalRef: string }) => line.externalRef)).not.toContain('合计');
    expect(response.body.summary.missingInSystem).toBe(0);
  });

  it('a 合计 between data rows is still a row, refused by its number', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const csv = [
      '结算申请号,儿童身份证号,救助项目,开始月份,结束月份,总费用,自审人',
      '合计,,,,,,',
      `HJ-0001,${child.idNumber},康复训练,2026-04,2026-04,1700,李会计`,
    ].join('\n');
    const response = await world.a.request('POST', '/api/v1/claims/bulk', csv, { 'content-type': 'text/csv' });
    expect(response.body.results.map((row: { fileRow: number; status: string }) => [row.fileRow, row.status])).toEqual([
      [2, 'refused'],
      [3, 'created'],
    ]);
  });
});

describe('each refused field says what to do, in Chinese', () => {
  it('a wrong check digit says the check digit is wrong', async () => {
    const body = childBody();
    const refused = await expectRefusedUnchanged(test.db, () => world.reviewer.post('/api/v1/children', { ...body, idNumber: wrongCheckDigit(body.idNumber) }), 400, 'VALIDATION_FAILED');
    expect(refused.body.error.details).toEqual([{ in: 'body', field: 'idNumber', message: expect.any(String), hint: '身份证号最后一位校验码与前 17 位不符，请逐位核对（多为输错一位）' }]);
  });

  it('money, months and missing fields each get their hint', async () => {
    const refused = await world.a.post('/api/v1/claims', { externalRef: 'X', service: 'training', childIdNumber: childBody().idNumber, periodFrom: '2026-13', periodTo: '2026-03', grossCost: '1.234' });
    const hints = Object.fromEntries(refused.body.error.details.map((detail: { field: string; hint: string }) => [detail.field, detail.hint]));
    expect(hints).toMatchObject({ periodFrom: '应为年月，如 2026-03', grossCost: '金额应为数字，最多两位小数，如 1700 或 1700.50', reviewedBy: '必须填写' });
  });

  it('a row of an uploaded file: the row, the column and the fix', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const csv = ['结算申请号,儿童身份证号,救助项目,开始月份,结束月份,总费用,自审人', `HJ-0101,${wrongCheckDigit(child.idNumber)},康复训练,2026-05,2026-05,1700,李会计`].join('\n');
    const response = await world.a.request('POST', '/api/v1/claims/bulk', csv, { 'content-type': 'text/csv' });
    expect(response.body.results[0]).toMatchObject({
      fileRow: 2,
      status: 'refused',
      error: { code: 'VALIDATION_FAILED', details: [{ field: 'childIdNumber', hint: '身份证号最后一位校验码与前 17 位不符，请逐位核对（多为输错一位）' }] },
    });
  });
});
