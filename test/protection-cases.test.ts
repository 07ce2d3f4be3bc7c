import { describe, expect, it } from 'vitest';
import { withTestApp } from './support/lifecycle.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { caseBody, createProtectionCounty, expectOk, receiveCase, townshipChild, type ProtectionCounty } from './support/protection.js';
import { idNumber, type TestApp } from './support/testApp.js';

// Worked example 1 of protection.md §13: deadlines across 国庆 (2025: Sunday 09-28 and Saturday
// 10-11 worked, 10-01 … 10-08 off), the village notice, the county review by three routes, and
// recognition a day late.

let test: TestApp;
let county: ProtectionCounty;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);

describe('worked example 1: deadlines across 国庆', () => {
  it('received Fri 2025-09-26 due 10-10; notice 10-09 to 10-14, close due 10-15; close on 10-14 refused, on 10-15 to the county due 10-22; three routes; recognised 10-23 late; coverFrom 2025-11', async () => {
    at('2025-09-20');
    county = await createProtectionCounty(test);
    const child = await townshipChild(county, { birthDate: '2014-06-01' });
    at('2025-09-26');
    const received = await receiveCase(
      county,
      caseBody(child.id, { receivedOn: '2025-09-26', categories: ['poor_family', 'severe_illness_disability'], severeBasis: 'disability', bankAccount: null, parents: { father: [], mother: [] } }),
    );
    expect(received).toMatchObject({ status: 'received', dueOn: '2025-10-10', step: 'township_check', number: expect.stringMatching(/^511702-KJ-2025-\d{4}$/) });

    at('2025-10-09');
    const checked = await county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree', noticeFrom: '2025-10-09' });
    expect(checked.status, JSON.stringify(checked.body)).toBe(200);
    expect(checked.body).toMatchObject({ status: 'notice', dueOn: '2025-10-15', step: 'notice' });
    expect(checked.body.checks[0]).toMatchObject({ receivedOn: '2025-09-26', dueOn: '2025-10-10', decidedOn: '2025-10-09', decidedInTime: true, decision: 'agree' });
    const noticeId = checked.body.notices[0].noticeId;
    const notice = await county.township.get(`/api/v1/protection/notices/${noticeId}`);
    expect(notice.body).toMatchObject({ noticeFrom: '2025-10-09', noticeTo: '2025-10-14', closeDueOn: '2025-10-15', status: 'open', caseIds: [received.id] });

    at('2025-10-14');
    const early = await county.township.post(`/api/v1/protection/notices/${noticeId}/close`);
    expect([early.status, early.body.error.code]).toEqual([409, 'NOTICE_PERIOD_NOT_OVER']);

    at('2025-10-15');
    const closed = await county.township.post(`/api/v1/protection/notices/${noticeId}/close`);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedOn: '2025-10-15' });
    const inReview = (await county.civilAffairs.get(`/api/v1/protection/cases/${received.id}`)).body;
    expect(inReview).toMatchObject({ status: 'county_review', countyReceivedOn: '2025-10-15', dueOn: '2025-10-22' });
    expect(inReview.reviews.map((review: { route: string }) => review.route)).toEqual(['civil_affairs', 'reviewer', 'human_resources']);

    at('2025-10-17');
    expect((await county.reviewer.post(`/api/v1/protection/cases/${received.id}/reviews`, { decision: 'approve' })).status).toBe(200);
    at('2025-10-22');
    expect((await county.humanResources.post(`/api/v1/protection/cases/${received.id}/reviews`, { decision: 'approve' })).status).toBe(200);
    at('2025-10-23');
    const recognised = await county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, {});
    expect(recognised.status, JSON.stringify(recognised.body)).toBe(200);
    expect(recognised.body).toMatchObject({ status: 'recognised', recognition: { recognisedOn: '2025-10-23', coverFrom: '2025-11', categories: ['poor_family', 'severe_illness_disability'] } });
    const reviews = Object.fromEntries(recognised.body.reviews.map((review: { route: string }) => [review.route, review]));
    expect(reviews.reviewer).toMatchObject({ status: 'approved', decidedOn: '2025-10-17', dueOn: '2025-10-22', decidedInTime: true });
    expect(reviews.human_resources).toMatchObject({ status: 'approved', decidedOn: '2025-10-22', decidedInTime: true });
    expect(reviews.civil_affairs).toMatchObject({ status: 'approved', decidedOn: '2025-10-23', decidedInTime: false });
  });
});

describe('receiving (受理)', () => {
  it('numbers cases per region and year of receipt; receivedOn defaults to today; later than today is 400', async () => {
    at('2026-01-05');
    const child = await townshipChild(county);
    const first = await receiveCase(county, caseBody(child.id));
    expect(first).toMatchObject({ receivedOn: '2026-01-05', number: '511702-KJ-2026-0001', status: 'received', step: 'township_check', dueOn: '2026-01-12' });
    const second = await receiveCase(county, caseBody((await townshipChild(county)).id, { receivedOn: '2025-12-31' }));
    expect(second.number).toBe('511702-KJ-2025-0002');
    const third = await townshipChild(county);
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/cases', caseBody(third.id, { receivedOn: '2026-01-06' })), 400, 'VALIDATION_FAILED');
  });

  it('refuses a child without a village (400 naming villageCode), a second live case (409 with its id), and a body without severeBasis for 重病重残 (400) — each writing nothing', async () => {
    at('2026-01-05');
    const villageless = await county.civilAffairs.post('/api/v1/children', { idNumber: idNumber('511702', '2016-02-02'), name: '无村儿童', regionCode: '511702', guardian: { name: '某', relation: 'mother', phone: '13800000000' } });
    expect(villageless.status).toBe(201);
    const noVillage = await expectRefusedUnchanged(test.db, () => county.civilAffairs.post('/api/v1/protection/cases', caseBody(villageless.body.id)), 400, 'VALIDATION_FAILED');
    expect(noVillage.body.error.details).toEqual([{ field: 'villageCode' }]);
    const child = await townshipChild(county);
    const live = await receiveCase(county, caseBody(child.id));
    const twice = await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/cases', caseBody(child.id)), 409, 'ALREADY_EXISTS');
    expect(twice.body.error.details).toEqual([{ id: live.id }]);
    const other = await townshipChild(county);
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/cases', caseBody(other.id, { categories: ['severe_illness_disability'] })), 400, 'VALIDATION_FAILED');
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/cases', caseBody(other.id, { categories: ['poor_family'], severeBasis: 'illness' })), 400, 'VALIDATION_FAILED');
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/cases', caseBody(other.id, { categories: ['poor_family', 'poor_family'] })), 400, 'VALIDATION_FAILED');
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/cases', caseBody(other.id, { parents: { father: [{ situation: 'imprisoned', since: '2025-01-01', until: '2024-01-01' }], mother: [] } })), 400, 'VALIDATION_FAILED');
    // An unknown child, or one of another county, is not found.
    expect((await county.township.post('/api/v1/protection/cases', caseBody('0190f000-0000-7000-8000-000000000000'))).status).toBe(404);
  });

  it('a withdrawn or refused case lets the child apply again', async () => {
    at('2026-01-05');
    const child = await townshipChild(county);
    const first = await receiveCase(county, caseBody(child.id));
    const withdrawn = await expectOk(county.township.post(`/api/v1/protection/cases/${first.id}/withdraw`, { reason: '监护人撤回申请' }), 'withdraw');
    expect(withdrawn).toMatchObject({ status: 'withdrawn', withdrawal: { withdrawnOn: '2026-01-05', reason: '监护人撤回申请' }, dueOn: null, step: null });
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/cases/${first.id}/withdraw`, { reason: '再撤' }), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/cases/${first.id}/check`, { decision: 'agree' }), 409, 'INVALID_STATE');
    expect((await county.township.post('/api/v1/protection/cases', caseBody(child.id))).status).toBe(201);
  });
});

describe('correcting a case (PUT)', () => {
  it('a township while received or returned; civil affairs also in county review but not the categories the routes were fixed from (409); 409 once decided', async () => {
    at('2026-01-05');
    const child = await townshipChild(county);
    const body = caseBody(child.id, { categories: ['orphan'], documents: ['户口簿'] });
    const received = await receiveCase(county, body);
    const corrected = await expectOk(county.township.put(`/api/v1/protection/cases/${received.id}`, { ...body, documents: ['户口簿', '死亡证明'], receivedOn: '2026-01-02' }), 'correct');
    // Friday 2026-01-02 after the New Year holiday: Sunday 01-04 is worked, so due Thursday 01-08.
    expect(corrected).toMatchObject({ documents: ['户口簿', '死亡证明'], receivedOn: '2026-01-02', dueOn: '2026-01-08', checks: [{ receivedOn: '2026-01-02' }] });
    await expectRefusedUnchanged(test.db, () => county.township.put(`/api/v1/protection/cases/${received.id}`, { ...body, childId: (child.id === received.childId ? '0190f000-0000-7000-8000-000000000001' : child.id) }), 400, 'VALIDATION_FAILED');
    await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    await expectRefusedUnchanged(test.db, () => county.township.put(`/api/v1/protection/cases/${received.id}`, body), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.put(`/api/v1/protection/cases/${received.id}`, { ...body, categories: ['orphan', 'poor_family'] }), 409, 'INVALID_STATE');
    const byCounty = await expectOk(county.civilAffairs.put(`/api/v1/protection/cases/${received.id}`, { ...body, leftBehind: true, receivedOn: '2026-01-02' }), 'county corrects');
    expect(byCounty.leftBehind).toBe(true);
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.put(`/api/v1/protection/cases/${received.id}`, { ...body, receivedOn: '2026-01-03' }), 409, 'INVALID_STATE');
  });
});

describe('the notice and objections', () => {
  it('an objection sends the case back to the township (due N working days after it); agreeing again starts a new full notice; noticeFrom before the case’s receipt is 400', async () => {
    at('2026-01-05');
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id, { categories: ['poor_family'], bankAccount: null }));
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree', noticeFrom: '2026-01-04' }), 400, 'VALIDATION_FAILED');
    const posted = await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    const firstNotice = posted.notices[0].noticeId;
    // A second case of the same village agreed the same day joins the same notice.
    const neighbour = await receiveCase(county, caseBody((await townshipChild(county)).id, { categories: ['temporary'] }));
    const joined = await expectOk(county.township.post(`/api/v1/protection/cases/${neighbour.id}/check`, { decision: 'agree' }), 'check');
    expect(joined.notices[0].noticeId).toBe(firstNotice);

    at('2026-01-07');
    const objected = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/objections`, { reason: '群众反映其父已刑满释放' }), 'objection');
    expect(objected).toMatchObject({
      status: 'returned_to_township',
      dueOn: '2026-01-14',
      objections: [{ reason: '群众反映其父已刑满释放', on: '2026-01-07', dueOn: '2026-01-14', decidedOn: null }],
      notices: [{ noticeId: firstNotice, removed: 'objection', decidedOn: '2026-01-07' }],
    });
    expect((await county.township.get(`/api/v1/protection/notices/${firstNotice}`)).body.caseIds).toEqual([neighbour.id]);
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/cases/${received.id}/objections`, { reason: '再次' }), 409, 'INVALID_STATE');

    at('2026-01-08');
    const again = await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check again');
    expect(again.notices.map((notice: { noticeFrom: string; noticeTo: string }) => [notice.noticeFrom, notice.noticeTo])).toEqual([
      ['2026-01-05', '2026-01-09'],
      ['2026-01-08', '2026-01-14'],
    ]);
    expect(again.objections[0]).toMatchObject({ decidedOn: '2026-01-08', decidedInTime: true });
    at('2026-01-10');
    const closed = await expectOk(county.township.post(`/api/v1/protection/notices/${firstNotice}/close`), 'close first');
    expect(closed).toMatchObject({ status: 'closed', caseIds: [neighbour.id] });
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/notices/${firstNotice}/close`), 409, 'INVALID_STATE');
    expect((await county.township.get(`/api/v1/protection/cases/${neighbour.id}`)).body.status).toBe('county_review');
    expect((await county.township.get(`/api/v1/protection/cases/${received.id}`)).body.status).toBe('notice');
    // Another township may not close or read the notice.
    expect((await county.otherTownship.post(`/api/v1/protection/notices/${firstNotice}/close`)).status).toBe(404);
    expect((await county.otherTownship.get(`/api/v1/protection/notices/${firstNotice}/notice.pdf`)).status).toBe(404);
  });
});

describe('the queues', () => {
  it('an open status lists by due date, pages by cursor, and overdue=true keeps those past their due date', async () => {
    at('2026-02-02');
    const other = await createProtectionCounty(test, '517284');
    const ids: string[] = [];
    for (const receivedOn of ['2026-01-30', '2026-01-20', '2026-01-26', '2026-01-21']) {
      const child = await townshipChild(other);
      ids.push((await receiveCase(other, caseBody(child.id, { receivedOn }))).id);
    }
    const first = (await other.township.get('/api/v1/protection/cases?status=received&limit=2')).body;
    const second = (await other.township.get(`/api/v1/protection/cases?status=received&limit=2&cursor=${first.nextCursor}`)).body;
    expect([...first.items, ...second.items].map((item: { receivedOn: string }) => item.receivedOn)).toEqual(['2026-01-20', '2026-01-21', '2026-01-26', '2026-01-30']);
    expect(second.nextCursor).toBeNull();
    // On 2026-02-02: 01-20 due 01-27, 01-21 due 01-28 (overdue); 01-26 due 02-02 (due today), 01-30 due 02-06.
    const overdue = (await other.civilAffairs.get('/api/v1/protection/cases?status=received&overdue=true')).body.items as { receivedOn: string; overdue: boolean }[];
    expect(overdue.map((item) => [item.receivedOn, item.overdue])).toEqual([
      ['2026-01-20', true],
      ['2026-01-21', true],
    ]);
    expect((await other.township.get('/api/v1/protection/cases?pending=true')).status).toBe(400);
    expect((await other.township.get('/api/v1/protection/cases?cursor=nonsense&status=received')).status).toBe(400);
  });
});
