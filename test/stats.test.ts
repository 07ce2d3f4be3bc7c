import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceClaim, submit, submitAndApprove, trainingClaim } from './support/claims.js';
import { createTestApp, type TestApp } from './support/testApp.js';
import { createWorld, OTHER_REGION, referredChild, type World } from './support/world.js';

// Dashboard figures against values worked out by hand from the claims made here.
let test: TestApp;
let world: World;
beforeAll(async () => {
  test = await createTestApp();
  world = await createWorld(test);
  const at = (iso: string) => test.clock.set(iso);

  const first = (await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training', 'device'] })).child;
  const second = (await referredChild(world, { birthDate: '2020-05-01', category: 'autism', services: ['training'] })).child;
  const third = (await referredChild(world, { birthDate: '2020-05-01', category: 'autism', services: ['training'] })).child;
  // Approved in September (China time): 5100.00 training + 4800.00 hearing aids.
  at('2026-09-30T15:00:00Z'); // 23:00 on 30 September in China
  await submitAndApprove(world.a, world.reviewer, trainingClaim(first.id, '2026-01', '2026-03', '5400'));
  await submitAndApprove(world.a, world.reviewer, deviceClaim(first.id, 'hearing_aid', '2026-05-01', '6000'));
  // Approved on 1 October in China (still 30 September in UTC): 1000.00 training.
  at('2026-09-30T16:30:00Z');
  await submitAndApprove(world.a, world.reviewer, trainingClaim(second.id, '2026-04', '2026-04', '1000'));
  // The three above go into a batch, issued and paid in November: paid 10900.00.
  at('2026-11-10T10:00:00+08:00');
  const batch = (await world.reviewer.post('/api/v1/batches', {})).body.batches[0];
  await world.reviewer2.post(`/api/v1/batches/${batch.id}/issue`, {});
  at('2026-11-12T10:00:00+08:00');
  const paid = await world.finance.post(`/api/v1/batches/${batch.id}/payment`, { voucherNo: 'CZ-S1', paidAt: '2026-11-12', amount: batch.total });
  if (paid.status !== 200) throw new Error(JSON.stringify(paid.body));
  // Approved and issued on 10 November, not paid: 800.00.
  at('2026-11-10T10:00:00+08:00');
  await submitAndApprove(world.a, world.reviewer, trainingClaim(third.id, '2026-05', '2026-05', '800'));
  const unpaid = (await world.reviewer.post('/api/v1/batches', {})).body.batches[0];
  await world.reviewer2.post(`/api/v1/batches/${unpaid.id}/issue`, {});
  // Waiting for review: submitted 1 November (21 days before the 22nd), 15 November (7 days) and today.
  at('2026-11-01T09:00:00+08:00');
  await submit(world.a, trainingClaim(third.id, '2026-06', '2026-06', '500'));
  at('2026-11-15T09:00:00+08:00');
  await submit(world.a, trainingClaim(third.id, '2026-07', '2026-07', '2000'));
  at('2026-11-22T09:00:00+08:00');
  await submit(world.a, trainingClaim(second.id, '2026-05', '2026-05', '300'));
  // Another region's approval, which 511702 never sees.
  const elsewhere = (await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], reviewer: world.otherReviewer, regionCode: OTHER_REGION, institutionId: world.instC.id })).child;
  await submitAndApprove(world.c, world.otherReviewer, trainingClaim(elsewhere.id, '2026-01', '2026-01', '999'));
  at('2026-11-22T10:00:00+08:00');
});
afterAll(async () => test?.close());

describe('dashboard figures', () => {
  it('children aided against the default target; approved and paid by service and month; queue and unpaid batches', async () => {
    const response = await world.reviewer.get('/api/v1/stats?year=2026');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      regionCode: '511702',
      year: 2026,
      asOf: '2026-11-22',
      children: { aided: 3, target: 270, targetIsDefault: true, percentOfTarget: '1.1' },
      approved: {
        total: '11700.00',
        byService: [{ service: 'device', total: '4800.00' }, { service: 'training', total: '6900.00' }],
        byMonth: [{ month: '2026-09', total: '9900.00' }, { month: '2026-10', total: '1000.00' }, { month: '2026-11', total: '800.00' }],
        byServiceAndMonth: [
          { service: 'device', month: '2026-09', total: '4800.00' },
          { service: 'training', month: '2026-09', total: '5100.00' },
          { service: 'training', month: '2026-10', total: '1000.00' },
          { service: 'training', month: '2026-11', total: '800.00' },
        ],
      },
      paid: {
        total: '10900.00',
        byService: [{ service: 'device', total: '4800.00' }, { service: 'training', total: '6100.00' }],
        byMonth: [{ month: '2026-11', total: '10900.00' }],
        byServiceAndMonth: [{ service: 'device', month: '2026-11', total: '4800.00' }, { service: 'training', month: '2026-11', total: '6100.00' }],
      },
      // The three referrals and four claims were decided on the day they were received: in time.
      // Waiting: received Sunday 1 November (due Friday 6th) and Sunday 15 November (due Friday
      // 20th) are past due on the 22nd; the one received today is not.
      timeliness: {
        applications: { decided: 3, decidedInTime: 3, overdueNow: 0 },
        claims: { decided: 4, decidedInTime: 4, overdueNow: 2 },
      },
      waitingForReview: {
        count: 3,
        total: '2500.00', // 500 + 1700 (the monthly standard caps 2000) + 300
        oldestDays: 21,
        byAge: [{ days: '0-7', count: 2 }, { days: '8-30', count: 1 }, { days: '>30', count: 0 }],
      },
      batchesWaitingForPayment: { count: 1, total: '800.00', oldestDays: 12 },
      // No budget set for 2026: shown as null beside what was approved and paid.
      budget: { budget: null, approved: '11700.00', paid: '10900.00', remaining: null },
    });
  });

  it('the rehabilitation budget of the year beside approved and paid: 4,600,000.00 − 10,900.00 paid = 4,589,100.00 remaining', async () => {
    expect((await world.admin.put('/api/v1/regions/511702/budgets/2026', { rehabilitation: '4600000' })).status).toBe(200);
    const response = await world.reviewer.get('/api/v1/stats?year=2026');
    expect(response.body.budget).toEqual({ budget: '4600000.00', approved: '11700.00', paid: '10900.00', remaining: '4589100.00' });
    const budget = await world.reviewer.get('/api/v1/regions/511702/budgets/2026');
    expect(budget.body).toMatchObject({ rehabilitation: '4600000.00', allowanceCounty: null, allowanceHardship: null });
    // Setting one fund keeps the others; the change is audited with the values before and after.
    await world.admin.put('/api/v1/regions/511702/budgets/2026', { allowanceCounty: '80000.00' });
    expect((await world.reviewer.get('/api/v1/regions/511702/budgets/2026')).body).toMatchObject({ rehabilitation: '4600000.00', allowanceCounty: '80000.00' });
    const audit = await world.admin.get('/api/v1/audit?action=budget.set');
    expect(audit.body.items.at(-1).data).toMatchObject({ year: 2026, before: { allowanceCounty: null }, after: { allowanceCounty: '80000.00', rehabilitation: '4600000.00' } });
    expect((await world.admin.put('/api/v1/regions/511702/budgets/2026', { rehabilitation: '-1' })).status).toBe(400);
    expect((await world.otherReviewer.get('/api/v1/regions/511702/budgets/2026')).status).toBe(404);
    await world.admin.put('/api/v1/regions/511702/budgets/2026', { rehabilitation: null, allowanceCounty: null });
  });

  it('a target set by the admin replaces the default, and is audited', async () => {
    const set = await world.admin.request('PUT', '/api/v1/regions/511702/targets/2026', { childrenTarget: 12 });
    expect(set.status).toBe(200);
    const response = await world.reviewer.get('/api/v1/stats?year=2026');
    expect(response.body.children).toEqual({ aided: 3, target: 12, targetIsDefault: false, percentOfTarget: '25.0' });
    const events = await world.admin.get('/api/v1/audit?entityType=region&action=region_target.set');
    expect(events.body.items.map((event: { action: string; data: unknown }) => [event.action, event.data])).toEqual([['region_target.set', { year: 2026, childrenTarget: 12 }]]);
    expect((await world.reviewer.request('PUT', '/api/v1/regions/511702/targets/2026', { childrenTarget: 5 })).status).toBe(403);
    expect((await world.admin.request('PUT', '/api/v1/regions/511702/targets/2026', { childrenTarget: 0 })).status).toBe(400);
  });

  it('another year is empty; another region is its own', async () => {
    const lastYear = await world.reviewer.get('/api/v1/stats?year=2025');
    expect(lastYear.body.children.aided).toBe(0);
    expect(lastYear.body.approved.total).toBe('0.00');
    const other = await world.otherReviewer.get('/api/v1/stats?year=2026');
    expect([other.body.children.aided, other.body.approved.total]).toEqual([1, '999.00']);
    const forAdmin = await world.admin.get('/api/v1/stats?year=2026&regionCode=511781');
    expect(forAdmin.body.approved.total).toBe('999.00');
  });

  it('roles and scope: finance and institutions 403; another region’s figures 404; an admin names the region', async () => {
    expect((await world.finance.get('/api/v1/stats?year=2026')).status).toBe(403);
    expect((await world.a.get('/api/v1/stats?year=2026')).status).toBe(403);
    expect((await world.reviewer.get('/api/v1/stats?year=2026&regionCode=511781')).status).toBe(404);
    expect((await world.admin.get('/api/v1/stats?year=2026')).status).toBe(400);
    expect((await world.reviewer.get('/api/v1/stats')).status).toBe(400);
  });
});
