import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { activeBeneficiary, createCounty, enrolBody } from './support/allowance.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestWorld } from './support/lifecycle.js';
import { type TestApp } from './support/testApp.js';
import { childBody, referredChild, registerChild, type World } from './support/world.js';
import { submit, trainingClaim } from './support/claims.js';

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

  it('a referred child: claims waiting and a referral of this year block the close, each named; once closed, no claim, approval or correction; its ID number may be registered again, and a claim by that number names the new record', async () => {
    const { child, application } = await referredChild(world, { birthDate: '2020-05-05', category: 'hearing', services: ['training'] });
    const waiting = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-01', '1000'));
    const claimWaits = await expectRefusedUnchanged(test.db, () => close(world.reviewer, child.id), 409, 'INVALID_STATE');
    expect(claimWaits.body.error.details).toEqual([{ hint: expect.stringContaining(`未办结的申报（结算申请号 ${waiting.externalRef}）`) }]);
    expect((await world.reviewer.post(`/api/v1/claims/${waiting.id}/reject`, { reason: '身份证号有误' })).status).toBe(200);
    const referralLives = await expectRefusedUnchanged(test.db, () => close(world.reviewer, child.id), 409, 'INVALID_STATE');
    expect(referralLives.body.error.details[0].hint).toContain('2026年度已批准的转介，请先办理中途退出');
    expect((await world.reviewer.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-06-01', reason: '身份证号有误' })).status).toBe(200);
    expect((await close(world.reviewer, child.id)).status).toBe(200);

    // A month before the drop-out, which the referral still covers: refused because the record is closed.
    const claimed = await expectRefusedUnchanged(test.db, () => world.a.post('/api/v1/claims', trainingClaim(child.id, '2026-02', '2026-02', '1000')), 409, 'INVALID_STATE');
    expect(claimed.body.error.details[0].hint).toContain('此儿童档案已注销');
    await expectRefusedUnchanged(test.db, () => world.reviewer.request('PATCH', `/api/v1/children/${child.id}`, { name: '改名' }), 409, 'INVALID_STATE');

    const again = await world.reviewer.post('/api/v1/children', childBody({ idNumber: child.idNumber, birthDate: '2020-05-05' }));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(child.id);
    const byNumber = await world.a.post('/api/v1/claims', { ...trainingClaim(child.id, '2026-02', '2026-02', '1000'), childId: undefined, childIdNumber: child.idNumber });
    expect([byNumber.status, byNumber.body.error.code]).toEqual([422, 'NOT_REFERRED']);
    expect((await world.reviewer.post('/api/v1/children', childBody({ idNumber: child.idNumber, birthDate: '2020-05-05' }))).status).toBe(409);
  });

  it('a claim submitted while its record was being closed is not approved: 409, nothing paid', async () => {
    const { child } = await referredChild(world, { birthDate: '2020-06-06', category: 'hearing', services: ['training'] });
    const claim = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-01', '1000'));
    // The close and the submission crossed: the record is closed with the claim still submitted.
    await test.db.execute(sql`update children set closed_at = now(), closed_reason = '身份证号有误', closed_by_user_id = registered_by_user_id where id = ${child.id}`);
    await expectRefusedUnchanged(test.db, () => world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {}), 409, 'INVALID_STATE');
    expect((await world.reviewer.post(`/api/v1/claims/${claim.id}/reject`, { reason: '档案已注销' })).status).toBe(200);
  });
});

