import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { deviceClaim, submit, submitAndApprove, trainingClaim } from './support/claims.js';
import { client, tableCounts, type TestApp } from './support/testApp.js';
import { createInstitution, createUser, OTHER_REGION, referredChild, registerChild, type World, approvedPolicy } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const hearingChild = (services = ['training', 'device', 'cochlear_implant']) =>
  referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services });

async function ledgerSum(childId: string): Promise<string> {
  const result = (await test.db.execute(sql`select coalesce(sum(amount), 0)::numeric(14,2)::text as total from entitlement_usage where child_id = ${childId}`)) as any;
  return (result.rows ?? result)[0].total;
}

describe('approval', () => {
  it('approves at what the rules give now, with the settlement, the ledger entry and the history', async () => {
    const { child } = await hearingChild();
    const claim = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-03', '5400.00'));
    const response = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {});
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'approved', approvedAmount: '5100.00' });
    expect(response.body.settlement).toMatchObject({
      policyId: '00000000-0000-7000-8000-000000000001',
      cap: '5100.00',
      subsidy: '5100.00',
      approvedAmount: '5100.00',
      reasons: ['MONTHLY_LIMIT'],
      note: null,
      approvedBy: world.users.reviewer.id,
    });
    expect(response.body.settlement.steps.map((step: { label: string; balance: string }) => [step.label, step.balance])).toEqual([
      ['grossCost', '5400.00'],
      ['basicMedicalInsurance', '5400.00'],
      ['criticalIllnessInsurance', '5400.00'],
      ['supplementaryCriticalIllnessInsurance', '5400.00'],
      ['medicalAid', '5400.00'],
      ['cap', '5100.00'],
    ]);
    expect(response.body.history.map((entry: { action: string }) => entry.action)).toEqual(['submitted', 'approved']);
    expect(await ledgerSum(child.id)).toBe('5100.00');
  });

  it('the binding amount is computed at approval, in approval order, not taken from the estimate', async () => {
    const { child } = await hearingChild();
    const first = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-08', '20000.00'));
    const second = await submit(world.a, trainingClaim(child.id, '2026-09', '2026-11', '6000.00'));
    expect([first.estimate.subsidy, second.estimate.subsidy]).toEqual(['13600.00', '5100.00']);
    await world.reviewer.post(`/api/v1/claims/${first.id}/approve`, {});
    const approved = await world.reviewer.post(`/api/v1/claims/${second.id}/approve`, {});
    expect(approved.body.approvedAmount).toBe('3400.00');
    expect(approved.body.settlement.reasons).toEqual(['ANNUAL_LIMIT']);
    expect(approved.body.estimate.subsidy).toBe('5100.00');
    expect(await ledgerSum(child.id)).toBe('17000.00');
  });

  it('an entitlement used up settles at 0.00 with ANNUAL_LIMIT_REACHED, and the claim still goes on', async () => {
    const { child } = await hearingChild(['device']);
    await submitAndApprove(world.a, world.reviewer, deviceClaim(child.id, 'hearing_aid', '2026-03-01', '6000.00'));
    const zero = await submitAndApprove(world.a, world.reviewer, deviceClaim(child.id, 'hearing_aid', '2026-04-01', '500.00'));
    expect(zero.approvedAmount).toBe('0.00');
    expect(zero.settlement.reasons).toEqual(['ANNUAL_LIMIT_REACHED']);
  });

  it('a second implant settles at 0.00 with ONCE_PER_CHILD_USED, also in a later year', async () => {
    const { child } = await referredChild(world, { birthDate: '2022-01-01', category: 'hearing', services: ['cochlear_implant'], year: 2025 });
    await submitAndApprove(world.a, world.reviewer, { externalRef: 'CI-1', childId: child.id, service: 'cochlear_implant', serviceDate: '2025-05-10', grossCost: '20000', reviewedBy: 'x' });
    const filed = await world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['cochlear_implant'], institutionId: world.instA.id });
    await world.reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
    const second = await submitAndApprove(world.a, world.reviewer, { externalRef: 'CI-2', childId: child.id, service: 'cochlear_implant', serviceDate: '2026-05-10', grossCost: '20000', reviewedBy: 'x' });
    expect([second.approvedAmount, second.settlement.reasons]).toEqual(['0.00', ['ONCE_PER_CHILD_USED']]);
  });

  it('a free-issued device settles at 0.00 and leaves the device limit whole', async () => {
    const { child } = await hearingChild(['device']);
    const free = await submitAndApprove(world.a, world.reviewer, deviceClaim(child.id, 'hearing_aid', '2026-03-01', '3000.00', { freeIssued: true }));
    expect([free.approvedAmount, free.settlement.reasons]).toEqual(['0.00', ['FREE_ISSUED']]);
    const paid = await submitAndApprove(world.a, world.reviewer, deviceClaim(child.id, 'hearing_aid', '2026-04-01', '6000.00'));
    expect(paid.approvedAmount).toBe('4800.00');
  });

  it('a lower amount with a note says ADJUSTED_BY_REVIEWER; without a note → 400; higher → 422; nothing changes', async () => {
    const { child } = await hearingChild();
    const claim = await submit(world.a, trainingClaim(child.id, '2026-04', '2026-05', '3000.00'));
    const before = await tableCounts(test.db);
    const noNote = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, { amount: '2000' });
    expect([noNote.status, noNote.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const higher = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, { amount: '3000.01', note: 'x' });
    expect([higher.status, higher.body.error.code]).toEqual([422, 'APPROVAL_EXCEEDS_ENTITLEMENT']);
    const badMoney = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, { amount: 2000, note: 'x' });
    expect(badMoney.status).toBe(400);
    expect(await tableCounts(test.db)).toEqual(before);
    expect((await world.reviewer.get(`/api/v1/claims/${claim.id}`)).body.status).toBe('submitted');

    const lower = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, { amount: '2000.5', note: '部分费用不属救助范围' });
    expect(lower.status).toBe(200);
    expect(lower.body.approvedAmount).toBe('2000.50');
    expect(lower.body.settlement).toMatchObject({ subsidy: '3000.00', approvedAmount: '2000.50', reasons: ['ADJUSTED_BY_REVIEWER'], note: '部分费用不属救助范围' });
    expect(lower.body.history.at(-1)).toMatchObject({ action: 'approved', note: '部分费用不属救助范围' });
    expect(await ledgerSum(child.id)).toBe('2000.50');
  });
});

describe('transitions', () => {
  it('reject with a reason frees the months', async () => {
    const { child } = await hearingChild();
    const claim = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-02', '1000'));
    const rejected = await world.reviewer.post(`/api/v1/claims/${claim.id}/reject`, { reason: '票据不全' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', approvedAmount: null });
    expect(rejected.body.history.at(-1)).toMatchObject({ action: 'rejected', note: '票据不全' });
    expect((await world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-01', '2026-02', '1000'))).status).toBe(201);
    expect((await world.reviewer.post(`/api/v1/claims/${claim.id}/reject`, {})).status).toBe(400);
  });

  it('return → PUT correction → submitted again, with a new estimate; the months stay held meanwhile', async () => {
    const { child } = await hearingChild();
    const body = trainingClaim(child.id, '2026-03', '2026-04', '5000.00');
    const claim = await submit(world.a, body);
    const returned = await world.reviewer.post(`/api/v1/claims/${claim.id}/return`, { reason: '请补充训练记录' });
    expect(returned.body.status).toBe('returned');
    expect((await world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-04', '2026-04', '100'))).status).toBe(409);

    const corrected = await world.a.put(`/api/v1/claims/${claim.id}`, { ...body, periodFrom: '2026-04', periodTo: '2026-05', grossCost: '2000' });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ status: 'submitted', periodFrom: '2026-04', periodTo: '2026-05', grossCost: '2000.00', estimate: { subsidy: '2000.00' } });
    expect(corrected.body.history.map((entry: { action: string }) => entry.action)).toEqual(['submitted', 'returned', 'resubmitted']);
    // March is free again, May is now held.
    expect((await world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-03', '2026-03', '100'))).status).toBe(201);
    expect((await world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-05', '2026-05', '100'))).status).toBe(409);
    expect((await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {})).body.approvedAmount).toBe('2000.00');
  });

  it('a correction runs the checks again and cannot change the externalRef', async () => {
    const { child } = await hearingChild();
    const body = trainingClaim(child.id, '2026-06', '2026-06', '1000');
    const claim = await submit(world.a, body);
    await world.reviewer.post(`/api/v1/claims/${claim.id}/return`, { reason: 'x' });
    const before = await tableCounts(test.db);
    expect((await world.a.put(`/api/v1/claims/${claim.id}`, { ...body, externalRef: 'OTHER' })).status).toBe(400);
    expect((await world.a.put(`/api/v1/claims/${claim.id}`, { ...body, deductions: { medicalAid: '2000' } })).body.error.code).toBe('DEDUCTIONS_EXCEED_GROSS');
    expect((await world.a.put(`/api/v1/claims/${claim.id}`, { ...body, periodTo: '2026-12' })).body.error.code).toBe('SERVICE_NOT_YET_DELIVERED');
    expect(await tableCounts(test.db)).toEqual(before);
    expect((await world.a.get(`/api/v1/claims/${claim.id}`)).body.status).toBe('returned');
  });

  it('withdraw a submitted claim', async () => {
    const { child } = await hearingChild();
    const claim = await submit(world.a, trainingClaim(child.id, '2026-07', '2026-07', '1000'));
    const withdrawn = await world.a.post(`/api/v1/claims/${claim.id}/withdraw`, {});
    expect(withdrawn.body.status).toBe('withdrawn');
  });

  it('every other transition → 409 INVALID_STATE and changes nothing', async () => {
    const { child } = await hearingChild();
    const approved = await submitAndApprove(world.a, world.reviewer, trainingClaim(child.id, '2026-01', '2026-01', '1000'));
    const rejected = await submit(world.a, trainingClaim(child.id, '2026-02', '2026-02', '1000'));
    await world.reviewer.post(`/api/v1/claims/${rejected.id}/reject`, { reason: 'x' });
    const returned = await submit(world.a, trainingClaim(child.id, '2026-03', '2026-03', '1000'));
    await world.reviewer.post(`/api/v1/claims/${returned.id}/return`, { reason: 'x' });
    const withdrawn = await submit(world.a, trainingClaim(child.id, '2026-04', '2026-04', '1000'));
    await world.a.post(`/api/v1/claims/${withdrawn.id}/withdraw`, {});
    const submitted = await submit(world.a, trainingClaim(child.id, '2026-05', '2026-05', '1000'));

    const before = await tableCounts(test.db);
    const attempts: [string, () => Promise<{ status: number; body: any }>][] = [];
    for (const id of [approved.id, rejected.id, returned.id, withdrawn.id]) {
      attempts.push([`approve ${id}`, () => world.reviewer.post(`/api/v1/claims/${id}/approve`, {})]);
      attempts.push([`return ${id}`, () => world.reviewer.post(`/api/v1/claims/${id}/return`, { reason: 'x' })]);
      // A returned claim may still be rejected (reviewer) or withdrawn (institution): api.md.
      if (id === returned.id) continue;
      attempts.push([`reject ${id}`, () => world.reviewer.post(`/api/v1/claims/${id}/reject`, { reason: 'x' })]);
      attempts.push([`withdraw ${id}`, () => world.a.post(`/api/v1/claims/${id}/withdraw`, {})]);
    }
    for (const id of [approved.id, rejected.id, withdrawn.id, submitted.id]) {
      attempts.push([`correct ${id}`, async () => {
        const current = (await world.a.get(`/api/v1/claims/${id}`)).body;
        return world.a.put(`/api/v1/claims/${id}`, trainingClaim(child.id, current.periodFrom, current.periodTo, '1000', { externalRef: current.externalRef }));
      }]);
    }
    for (const [label, attempt] of attempts) {
      const response = await attempt();
      expect([label, response.status, response.body.error?.code]).toEqual([label, 409, 'INVALID_STATE']);
    }
    expect(await tableCounts(test.db)).toEqual(before);
  });
});

describe('scope and roles', () => {
  it('another institution, another region → 404; finance reads; institutions and finance cannot decide; admin has no claims', async () => {
    const { child } = await hearingChild();
    const claim = await submit(world.a, trainingClaim(child.id, '2026-08', '2026-08', '1000'));
    expect((await world.b.get(`/api/v1/claims/${claim.id}`)).status).toBe(404);
    expect((await world.b.post(`/api/v1/claims/${claim.id}/withdraw`, {})).status).toBe(404);
    expect((await world.otherReviewer.get(`/api/v1/claims/${claim.id}`)).status).toBe(404);
    expect((await world.otherReviewer.post(`/api/v1/claims/${claim.id}/approve`, {})).status).toBe(404);
    expect((await world.otherFinance.get(`/api/v1/claims/${claim.id}`)).status).toBe(404);
    expect((await world.finance.get(`/api/v1/claims/${claim.id}`)).status).toBe(200);
    for (const action of ['approve', 'reject', 'return']) {
      expect((await world.a.post(`/api/v1/claims/${claim.id}/${action}`, { reason: 'x' })).status).toBe(403);
      expect((await world.finance.post(`/api/v1/claims/${claim.id}/${action}`, { reason: 'x' })).status).toBe(403);
    }
    expect((await world.reviewer.post(`/api/v1/claims/${claim.id}/withdraw`, {})).status).toBe(403);
    expect((await world.admin.get('/api/v1/claims')).status).toBe(403);
    expect((await world.b.get('/api/v1/claims?limit=500')).body.items.map((item: { id: string }) => item.id)).not.toContain(claim.id);
  });

  it('the paying region is the child’s, also when the institution sits in another county', async () => {
    const child = await registerChild(world.reviewer, { birthDate: '2021-01-01' });
    const filed = await world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'], institutionId: world.instC.id });
    await world.reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
    const claim = await submit(world.c, trainingClaim(child.id, '2026-02', '2026-02', '1000'));
    expect((await world.c.get(`/api/v1/claims/${claim.id}`)).body.regionCode).toBe('511702');
    expect((await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {})).status).toBe(200);
    expect((await world.otherReviewer.get(`/api/v1/claims/${claim.id}`)).status).toBe(404);
  });

  it('lists with filters and cursor pagination', async () => {
    const { child } = await hearingChild();
    const ids = [];
    for (const month of ['01', '02', '03', '04', '05']) ids.push((await submit(world.a, trainingClaim(child.id, `2026-${month}`, `2026-${month}`, '100'))).id);
    await world.reviewer.post(`/api/v1/claims/${ids[1]}/approve`, {});
    const byChild = await world.a.get(`/api/v1/claims?childId=${child.id}&limit=2`);
    expect(byChild.body.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 2));
    const next = await world.a.get(`/api/v1/claims?childId=${child.id}&limit=2&cursor=${byChild.body.nextCursor}`);
    expect(next.body.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(2, 4));
    const approved = await world.reviewer.get(`/api/v1/claims?childId=${child.id}&status=approved`);
    expect(approved.body.items.map((item: { id: string }) => item.id)).toEqual([ids[1]]);
    const range = await world.reviewer.get(`/api/v1/claims?childId=${child.id}&from=2026-02&to=2026-03`);
    expect(range.body.items.map((item: { id: string }) => item.id)).toEqual([ids[1], ids[2]]);
    expect((await world.reviewer.get('/api/v1/claims?status=approvedd')).status).toBe(400);
    expect((await world.reviewer.get('/api/v1/claims?from=2026-13')).status).toBe(400);
  });
});

describe('settlement preview', () => {
  it('gives the settlement if approved now and stores nothing; no referral needed', async () => {
    const child = await registerChild(world.reviewer, { birthDate: '2021-02-01', category: 'hearing' });
    const before = await tableCounts(test.db);
    const response = await world.reviewer.post('/api/v1/settlements/preview', {
      childId: child.id, service: 'training', periodFrom: '2025-01', periodTo: '2025-12', grossCost: '30000', deductions: { basicMedicalInsurance: '8000', medicalAid: '2000' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ remainder: '20000.00', cap: '17000.00', subsidy: '17000.00', reasons: ['ANNUAL_LIMIT'] });
    expect(response.body.limits.map((limit: { code: string; figure: string }) => [limit.code, limit.figure])).toEqual([['MONTHLY_LIMIT', '20400.00'], ['ANNUAL_LIMIT', '17000.00']]);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('reflects what is approved so far', async () => {
    const { child } = await hearingChild();
    await submitAndApprove(world.a, world.reviewer, trainingClaim(child.id, '2026-01', '2026-08', '20000'));
    const response = await world.a.post('/api/v1/settlements/preview', { childId: child.id, service: 'training', periodFrom: '2026-09', periodTo: '2026-11', grossCost: '6000' });
    expect(response.body).toMatchObject({ cap: '3400.00', subsidy: '3400.00', reasons: ['ANNUAL_LIMIT'] });
  });

  it('refuses as a submission does (400 / 422) and answers 404 for a child out of scope', async () => {
    const { child } = await hearingChild();
    expect((await world.a.post('/api/v1/settlements/preview', { childId: child.id, service: 'training', periodFrom: '2026-01', periodTo: '2026-01', grossCost: 100 })).status).toBe(400);
    expect((await world.a.post('/api/v1/settlements/preview', { childId: child.id, service: 'training', periodFrom: '2026-01', periodTo: '2026-01', grossCost: '100', deductions: { medicalAid: '101' } })).body.error.code).toBe('DEDUCTIONS_EXCEED_GROSS');
    expect((await world.a.post('/api/v1/settlements/preview', { childId: child.id, service: 'limb_surgery', serviceDate: '2026-01-05', grossCost: '100' })).body.error.code).toBe('CATEGORY_NOT_COVERED');
    expect((await world.a.post('/api/v1/settlements/preview', { childId: child.id, service: 'training', periodFrom: '2026-12', periodTo: '2026-12', grossCost: '100' })).body.error.code).toBe('SERVICE_NOT_YET_DELIVERED');
    expect((await world.b.post('/api/v1/settlements/preview', { childId: child.id, service: 'training', periodFrom: '2026-01', periodTo: '2026-01', grossCost: '100' })).status).toBe(404);
    expect((await world.otherReviewer.post('/api/v1/settlements/preview', { childId: child.id, service: 'training', periodFrom: '2026-01', periodTo: '2026-01', grossCost: '100' })).status).toBe(404);
    expect((await world.finance.post('/api/v1/settlements/preview', { childId: child.id, service: 'training', periodFrom: '2026-01', periodTo: '2026-01', grossCost: '100' })).status).toBe(403);
  });
});

describe('preview warnings: what the submission would refuse, said before it is made', () => {
  const preview = (body: Record<string, unknown>) => world.a.post('/api/v1/settlements/preview', { service: 'training', grossCost: '6000', ...body });

  it('early intervention March–June over a January–April claim: the figure, and a DUPLICATE_SERVICE_PERIOD warning naming March and April', async () => {
    const { child } = await referredChild(world, { birthDate: '2024-02-01', category: 'speech', services: ['early_intervention'] });
    await submit(world.a, { ...trainingClaim(child.id, '2026-01', '2026-04', '8000'), service: 'early_intervention' });
    const response = await preview({ childId: child.id, service: 'early_intervention', periodFrom: '2026-03', periodTo: '2026-06', grossCost: '9000' });
    expect(response.status).toBe(200);
    expect(response.body.subsidy).toEqual(expect.any(String));
    expect(response.body.warnings).toEqual([
      { code: 'DUPLICATE_SERVICE_PERIOD', message: expect.any(String), details: [{ month: '2026-03' }, { month: '2026-04' }] },
    ]);
    // The submission refuses exactly that.
    const refused = await world.a.post('/api/v1/claims', { ...trainingClaim(child.id, '2026-03', '2026-06', '9000'), service: 'early_intervention' });
    expect(refused.body.error.code).toBe('DUPLICATE_SERVICE_PERIOD');
  });

  it('a wheelchair for a child referred for training only: NOT_REFERRED; for an institution not designated for it: SERVICE_NOT_DESIGNATED', async () => {
    const { child } = await hearingChild(['training']);
    const wheelchair = { childId: child.id, service: 'device', deviceKind: 'mobility_aid', serviceDate: '2026-03-01', grossCost: '1500' };
    const response = await preview(wheelchair);
    expect(response.body.warnings.map((warning: { code: string }) => warning.code)).toEqual(['NOT_REFERRED']);
    expect((await world.a.post('/api/v1/claims', { ...wheelchair, externalRef: 'W-1', reviewedBy: '李会计' })).body.error.code).toBe('NOT_REFERRED');
    // An institution whose designation for surgery was withdrawn after the referral.
    const hospital = await createInstitution(world.admin, { name: '撤销定点医院', services: ['limb_surgery', 'training'] });
    const staff = client(test.app, (await createUser(world.admin, { name: '医院会计', role: 'institution', institutionId: hospital.id })).token);
    const surgery = await referredChild(world, { birthDate: '2022-02-01', category: 'limb', services: ['limb_surgery'], institutionId: hospital.id });
    await world.admin.put(`/api/v1/institutions/${hospital.id}`, { services: ['training'] });
    const withdrawn = await staff.post('/api/v1/settlements/preview', { childId: surgery.child.id, service: 'limb_surgery', serviceDate: '2026-03-01', grossCost: '20000' });
    expect(withdrawn.body.warnings.map((warning: { code: string }) => warning.code)).toEqual(['SERVICE_NOT_DESIGNATED']);
  });

  it('months after a drop-out: AFTER_DROPOUT; a clean claim: no warnings; a returned claim being corrected does not warn about its own months', async () => {
    const { child, application } = await hearingChild(['training']);
    expect((await preview({ childId: child.id, periodFrom: '2026-01', periodTo: '2026-02' })).body.warnings).toEqual([]);
    const claim = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-02', '3000'));
    await world.reviewer.post(`/api/v1/claims/${claim.id}/return`, { reason: '请补充签到表' });
    expect((await preview({ childId: child.id, periodFrom: '2026-01', periodTo: '2026-02', claimId: claim.id })).body.warnings).toEqual([]);
    expect((await preview({ childId: child.id, periodFrom: '2026-01', periodTo: '2026-02' })).body.warnings.map((warning: { code: string }) => warning.code)).toEqual(['DUPLICATE_SERVICE_PERIOD']);
    await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-04-15', reason: '家长放弃' });
    expect((await preview({ childId: child.id, periodFrom: '2026-05', periodTo: '2026-06' })).body.warnings.map((warning: { code: string }) => warning.code)).toEqual(['AFTER_DROPOUT']);
    // Another institution's claim id hides nothing and excludes nothing.
    expect((await world.b.post('/api/v1/settlements/preview', { childId: child.id, service: 'training', periodFrom: '2026-01', periodTo: '2026-01', grossCost: '100', claimId: claim.id })).status).toBe(404);
  });
});

describe('entitlements', () => {
  it('per service: limit, used this year, remaining and pending', async () => {
    const { child } = await hearingChild(['training', 'device']);
    await submitAndApprove(world.a, world.reviewer, trainingClaim(child.id, '2026-01', '2026-04', '10000'));
    await submit(world.a, trainingClaim(child.id, '2026-05', '2026-05', '1000'));
    await submitAndApprove(world.a, world.reviewer, deviceClaim(child.id, 'hearing_aid', '2026-03-01', '1000'));
    // Not finance's: what a child may receive follows from its category (security.md §5).
    expect((await world.finance.get(`/api/v1/children/${child.id}/entitlements?year=2026`)).status).toBe(403);
    for (const caller of [world.a, world.reviewer]) {
      const response = await caller.get(`/api/v1/children/${child.id}/entitlements?year=2026`);
      expect(response.status).toBe(200);
      const training = response.body.items.find((item: { service: string }) => item.service === 'training');
      expect(training).toMatchObject({ annualLimit: '17000.00', monthlyLimit: '1700.00', usedThisYear: '6800.00', remaining: '10200.00', pending: '1000.00' });
      const aids = response.body.items.find((item: { deviceKind: string }) => item.deviceKind === 'hearing_aid');
      expect(aids).toMatchObject({ annualLimit: '4800.00', usedThisYear: '1000.00', remaining: '3800.00', pending: '0.00' });
      const implant = response.body.items.find((item: { service: string }) => item.service === 'cochlear_implant');
      expect(implant).toMatchObject({ oncePerChildLimit: '12000.00', usedEver: '0.00', remaining: '12000.00' });
      expect(response.body.items.some((item: { service: string }) => item.service === 'limb_surgery')).toBe(false);
    }
    const lastYear = await world.reviewer.get(`/api/v1/children/${child.id}/entitlements?year=2025`);
    expect(lastYear.body.items.find((item: { service: string }) => item.service === 'training')).toMatchObject({ usedThisYear: '0.00', remaining: '17000.00' });
  });

  it('is scoped: another institution or region → 404; an institution sees only children referred to it that year', async () => {
    const { child } = await hearingChild(['training']);
    expect((await world.b.get(`/api/v1/children/${child.id}/entitlements?year=2026`)).status).toBe(404);
    expect((await world.otherReviewer.get(`/api/v1/children/${child.id}/entitlements?year=2026`)).status).toBe(404);
    expect((await world.a.get(`/api/v1/children/${child.id}/entitlements?year=2025`)).status).toBe(404);
    expect((await world.admin.get(`/api/v1/children/${child.id}/entitlements?year=2026`)).status).toBe(403);
    expect((await world.reviewer.get(`/api/v1/children/${child.id}/entitlements`)).status).toBe(400);
  });
});

describe('policy versions', () => {
  it('a region’s own version from mid-year settles later months; past settlements never change', async () => {
    const child = await registerChild(world.otherReviewer, { regionCode: OTHER_REGION, birthDate: '2021-02-01' });
    const filed = await world.otherReviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'], institutionId: world.instC.id });
    await world.otherReviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
    const early = await submitAndApprove(world.c, world.otherReviewer, trainingClaim(child.id, '2026-05', '2026-06', '5000'));
    expect([early.approvedAmount, early.settlement.policyId]).toEqual(['3400.00', '00000000-0000-7000-8000-000000000001']);

    const regional = await approvedPolicy(world.admin, world.admin2, {
      name: '外县 2026 下半年', effectiveFrom: '2026-07-01', regionCode: OTHER_REGION,
      rules: [{ service: 'training', categories: ['hearing', 'speech', 'intellectual', 'autism'], annualLimit: '20000.00', monthlyLimit: '2000.00', maxAge: 14 }],
    });
    expect(regional.status).toBe(201);
    const later = await submitAndApprove(world.c, world.otherReviewer, trainingClaim(child.id, '2026-07', '2026-08', '5000'));
    expect([later.approvedAmount, later.settlement.policyId]).toEqual(['4000.00', regional.body.id]);
    const again = await world.otherReviewer.get(`/api/v1/claims/${early.id}`);
    expect([again.body.approvedAmount, again.body.settlement.policyId, again.body.settlement.cap]).toEqual(['3400.00', '00000000-0000-7000-8000-000000000001', '3400.00']);
  });
});
