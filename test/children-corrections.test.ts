import { describe, expect, it } from 'vitest';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestWorld } from './support/lifecycle.js';
import { tableCounts, type TestApp } from './support/testApp.js';
import { childBody, OTHER_REGION, referredChild, registerChild, type World } from './support/world.js';

// Corrections to a child's record (api.md, PATCH /children/:id): name and guardian, by a reviewer
// of the child's region or the institution that registered the child and still serves it; each
// change audited as child.updated with old and new values (phones masked); the ID number, the
// certificate and the village never through PATCH.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const patch = (caller: World['reviewer'], id: string, body: unknown) => caller.request('PATCH', `/api/v1/children/${id}`, body);

/** A child institution A registered and holds an approved referral of. */
async function childOfA() {
  const child = await registerChild(world.a, { birthDate: '2021-02-01' });
  const filed = await world.a.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'], institutionId: world.instA.id });
  await world.reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
  return { child, applicationId: filed.body.id as string };
}

describe('PATCH /children/:id', () => {
  it('a reviewer of the region corrects the name and the guardian; each change is audited with old and new values, the phone masked', async () => {
    const child = await registerChild(world.reviewer, { name: '张小民' });
    const response = await patch(world.reviewer, child.id, { name: '张小明', guardian: { name: '张大川', phone: '13912345678' } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: child.id, name: '张小明', idNumber: child.idNumber, guardian: { name: '张大川', relation: 'father', phone: '13912345678' } });
    expect((await world.reviewer.get(`/api/v1/children/${child.id}`)).body.guardian.phone).toBe('13912345678');
    const audit = await world.reviewer.get(`/api/v1/audit?entityType=child&entityId=${child.id}`);
    const updated = audit.body.items.filter((event: { action: string }) => event.action === 'child.updated');
    expect(updated).toHaveLength(1);
    expect(updated[0].data).toEqual({
      changes: {
        name: { old: '张小民', new: '张小明' },
        'guardian.name': { old: '张大山', new: '张大川' },
        'guardian.phone': { old: '138****0000', new: '139****5678' },
      },
    });
    expect(JSON.stringify(audit.body)).not.toContain('13912345678');
  });

  it('sending what the record already holds changes nothing and writes no audit row', async () => {
    const child = await registerChild(world.reviewer);
    const before = await tableCounts(test.db);
    const response = await patch(world.reviewer, child.id, { name: '张小明', guardian: { relation: 'father' } });
    expect(response.status).toBe(200);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it.each([
    ['the ID number', { idNumber: '511702202003150029' }, 'never changes'],
    ['the certificate', { certificateNo: '51170220200315002922' }, 'PUT /children/:id/certificate'],
    ['the village', { village: '朝阳村' }, 'PUT /children/:id/village'],
    ['the category', { category: 'speech' }, 'category'],
    ['nothing at all', {}, 'send the name'],
    ['an empty name', { name: ' ' }, 'name'],
    ['a phone of letters', { guardian: { phone: 'call me' } }, 'phone'],
  ])('refuses %s with 400 naming what to do, changing nothing', async (_what, body, said) => {
    const child = await registerChild(world.reviewer);
    const refused = await expectRefusedUnchanged(test.db, () => patch(world.reviewer, child.id, body), 400, 'VALIDATION_FAILED');
    expect(refused.body.error.message).toContain(said);
  });

  it('the registering institution corrects a child it still serves; not one it only registered, nor after the child dropped out', async () => {
    const { child, applicationId } = await childOfA();
    expect((await patch(world.a, child.id, { guardian: { phone: '13700000001' } })).status).toBe(200);
    // Registered by A but never referred to it: A sees it and may not correct it.
    const onlyRegistered = await registerChild(world.a);
    const refused = await expectRefusedUnchanged(test.db, () => patch(world.a, onlyRegistered.id, { name: '改名' }), 403, 'FORBIDDEN');
    expect(refused.body.error.message).toContain('still serves');
    // Dropped out: A no longer serves the child.
    await world.a.post(`/api/v1/applications/${applicationId}/dropout`, { date: '2026-06-01', reason: '家长放弃' });
    await expectRefusedUnchanged(test.db, () => patch(world.a, child.id, { name: '改名' }), 403, 'FORBIDDEN');
    // The reviewer still may.
    expect((await patch(world.reviewer, child.id, { name: '改名' })).status).toBe(200);
  });

  it('an institution referred a child someone else registered may not correct it (403); outside scope is 404; finance may never (403)', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    await expectRefusedUnchanged(test.db, () => patch(world.a, child.id, { name: '改名' }), 403, 'FORBIDDEN');
    await expectRefusedUnchanged(test.db, () => patch(world.b, child.id, { name: '改名' }), 404, 'NOT_FOUND');
    await expectRefusedUnchanged(test.db, () => patch(world.otherReviewer, child.id, { name: '改名' }), 404, 'NOT_FOUND');
    await expectRefusedUnchanged(test.db, () => patch(world.finance, child.id, { name: '改名' }), 403, 'FORBIDDEN');
    const other = await registerChild(world.otherReviewer, { regionCode: OTHER_REGION });
    await expectRefusedUnchanged(test.db, () => patch(world.reviewer, other.id, { name: '改名' }), 404, 'NOT_FOUND');
  });

  it('a bad body is 400 before the child is looked up', async () => {
    const body = childBody();
    expect((await patch(world.reviewer, '0190f000-0000-7000-8000-000000000000', { name: '某' })).status).toBe(404);
    expect((await patch(world.reviewer, '0190f000-0000-7000-8000-000000000000', { idNumber: body.idNumber })).status).toBe(400);
  });
});
