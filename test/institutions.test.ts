import { describe, expect, it } from 'vitest';
import { tableCounts, type TestApp } from './support/testApp.js';
import { REGION, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const body = (code: string) => ({
  code,
  name: '阳光儿童康复中心',
  regionCode: REGION,
  services: ['training', 'device'],
  bankAccount: { bank: '中国农业银行达州分行', accountName: '阳光儿童康复中心', accountNumber: '6228480000000000000' },
});

describe('institutions', () => {
  it('an admin designates an institution with its bank account', async () => {
    const response = await world.admin.post('/api/v1/institutions', body('JG-NEW-1'));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      code: 'JG-NEW-1',
      services: ['training', 'device'],
      bankAccount: { bank: '中国农业银行达州分行', accountName: '阳光儿童康复中心', accountNumber: '6228480000000000000' },
    });
    expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a duplicate code → 409 ALREADY_EXISTS naming the existing institution, nothing written', async () => {
    const first = await world.admin.post('/api/v1/institutions', body('JG-DUP'));
    const before = await tableCounts(test.db);
    const second = await world.admin.post('/api/v1/institutions', body('JG-DUP'));
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('ALREADY_EXISTS');
    expect(second.body.error.details).toEqual([{ id: first.body.id }]);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it.each([
    ['an unknown service', { services: ['massage'] }],
    ['no service', { services: [] }],
    ['a service twice', { services: ['training', 'training'] }],
    ['a bad account number', { bankAccount: { bank: 'b', accountName: 'n', accountNumber: '12-34' } }],
    ['no bank account', { bankAccount: undefined }],
    ['a 5-digit region', { regionCode: '51170' }],
  ])('refuses %s with 400', async (_label, change) => {
    const before = await tableCounts(test.db);
    const response = await world.admin.post('/api/v1/institutions', { ...body('JG-BAD'), ...change });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it.each([
    ['6217 0000 1111 2222', '6217000011112222'],
    ['6217-0000-1111-2222', '6217000011112222'],
    [' 6228 4800 0000 0000 000 ', '6228480000000000000'],
  ])('takes the account number %j as the bank prints it and keeps its digits', async (written, stored) => {
    const response = await world.admin.post('/api/v1/institutions', { ...body(`JG-ACC-${written.replace(/[^0-9 -]/g, '').replace(/ /g, 's').replace(/-/g, 'd').slice(0, 24)}`), bankAccount: { bank: '银行', accountName: '机构', accountNumber: written } });
    expect(response.status).toBe(201);
    expect(response.body.bankAccount.accountNumber).toBe(stored);
  });

  it('a wrong account number is refused with the rule in Chinese too', async () => {
    const response = await world.admin.post('/api/v1/institutions', { ...body('JG-ACC-BAD'), bankAccount: { bank: '银行', accountName: '机构', accountNumber: '6217 00O0 1111' } });
    expect([response.status, response.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(response.body.error.message).toContain('银行账号为 6 至 32 位数字');
  });

  it('only an admin designates: 403 for the others', async () => {
    for (const caller of [world.reviewer, world.finance, world.a]) {
      expect((await caller.post('/api/v1/institutions', body('JG-X'))).status).toBe(403);
    }
  });

  it('every role lists institutions; an institution user sees only its own', async () => {
    for (const caller of [world.admin, world.reviewer, world.finance, world.otherReviewer]) {
      const response = await caller.get('/api/v1/institutions?limit=500');
      expect(response.status).toBe(200);
      expect(response.body.items.map((item: { id: string }) => item.id)).toEqual(expect.arrayContaining([world.instA.id, world.instB.id, world.instC.id]));
    }
    const own = await world.a.get('/api/v1/institutions');
    expect(own.body.items.map((item: { id: string }) => item.id)).toEqual([world.instA.id]);
  });

  it('filters by region', async () => {
    const response = await world.reviewer.get(`/api/v1/institutions?regionCode=511781`);
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([world.instC.id]);
  });

  it('GET /institutions/:id: another institution’s → 404 for an institution user', async () => {
    expect((await world.a.get(`/api/v1/institutions/${world.instA.id}`)).status).toBe(200);
    const other = await world.a.get(`/api/v1/institutions/${world.instB.id}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
    expect((await world.reviewer.get(`/api/v1/institutions/${world.instB.id}`)).body.name).toBe('星星雨康复学校');
  });

  it('an admin changes an institution’s name and services at once, audited with old and new; a bank account waits for a second admin', async () => {
    const created = await world.admin.post('/api/v1/institutions', body('EDIT-1'));
    const changed = await world.admin.put(`/api/v1/institutions/${created.body.id}`, {
      name: '阳光儿童康复中心（新址）',
      services: ['training'],
      bankAccount: { bank: '中国工商银行达州分行', accountName: '阳光儿童康复中心', accountNumber: '6222 0000 1111 2222' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      code: 'EDIT-1',
      name: '阳光儿童康复中心（新址）',
      services: ['training'],
      bankAccount: { accountNumber: '6228480000000000000' },
      pendingBankAccount: { bank: '中国工商银行达州分行', accountNumber: '6222000011112222', requestedBy: { id: world.users.admin.id } },
    });
    const audit = await world.admin.get(`/api/v1/audit?entityId=${created.body.id}&action=institution.updated`);
    expect(audit.body.items[0].data).toMatchObject({
      before: { name: '阳光儿童康复中心', services: ['training', 'device'] },
      after: { name: '阳光儿童康复中心（新址）', services: ['training'] },
    });
    const confirmed = await world.admin2.post(`/api/v1/institutions/${created.body.id}/bank-account/confirm`, {});
    expect(confirmed.body).toMatchObject({ bankAccount: { bank: '中国工商银行达州分行', accountNumber: '6222000011112222' }, pendingBankAccount: null });
    const nameOnly = await world.admin.put(`/api/v1/institutions/${created.body.id}`, { name: '阳光中心' });
    expect(nameOnly.body).toMatchObject({ name: '阳光中心', services: ['training'] });
  });

  it('an institution change refuses an empty or wrong body (400, nothing written), an unknown id (404) and any other role (403)', async () => {
    const created = await world.admin.post('/api/v1/institutions', body('EDIT-2'));
    const before = await tableCounts(test.db);
    for (const bad of [{}, { services: [] }, { services: ['massage'] }, { code: 'X' }, { bankAccount: { bank: 'b', accountName: 'a', accountNumber: '12ab' } }]) {
      expect((await world.admin.put(`/api/v1/institutions/${created.body.id}`, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect(await tableCounts(test.db)).toEqual(before);
    expect((await world.admin.put('/api/v1/institutions/0190f000-0000-7000-8000-000000000000', { name: 'x' })).status).toBe(404);
    expect((await world.reviewer.put(`/api/v1/institutions/${created.body.id}`, { name: 'x' })).status).toBe(403);
  });
});
