import { describe, expect, it } from 'vitest';
import { pdfText } from '../src/testing/pdfTools.js';
import { submitAndApprove, trainingClaim } from './support/claims.js';
import { withTestWorld } from './support/lifecycle.js';
import { type TestApp } from './support/testApp.js';
import { createUser, OTHER_REGION, referredChild, type World } from './support/world.js';

// Issue 27, point 8: every document names the office that issues it, from the region's settings
// (the region itself where the admin named none); the batch statement's cut-off is 批准日期截至.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

describe('the region’s offices', () => {
  it('the admin names the county’s 残联, 民政局 and 财政局; each may be changed or removed alone; too short a name is refused', async () => {
    const set = await world.admin.put('/api/v1/regions/511702/settings', {
      authorities: { disabledPersonsFederation: '达州市通川区残疾人联合会', civilAffairs: '达州市通川区民政局', finance: '达州市通川区财政局' },
    });
    expect(set.body.authorities).toEqual({ disabledPersonsFederation: '达州市通川区残疾人联合会', civilAffairs: '达州市通川区民政局', finance: '达州市通川区财政局' });
    const changed = await world.admin.put('/api/v1/regions/511702/settings', { authorities: { civilAffairs: null } });
    expect(changed.body.authorities).toEqual({ disabledPersonsFederation: '达州市通川区残疾人联合会', civilAffairs: null, finance: '达州市通川区财政局' });
    expect((await world.admin.put('/api/v1/regions/511702/settings', { authorities: { finance: '局' } })).status).toBe(400);
    expect((await world.reviewer.get('/api/v1/regions/511702/settings')).body.authorities.finance).toBe('达州市通川区财政局');
  });
});

describe('documents name their issuer', () => {
  it('the batch statement: 出具单位 and the finance bureau from the settings, the paying region by name, 批准日期截至', async () => {
    await world.admin.put('/api/v1/regions/511702/settings', { authorities: { disabledPersonsFederation: '达州市通川区残疾人联合会', finance: '达州市通川区财政局' } });
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    await submitAndApprove(world.a, world.reviewer, trainingClaim(child.id, '2026-01', '2026-01', '1000'));
    const batch = (await world.reviewer.post('/api/v1/batches', { institutionId: world.instA.id, approvedThrough: '2026-11-22' })).body.batches[0];
    // Another reviewer of the region issues what one built (security.md §2).
    expect((await world.reviewer2.post(`/api/v1/batches/${batch.id}/issue`, {})).status).toBe(200);
    const text = pdfText((await world.reviewer.get(`/api/v1/batches/${batch.id}/pdf`)).rawPayload).replace(/\s+/g, '');
    for (const expected of ['出具单位：达州市通川区残疾人联合会', '付款地区：四川省达州市通川区（511702）', '批准日期截至：2026-11-22', '财政部门（达州市通川区财政局）盖章']) expect(text, expected).toContain(expected);
    expect(text).not.toContain('审核截止日期');
  });

  it('a region that named no office: the document names the region, not an office that may be wrong', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], reviewer: world.otherReviewer, regionCode: OTHER_REGION, institutionId: world.instC.id });
    await submitAndApprove(world.c, world.otherReviewer, trainingClaim(child.id, '2026-02', '2026-02', '1000'));
    const batch = (await world.otherReviewer.post('/api/v1/batches', {})).body.batches[0];
    const secondReviewer = await createUser(world.admin, { name: '万审核', role: 'reviewer', regionCode: OTHER_REGION, username: 'documents.reviewer2' });
    expect((await secondReviewer.client.post(`/api/v1/batches/${batch.id}/issue`, {})).status).toBe(200);
    const text = pdfText((await world.otherReviewer.get(`/api/v1/batches/${batch.id}/pdf`)).rawPayload).replace(/\s+/g, '');
    expect(text).toContain('出具单位：万源市（511781）');
    expect(text).toContain('财政部门（万源市（511781））盖章');
  });
});
