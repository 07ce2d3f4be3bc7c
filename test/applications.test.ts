import { describe, expect, it } from 'vitest';
import { tableCounts, type TestApp } from './support/testApp.js';
import { OTHER_REGION, referredChild, registerChild, type World, approvedPolicy } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made)); // China time 2026-11-22

async function file(child: { id: string }, services: string[], options: { year?: number; institutionId?: string | null } = {}) {
  const response = await world.reviewer.post('/api/v1/applications', {
    childId: child.id,
    year: options.year ?? 2026,
    services,
    ...(options.institutionId === null ? {} : { institutionId: options.institutionId ?? world.instA.id }),
  });
  expect(response.status).toBe(201);
  return response.body as { id: string };
}

describe('filing applications', () => {
  it('a reviewer files for a child of the region; the application is pending', async () => {
    const child = await registerChild(world.reviewer);
    const response = await world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training', 'device'], institutionId: world.instA.id });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'pending', childId: child.id, year: 2026, services: ['training', 'device'], preferredInstitutionId: world.instA.id, institutionId: null });
  });

  it('filing never checks age or category; several applications per child and year are fine', async () => {
    const child = await registerChild(world.reviewer, { birthDate: '2010-01-01', category: 'autism' });
    await file(child, ['cochlear_implant']);
    await file(child, ['cochlear_implant']);
  });

  it('an institution files on the guardian’s behalf, naming itself', async () => {
    const child = await registerChild(world.a);
    const response = await world.a.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'] });
    expect(response.status).toBe(201);
    expect(response.body.preferredInstitutionId).toBe(world.instA.id);
    const other = await world.a.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'], institutionId: world.instB.id });
    expect(other.status).toBe(400);
  });

  it('a child outside the caller’s scope → 404, nothing written', async () => {
    const child = await registerChild(world.reviewer);
    const before = await tableCounts(test.db);
    for (const caller of [world.otherReviewer, world.b]) {
      const response = await caller.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'] });
      expect(response.status).toBe(404);
    }
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it.each([
    ['no services', { services: [] }],
    ['an unknown service', { services: ['swimming'] }],
    ['a year as a string', { year: '2026' }],
    ['a year too far ahead', { year: 2028 }],
    ['an unknown preferred institution', { institutionId: '01a20000-0000-7000-8000-000000000000' }],
  ])('refuses %s with 400', async (_label, change) => {
    const child = await registerChild(world.reviewer);
    const before = await tableCounts(test.db);
    const response = await world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'], ...change });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('finance and admin do not file → 403', async () => {
    const child = await registerChild(world.reviewer);
    for (const caller of [world.finance, world.admin]) {
      expect((await caller.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'] })).status).toBe(403);
    }
  });
});

describe('approval and referral', () => {
  it('approves and refers to the preferred institution', async () => {
    const child = await registerChild(world.reviewer);
    const application = await file(child, ['training', 'device']);
    const response = await world.reviewer.post(`/api/v1/applications/${application.id}/approve`, {});
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'approved', institutionId: world.instA.id, services: ['training', 'device'], year: 2026 });
  });

  it('approves with no body at all', async () => {
    const child = await registerChild(world.reviewer);
    const application = await file(child, ['training']);
    const response = await world.reviewer.request('POST', `/api/v1/applications/${application.id}/approve`);
    expect(response.status).toBe(200);
  });

  it('refers to another institution when the reviewer names one', async () => {
    const child = await registerChild(world.reviewer);
    const application = await file(child, ['training']);
    const response = await world.reviewer.post(`/api/v1/applications/${application.id}/approve`, { institutionId: world.instB.id });
    expect(response.body.institutionId).toBe(world.instB.id);
  });

  it('needs an institution: none preferred and none named → 400', async () => {
    const child = await registerChild(world.reviewer);
    const application = await file(child, ['training'], { institutionId: null });
    const response = await world.reviewer.post(`/api/v1/applications/${application.id}/approve`, {});
    expect(response.status).toBe(400);
  });

  it.each([
    ['cochlear implant for an autism child', { category: 'autism', birthDate: '2022-01-01' }, ['cochlear_implant'], 'CATEGORY_NOT_COVERED'],
    ['limb surgery for a hearing child', { category: 'hearing', birthDate: '2022-01-01' }, ['limb_surgery'], 'CATEGORY_NOT_COVERED'],
    ['cochlear implant at 7 on 1 January', { category: 'hearing', birthDate: '2019-01-01' }, ['cochlear_implant'], 'INELIGIBLE_AGE'],
    ['limb training at 8', { category: 'limb', birthDate: '2017-06-01' }, ['training'], 'INELIGIBLE_AGE'],
    ['hearing training at 15', { category: 'hearing', birthDate: '2010-12-31' }, ['training'], 'INELIGIBLE_AGE'],
    ['category before age', { category: 'autism', birthDate: '2010-01-01' }, ['cochlear_implant'], 'CATEGORY_NOT_COVERED'],
  ])('refuses %s with 422 and writes nothing', async (_label, child, services, code) => {
    const registered = await registerChild(world.reviewer, child);
    const application = await file(registered, services);
    const before = await tableCounts(test.db);
    const response = await world.reviewer.post(`/api/v1/applications/${application.id}/approve`, {});
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe(code);
    expect(await tableCounts(test.db)).toEqual(before);
    expect((await world.reviewer.get(`/api/v1/applications/${application.id}`)).body.status).toBe('pending');
  });

  it('judges age in full years on 1 January: turning 7 that day is over the implant limit, the next day is not', async () => {
    const turnsSevenNextDay = await registerChild(world.reviewer, { birthDate: '2019-01-02' });
    const eligible = await file(turnsSevenNextDay, ['cochlear_implant']);
    expect((await world.reviewer.post(`/api/v1/applications/${eligible.id}/approve`, {})).status).toBe(200);
    const turnsSevenThatDay = await registerChild(world.reviewer, { birthDate: '2019-01-01' });
    const refused = await file(turnsSevenThatDay, ['cochlear_implant']);
    expect((await world.reviewer.post(`/api/v1/applications/${refused.id}/approve`, {})).body.error.code).toBe('INELIGIBLE_AGE');
  });

  it('a mobility aid suits every category, at the category’s age limit', async () => {
    const autism = await registerChild(world.reviewer, { category: 'autism', birthDate: '2013-01-01' });
    expect((await world.reviewer.post(`/api/v1/applications/${(await file(autism, ['device'])).id}/approve`, {})).status).toBe(200);
    const limb = await registerChild(world.reviewer, { category: 'limb', birthDate: '2017-06-01' });
    const refused = await world.reviewer.post(`/api/v1/applications/${(await file(limb, ['device'])).id}/approve`, {});
    expect(refused.body.error.code).toBe('INELIGIBLE_AGE');
  });

  it('refuses a service the institution is not designated for → 422 SERVICE_NOT_DESIGNATED', async () => {
    const child = await registerChild(world.reviewer, { birthDate: '2022-05-01' });
    const application = await file(child, ['training', 'cochlear_implant'], { institutionId: world.instB.id });
    const response = await world.reviewer.post(`/api/v1/applications/${application.id}/approve`, {});
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('SERVICE_NOT_DESIGNATED');
    expect(response.body.error.details).toEqual([{ service: 'cochlear_implant' }]);
  });

  it('judges eligibility under the policy in force on 1 January, the region’s own first', async () => {
    const regional = await approvedPolicy(world.admin, world.admin2, {
      name: '外县 2027', effectiveFrom: '2027-01-01', regionCode: OTHER_REGION,
      rules: [{ service: 'device', deviceKind: 'mobility_aid', annualLimit: '2000' }],
    });
    expect(regional.status).toBe(201);
    const child = await registerChild(world.otherReviewer, { regionCode: OTHER_REGION });
    const for2027 = await world.otherReviewer.post('/api/v1/applications', { childId: child.id, year: 2027, services: ['training'], institutionId: world.instC.id });
    expect((await world.otherReviewer.post(`/api/v1/applications/${for2027.body.id}/approve`, {})).body.error.code).toBe('CATEGORY_NOT_COVERED');
    const for2026 = await world.otherReviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'], institutionId: world.instC.id });
    expect((await world.otherReviewer.post(`/api/v1/applications/${for2026.body.id}/approve`, {})).status).toBe(200);
  });

  it('decides once: approving or rejecting again → 409 INVALID_STATE', async () => {
    const child = await registerChild(world.reviewer);
    const application = await file(child, ['training']);
    await world.reviewer.post(`/api/v1/applications/${application.id}/approve`, {});
    expect((await world.reviewer.post(`/api/v1/applications/${application.id}/approve`, {})).body.error.code).toBe('INVALID_STATE');
    expect((await world.reviewer.post(`/api/v1/applications/${application.id}/reject`, { reason: 'x' })).body.error.code).toBe('INVALID_STATE');
  });

  it('only a reviewer of the child’s region decides: 403 for other roles, 404 for another region', async () => {
    const child = await registerChild(world.reviewer);
    const application = await file(child, ['training']);
    for (const caller of [world.a, world.finance, world.admin]) {
      expect((await caller.post(`/api/v1/applications/${application.id}/approve`, {})).status).toBe(403);
      expect((await caller.post(`/api/v1/applications/${application.id}/reject`, { reason: 'x' })).status).toBe(403);
    }
    expect((await world.otherReviewer.post(`/api/v1/applications/${application.id}/approve`, {})).status).toBe(404);
    expect((await world.otherReviewer.post(`/api/v1/applications/${application.id}/reject`, { reason: 'x' })).status).toBe(404);
    expect((await world.otherReviewer.get(`/api/v1/applications/${application.id}`)).status).toBe(404);
  });
});

describe('rejection', () => {
  it('rejects with a reason', async () => {
    const child = await registerChild(world.reviewer);
    const application = await file(child, ['training']);
    const response = await world.reviewer.post(`/api/v1/applications/${application.id}/reject`, { reason: '材料不全' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'rejected', rejectionReason: '材料不全' });
  });

  it('a reason is required', async () => {
    const child = await registerChild(world.reviewer);
    const application = await file(child, ['training']);
    expect((await world.reviewer.post(`/api/v1/applications/${application.id}/reject`, {})).status).toBe(400);
    expect((await world.reviewer.post(`/api/v1/applications/${application.id}/reject`, { reason: '   ' })).status).toBe(400);
  });
});

describe('drop-out', () => {
  it('the referred institution reports the date; the referral stays approved', async () => {
    const { application } = await referredChild(world, { birthDate: '2021-01-01', category: 'hearing', services: ['training'] });
    const response = await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-07-15', reason: '家长放弃' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'approved', droppedOutOn: '2026-07-15', dropoutReason: '家长放弃' });
    const again = await world.reviewer.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-07-16' });
    expect(again.body.error.code).toBe('INVALID_STATE');
  });

  it('a reviewer of the region may report it too', async () => {
    const { application } = await referredChild(world, { birthDate: '2021-01-01', category: 'hearing', services: ['training'] });
    expect((await world.reviewer.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-03-01' })).status).toBe(200);
  });

  it('another institution → 404; a pending application → 409; bad dates → 400', async () => {
    const { application } = await referredChild(world, { birthDate: '2021-01-01', category: 'hearing', services: ['training'] });
    expect((await world.b.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-03-01' })).status).toBe(404);
    expect((await world.otherReviewer.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-03-01' })).status).toBe(404);
    expect((await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-12-01' })).status).toBe(400);
    expect((await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2025-12-31' })).status).toBe(400);
    expect((await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-02-30' })).status).toBe(400);
    const child = await registerChild(world.reviewer);
    const pending = await file(child, ['training']);
    expect((await world.a.post(`/api/v1/applications/${pending.id}/dropout`, { date: '2026-03-01' })).body.error.code).toBe('NOT_FOUND');
    expect((await world.reviewer.post(`/api/v1/applications/${pending.id}/dropout`, { date: '2026-03-01' })).body.error.code).toBe('INVALID_STATE');
  });
});

describe('listing applications', () => {
  it('is scoped and filterable', async () => {
    const child = await registerChild(world.reviewer);
    const first = await file(child, ['training']);
    await world.reviewer.post(`/api/v1/applications/${first.id}/approve`, {});
    const second = await file(child, ['device'], { institutionId: world.instB.id });
    const forChild = await world.reviewer.get(`/api/v1/applications?childId=${child.id}`);
    expect(forChild.body.items.map((item: { id: string }) => item.id)).toEqual([first.id, second.id]);
    const approved = await world.reviewer.get(`/api/v1/applications?childId=${child.id}&status=approved`);
    expect(approved.body.items.map((item: { id: string }) => item.id)).toEqual([first.id]);
    const seenByA = await world.a.get(`/api/v1/applications?childId=${child.id}`);
    expect(seenByA.body.items.map((item: { id: string }) => item.id)).toEqual([first.id]);
    // B is only the preferred institution of a pending application: it sees nothing of it.
    const seenByB = await world.b.get(`/api/v1/applications?childId=${child.id}`);
    expect(seenByB.body.items).toEqual([]);
    await world.reviewer.post(`/api/v1/applications/${second.id}/approve`, {});
    const seenByBOnceReferred = await world.b.get(`/api/v1/applications?childId=${child.id}`);
    expect(seenByBOnceReferred.body.items.map((item: { id: string }) => item.id)).toEqual([second.id]);
    expect((await world.otherReviewer.get(`/api/v1/applications?childId=${child.id}`)).body.items).toEqual([]);
    expect((await world.admin.get('/api/v1/applications')).status).toBe(403);
  });
});
