import { describe, expect, it } from 'vitest';
import { pdfFonts, pdfText } from '../src/testing/pdfTools.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestApp } from './support/lifecycle.js';
import { caseBody, createProtectionCounty, expectOk, receiveCase, townshipChild, type ProtectionCounty } from './support/protection.js';
import type { TestApp } from './support/testApp.js';
import { personalAdmins } from './support/world.js';

// The county review (protection.md §4.4), recognition (§4.5) and refusal (§4.6): worked example 2
// (CRITERIA_NOT_MET), routes as data, the order of recognition's refusals, four eyes, the letter.

let test: TestApp;
let county: ProtectionCounty;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);
const unsupportedParents = {
  father: [{ situation: 'imprisoned', since: '2024-03-01', until: '2029-02-28', documents: ['刑事判决书'] }],
  mother: [{ situation: 'missing', since: '2025-05-12', until: null, documents: ['公安机关受案回执'] }],
};

/** A case the township received and agreed; no-notice categories go straight to the county. */
async function inCountyReview(overrides: Record<string, unknown>, options: { receivedOn?: string; birthDate?: string } = {}) {
  const child = await townshipChild(county, { birthDate: options.birthDate ?? '2013-02-02' });
  const received = await receiveCase(county, caseBody(child.id, { receivedOn: options.receivedOn, ...overrides }));
  const checked = await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
  return { child, kase: checked };
}

describe('worked example 2: CRITERIA_NOT_MET for 事实无人抚养', () => {
  it('received Mon 2025-10-13 due 10-20; checked 10-14 without notice, county due 10-21; recognise 10-17 → 422 (missing.minElapsedMonths, mother, required 6, actual 5); refused that day with the reason on the letter; a new case passes on 2025-11-12', async () => {
    at('2025-10-01');
    county = await createProtectionCounty(test);
    const child = await townshipChild(county, { birthDate: '2014-09-09', name: '张小红' });
    at('2025-10-13');
    const received = await receiveCase(county, caseBody(child.id, { receivedOn: '2025-10-13', categories: ['de_facto_unsupported'], parents: unsupportedParents }));
    expect(received.dueOn).toBe('2025-10-20');
    at('2025-10-14');
    const checked = await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    expect(checked).toMatchObject({ status: 'county_review', countyReceivedOn: '2025-10-14', dueOn: '2025-10-21', notices: [] });
    expect(checked.reviews.map((review: { route: string }) => review.route)).toEqual(['civil_affairs']);

    at('2025-10-17');
    const refused = await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, { categories: ['de_facto_unsupported'], livingArrangement: 'scattered' }), 422, 'CRITERIA_NOT_MET');
    expect(refused.body.error.details).toEqual([{ category: 'de_facto_unsupported', rule: 'missing.minElapsedMonths', parent: 'mother', since: '2025-05-12', on: '2025-10-17', required: 6, actual: 5 }]);
    // The case shows today's standing too.
    expect((await county.civilAffairs.get(`/api/v1/protection/cases/${received.id}`)).body.criteria).toMatchObject({ versionId: '00000000-0000-7000-8000-000000000201', on: '2025-10-17', met: [], failed: [{ rule: 'missing.minElapsedMonths', actual: 5 }] });

    const reason = '母亲失联未满6个月（自2025年5月12日公安机关受理报案起算）';
    const refusal = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/refuse`, { reason }), 'refuse');
    expect(refusal).toMatchObject({ status: 'refused', refusal: { refusedOn: '2025-10-17', by: 'civil_affairs', reason } });
    for (const reader of [county.township, county.civilAffairs]) {
      const letter = await reader.get(`/api/v1/protection/cases/${received.id}/refusal-letter.pdf`);
      expect(letter.status).toBe(200);
      expect(letter.headers['content-type']).toBe('application/pdf');
      const text = pdfText(letter.rawPayload).replace(/\s+/g, '');
      for (const expected of ['困境儿童分类认定不予认定告知书', received.number, '张大山', '祖父', '张小红', child.idNumber.slice(0, 6) + '********' + child.idNumber.slice(-4), '2025年10月13日', '事实无人抚养儿童', '达州市通川区民政局', '2025年10月17日', reason, '退回', '行政复议', '60日', '行政诉讼', '6个月', '盖章']) {
        expect(text, expected).toContain(expected);
      }
      expect(text).not.toContain(child.idNumber);
      expect(pdfFonts(letter.rawPayload)).toMatch(/NotoSansSC/);
    }

    // The child may apply again; on 2025-11-11 five full months, on 2025-11-12 six.
    at('2025-11-03');
    const again = await receiveCase(county, caseBody(child.id, { categories: ['de_facto_unsupported'], parents: unsupportedParents }));
    await expectOk(county.township.post(`/api/v1/protection/cases/${again.id}/check`, { decision: 'agree' }), 'check');
    at('2025-11-11');
    const dayBefore = await county.civilAffairs.post(`/api/v1/protection/cases/${again.id}/recognise`, {});
    expect([dayBefore.status, dayBefore.body.error.code, dayBefore.body.error.details[0].actual]).toEqual([422, 'CRITERIA_NOT_MET', 5]);
    at('2025-11-12');
    const recognised = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${again.id}/recognise`, {}), 'recognise');
    expect(recognised).toMatchObject({ status: 'recognised', recognition: { categories: ['de_facto_unsupported'], coverFrom: '2025-12', livingArrangement: 'scattered' } });
  });
});

describe('the county review: routes, refusals and recognition', () => {
  it('a route’s refusal refuses the case at once; pending reviews close; the letter names the office', async () => {
    at('2025-11-20');
    const { kase } = await inCountyReview({ categories: ['severe_illness_disability'], severeBasis: 'both', bankAccount: null, parents: { father: [], mother: [] } });
    expect(kase.reviews.map((review: { route: string }) => review.route)).toEqual(['civil_affairs', 'reviewer', 'health']);
    const refused = await expectOk(county.health.post(`/api/v1/protection/cases/${kase.id}/reviews`, { decision: 'refuse', reason: '未达大病保险起付线' }), 'health refuses');
    expect(refused.status).toBe('refused');
    const reviews = Object.fromEntries(refused.reviews.map((review: { route: string; status: string }) => [review.route, review.status]));
    expect(reviews).toEqual({ civil_affairs: 'closed', reviewer: 'closed', health: 'refused' });
    // Nothing waits any more: the others are refused as for any decided case.
    const late = await county.reviewer.post(`/api/v1/protection/cases/${kase.id}/reviews`, { decision: 'approve' });
    expect([late.status, late.body.error.code]).toEqual([409, 'INVALID_STATE']);
    const text = pdfText((await county.township.get(`/api/v1/protection/cases/${kase.id}/refusal-letter.pdf`)).rawPayload).replace(/\s+/g, '');
    expect(text).toContain('达州市通川区卫生健康局');
    expect(text).toContain('未达大病保险起付线');
  });

  it('a township’s refusal: its letter names the township and its office issues it', async () => {
    at('2025-11-20');
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id, { categories: ['poor_family'], bankAccount: null }));
    const refused = await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'refuse', reason: '家庭人均收入高于低保标准' }), 'refuse');
    expect(refused).toMatchObject({ status: 'refused', refusal: { by: 'township', reason: '家庭人均收入高于低保标准' }, checks: [{ decision: 'refuse', decidedOn: '2025-11-20' }] });
    const text = pdfText((await county.civilAffairs.get(`/api/v1/protection/cases/${received.id}/refusal-letter.pdf`)).rawPayload).replace(/\s+/g, '');
    expect(text).toContain('东城街道办事处（乡镇核查）');
  });

  it('a refusal letter is for a refused case only (409); a department, the reviewer and finance may not download one (403)', async () => {
    at('2025-11-20');
    const { kase } = await inCountyReview({ categories: ['severe_illness_disability'], severeBasis: 'disability', bankAccount: null });
    const early = await county.civilAffairs.get(`/api/v1/protection/cases/${kase.id}/refusal-letter.pdf`);
    expect([early.status, early.body.error.code]).toEqual([409, 'INVALID_STATE']);
    for (const caller of [county.reviewer, county.health, county.finance]) expect((await caller.get(`/api/v1/protection/cases/${kase.id}/refusal-letter.pdf`)).status).toBe(403);
  });

  it('a department decides only a case routed to it (404 otherwise), once (409), and only in county review', async () => {
    at('2025-11-20');
    const { kase } = await inCountyReview({ categories: ['poor_family', 'severe_illness_disability'], severeBasis: 'illness', schoolingSupport: true, bankAccount: null });
    expect(kase.status).toBe('notice');
    // In notice: not yet routed, so out of every department's scope.
    expect((await county.health.post(`/api/v1/protection/cases/${kase.id}/reviews`, { decision: 'approve' })).status).toBe(404);
    at('2025-11-28');
    await expectOk(county.township.post(`/api/v1/protection/notices/${kase.notices[0].noticeId}/close`), 'close');
    const routed = (await county.civilAffairs.get(`/api/v1/protection/cases/${kase.id}`)).body;
    expect(routed.reviews.map((review: { route: string }) => review.route)).toEqual(['civil_affairs', 'health', 'education', 'human_resources']);
    // The 残联 has no route on this case.
    expect((await county.reviewer.post(`/api/v1/protection/cases/${kase.id}/reviews`, { decision: 'approve' })).status).toBe(404);
    expect((await county.reviewer.get(`/api/v1/protection/cases/${kase.id}`)).status).toBe(404);
    await expectOk(county.education.post(`/api/v1/protection/cases/${kase.id}/reviews`, { decision: 'approve' }), 'education');
    await expectRefusedUnchanged(test.db, () => county.education.post(`/api/v1/protection/cases/${kase.id}/reviews`, { decision: 'approve' }), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => county.health.post(`/api/v1/protection/cases/${kase.id}/reviews`, { decision: 'refuse' }), 400, 'VALIDATION_FAILED');
    // A department of another county does not see it.
    const outside = (await (await personalAdmins(test)).createUser({ name: '外县卫健', role: 'department', department: 'health', regionCode: '511781' })).client;
    expect((await outside.get(`/api/v1/protection/cases/${kase.id}`)).status).toBe(404);
    expect((await outside.post(`/api/v1/protection/cases/${kase.id}/reviews`, { decision: 'approve' })).status).toBe(404);
    // The health department’s queue: its pending reviews.
    const queue = (await county.health.get('/api/v1/protection/cases?pending=true')).body.items as { id: string }[];
    expect(queue.map((item) => item.id)).toContain(kase.id);
    const educationQueue = (await county.education.get('/api/v1/protection/cases?pending=true')).body.items as { id: string }[];
    expect(educationQueue.map((item) => item.id)).not.toContain(kase.id);
  });

  it('recognition refuses in order: 400 (a payable case without an account), 409 INVALID_STATE naming the routes not approved, 409 FOUR_EYES_REQUIRED, 422 CRITERIA_NOT_MET — each changing nothing', async () => {
    at('2025-11-20');
    // Received by civil affairs itself on the township's behalf: it may not recognise it alone.
    const child = await townshipChild(county);
    const received = await receiveCase(
      county,
      caseBody(child.id, { categories: ['orphan', 'severe_illness_disability'], severeBasis: 'disability', bankAccount: null, parents: { father: [{ situation: 'dead', since: '2020-01-01', until: null }], mother: [] } }),
      county.civilAffairs,
    );
    await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    const recognise = (body: unknown = {}, by = county.civilAffairs) => () => by.post(`/api/v1/protection/cases/${received.id}/recognise`, body);
    const noAccount = await expectRefusedUnchanged(test.db, recognise(), 400, 'VALIDATION_FAILED');
    expect(noAccount.body.error.details).toEqual([{ field: 'bankAccount' }]);
    const notClaimed = await expectRefusedUnchanged(test.db, recognise({ categories: ['poor_family'] }), 400, 'VALIDATION_FAILED');
    expect(notClaimed.body.error.details).toEqual([{ field: 'categories', category: 'poor_family' }]);
    // Without the orphan category it is not payable: the state decides next, naming the 残联's route.
    const waiting = await expectRefusedUnchanged(test.db, recognise({ categories: ['severe_illness_disability'] }), 409, 'INVALID_STATE');
    expect(waiting.body.error.details).toEqual([{ route: 'reviewer', status: 'pending' }, { hint: '残疾人联合会尚未复核同意，各部门复核同意后才能认定。' }]);
    await expectOk(county.reviewer.post(`/api/v1/protection/cases/${received.id}/reviews`, { decision: 'approve' }), 'reviewer');
    await expectRefusedUnchanged(test.db, recognise({ categories: ['severe_illness_disability'] }), 409, 'FOUR_EYES_REQUIRED');
    // The other civil affairs officer sets the account (pending until confirmed by the first), and recognises.
    await expectOk(county.civilAffairs2.put(`/api/v1/protection/cases/${received.id}/bank-account`, { bank: '四川农信', accountName: '张大山', accountNumber: '6214670000000000808' }), 'account');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs2.post(`/api/v1/protection/cases/${received.id}/bank-account/confirm`), 409, 'FOUR_EYES_REQUIRED');
    const confirmed = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/bank-account/confirm`), 'confirm');
    expect(confirmed.bankAccount).toEqual({ bank: '四川农信', accountName: '张大山', accountNumber: '6214670000000000808' });
    // The one who asked for the account's change may not recognise it either; a third officer does.
    await expectRefusedUnchanged(test.db, recognise({}, county.civilAffairs2), 409, 'FOUR_EYES_REQUIRED');
    const third = (await (await personalAdmins(test)).createUser({ name: '民政丙', role: 'civil_affairs', regionCode: county.regionCode })).client;
    const recognised = await expectOk(third.post(`/api/v1/protection/cases/${received.id}/recognise`, {}), 'recognise');
    expect(recognised).toMatchObject({ status: 'recognised', recognition: { categories: ['orphan', 'severe_illness_disability'] } });
  });

  it('CRITERIA_NOT_MET is answered after the four-eyes check: 特困供养 at 16 names extreme_poverty.underAge', async () => {
    at('2025-11-20');
    const { kase } = await inCountyReview({ categories: ['extreme_poverty'], bankAccount: null }, { birthDate: '2009-11-01' });
    expect(kase.status).toBe('notice');
    at('2025-11-28');
    await expectOk(county.township.post(`/api/v1/protection/notices/${kase.notices[0].noticeId}/close`), 'close');
    const refused = await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/recognise`, {}), 422, 'CRITERIA_NOT_MET');
    expect(refused.body.error.details).toEqual([{ category: 'extreme_poverty', rule: 'extreme_poverty.underAge', on: '2025-11-28', required: 16, actual: 16 }]);
  });

  it('only civil affairs refuses with /refuse and recognises; the reviewer and departments use /reviews (403 otherwise)', async () => {
    at('2025-11-20');
    const { kase } = await inCountyReview({ categories: ['orphan'] });
    for (const caller of [county.township, county.reviewer, county.health]) {
      expect((await caller.post(`/api/v1/protection/cases/${kase.id}/recognise`, {})).status).toBe(403);
      expect((await caller.post(`/api/v1/protection/cases/${kase.id}/refuse`, { reason: 'x' })).status).toBe(403);
    }
    for (const caller of [county.township, county.civilAffairs]) expect((await caller.post(`/api/v1/protection/cases/${kase.id}/reviews`, { decision: 'approve' })).status).toBe(403);
    const other = await createProtectionCounty(test, '517299');
    expect((await other.civilAffairs.post(`/api/v1/protection/cases/${kase.id}/recognise`, {})).status).toBe(404);
    expect((await other.civilAffairs.get(`/api/v1/protection/cases/${kase.id}`)).status).toBe(404);
  });
});
