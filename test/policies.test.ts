import { describe, expect, it } from 'vitest';
import { tableCounts, type TestApp } from './support/testApp.js';
import { REGION, type World, approvedPolicy } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const provincial = {
  name: '2027 省标准',
  effectiveFrom: '2027-01-01',
  regionCode: null,
  rules: [
    { service: 'training', categories: ['hearing', 'speech', 'intellectual', 'autism'], annualLimit: '20000.00', monthlyLimit: '2000', maxAge: 14 },
    { service: 'device', deviceKind: 'mobility_aid', categories: null, annualLimit: '1500.00' },
    { service: 'cochlear_implant', categories: ['hearing'], oncePerChildLimit: '12000.00', maxAge: 6 },
  ],
};

describe('policies', () => {
  it('the seeded default is the rate table of domain.md', async () => {
    const response = await world.reviewer.get('/api/v1/policies');
    expect(response.status).toBe(200);
    const seeded = response.body.items.find((item: { effectiveFrom: string }) => item.effectiveFrom === '2000-01-01');
    expect(seeded.regionCode).toBeNull();
    expect(seeded.rules).toEqual([
      { service: 'training', deviceKind: null, categories: ['vision'], annualLimit: '1000.00', monthlyLimit: '1700.00', oncePerChildLimit: null, maxAge: 14 },
      { service: 'training', deviceKind: null, categories: ['hearing', 'speech', 'intellectual', 'autism'], annualLimit: '17000.00', monthlyLimit: '1700.00', oncePerChildLimit: null, maxAge: 14 },
      { service: 'training', deviceKind: null, categories: ['limb'], annualLimit: '17000.00', monthlyLimit: '1700.00', oncePerChildLimit: null, maxAge: 7 },
      { service: 'early_intervention', deviceKind: null, categories: ['vision', 'hearing', 'speech', 'intellectual', 'autism'], annualLimit: '24000.00', monthlyLimit: '2400.00', oncePerChildLimit: null, maxAge: 14 },
      { service: 'early_intervention', deviceKind: null, categories: ['limb'], annualLimit: '24000.00', monthlyLimit: '2400.00', oncePerChildLimit: null, maxAge: 7 },
      { service: 'cochlear_implant', deviceKind: null, categories: ['hearing'], annualLimit: null, monthlyLimit: null, oncePerChildLimit: '12000.00', maxAge: 6 },
      { service: 'limb_surgery', deviceKind: null, categories: ['limb'], annualLimit: null, monthlyLimit: null, oncePerChildLimit: '17200.00', maxAge: 17 },
      { service: 'device', deviceKind: 'hearing_aid', categories: ['hearing', 'speech'], annualLimit: '4800.00', monthlyLimit: null, oncePerChildLimit: null, maxAge: 14 },
      { service: 'device', deviceKind: 'prosthesis_orthosis', categories: ['limb'], annualLimit: '5000.00', monthlyLimit: null, oncePerChildLimit: null, maxAge: 7 },
      { service: 'device', deviceKind: 'mobility_aid', categories: null, annualLimit: '1500.00', monthlyLimit: null, oncePerChildLimit: null, maxAge: null },
    ]);
  });

  it('an admin adds a version; money is normalised to 2 places; lists put the latest first', async () => {
    const created = await approvedPolicy(world.admin, world.admin2, provincial);
    expect(created.status).toBe(201);
    expect(created.body.rules[0]).toMatchObject({ annualLimit: '20000.00', monthlyLimit: '2000.00', maxAge: 14 });
    expect(created.body.rules[1]).toMatchObject({ deviceKind: 'mobility_aid', categories: null, maxAge: null });
    const regional = await approvedPolicy(world.admin, world.admin2, { ...provincial, name: '县标准', effectiveFrom: '2026-07-01', regionCode: REGION });
    expect(regional.status).toBe(201);
    const list = await world.finance.get('/api/v1/policies');
    expect(list.body.items.map((item: { effectiveFrom: string }) => item.effectiveFrom)).toEqual(['2027-01-01', '2026-07-01', '2000-01-01']);
    const paged = await world.finance.get('/api/v1/policies?limit=1');
    const next = await world.finance.get(`/api/v1/policies?limit=1&cursor=${paged.body.nextCursor}`);
    expect([paged.body.items[0].effectiveFrom, next.body.items[0].effectiveFrom]).toEqual(['2027-01-01', '2026-07-01']);
  });

  it('the version in force: a region’s own beats the default; each starts on its date', async () => {
    const inForce = async (regionCode: string, date: string) =>
      (await world.reviewer.get(`/api/v1/policies/in-force?regionCode=${regionCode}&date=${date}`)).body;
    expect((await inForce(REGION, '2026-06-30')).effectiveFrom).toBe('2000-01-01');
    expect((await inForce(REGION, '2026-07-01')).name).toBe('县标准');
    expect((await inForce(REGION, '2027-03-01')).name).toBe('县标准');
    expect((await inForce('511781', '2027-03-01')).name).toBe('2027 省标准');
    expect((await inForce('511781', '2026-12-31')).effectiveFrom).toBe('2000-01-01');
  });

  it('a second version for the same region and date → 409 ALREADY_EXISTS', async () => {
    const before = await tableCounts(test.db);
    const response = await approvedPolicy(world.admin, world.admin2, provincial);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('ALREADY_EXISTS');
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it.each([
    ['a device rule without a kind', [{ service: 'device', annualLimit: '100' }]],
    ['a kind on a non-device rule', [{ service: 'training', deviceKind: 'hearing_aid', annualLimit: '100' }]],
    ['a rule without a limit', [{ service: 'training', categories: ['hearing'] }]],
    ['a monthly limit on surgery', [{ service: 'limb_surgery', monthlyLimit: '100', oncePerChildLimit: '100' }]],
    ['a once-per-child limit on training', [{ service: 'training', oncePerChildLimit: '100' }]],
    ['a numeric limit', [{ service: 'training', annualLimit: 100 }]],
    ['a limit with three decimals', [{ service: 'training', annualLimit: '100.001' }]],
    ['overlapping rules', [{ service: 'training', categories: ['hearing'], annualLimit: '1' }, { service: 'training', categories: null, annualLimit: '2' }]],
    ['an age of 30', [{ service: 'training', annualLimit: '1', maxAge: 30 }]],
    ['no rules', []],
  ])('refuses %s with 400', async (_label, rules) => {
    const before = await tableCounts(test.db);
    const response = await approvedPolicy(world.admin, world.admin2, { name: 'x', effectiveFrom: '2030-01-01', rules });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('refuses an impossible date', async () => {
    const response = await approvedPolicy(world.admin, world.admin2, { ...provincial, effectiveFrom: '2030-02-30' });
    expect(response.status).toBe(400);
  });

  it('only an admin adds versions; every role reads them', async () => {
    for (const caller of [world.reviewer, world.finance, world.a]) {
      expect((await caller.post('/api/v1/policies', { ...provincial, effectiveFrom: '2031-01-01' })).status).toBe(403);
      expect((await caller.get('/api/v1/policies')).status).toBe(200);
    }
  });
});
