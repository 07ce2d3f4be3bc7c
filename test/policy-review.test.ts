import { beforeAll, describe, expect, it } from 'vitest';
import { submit, trainingClaim } from './support/claims.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestWorld } from './support/lifecycle.js';
import { type Client, type TestApp } from './support/testApp.js';
import { createUser, referredChild, REGION, type World } from './support/world.js';

// Policy versions get a second admin's review once personal admins run the service, and a version
// not yet in force can be withdrawn: it is never applied (api.md, Policies; security.md §2).

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

let first: Client;
let second: Client;
let firstId: string;

beforeAll(async () => {
  // Two more personal admins, each confirmed by a second admin.
  const activatedA = await createUser(world.admin, { name: '张管理', role: 'admin', username: 'policy.a' }, world.admin2);
  first = activatedA.client;
  firstId = activatedA.id;
  second = (await createUser(world.admin, { name: '李管理', role: 'admin', username: 'policy.b' }, world.admin2)).client;
});

const version = (effectiveFrom: string, annualLimit: string, name = `县标准 ${effectiveFrom}`) => ({
  name,
  effectiveFrom,
  regionCode: REGION,
  rules: [{ service: 'training', categories: null, annualLimit, monthlyLimit: '1700.00' }],
});
const inForce = async (date: string) => (await world.reviewer.get(`/api/v1/policies/in-force?regionCode=${REGION}&date=${date}`)).body;

describe('a second admin approves a policy version', () => {
  it('a new version waits, is not applied, and is approved by another admin only', async () => {
    const created = await first.post('/api/v1/policies', version('2027-01-01', '20000'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', createdBy: firstId, approvedBy: null, approvedAt: null });
    expect((await inForce('2027-03-01')).effectiveFrom).toBe('2000-01-01');
    const same = await expectRefusedUnchanged(test.db, () => first.post(`/api/v1/policies/${created.body.id}/approve`, {}), 409, 'FOUR_EYES_REQUIRED');
    expect(same.body.error.message).toContain('another admin');
    await expectRefusedUnchanged(test.db, () => world.reviewer.post(`/api/v1/policies/${created.body.id}/approve`, {}), 403, 'FORBIDDEN');
    const approved = await second.post(`/api/v1/policies/${created.body.id}/approve`, {});
    expect([approved.status, approved.body.status, approved.body.approvedAt]).toEqual([200, 'approved', expect.any(String)]);
    expect((await inForce('2027-03-01')).id).toBe(created.body.id);
    await expectRefusedUnchanged(test.db, () => second.post(`/api/v1/policies/${created.body.id}/approve`, {}), 409, 'INVALID_STATE');
    const audit = await first.get(`/api/v1/audit?entityType=policy&entityId=${created.body.id}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(['policy.created', 'policy.approved']);
  });

  it('a pending version, even one dated in the past, settles nothing', async () => {
    const pending = await first.post('/api/v1/policies', version('2025-01-01', '100.00', '待审核的低标准'));
    expect(pending.body.status).toBe('pending');
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const claim = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-01', '1000'));
    const approved = await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {});
    expect([approved.body.approvedAmount, approved.body.settlement.policyId]).toEqual(['1000.00', (await inForce('2026-01-01')).id]);
    expect(approved.body.settlement.policyId).not.toBe(pending.body.id);
  });
});

describe('withdrawing a version not yet in force', () => {
  it('an approved future version is withdrawn with a reason, never applied, and its date is free again', async () => {
    const created = await first.post('/api/v1/policies', version('2028-01-01', '30000'));
    await second.post(`/api/v1/policies/${created.body.id}/approve`, {});
    expect((await inForce('2028-02-01')).id).toBe(created.body.id);
    await expectRefusedUnchanged(test.db, () => first.post(`/api/v1/policies/${created.body.id}/withdraw`, {}), 400, 'VALIDATION_FAILED');
    const withdrawn = await first.post(`/api/v1/policies/${created.body.id}/withdraw`, { reason: '省文件推迟执行' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawalReason: '省文件推迟执行', withdrawnAt: expect.any(String) });
    expect((await inForce('2028-02-01')).id).not.toBe(created.body.id);
    const audit = await first.get(`/api/v1/audit?entityType=policy&entityId=${created.body.id}`);
    expect(audit.body.items.at(-1)).toMatchObject({ action: 'policy.withdrawn', data: { reason: '省文件推迟执行', previousStatus: 'approved' } });
    await expectRefusedUnchanged(test.db, () => first.post(`/api/v1/policies/${created.body.id}/withdraw`, { reason: '再次' }), 409, 'INVALID_STATE');
    // A corrected version may take the same date.
    expect((await first.post('/api/v1/policies', version('2028-01-01', '25000'))).status).toBe(201);
    // The list still shows the withdrawn one, marked.
    const listed = (await world.reviewer.get(`/api/v1/policies?regionCode=${REGION}`)).body.items.filter((item: { effectiveFrom: string }) => item.effectiveFrom === '2028-01-01');
    expect(listed.map((item: { status: string }) => item.status).sort()).toEqual(['pending', 'withdrawn']);
  });

  it('a pending version may be withdrawn too; one in force may not (409, add a new version instead)', async () => {
    const pending = await first.post('/api/v1/policies', version('2029-01-01', '30000'));
    expect((await second.post(`/api/v1/policies/${pending.body.id}/withdraw`, { reason: '录入有误' })).body.status).toBe('withdrawn');
    const current = (await inForce('2026-11-22')).id;
    const refused = await expectRefusedUnchanged(test.db, () => first.post(`/api/v1/policies/${current}/withdraw`, { reason: '试图撤回' }), 409, 'INVALID_STATE');
    expect(refused.body.error.message).toContain('add a new version');
    await expectRefusedUnchanged(test.db, () => world.reviewer.post(`/api/v1/policies/${pending.body.id}/withdraw`, { reason: 'x' }), 403, 'FORBIDDEN');
  });
});
