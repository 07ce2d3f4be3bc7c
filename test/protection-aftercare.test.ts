import { describe, expect, it } from 'vitest';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestApp } from './support/lifecycle.js';
import { auditRows, caseBody, createProtectionCounty, expectOk, receiveCase, townshipChild, type ProtectionCounty, unsupported } from './support/protection.js';
import type { TestApp } from './support/testApp.js';

// A recognised case's life (protection.md §4.5, §5): worked example 3 (age 18 and the studying
// extension, as far as payments (§8) are not needed), exits, categories and living arrangement
// from a month on, verification, holds, and age counted on the day of receipt.

let test: TestApp;
let county: ProtectionCounty;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);

/** A case received, checked and recognised by civil affairs on the days given. */
async function recognisedCase(options: { birthDate: string; receivedOn: string; recognisedOn: string; body?: Record<string, unknown>; recognise?: Record<string, unknown> }) {
  at(options.receivedOn);
  county ??= await createProtectionCounty(test);
  const child = await townshipChild(county, { birthDate: options.birthDate });
  const received = await receiveCase(county, caseBody(child.id, { ...unsupported, ...options.body }));
  await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
  at(options.recognisedOn);
  const recognised = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, { livingArrangement: 'scattered', ...options.recognise }), 'recognise');
  return { child, kase: recognised };
}

const statusOf = async (id: string) => (await county.civilAffairs.get(`/api/v1/protection/cases/${id}`)).body;
const idsWithStatus = async (status: string) => ((await county.civilAffairs.get(`/api/v1/protection/cases?status=${status}&limit=500`)).body.items as { id: string }[]).map((item) => item.id);

describe('worked example 3: age 18 and the studying extension', () => {
  it('born 2008-03-15, 事实无人抚养, scattered, coverFrom 2025-07: lastMonth 2026-03, ended from April 2026; studying recorded 2026-05-06 (职高 to 2027-06) makes it recognised again with lastMonth 2027-06', async () => {
    const { kase } = await recognisedCase({ birthDate: '2008-03-15', receivedOn: '2025-06-02', recognisedOn: '2025-06-10' });
    expect(kase.recognition).toMatchObject({ coverFrom: '2025-07', lastMonth: '2026-03', livingArrangement: 'scattered', categories: ['de_facto_unsupported'] });

    at('2026-03-31');
    expect((await statusOf(kase.id)).status).toBe('recognised');
    at('2026-04-01');
    expect((await statusOf(kase.id)).status).toBe('ended');
    expect(await idsWithStatus('ended')).toContain(kase.id);
    expect(await idsWithStatus('recognised')).not.toContain(kase.id);
    // Deriving `ended` wrote nothing: no audit row.
    const audit = await auditRows(test.db, { entityType: 'case', entityId: kase.id });
    expect(audit.map((row) => row.action)).toEqual(['case.received', 'case.checked', 'case.sent_to_county', 'case.recognised']);

    at('2026-05-06');
    const studying = await expectOk(county.township.post(`/api/v1/protection/cases/${kase.id}/studying`, { school: '达州市职业高级中学', stage: 'vocational_high_school', expectedGraduation: '2027-06' }), 'studying');
    expect(studying).toMatchObject({ status: 'recognised', studying: { school: '达州市职业高级中学', stage: 'vocational_high_school', expectedGraduation: '2027-06', recordedOn: '2026-05-06' }, recognition: { lastMonth: '2027-06' } });
    at('2027-06-30');
    expect((await statusOf(kase.id)).status).toBe('recognised');
    at('2027-07-01');
    expect((await statusOf(kase.id)).status).toBe('ended');
  });

  it('age counts on the day of receipt: 18 then is refused (422 INELIGIBLE_AGE); received at 17 with a review past the birthday is recognised and ends with that month', async () => {
    at('2025-06-02');
    county ??= await createProtectionCounty(test);
    const eighteen = await townshipChild(county, { birthDate: '2007-06-02' });
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/cases', caseBody(eighteen.id, unsupported)), 422, 'INELIGIBLE_AGE');
    const { kase } = await recognisedCase({ birthDate: '2007-06-03', receivedOn: '2025-06-02', recognisedOn: '2025-06-09', recognise: {} });
    expect(kase).toMatchObject({ status: 'recognised', recognition: { coverFrom: '2025-07', lastMonth: '2025-06' } });
    at('2025-07-01');
    expect((await statusOf(kase.id)).status).toBe('ended');
  });
});

describe('exits', () => {
  it('adopted on 2026-02-10: exited from 2026-03 (the month after the event) by default; a second exit is 409; an event in the future is 400', async () => {
    const { kase } = await recognisedCase({ birthDate: '2015-05-05', receivedOn: '2025-11-03', recognisedOn: '2025-11-10' });
    at('2026-03-12');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/exit`, { reason: 'adopted', eventOn: '2026-03-13' }), 400, 'VALIDATION_FAILED');
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/cases/${kase.id}/exit`, { reason: 'adopted', eventOn: '2026-02-10' }), 403, 'FORBIDDEN');
    const exited = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/exit`, { reason: 'adopted', eventOn: '2026-02-10', note: '依法被收养' }), 'exit');
    expect(exited).toMatchObject({ status: 'exited', exit: { reason: 'adopted', eventOn: '2026-02-10', fromMonth: '2026-03', note: '依法被收养', recordedOn: '2026-03-12' } });
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/exit`, { reason: 'other', eventOn: '2026-02-10' }), 409, 'INVALID_STATE');
    // An exited case is final: a new case may be received for the child.
    const again = await county.township.post('/api/v1/protection/cases', caseBody(kase.childId, unsupported));
    expect(again.status).toBe(201);
  });

  it('an exit names its first month not covered when given', async () => {
    const { kase } = await recognisedCase({ birthDate: '2015-05-05', receivedOn: '2025-11-03', recognisedOn: '2025-11-10' });
    at('2026-05-20');
    const exited = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/exit`, { reason: 'parent_released', eventOn: '2026-05-12', fromMonth: '2026-05' }), 'exit');
    expect(exited.exit).toMatchObject({ reason: 'parent_released', fromMonth: '2026-05' });
  });
});

describe('categories and living arrangement from a month on', () => {
  it('a change holds from a month at or after coverFrom (409 before it); granting 事实无人抚养 checks the criteria (422) and adding another category does not', async () => {
    at('2025-11-03');
    county ??= await createProtectionCounty(test);
    const child = await townshipChild(county, { birthDate: '2012-01-01' });
    const kase = await receiveCase(county, caseBody(child.id, { categories: ['poor_family', 'temporary'], bankAccount: null, parents: { father: [{ situation: 'able', since: '2010-01-01', until: null }], mother: [] } }));
    const posted = await expectOk(county.township.post(`/api/v1/protection/cases/${kase.id}/check`, { decision: 'agree' }), 'check');
    expect(posted.status).toBe('notice');
    at('2025-11-12');
    await expectOk(county.township.post(`/api/v1/protection/notices/${posted.notices[0].noticeId}/close`), 'close');
    await expectOk(county.humanResources.post(`/api/v1/protection/cases/${kase.id}/reviews`, { decision: 'approve' }), 'hr');
    const recognised = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/recognise`, { categories: ['poor_family'] }), 'recognise');
    expect(recognised.recognition).toMatchObject({ categories: ['poor_family'], coverFrom: '2025-12' });
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/categories`, { categories: ['poor_family', 'temporary'], fromMonth: '2025-11' }), 409, 'INVALID_STATE');
    const failed = await expectRefusedUnchanged(
      test.db,
      () => county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/categories`, { categories: ['poor_family', 'de_facto_unsupported'], fromMonth: '2026-01' }),
      422,
      'CRITERIA_NOT_MET',
    );
    expect(failed.body.error.details.map((detail: { rule: string; parent: string }) => [detail.rule, detail.parent])).toEqual([
      ['no_qualifying_situation', 'father'],
      ['no_qualifying_situation', 'mother'],
    ]);
    const changed = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/categories`, { categories: ['poor_family', 'temporary'], fromMonth: '2026-01' }), 'categories');
    expect(changed.recognition.categoryHistory).toEqual([
      { fromMonth: '2025-12', categories: ['poor_family'] },
      { fromMonth: '2026-01', categories: ['poor_family', 'temporary'] },
    ]);
    expect(changed.recognition.categories).toEqual(['poor_family']);
    at('2026-01-05');
    expect((await statusOf(kase.id)).recognition.categories).toEqual(['poor_family', 'temporary']);
    const moved = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/living-arrangement`, { livingArrangement: 'institution', fromMonth: '2026-02' }), 'living');
    expect(moved.recognition.livingArrangementHistory).toEqual([
      { fromMonth: '2025-12', livingArrangement: 'scattered' },
      { fromMonth: '2026-02', livingArrangement: 'institution' },
    ]);
  });
});

describe('verification and holds', () => {
  it('a verification older than twelve months holds the case for review; verifying ends it; a manual hold and its release', async () => {
    const { kase } = await recognisedCase({ birthDate: '2014-01-01', receivedOn: '2025-11-03', recognisedOn: '2025-11-10' });
    expect(kase.lastVerifiedOn).toBe('2025-11-10');
    at('2026-11-30');
    expect((await statusOf(kase.id)).holds).toEqual([]);
    at('2026-12-01');
    expect((await statusOf(kase.id)).holds).toEqual([{ reason: 'review_overdue', note: null, since: null }]);
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/verify`, { on: '2026-12-02' }), 400, 'VALIDATION_FAILED');
    const verified = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/verify`, { on: '2026-12-01' }), 'verify');
    expect(verified).toMatchObject({ lastVerifiedOn: '2026-12-01', holds: [] });
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/release`), 409, 'INVALID_STATE');
    const held = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/hold`, { reason: '待核实监护情况' }), 'hold');
    expect(held.holds).toEqual([{ reason: 'manual', note: '待核实监护情况', since: expect.any(String) }]);
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/hold`, { reason: '再次' }), 409, 'INVALID_STATE');
    expect((await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/release`), 'release')).holds).toEqual([]);
  });

  it('schooling, holds and changes apply to a recognised case only (409 otherwise)', async () => {
    at('2025-11-20');
    county ??= await createProtectionCounty(test);
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id, unsupported));
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/cases/${received.id}/studying`, { school: '某中学', stage: 'high_school', expectedGraduation: '2030-06' }), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/hold`, { reason: 'x' }), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/categories`, { categories: ['orphan'], fromMonth: '2026-01' }), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/bank-account/confirm`), 409, 'INVALID_STATE');
  });
});
