import { describe, expect, it } from 'vitest';
import { withTestApp } from './support/lifecycle.js';
import { caseBody, createProtectionCounty, receiveCase, townshipChild, type ProtectionCounty } from './support/protection.js';
import type { TestApp } from './support/testApp.js';

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
