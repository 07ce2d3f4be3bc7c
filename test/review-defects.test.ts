import { describe, expect, it } from 'vitest';
import { deviceClaim, submit, trainingClaim } from './support/claims.js';
import { tableCounts, type TestApp } from './support/testApp.js';
import { OTHER_REGION, referredChild, registerChild, type World, approvedPolicy } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

// Five defects found in review (issue 11), each pinned by a test that failed before its fix.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

describe('approval looks at the referral again', () => {
  it('a drop-out recorded after submission that the months pass → 422 AFTER_DROPOUT, nothing written', async () => {
    const { child, application } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const claim = await submit(world.a, trainingClaim(child.id, '2026-03', '2026-06', '6800.00'));
    expect((await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-04-15', reason: '家长放弃' })).status).toBe(200);
    const before = await tableCounts(test.db);
    const response = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {});
    expect([response.status, response.body.error?.code]).toEqual([422, 'AFTER_DROPOUT']);
    expect(await tableCounts(test.db)).toEqual(before);
    expect((await world.reviewer.get(`/api/v1/claims/${claim.id}`)).body.status).toBe('submitted');
    // The way out is a correction: returned, then resubmitted for the months before the drop-out.
    expect((await world.reviewer.post(`/api/v1/claims/${claim.id}/return`, { reason: '4月15日起中途放弃，请按实际月份更正' })).status).toBe(200);
    const corrected = await world.a.put(`/api/v1/claims/${claim.id}`, trainingClaim(child.id, '2026-03', '2026-04', '3400.00', { externalRef: (await world.a.get(`/api/v1/claims/${claim.id}`)).body.externalRef }));
    expect(corrected.status).toBe(200);
    const approved = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {});
    expect([approved.status, approved.body.approvedAmount]).toEqual([200, '3400.00']);
  });

  it('a drop-out after the claim’s months does not stop the approval (1,700.00 × 2 = 3,400.00)', async () => {
    const { child, application } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const claim = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-02', '3400.00'));
    await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-02-10' });
    const approved = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {});
    expect([approved.status, approved.body.approvedAmount]).toEqual([200, '3400.00']);
  });

  it('a device whose service date is after a later-recorded drop-out date → 422 AFTER_DROPOUT', async () => {
    const { child, application } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['device'] });
    const claim = await submit(world.a, deviceClaim(child.id, 'hearing_aid', '2026-05-20', '3000.00'));
    await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-05-19' });
    const response = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {});
    expect([response.status, response.body.error?.code]).toEqual([422, 'AFTER_DROPOUT']);
  });

});

describe('an institution sees only children it registered or holds an approved referral for', () => {
  it('naming it as preferred in a pending, rejected or elsewhere-referred application shows it nothing', async () => {
    const pending = await registerChild(world.reviewer, { name: '待审' });
    await world.reviewer.post('/api/v1/applications', { childId: pending.id, year: 2026, services: ['training'], institutionId: world.instB.id });

    const rejected = await registerChild(world.reviewer, { name: '未准' });
    const rejectedApplication = await world.reviewer.post('/api/v1/applications', { childId: rejected.id, year: 2026, services: ['training'], institutionId: world.instB.id });
    await world.reviewer.post(`/api/v1/applications/${rejectedApplication.body.id}/reject`, { reason: '材料不全' });

    const elsewhere = await registerChild(world.reviewer, { name: '转他处' });
    const elsewhereApplication = await world.reviewer.post('/api/v1/applications', { childId: elsewhere.id, year: 2026, services: ['training'], institutionId: world.instB.id });
    expect((await world.reviewer.post(`/api/v1/applications/${elsewhereApplication.body.id}/approve`, { institutionId: world.instA.id })).status).toBe(200);

    for (const child of [pending, rejected, elsewhere]) {
      expect((await world.b.get(`/api/v1/children/${child.id}`)).status).toBe(404);
      expect((await world.b.get(`/api/v1/children/${child.id}/entitlements?year=2026`)).status).toBe(404);
      expect((await world.b.get(`/api/v1/children?idNumber=${child.idNumber}`)).body.items).toEqual([]);
      expect((await world.b.get(`/api/v1/applications?childId=${child.id}`)).body.items).toEqual([]);
    }
    // The institution it was referred to sees it.
    expect((await world.a.get(`/api/v1/children/${elsewhere.id}`)).status).toBe(200);
    // Once B holds an approved referral, B sees the child too.
    const second = await world.reviewer.post('/api/v1/applications', { childId: pending.id, year: 2026, services: ['device'], institutionId: world.instB.id });
    await world.reviewer.post(`/api/v1/applications/${second.body.id}/approve`, {});
    expect((await world.b.get(`/api/v1/children/${pending.id}`)).status).toBe(200);
  });

  it('a child the institution registered stays visible to it', async () => {
    const own = await registerChild(world.b, { name: '自登记' });
    expect((await world.b.get(`/api/v1/children/${own.id}`)).status).toBe(200);
  });
});

describe('reconciliations: who sees which', () => {
  it('one the institution made is not shown to reviewers; one a reviewer made is shown to the region’s reviewers and the institution', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    await submit(world.a, trainingClaim(child.id, '2026-07', '2026-07', '1000.00'));
    const own = await world.a.post('/api/v1/reconciliations', { institutionId: world.instA.id, from: '2026-01', to: '2026-12', lines: [] });
    expect(own.status).toBe(201);
    for (const url of [`/api/v1/reconciliations/${own.body.id}`, `/api/v1/reconciliations/${own.body.id}/pdf`, `/api/v1/reconciliations/${own.body.id}/xlsx`]) {
      expect((await world.reviewer.get(url)).status).toBe(404);
      expect((await world.a.get(url)).status).toBe(200);
    }
    const reviewers = await world.reviewer.post('/api/v1/reconciliations', { institutionId: world.instA.id, from: '2026-01', to: '2026-12', lines: [] });
    expect(reviewers.status).toBe(201);
    expect((await world.reviewer.get(`/api/v1/reconciliations/${reviewers.body.id}`)).status).toBe(200);
    expect((await world.a.get(`/api/v1/reconciliations/${reviewers.body.id}`)).status).toBe(200);
    expect((await world.otherReviewer.get(`/api/v1/reconciliations/${reviewers.body.id}`)).status).toBe(404);
  });
});

describe('a returned claim does not hold the child’s months for ever', () => {
  it('a reviewer rejects a returned claim; its months are free for another claim', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const claim = await submit(world.a, trainingClaim(child.id, '2026-08', '2026-09', '3400.00'));
    await world.reviewer.post(`/api/v1/claims/${claim.id}/return`, { reason: '缺少签字' });
    const rejected = await world.reviewer.post(`/api/v1/claims/${claim.id}/reject`, { reason: '逾期未更正' });
    expect([rejected.status, rejected.body.status]).toEqual([200, 'rejected']);
    expect(rejected.body.history.map((entry: { action: string }) => entry.action)).toEqual(['submitted', 'returned', 'rejected']);
    expect((await world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-08', '2026-09', '3400.00'))).status).toBe(201);
  });

  it('an institution withdraws a returned claim; its months are free', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const claim = await submit(world.a, trainingClaim(child.id, '2026-08', '2026-08', '1700.00'));
    await world.reviewer.post(`/api/v1/claims/${claim.id}/return`, { reason: '缺少签字' });
    const withdrawn = await world.a.post(`/api/v1/claims/${claim.id}/withdraw`, {});
    expect([withdrawn.status, withdrawn.body.status]).toEqual([200, 'withdrawn']);
    expect((await world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-08', '2026-08', '1700.00'))).status).toBe(201);
  });

  it('other transitions of a returned claim stay refused with 409 INVALID_STATE', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const claim = await submit(world.a, trainingClaim(child.id, '2026-10', '2026-10', '1700.00'));
    await world.reviewer.post(`/api/v1/claims/${claim.id}/return`, { reason: '缺少签字' });
    for (const action of ['approve', 'return']) {
      const response = await world.reviewer.post(`/api/v1/claims/${claim.id}/${action}`, action === 'return' ? { reason: 'x' } : {});
      expect([response.status, response.body.error?.code], action).toEqual([409, 'INVALID_STATE']);
    }
  });
});

describe('"0" is a valid amount', () => {
  it('a free-issued device sent with grossCost "0" settles at 0.00 with FREE_ISSUED', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['device'] });
    const submitted = await world.a.post('/api/v1/claims', deviceClaim(child.id, 'hearing_aid', '2026-06-01', '0', { freeIssued: true }));
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ grossCost: '0.00', remainder: '0.00', estimate: { subsidy: '0.00', reasons: ['FREE_ISSUED'] } });
    const approved = await world.reviewer.post(`/api/v1/claims/${submitted.body.id}/approve`, {});
    expect([approved.status, approved.body.approvedAmount]).toEqual([200, '0.00']);
  });

  it('the preview takes grossCost "0.00" too', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['device'] });
    const { externalRef: _ref, reviewedBy: _by, ...body } = deviceClaim(child.id, 'hearing_aid', '2026-06-01', '0.00', { freeIssued: true });
    const preview = await world.a.post('/api/v1/settlements/preview', body);
    expect([preview.status, preview.body.subsidy]).toEqual([200, '0.00']);
  });
});

describe('approval checks category again under the policy in force now', () => {
  // Last in the file: the regional version it adds replaces 511781's whole rule set from May on.
  it('a region version that drops the category → 422 CATEGORY_NOT_COVERED, nothing written', async () => {
    const { child } = await referredChild(world, {
      birthDate: '2021-02-01',
      category: 'speech',
      services: ['early_intervention'],
      reviewer: world.otherReviewer,
      regionCode: OTHER_REGION,
      institutionId: world.instC.id,
    });
    const claim = await submit(world.c, { ...trainingClaim(child.id, '2026-05', '2026-05', '2000.00'), service: 'early_intervention' });
    // A regional version effective from 2026-05-01 that covers early intervention for hearing only.
    const policy = await approvedPolicy(world.admin, world.admin2, {
      name: '2026-05 调整',
      effectiveFrom: '2026-05-01',
      regionCode: OTHER_REGION,
      rules: [{ service: 'early_intervention', categories: ['hearing'], annualLimit: '24000.00', monthlyLimit: '2400.00', maxAge: 14 }],
    });
    expect(policy.status).toBe(201);
    const before = await tableCounts(test.db);
    const response = await world.otherReviewer.post(`/api/v1/claims/${claim.id}/approve`, {});
    expect([response.status, response.body.error?.code]).toEqual([422, 'CATEGORY_NOT_COVERED']);
    expect(await tableCounts(test.db)).toEqual(before);
  });
});
