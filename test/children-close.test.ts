import { describe, expect, it } from 'vitest';
import { activeBeneficiary, createCounty, enrolBody } from './support/allowance.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestWorld } from './support/lifecycle.js';
import { type TestApp } from './support/testApp.js';
import { registerChild, type World } from './support/world.js';

// Closing a child's record (api.md, Children): a wrong ID number is a new registration and the old
// record is closed by a reviewer, audited as child.closed; a closed record takes no new
// application or enrolment. It is refused while a programme still works on the record, so that a
// family is never paid on both the closed record and its new registration.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const close = (caller: World['reviewer'], id: string, reason = '身份证号登记错误，已按正确号码重新登记') => caller.post(`/api/v1/children/${id}/close`, { reason });

describe('POST /children/:id/close', () => {
  it('a reviewer closes a record: it says when and why, the audit names the reviewer with the ID number masked, and nothing new starts on it', async () => {
    const child = await registerChild(world.reviewer);
    const closed = await close(world.reviewer, child.id);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id: child.id, closedReason: '身份证号登记错误，已按正确号码重新登记', closedAt: expect.any(String) });
    expect((await world.reviewer.get(`/api/v1/children/${child.id}`)).body.closedAt).toBe(closed.body.closedAt);

    const audit = (await world.reviewer.get(`/api/v1/audit?entityType=child&entityId=${child.id}`)).body.items;
    const row = audit.find((event: { action: string }) => event.action === 'child.closed');
    expect(row.data).toEqual({ reason: '身份证号登记错误，已按正确号码重新登记', idNumberMasked: expect.stringMatching(/^\d{6}\*+\w{4}$/) });
    expect(JSON.stringify(audit)).not.toContain(child.idNumber);

    const application = await expectRefusedUnchanged(
      test.db,
      () => world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'], institutionId: world.instA.id }),
      409,
      'INVALID_STATE',
    );
    expect(application.body.error.message).toContain('closed');
    await expectRefusedUnchanged(test.db, () => close(world.reviewer, child.id), 409, 'INVALID_STATE');
  });

  it('a closed record takes no care allowance enrolment', async () => {
    const county = await createCounty(test);
    const { child } = await activeBeneficiary(county, { approve: false }).then(async (pending) => {
      await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${pending.id}/reject`, { reason: '材料不全' });
      return pending;
    });
    expect((await close(county.reviewer, child.id)).status).toBe(200);
    await expectRefusedUnchanged(test.db, () => county.reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(child.id)), 409, 'INVALID_STATE');
  });

  it('is refused, naming what to finish first, while an application is pending or a care allowance record is live', async () => {
    const child = await registerChild(world.reviewer);
    const filed = await world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'], institutionId: world.instA.id });
    const pending = await expectRefusedUnchanged(test.db, () => close(world.reviewer, child.id), 409, 'INVALID_STATE');
    expect(pending.body.error.message).toContain(filed.body.id);
    await world.reviewer.post(`/api/v1/applications/${filed.body.id}/reject`, { reason: '不符合条件' });
    expect((await close(world.reviewer, child.id)).status).toBe(200);

    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county);
    const live = await expectRefusedUnchanged(test.db, () => close(county.reviewer, beneficiary.child.id), 409, 'INVALID_STATE');
    expect(live.body.error.message).toContain(beneficiary.id);
    expect((await county.reviewer.get(`/api/v1/children/${beneficiary.child.id}`)).body.closedAt).toBeNull();
  });

  it('only a reviewer of the child’s region closes; a reason is required', async () => {
    const child = await registerChild(world.reviewer);
    await expectRefusedUnchanged(test.db, () => close(world.a, child.id), 403, 'FORBIDDEN');
    await expectRefusedUnchanged(test.db, () => close(world.civilAffairs, child.id), 403, 'FORBIDDEN');
    await expectRefusedUnchanged(test.db, () => close(world.otherReviewer, child.id), 404, 'NOT_FOUND');
    await expectRefusedUnchanged(test.db, () => close(world.reviewer, child.id, ' '), 400, 'VALIDATION_FAILED');
    expect((await world.reviewer.get(`/api/v1/children/${child.id}`)).body.closedAt).toBeNull();
  });
});
