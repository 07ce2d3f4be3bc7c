import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { submit, submitAndApprove, trainingClaim } from './support/claims.js';
import { idNumber } from './support/testApp.js';
import { OTHER_REGION, referredChild, REGION, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

// Issue 15: records a clerk can find again. Children by name, the whole ID number or its last 6; claims by
// 结算申请号, child, institution and service month, with a count and a spreadsheet of the list.

let world: World;
let zhang: { id: string; idNumber: string };
withTestWorld((made) => ({ world } = made));
beforeAll(async () => {
  const register = async (name: string, regionCode = REGION) => {
    const reviewer = regionCode === REGION ? world.reviewer : world.otherReviewer;
    const response = await reviewer.post('/api/v1/children', {
      idNumber: idNumber(regionCode, '2020-05-05'),
      name,
      regionCode,
      category: 'hearing',
      guardian: { name: '某', relation: 'father', phone: '13800000000' },
    });
    return response.body as { id: string; idNumber: string };
  };
  zhang = await register('张小明');
  await register('王小明');
  await register('张大力', OTHER_REGION);
});

const names = (response: { body: { items: { name: string }[] } }) => response.body.items.map((child) => child.name).sort();

describe('finding children', () => {
  it('by part of the name: 小明 finds 张小明 and 王小明; 张 finds only this region’s 张小明', async () => {
    expect(names(await world.reviewer.get(`/api/v1/children?q=${encodeURIComponent('小明')}`))).toEqual(['张小明', '王小明']);
    expect(names(await world.reviewer.get(`/api/v1/children?q=${encodeURIComponent('张')}`))).toEqual(['张小明']);
    expect(names(await world.otherReviewer.get(`/api/v1/children?q=${encodeURIComponent('张')}`))).toEqual(['张大力']);
  });

  it('by the whole ID number or its last 6 characters (security.md §5: ID numbers are sealed, found by keyed hashes); a lower-case x matches X', async () => {
    expect(names(await world.reviewer.get(`/api/v1/children?q=${zhang.idNumber.slice(-6).toLowerCase()}`))).toEqual(['张小明']);
    expect(names(await world.reviewer.get(`/api/v1/children?q=${zhang.idNumber.toLowerCase()}`))).toEqual(['张小明']);
    expect(names(await world.reviewer.get(`/api/v1/children?idNumber=${zhang.idNumber}`))).toEqual(['张小明']);
    // Another part of the number (its last 4 digits, the birth date in it) finds nobody.
    expect(names(await world.reviewer.get(`/api/v1/children?q=${zhang.idNumber.slice(-4)}`))).toEqual([]);
    expect(names(await world.reviewer.get('/api/v1/children?q=20200505'))).toEqual([]);
  });

  it('takes % and _ literally and finds nothing for them; an institution searches only the children it may see', async () => {
    expect((await world.reviewer.get('/api/v1/children?q=%25')).body.items).toEqual([]);
    expect((await world.reviewer.get('/api/v1/children?q=_')).body.items).toEqual([]);
    expect((await world.a.get(`/api/v1/children?q=${encodeURIComponent('小明')}`)).body.items).toEqual([]);
  });
});

describe('finding claims', () => {
  let referredId = '';
  beforeAll(async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    referredId = child.id;
    await submitAndApprove(world.a, world.reviewer, trainingClaim(child.id, '2026-01', '2026-01', '1000', { externalRef: 'FIND-2026-0001' }));
    await submitAndApprove(world.a, world.reviewer, trainingClaim(child.id, '2026-02', '2026-02', '1200', { externalRef: 'FIND-2026-0002' }));
    await submit(world.a, trainingClaim(child.id, '2026-03', '2026-03', '900', { externalRef: 'OTHER-0003' }));
  });

  it('by the beginning of the 结算申请号, by child name or ID digits, by service month; with a count and the approved total 2,200.00', async () => {
    const byRef = await world.reviewer.get('/api/v1/claims?externalRef=FIND-2026');
    expect(byRef.body.items.map((claim: { externalRef: string }) => claim.externalRef)).toEqual(['FIND-2026-0001', 'FIND-2026-0002']);
    const count = await world.reviewer.get('/api/v1/claims/count?externalRef=FIND-2026');
    expect(count.body).toEqual({ count: 2, approvedTotal: '2200.00' });
    const child = (await world.reviewer.get(`/api/v1/children/${referredId}`)).body as { name: string; idNumber: string };
    expect((await world.reviewer.get(`/api/v1/claims/count?child=${child.idNumber.slice(-6)}`)).body.count).toBe(3);
    expect((await world.reviewer.get(`/api/v1/claims/count?child=${encodeURIComponent(child.name)}&from=2026-02&to=2026-03`)).body.count).toBe(2);
    expect((await world.reviewer.get(`/api/v1/claims/count?institutionId=${world.instB.id}&externalRef=FIND`)).body.count).toBe(0);
    // % in a reference is a character, not "anything".
    expect((await world.reviewer.get('/api/v1/claims/count?externalRef=%25')).body.count).toBe(0);
  });

  it('exports the filtered list to XLSX in Chinese: IDs masked, an estimate only where the claim is under review', async () => {
    const response = await world.reviewer.request('GET', `/api/v1/claims/export.xlsx?childId=${referredId}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toContain(encodeURIComponent('救助申报清单.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('申报')!;
    expect(sheet.getRow(1).values).toContain('结算申请号');
    const rows = [2, 3, 4].map((number) => sheet.getRow(number));
    expect(rows.map((row) => row.getCell(1).value)).toEqual(['FIND-2026-0001', 'FIND-2026-0002', 'OTHER-0003']);
    expect(rows.map((row) => row.getCell(12).value)).toEqual(['已批准', '已批准', '待审核']);
    expect(String(rows[0]!.getCell(4).value)).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(rows.map((row) => row.getCell(10).value)).toEqual([null, null, 900]);
    expect(rows.map((row) => row.getCell(11).value)).toEqual([1000, 1200, null]);
  });

  it('an institution counts and exports only its own claims; finance of another region finds none', async () => {
    expect((await world.b.get('/api/v1/claims/count?externalRef=FIND')).body.count).toBe(0);
    expect((await world.a.get('/api/v1/claims/count?externalRef=FIND')).body.count).toBe(2);
    expect((await world.otherFinance.get('/api/v1/claims/count')).body.count).toBe(0);
    expect((await world.admin.get('/api/v1/claims/count')).status).toBe(403);
    expect((await world.reviewer.get('/api/v1/claims/count?from=2026-13')).status).toBe(400);
  });
});

describe('region names', () => {
  it('511702 reads 通川区 (四川省达州市通川区) for every role; an unknown or malformed code is 404, as any path naming nothing', async () => {
    for (const caller of [world.a, world.reviewer, world.finance, world.civilAffairs, world.admin]) {
      expect((await caller.get('/api/v1/regions/511702')).body).toEqual({ regionCode: '511702', name: '通川区', city: '达州市', province: '四川省', fullName: '四川省达州市通川区' });
    }
    expect((await world.reviewer.get('/api/v1/regions/999999')).status).toBe(404);
    expect((await world.reviewer.get('/api/v1/regions/5117')).status).toBe(404);
  });
});
