import { describe, expect, it } from 'vitest';
import { idNumber, tableCounts, type TestApp } from './support/testApp.js';
import { childBody, OTHER_REGION, REGION, registerChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

describe('registering children', () => {
  it('derives birth date and sex from the ID number', async () => {
    const female = await world.reviewer.post('/api/v1/children', childBody({ idNumber: idNumber(REGION, '2020-03-15', 'female') }));
    expect(female.status).toBe(201);
    expect(female.body).toMatchObject({ birthDate: '2020-03-15', sex: 'female', regionCode: REGION, category: 'hearing', certificateNo: null });
    const male = await world.reviewer.post('/api/v1/children', childBody({ idNumber: idNumber(REGION, '2019-12-31', 'male') }));
    expect(male.body).toMatchObject({ birthDate: '2019-12-31', sex: 'male' });
  });

  it('accepts an upper-case X check character', async () => {
    // 51170220180101XXXX: find a sequence whose check character is X.
    const { checkCharacter } = await import('../src/domain/idNumber.js');
    let number = '';
    for (let sequence = 100; sequence < 999 && !number; sequence++) {
      const body = `51170220180101${sequence}`.slice(0, 17);
      if (checkCharacter(body) === 'X') number = `${body}X`;
    }
    const response = await world.reviewer.post('/api/v1/children', childBody({ idNumber: number }));
    expect(response.status).toBe(201);
    const lower = await world.reviewer.post('/api/v1/children', childBody({ idNumber: number.toLowerCase() }));
    expect(lower.status).toBe(400);
  });

  it.each([
    ['17 characters', '51170220200315002'],
    ['19 characters', '5117022020031500290'],
    ['a letter inside', '51170220200315A029'],
    ['an impossible date (2019-02-29)', '511702201902290012'],
    ['month 13', '511702202013010012'],
    ['a wrong check character', '511702202003150020'],
    ['a lower-case x', '11010519491231002x'],
    ['a number', 511702202003150029],
  ])('refuses an ID number with %s: 400 naming idNumber, nothing written', async (_label, value) => {
    const before = await tableCounts(test.db);
    const response = await world.reviewer.post('/api/v1/children', { ...childBody(), idNumber: value });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details.map((detail: { field: string }) => detail.field)).toContain('idNumber');
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('refuses a birth date in the future', async () => {
    const response = await world.reviewer.post('/api/v1/children', childBody({ birthDate: '2027-01-01' }));
    expect(response.status).toBe(400);
  });

  it('a known ID number → 409 ALREADY_EXISTS naming the existing record within the caller’s scope, and nothing outside it (security.md §5)', async () => {
    const body = childBody();
    const first = await world.reviewer.post('/api/v1/children', body);
    const before = await tableCounts(test.db);
    const again = await world.reviewer.post('/api/v1/children', { ...body, name: '别名' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ALREADY_EXISTS', details: [{ id: first.body.id, name: '张小明' }] });
    // Institution A neither registered the child nor holds a referral of it.
    const outside = await world.a.post('/api/v1/children', { ...body, name: '别名' });
    expect([outside.status, outside.body.error.code, outside.body.error.details]).toEqual([409, 'ALREADY_EXISTS', []]);
    expect(JSON.stringify(outside.body)).not.toContain(first.body.id);
    // Nothing is written but the attempt's row in the access log.
    expect(await tableCounts(test.db)).toEqual({ ...before, access_log: before.access_log! + 1 });
  });

  it.each([
    ['an unknown category', { category: 'mental' }],
    ['no guardian', { guardian: undefined }],
    ['a guardian without a phone', { guardian: { name: 'a', relation: 'mother' } }],
    ['a bad phone', { guardian: { name: 'a', relation: 'mother', phone: 'call me' } }],
    ['a bad region', { regionCode: 'abcdef' }],
    ['an extra field', { birthDate: '2020-01-01' }],
  ])('refuses %s with 400', async (_label, change) => {
    const response = await world.reviewer.post('/api/v1/children', { ...childBody(), ...change });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a reviewer registers only children of their own region → 403', async () => {
    const before = await tableCounts(test.db);
    const response = await world.reviewer.post('/api/v1/children', childBody({ regionCode: OTHER_REGION }));
    expect(response.status).toBe(403);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('an institution registers a child of any region (it may serve children from elsewhere)', async () => {
    const response = await world.a.post('/api/v1/children', childBody({ regionCode: OTHER_REGION }));
    expect(response.status).toBe(201);
  });

  it('finance and admin do not register children → 403', async () => {
    expect((await world.finance.post('/api/v1/children', childBody())).status).toBe(403);
    expect((await world.admin.post('/api/v1/children', childBody())).status).toBe(403);
  });
});

describe('reading children is scoped', () => {
  it('reviewers and finance see their region’s children only; others get 404', async () => {
    const child = await registerChild(world.reviewer);
    for (const caller of [world.reviewer, world.finance]) {
      expect((await caller.get(`/api/v1/children/${child.id}`)).status).toBe(200);
    }
    for (const caller of [world.otherReviewer, world.otherFinance]) {
      const response = await caller.get(`/api/v1/children/${child.id}`);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
      const search = await caller.get(`/api/v1/children?idNumber=${child.idNumber}`);
      expect(search.body.items).toEqual([]);
    }
  });

  it('an institution sees the children it registered or holds an approved referral for', async () => {
    const own = await registerChild(world.a, {});
    const referred = await registerChild(world.reviewer);
    const unrelated = await registerChild(world.reviewer);
    const filed = await world.reviewer.post('/api/v1/applications', { childId: referred.id, year: 2026, services: ['training'], institutionId: world.instA.id });
    expect((await world.a.get(`/api/v1/children/${referred.id}`)).status).toBe(404);
    await world.reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
    expect((await world.a.get(`/api/v1/children/${own.id}`)).status).toBe(200);
    expect((await world.a.get(`/api/v1/children/${referred.id}`)).status).toBe(200);
    expect((await world.a.get(`/api/v1/children/${unrelated.id}`)).status).toBe(404);
    expect((await world.b.get(`/api/v1/children/${own.id}`)).status).toBe(404);
    expect((await world.b.get(`/api/v1/children/${referred.id}`)).status).toBe(404);
    const list = await world.a.get('/api/v1/children?limit=500');
    const ids = list.body.items.map((item: { id: string }) => item.id);
    expect(ids).toEqual(expect.arrayContaining([own.id, referred.id]));
    expect(ids).not.toContain(unrelated.id);
  });

  it('finds a child by ID number', async () => {
    const child = await registerChild(world.reviewer);
    const response = await world.reviewer.get(`/api/v1/children?idNumber=${child.idNumber}`);
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([child.id]);
  });

  it('an admin does not read children’s files → 403', async () => {
    expect((await world.admin.get('/api/v1/children')).status).toBe(403);
  });

  it('pages through the list without repeating or skipping', async () => {
    for (let index = 0; index < 5; index++) await registerChild(world.otherReviewer, { regionCode: OTHER_REGION });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/children?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await world.otherReviewer.get(url);
      seen.push(...response.body.items.map((item: { id: string }) => item.id));
      cursor = response.body.nextCursor;
    } while (cursor);
    const all = await world.otherReviewer.get('/api/v1/children?limit=500');
    expect(seen).toEqual(all.body.items.map((item: { id: string }) => item.id));
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });
});
