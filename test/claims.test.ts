import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { deviceClaim, submit, trainingClaim, ZERO_DEDUCTIONS } from './support/claims.js';
import { tableCounts, type TestApp } from './support/testApp.js';
import { referredChild, registerChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

// Submission: the checks of api.md, in their order. The clock stands at 2026-11-22 China time.
let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const hearingChild = () => referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training', 'device', 'cochlear_implant'] });

async function expectRefused(body: Record<string, unknown>, status: number, code: string, caller = world.a) {
  const before = await tableCounts(test.db);
  const response = await caller.post('/api/v1/claims', body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error.code).toBe(code);
  expect(await tableCounts(test.db)).toEqual(before);
  return response.body.error;
}

describe('a submitted claim', () => {
  it('answers 201 with the claim, its remainder, an estimate and its history', async () => {
    const { child } = await hearingChild();
    const body = trainingClaim(child.id, '2026-01', '2026-03', '5400.00', { deductions: { ...ZERO_DEDUCTIONS, medicalAid: '100.5' } });
    const response = await world.a.post('/api/v1/claims', body);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      externalRef: body.externalRef,
      institutionId: world.instA.id,
      childId: child.id,
      regionCode: '511702',
      category: 'hearing',
      service: 'training',
      deviceKind: null,
      periodFrom: '2026-01',
      periodTo: '2026-03',
      months: 3,
      serviceDate: null,
      grossCost: '5400.00',
      deductions: { basicMedicalInsurance: '0.00', criticalIllnessInsurance: '0.00', supplementaryCriticalIllnessInsurance: '0.00', medicalAid: '100.50' },
      remainder: '5299.50',
      status: 'submitted',
      estimate: { cap: '5100.00', subsidy: '5100.00', reasons: ['MONTHLY_LIMIT'] },
      approvedAmount: null,
      settlement: null,
      batchId: null,
    });
    expect(response.body.history).toEqual([{ at: expect.any(String), action: 'submitted', by: world.users.a.id, note: null }]);
  });

  it('may name the child by ID number instead of id', async () => {
    const { child } = await hearingChild();
    const { childId: _unused, ...body } = trainingClaim(child.id, '2026-04', '2026-04', '1000');
    const response = await world.a.post('/api/v1/claims', { ...body, childIdNumber: child.idNumber });
    expect(response.status).toBe(201);
    expect(response.body.childId).toBe(child.id);
  });
});

describe('idempotent externalRef', () => {
  it('the same content again → 200 with the same claim; money and omitted deductions compare by value', async () => {
    const { child } = await hearingChild();
    const first = await submit(world.a, trainingClaim(child.id, '2026-05', '2026-05', '1000', { externalRef: 'IDEM-1' }));
    const again = await world.a.post('/api/v1/claims', {
      externalRef: 'IDEM-1',
      childIdNumber: child.idNumber,
      service: 'training',
      periodFrom: '2026-05',
      periodTo: '2026-05',
      grossCost: '1000.00',
      deductions: ZERO_DEDUCTIONS,
      reviewedBy: '另一位会计',
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.id);
    expect(again.body.reviewedBy).toBe('李会计');
    expect((await world.a.get(`/api/v1/claims?childId=${child.id}`)).body.items).toHaveLength(1);
  });

  it('different content under a used externalRef → 409 DUPLICATE_EXTERNAL_REF, before any other check', async () => {
    const { child } = await hearingChild();
    await submit(world.a, trainingClaim(child.id, '2026-06', '2026-06', '1000', { externalRef: 'IDEM-2' }));
    await expectRefused(trainingClaim(child.id, '2026-06', '2026-06', '1000.01', { externalRef: 'IDEM-2' }), 409, 'DUPLICATE_EXTERNAL_REF');
    // Even a body that would be refused for its figures answers the reuse first.
    await expectRefused(trainingClaim(child.id, '2026-06', '2026-06', '10', { externalRef: 'IDEM-2', deductions: { medicalAid: '20' } }), 409, 'DUPLICATE_EXTERNAL_REF');
  });

  it('an externalRef is the institution’s own: another institution may use the same one', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], institutionId: world.instB.id });
    const response = await world.b.post('/api/v1/claims', trainingClaim(child.id, '2026-01', '2026-01', '1000', { externalRef: 'IDEM-1' }));
    expect(response.status).toBe(201);
  });
});

describe('validation (400, nothing written)', () => {
  it.each([
    ['money as a number', { grossCost: 1700 }],
    ['three decimals', { grossCost: '100.005' }],
    ['a negative amount', { grossCost: '-5.00' }],
    ['a negative deduction', { deductions: { medicalAid: '-1' } }],
    ['a deduction as a number', { deductions: { medicalAid: 0 } }],
    ['an unknown payer', { deductions: { charity: '10' } }],
    ['13 integer digits', { grossCost: '1234567890123' }],
    ['no reviewedBy', { reviewedBy: undefined }],
    ['childId and childIdNumber both', { childIdNumber: '511702202003150029' }],
    ['neither childId nor childIdNumber', { childId: undefined }],
    ['a bad childIdNumber', { childId: undefined, childIdNumber: '511702202003150020' }],
    ['a service date on training', { serviceDate: '2026-03-01' }],
    ['no periodTo', { periodTo: undefined }],
    ['periodTo before periodFrom', { periodFrom: '2026-05', periodTo: '2026-04' }],
    ['month 13', { periodTo: '2026-13' }],
    ['a device kind on training', { deviceKind: 'hearing_aid' }],
    ['freeIssued on training', { freeIssued: true }],
    ['an unknown service', { service: 'massage' }],
    ['an extra field', { approvedAmount: '100' }],
    ['an empty externalRef', { externalRef: '' }],
  ])('%s', async (_label, change) => {
    const { child } = await hearingChild();
    const error = await expectRefused({ ...trainingClaim(child.id, '2026-03', '2026-04', '1000'), ...change }, 400, 'VALIDATION_FAILED');
    expect(error.details.length).toBeGreaterThan(0);
  });

  it.each([
    ['a device without its kind', { deviceKind: undefined }],
    ['a device with a period', { periodFrom: '2026-03', periodTo: '2026-03' }],
    ['a device without a date', { serviceDate: undefined }],
    ['an impossible date', { serviceDate: '2026-02-30' }],
    ['an unknown device kind', { deviceKind: 'glasses' }],
  ])('%s', async (_label, change) => {
    const { child } = await hearingChild();
    await expectRefused({ ...deviceClaim(child.id, 'hearing_aid', '2026-03-01', '1000'), ...change }, 400, 'VALIDATION_FAILED');
  });
});

describe('refusals (422 / 409, nothing written)', () => {
  it('DEDUCTIONS_EXCEED_GROSS', async () => {
    const { child } = await hearingChild();
    await expectRefused(trainingClaim(child.id, '2026-02', '2026-02', '1000.00', { deductions: { basicMedicalInsurance: '800.00', medicalAid: '200.01' } }), 422, 'DEDUCTIONS_EXCEED_GROSS');
  });

  it('PERIOD_CROSSES_YEAR', async () => {
    const { child } = await hearingChild();
    await expectRefused(trainingClaim(child.id, '2025-12', '2026-01', '1000.00'), 422, 'PERIOD_CROSSES_YEAR');
  });

  it('SERVICE_NOT_YET_DELIVERED: a month after the current one, a date after today (China time)', async () => {
    const { child } = await hearingChild();
    await expectRefused(trainingClaim(child.id, '2026-11', '2026-12', '1000.00'), 422, 'SERVICE_NOT_YET_DELIVERED');
    await expectRefused(deviceClaim(child.id, 'hearing_aid', '2026-11-23', '1000.00'), 422, 'SERVICE_NOT_YET_DELIVERED');
    expect((await world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-11', '2026-11', '1000.00'))).status).toBe(201);
    expect((await world.a.post('/api/v1/claims', deviceClaim(child.id, 'hearing_aid', '2026-11-22', '1000.00'))).status).toBe(201);
  });

  it('SERVICE_NOT_YET_DELIVERED follows China time, not UTC', async () => {
    const { child } = await hearingChild();
    // 2026-11-30 17:00 UTC is already 1 December in China: December is the current month there.
    test.clock.set('2026-11-30T17:00:00Z');
    try {
      expect((await world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-12', '2026-12', '1000.00'))).status).toBe(201);
    } finally {
      test.clock.set('2026-11-22T10:00:00+08:00');
    }
  });

  it('NOT_REFERRED: no referral, another service, another year, another institution’s referral, an unknown child', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    await expectRefused(deviceClaim(child.id, 'hearing_aid', '2026-03-01', '1000'), 422, 'NOT_REFERRED');
    await expectRefused(trainingClaim(child.id, '2025-03', '2025-03', '1000'), 422, 'NOT_REFERRED');
    await expectRefused(trainingClaim(child.id, '2026-03', '2026-03', '1000'), 422, 'NOT_REFERRED', world.b);
    const unreferred = await registerChild(world.reviewer);
    await expectRefused(trainingClaim(unreferred.id, '2026-03', '2026-03', '1000'), 422, 'NOT_REFERRED');
    await expectRefused(trainingClaim('01a20000-0000-7000-8000-000000000000', '2026-03', '2026-03', '1000'), 422, 'NOT_REFERRED');
    const pending = await registerChild(world.reviewer);
    await world.reviewer.post('/api/v1/applications', { childId: pending.id, year: 2026, services: ['training'], institutionId: world.instA.id });
    await expectRefused(trainingClaim(pending.id, '2026-03', '2026-03', '1000'), 422, 'NOT_REFERRED');
  });

  it('SERVICE_NOT_DESIGNATED when the institution lost its designation after the referral', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training', 'device'], institutionId: world.instB.id });
    await test.db.execute(sql`update institutions set services = array['training'] where id = ${world.instB.id}`);
    try {
      await expectRefused(deviceClaim(child.id, 'hearing_aid', '2026-03-01', '1000'), 422, 'SERVICE_NOT_DESIGNATED', world.b);
    } finally {
      await test.db.execute(sql`update institutions set services = array['training', 'early_intervention', 'device'] where id = ${world.instB.id}`);
    }
  });

  it('AFTER_DROPOUT: nothing after the drop-out month or date', async () => {
    const { child, application } = await hearingChild();
    await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-07-15' });
    await expectRefused(trainingClaim(child.id, '2026-07', '2026-08', '1000'), 422, 'AFTER_DROPOUT');
    await expectRefused(deviceClaim(child.id, 'hearing_aid', '2026-07-16', '1000'), 422, 'AFTER_DROPOUT');
    expect((await world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-06', '2026-07', '1000'))).status).toBe(201);
    expect((await world.a.post('/api/v1/claims', deviceClaim(child.id, 'hearing_aid', '2026-07-15', '1000'))).status).toBe(201);
  });

  it('CATEGORY_NOT_COVERED: hearing aids for a limb child referred for devices', async () => {
    const { child } = await referredChild(world, { birthDate: '2022-02-01', category: 'limb', services: ['device'] });
    await expectRefused(deviceClaim(child.id, 'hearing_aid', '2026-03-01', '1000'), 422, 'CATEGORY_NOT_COVERED');
    expect((await world.a.post('/api/v1/claims', deviceClaim(child.id, 'mobility_aid', '2026-03-01', '1000'))).status).toBe(201);
  });

  it('INELIGIBLE_AGE on the first day of the period: a limb child turning 8 mid-year', async () => {
    const { child } = await referredChild(world, { birthDate: '2018-06-15', category: 'limb', services: ['training'] });
    expect((await world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-01', '2026-06', '1000'))).status).toBe(201);
    await expectRefused(trainingClaim(child.id, '2026-07', '2026-07', '1000'), 422, 'INELIGIBLE_AGE');
  });

  it('DUPLICATE_SERVICE_PERIOD: a month claimed twice, whoever files it; free again once rejected or withdrawn', async () => {
    const { child } = await hearingChild();
    await world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'], institutionId: world.instB.id }).then((filed) =>
      world.reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {}),
    );
    const first = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-03', '3000'));
    const error = await expectRefused(trainingClaim(child.id, '2026-03', '2026-04', '2000'), 409, 'DUPLICATE_SERVICE_PERIOD', world.b);
    expect(error.details).toEqual([{ month: '2026-03' }]);
    await expectRefused(trainingClaim(child.id, '2026-02', '2026-02', '2000'), 409, 'DUPLICATE_SERVICE_PERIOD');
    expect((await world.b.post('/api/v1/claims', trainingClaim(child.id, '2026-04', '2026-05', '2000'))).status).toBe(201);
    await world.a.post(`/api/v1/claims/${first.id}/withdraw`, {});
    expect((await world.b.post('/api/v1/claims', trainingClaim(child.id, '2026-03', '2026-03', '1000'))).status).toBe(201);
  });

  it('training and early intervention hold their months separately', async () => {
    const { child } = await referredChild(world, { birthDate: '2023-02-01', category: 'hearing', services: ['training', 'early_intervention'] });
    await submit(world.a, trainingClaim(child.id, '2026-01', '2026-02', '1000'));
    expect((await world.a.post('/api/v1/claims', { ...trainingClaim(child.id, '2026-01', '2026-02', '1000'), service: 'early_intervention' })).status).toBe(201);
  });
});

describe('the order of the checks', () => {
  it('arithmetic before referral; referral before category; category before age; eligibility before duplicates', async () => {
    const unreferred = await registerChild(world.reviewer);
    await expectRefused(trainingClaim(unreferred.id, '2026-02', '2026-02', '100', { deductions: { medicalAid: '200' } }), 422, 'DEDUCTIONS_EXCEED_GROSS');
    await expectRefused(trainingClaim(unreferred.id, '2026-12', '2026-12', '100'), 422, 'SERVICE_NOT_YET_DELIVERED');
    const { child: limbChild } = await referredChild(world, { birthDate: '2018-06-15', category: 'limb', services: ['device'] });
    // Not referred for training: NOT_REFERRED although the child is also too old for it.
    await expectRefused(trainingClaim(limbChild.id, '2026-08', '2026-08', '100'), 422, 'NOT_REFERRED');
    // Referred for devices, hearing aids not covered for limb, and too old: the category answers.
    await expectRefused(deviceClaim(limbChild.id, 'hearing_aid', '2026-08-01', '100'), 422, 'CATEGORY_NOT_COVERED');
    const { child } = await referredChild(world, { birthDate: '2018-06-15', category: 'limb', services: ['training'] });
    // Age counts on the first day of the period: May to August is fine, as 7 on 1 May.
    await submit(world.a, trainingClaim(child.id, '2026-05', '2026-08', '100'));
    // July again overlaps and starts at 8: the age answers first.
    await expectRefused(trainingClaim(child.id, '2026-07', '2026-07', '100'), 422, 'INELIGIBLE_AGE');
  });
});

describe('roles', () => {
  it('only institutions submit: 403 for the others', async () => {
    const { child } = await hearingChild();
    for (const caller of [world.reviewer, world.finance, world.admin]) {
      expect((await caller.post('/api/v1/claims', trainingClaim(child.id, '2026-01', '2026-01', '100'))).status).toBe(403);
    }
  });
});
