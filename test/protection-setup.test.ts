import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTES } from '../src/domain/protectionRoutesRule.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestApp } from './support/lifecycle.js';
import { auditRows, caseBody, createProtectionCounty, expectOk, receiveCase, townshipChild, type ProtectionCounty } from './support/protection.js';
import { idNumber, type Client, type TestApp } from './support/testApp.js';
import { createWorld, type World } from './support/world.js';

// The programme's roles, children and data (protection.md §1–4): township and department users,
// children without a category and with a village, criteria versions, route tables, the region's
// settings, and the rehabilitation and allowance endpoints closed to the new roles.

let test: TestApp;
let county: ProtectionCounty;
let world: World;
let admin: Client;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);

describe('township and department users', () => {
  it('a township names its 9-digit township (its region is the first 6 digits); a department names its department and region; each field only for its role (400)', async () => {
    at('2025-11-03');
    world = await createWorld(test);
    admin = world.admin;
    county = await createProtectionCounty(test);
    const township = await expectOk(admin.post('/api/v1/users', { name: '刘干事', role: 'township', townshipCode: '511702101' }), 'township');
    expect(township).toMatchObject({ role: 'township', townshipCode: '511702101', regionCode: '511702', department: null });
    const department = await expectOk(admin.post('/api/v1/users', { name: '陈科长', role: 'department', department: 'health', regionCode: '511702' }), 'department');
    expect(department).toMatchObject({ role: 'department', department: 'health', regionCode: '511702', townshipCode: null });
    for (const body of [
      { name: 'x', role: 'township' },
      { name: 'x', role: 'township', townshipCode: '51170210' },
      { name: 'x', role: 'township', townshipCode: '511702101', regionCode: '511781' },
      { name: 'x', role: 'department', regionCode: '511702' },
      { name: 'x', role: 'department', department: 'police', regionCode: '511702' },
      { name: 'x', role: 'department', department: 'health' },
      { name: 'x', role: 'reviewer', regionCode: '511702', townshipCode: '511702101' },
      { name: 'x', role: 'civil_affairs', regionCode: '511702', department: 'health' },
    ]) {
      await expectRefusedUnchanged(test.db, () => admin.post('/api/v1/users', body), 400, 'VALIDATION_FAILED');
    }
    const me = (await county.health.get('/api/v1/me')).body;
    expect(me).toMatchObject({ role: 'department', department: 'health', regionCode: '511702' });
    expect((await county.township.get('/api/v1/me')).body).toMatchObject({ role: 'township', townshipCode: '511702001', regionCode: '511702' });
  });

  it('the new roles get 403 on the rehabilitation and allowance endpoints; they read /me, regions, the calendar and their region’s settings', async () => {
    for (const caller of [county.township, county.health]) {
      for (const url of ['/api/v1/claims', '/api/v1/applications', '/api/v1/batches', '/api/v1/institutions', '/api/v1/policies', '/api/v1/allowance/beneficiaries', '/api/v1/allowance/rolls', '/api/v1/stats?year=2025', '/api/v1/audit']) {
        expect((await caller.get(url)).status, url).toBe(403);
      }
      for (const url of ['/api/v1/me', '/api/v1/regions/511702', '/api/v1/calendar/2025', '/api/v1/regions/511702/settings', '/api/v1/protection/criteria', '/api/v1/protection/routes']) {
        expect((await caller.get(url)).status, url).toBe(200);
      }
      expect((await caller.get('/api/v1/regions/511781/settings')).status).toBe(404);
    }
    expect((await county.health.get('/api/v1/children')).status).toBe(403);
    expect((await county.health.post('/api/v1/children', {})).status).toBe(403);
  });
});

describe('children of the protection programme', () => {
  it('a township registers children of its villages: without villageCode 400, a village of another township 403, one not starting with regionCode 400; names come from the division table', async () => {
    const body = { idNumber: idNumber('511702', '2015-04-04'), name: '孤儿甲', regionCode: '511702', guardian: { name: '祖母', relation: 'grandmother', phone: '13800000000' } };
    const missing = await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/children', body), 400, 'VALIDATION_FAILED');
    expect(missing.body.error.details).toEqual([{ field: 'villageCode' }]);
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/children', { ...body, villageCode: county.otherVillage }), 403, 'FORBIDDEN');
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/children', { ...body, villageCode: '511781001001' }), 400, 'VALIDATION_FAILED');
    const made = await expectOk(county.township.post('/api/v1/children', { ...body, villageCode: county.village }), 'register');
    expect(made).toMatchObject({ category: null, villageCode: '511702001003', townshipCode: '511702001', townshipName: '东城街道', villageName: '翠屏路社区居民委员会' });
    // An unknown code reads as itself.
    const odd = await expectOk(county.civilAffairs.post('/api/v1/children', { ...body, idNumber: idNumber('511702', '2015-05-05'), villageCode: '511702999001' }), 'civil affairs registers');
    expect(odd).toMatchObject({ townshipName: '511702999', villageName: '511702999001' });
    // Civil affairs registers only its own region's children.
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post('/api/v1/children', { ...body, idNumber: idNumber('511781', '2015-05-05'), regionCode: '511781' }), 403, 'FORBIDDEN');
  });

  it('a child of the region without a village: a township finds it by its exact ID number only, gives it one of its villages, and then sees it', async () => {
    const id = idNumber('511702', '2014-03-03');
    const registered = await expectOk(world.reviewer.post('/api/v1/children', { idNumber: id, name: '残联登记', regionCode: '511702', category: 'hearing', guardian: { name: '某', relation: 'mother', phone: '13800000000' } }), 'reviewer registers');
    expect(((await county.township.get('/api/v1/children')).body.items as { id: string }[]).map((child) => child.id)).not.toContain(registered.id);
    expect((await county.township.get(`/api/v1/children/${registered.id}`)).status).toBe(404);
    expect((await county.township.get(`/api/v1/children?idNumber=${id}`)).body.items.map((child: { id: string }) => child.id)).toEqual([registered.id]);
    await expectRefusedUnchanged(test.db, () => county.township.put(`/api/v1/children/${registered.id}/village`, { villageCode: county.otherVillage }), 400, 'VALIDATION_FAILED');
    const placed = await expectOk(county.township.put(`/api/v1/children/${registered.id}/village`, { villageCode: county.village }), 'village');
    expect(placed).toMatchObject({ villageCode: county.village, category: 'hearing' });
    expect((await county.township.get(`/api/v1/children/${registered.id}`)).status).toBe(200);
    // Now the other township cannot move it, and civil affairs can.
    expect((await county.otherTownship.put(`/api/v1/children/${registered.id}/village`, { villageCode: county.otherVillage })).status).toBe(404);
    await expectOk(county.civilAffairs.put(`/api/v1/children/${registered.id}/village`, { villageCode: county.otherVillage }), 'civil affairs moves');
    const audit = await auditRows(test.db, { entityType: 'child', entityId: registered.id });
    expect(audit.filter((row) => row.action === 'child.village_changed').map((row) => [row.data.before, row.data.after])).toEqual([
      [null, county.village],
      [county.village, county.otherVillage],
    ]);
    expect((await county.reviewer.put(`/api/v1/children/${registered.id}/village`, { villageCode: county.village })).status).toBe(403);
  });

  it('a child without a category: rehabilitation covers nothing (422 CATEGORY_NOT_COVERED at an application’s approval and a preview; no entitlements; a claim needs an approved referral first)', async () => {
    const id = idNumber('511702', '2020-02-02');
    const child = await expectOk(world.reviewer.post('/api/v1/children', { idNumber: id, name: '无类别', regionCode: '511702', guardian: { name: '某', relation: 'mother', phone: '13800000000' } }), 'register');
    expect(child.category).toBeNull();
    const application = await expectOk(world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2025, services: ['device'], institutionId: world.instA.id }), 'file');
    await expectRefusedUnchanged(test.db, () => world.reviewer.post(`/api/v1/applications/${application.id}/approve`, {}), 422, 'CATEGORY_NOT_COVERED');
    const preview = await world.reviewer.post('/api/v1/settlements/preview', { childId: child.id, service: 'device', deviceKind: 'mobility_aid', serviceDate: '2025-10-01', grossCost: '1000.00' });
    expect([preview.status, preview.body.error?.code]).toEqual([422, 'CATEGORY_NOT_COVERED']);
    expect((await world.reviewer.get(`/api/v1/children/${child.id}/entitlements?year=2025`)).body.items).toEqual([]);
  });
});

describe('criteria as versioned data', () => {
  it('the seeded default is listed; an admin adds a region’s version (201), the same region and day twice is 409; a region’s own version applies from its day', async () => {
    const list = (await county.township.get('/api/v1/protection/criteria')).body.items as { id: string; regionCode: string | null; extremePovertyUnderAge: number }[];
    expect(list.at(-1)).toMatchObject({ id: '00000000-0000-7000-8000-000000000201', regionCode: null, extremePovertyUnderAge: 16, deFactoUnsupported: { absent: ['dead', 'declared_missing'] } });
    const body = {
      name: '通川区细则',
      effectiveFrom: '2025-11-10',
      regionCode: '511702',
      deFactoUnsupported: { absent: ['dead', 'declared_missing'], qualifying: { severe_disability: {}, missing: { minElapsedMonths: 3 }, imprisoned: { minTermMonths: 6 } } },
      extremePovertyUnderAge: 16,
    };
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post('/api/v1/protection/criteria', body), 403, 'FORBIDDEN');
    await expectRefusedUnchanged(test.db, () => admin.post('/api/v1/protection/criteria', { ...body, deFactoUnsupported: { absent: ['dead'], qualifying: { dead: {} } } }), 400, 'VALIDATION_FAILED');
    await expectRefusedUnchanged(test.db, () => admin.post('/api/v1/protection/criteria', { ...body, deFactoUnsupported: { absent: ['dead'], qualifying: { flying: {} } } }), 400, 'VALIDATION_FAILED');
    const made = await admin.post('/api/v1/protection/criteria', body);
    expect(made.status).toBe(201);
    await expectRefusedUnchanged(test.db, () => admin.post('/api/v1/protection/criteria', body), 409, 'ALREADY_EXISTS');

    // A mother missing since 2025-08-01: 3 months on 2025-11-10 under the region's version.
    at('2025-11-07');
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id, { categories: ['de_facto_unsupported'], parents: { father: [{ situation: 'dead', since: '2020-01-01', until: null }], mother: [{ situation: 'missing', since: '2025-08-01', until: null }] } }));
    await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    const before = await county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, {});
    expect([before.status, before.body.error.details[0]]).toEqual([422, expect.objectContaining({ rule: 'missing.minElapsedMonths', required: 6, actual: 3 })]);
    at('2025-11-10');
    const recognised = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, {}), 'recognise');
    expect(recognised.status).toBe('recognised');
  });
});

describe('routes as data', () => {
  it('the default table is the seeded one; a region’s own table (admin) applies to cases entering review later; a table without civil_affairs is 400', async () => {
    const seeded = (await county.civilAffairs.get('/api/v1/protection/routes')).body;
    expect(seeded).toEqual({ regionCode: '511702', source: 'default', routes: DEFAULT_ROUTES });
    expect((await admin.get('/api/v1/protection/routes')).body).toEqual({ regionCode: null, source: 'default', routes: DEFAULT_ROUTES });
    await expectRefusedUnchanged(test.db, () => admin.put('/api/v1/protection/routes/511702', { routes: [{ route: 'health', categories: null }] }), 400, 'VALIDATION_FAILED');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.put('/api/v1/protection/routes/511702', { routes: [{ route: 'civil_affairs' }] }), 403, 'FORBIDDEN');
    expect((await county.civilAffairs.get('/api/v1/protection/routes?regionCode=511781')).status).toBe(404);

    at('2025-12-01');
    const child = await townshipChild(county);
    const posted = await receiveCase(county, caseBody(child.id, { categories: ['temporary'], bankAccount: null }));
    const onNotice = await expectOk(county.township.post(`/api/v1/protection/cases/${posted.id}/check`, { decision: 'agree' }), 'check');
    const set = await expectOk(admin.put('/api/v1/protection/routes/511702', { routes: [{ route: 'civil_affairs' }, { route: 'health', categories: ['temporary'] }] }), 'routes');
    expect(set).toMatchObject({ regionCode: '511702', source: 'region', routes: [{ route: 'civil_affairs', categories: null }, { route: 'health', categories: ['temporary'] }] });
    at('2025-12-08');
    await expectOk(county.township.post(`/api/v1/protection/notices/${onNotice.notices[0].noticeId}/close`), 'close');
    const routed = (await county.civilAffairs.get(`/api/v1/protection/cases/${posted.id}`)).body;
    expect(routed.reviews.map((review: { route: string }) => review.route)).toEqual(['civil_affairs', 'health']);
    // Another region keeps the default.
    expect((await admin.get('/api/v1/protection/routes?regionCode=511781')).body.source).toBe('default');
    const audit = await auditRows(test.db, { action: 'routes.set' });
    expect(audit.map((row) => row.data.scope)).toEqual(['511702']);
  });
});

describe('the region’s settings for the programme', () => {
  it('working days of each step, the no-notice categories and coverFrom: defaults, set by an admin (1–60, null back to the default), read by the township and departments of the region', async () => {
    const defaults = (await county.township.get('/api/v1/regions/511702/settings')).body;
    expect(defaults).toMatchObject({ townshipCheckWorkingDays: 5, protectionNoticeWorkingDays: 5, countyReviewWorkingDays: 5, protectionCoverFrom: 'next_month', protectionNoNoticeCategories: ['orphan', 'de_facto_unsupported', 'severe_illness_disability', 'guardianship_lacking'] });
    for (const body of [{ townshipCheckWorkingDays: 0 }, { countyReviewWorkingDays: 61 }, { protectionCoverFrom: 'someday' }, { protectionNoNoticeCategories: ['orphan', 'orphan'] }, { protectionNoNoticeCategories: ['hearing'] }]) {
      await expectRefusedUnchanged(test.db, () => admin.put('/api/v1/regions/511702/settings', body), 400, 'VALIDATION_FAILED');
    }
    const set = await expectOk(admin.put('/api/v1/regions/511702/settings', { townshipCheckWorkingDays: 3, protectionCoverFrom: 'recognition_month' }), 'set');
    expect(set).toMatchObject({ townshipCheckWorkingDays: 3, protectionCoverFrom: 'recognition_month', countyReviewWorkingDays: 5 });
    at('2025-12-15');
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id));
    expect(received.dueOn).toBe('2025-12-18');
    await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    expect((await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, {}), 'recognise')).recognition.coverFrom).toBe('2025-12');
    const back = await expectOk(admin.put('/api/v1/regions/511702/settings', { townshipCheckWorkingDays: null, protectionCoverFrom: null }), 'reset');
    expect(back).toMatchObject({ townshipCheckWorkingDays: 5, protectionCoverFrom: 'next_month' });
  });
});
