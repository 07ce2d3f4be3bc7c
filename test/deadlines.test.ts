import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submit, trainingClaim } from './support/claims.js';
import { createTestApp, tableCounts, type TestApp } from './support/testApp.js';
import { createWorld, OTHER_REGION, referredChild, registerChild, REGION, type World } from './support/world.js';
import { expectRefusedUnchanged } from './support/expectations.js';

// Review deadlines (domain.md, Review deadlines; api.md, Applications, Claims, Regions and the
// working calendar). The clock starts on Friday 26 September 2025, before the National Day holiday
// (1–8 October; Sunday 28 September and Saturday 11 October worked).

let test: TestApp;
let world: World;
beforeAll(async () => {
  test = await createTestApp();
  test.clock.set('2025-09-26T10:00:00+08:00');
  world = await createWorld(test);
});
afterAll(async () => test?.close());

const at = (iso: string) => test.clock.set(iso);

async function fileApplication(body: Record<string, unknown> = {}, childRegion = REGION) {
  const reviewer = childRegion === REGION ? world.reviewer : world.otherReviewer;
  const child = await registerChild(reviewer, { regionCode: childRegion, birthDate: '2021-02-01' });
  const response = await reviewer.post('/api/v1/applications', {
    childId: child.id,
    year: 2025,
    services: ['training'],
    institutionId: childRegion === REGION ? world.instA.id : world.instC.id,
    ...body,
  });
  if (response.status !== 201) throw new Error(JSON.stringify(response.body));
  return response.body;
}

describe('the working calendar', () => {
  it('GET /calendar/2025 comes from the package: National Day off, make-up Sunday and Saturday worked', async () => {
    const response = await world.reviewer.get('/api/v1/calendar/2025');
    expect(response.status).toBe(200);
    expect(response.body.source).toBe('package');
    expect(response.body.holidays).toEqual(expect.arrayContaining(['2025-10-01', '2025-10-08', '2025-01-28']));
    expect(response.body.workdays).toEqual(expect.arrayContaining(['2025-09-28', '2025-10-11']));
  });

  it('a year nobody knows says weekdays', async () => {
    expect((await world.a.get('/api/v1/calendar/2040')).body).toEqual({ year: 2040, source: 'weekdays', holidays: [], workdays: [] });
  });

  it('an admin records a year; the record wins and moves due dates; the audit says so', async () => {
    // 2040 is unknown: received Friday 28 December 2040 (the clock moves there), five weekdays later is 4 January 2041.
    at('2040-12-28T10:00:00+08:00');
    const before = await fileApplication({ year: 2041 });
    expect(before.dueOn).toBe('2041-01-04');
    const recorded = await world.admin.put('/api/v1/calendar/2041', { holidays: ['2041-01-01', '2041-01-02'], workdays: ['2041-01-05'] });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toEqual({ year: 2041, source: 'recorded', holidays: ['2041-01-01', '2041-01-02'], workdays: ['2041-01-05'] });
    expect((await world.reviewer.get('/api/v1/calendar/2041')).body.source).toBe('recorded');
    // Mon 31 Dec, Thu 3 Jan, Fri 4 Jan, Sat 5 Jan (worked), Mon 7 Jan.
    expect((await world.reviewer.get(`/api/v1/applications/${before.id}`)).body.dueOn).toBe('2041-01-07');
    const audit = await world.admin.get('/api/v1/audit?action=calendar.recorded');
    expect(audit.body.items.at(-1)).toMatchObject({ action: 'calendar.recorded', entityType: 'calendar', data: { year: 2041 } });
    at('2025-09-26T10:00:00+08:00');
  });

  it('a record of a year the package knows wins over the package, and can be recorded again', async () => {
    await world.admin.put('/api/v1/calendar/2030', { holidays: ['2030-10-01'], workdays: [] });
    const again = await world.admin.put('/api/v1/calendar/2030', { holidays: ['2030-10-01', '2030-10-02'], workdays: ['2030-09-29'] });
    expect(again.body.holidays).toEqual(['2030-10-01', '2030-10-02']);
    expect((await world.admin.get('/api/v1/calendar/2030')).body.workdays).toEqual(['2030-09-29']);
  });

  it.each([
    ['a day of another year', { holidays: ['2031-01-01'], workdays: [] }],
    ['a make-up working day on a weekday', { holidays: [], workdays: ['2032-01-07'] }],
    ['a day both holiday and working day', { holidays: ['2032-01-10'], workdays: ['2032-01-10'] }],
    ['a day twice', { holidays: ['2032-01-01', '2032-01-01'], workdays: [] }],
    ['not a date', { holidays: ['2032-02-30'], workdays: [] }],
    ['a missing list', { holidays: [] }],
  ])('PUT /calendar/2032 with %s → 400, nothing recorded', async (_label, body) => {
    await expectRefusedUnchanged(test.db, () => world.admin.put('/api/v1/calendar/2032', body), 400, 'VALIDATION_FAILED');
  });

  it('only an admin records a calendar', async () => {
    expect((await world.reviewer.put('/api/v1/calendar/2033', { holidays: [], workdays: [] })).status).toBe(403);
  });
});

describe('due dates of applications', () => {
  it('received 2025-09-26, due 2025-10-10 (5 working days across National Day), overdue while pending after it', async () => {
    const application = await fileApplication({ receivedOn: '2025-09-26' });
    expect(application).toMatchObject({ receivedOn: '2025-09-26', dueOn: '2025-10-10', overdue: false, decidedOn: null, decidedInTime: null });
    at('2025-10-10T17:00:00+08:00');
    expect((await world.reviewer.get(`/api/v1/applications/${application.id}`)).body.overdue).toBe(false);
    at('2025-10-11T09:00:00+08:00');
    expect((await world.reviewer.get(`/api/v1/applications/${application.id}`)).body.overdue).toBe(true);
    at('2025-10-13T09:00:00+08:00');
    const approved = await world.reviewer.post(`/api/v1/applications/${application.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'approved', dueOn: '2025-10-10', overdue: false, decidedOn: '2025-10-13', decidedInTime: false });
    at('2025-09-26T10:00:00+08:00');
  });

  it('receivedOn defaults to today (China time) and may be earlier; a later day → 400, nothing filed', async () => {
    at('2025-09-25T17:00:00Z'); // 01:00 on 26 September in China
    expect((await fileApplication()).receivedOn).toBe('2025-09-26');
    const earlier = await fileApplication({ receivedOn: '2025-09-01' });
    expect([earlier.receivedOn, earlier.dueOn]).toEqual(['2025-09-01', '2025-09-08']);
    const child = await registerChild(world.reviewer, { birthDate: '2021-02-01' });
    const before = await tableCounts(test.db);
    const later = await world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2025, services: ['training'], receivedOn: '2025-09-27' });
    expect([later.status, later.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const bad = await world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2025, services: ['training'], receivedOn: '26/09/2025' });
    expect(bad.status).toBe(400);
    expect(await tableCounts(test.db)).toEqual(before);
    at('2025-09-26T10:00:00+08:00');
  });

  it('a rejection on the due date is in time', async () => {
    const application = await fileApplication({ receivedOn: '2025-09-26' });
    at('2025-10-10T16:00:00+08:00');
    const rejected = await world.reviewer.post(`/api/v1/applications/${application.id}/reject`, { reason: '材料不全' });
    expect(rejected.body).toMatchObject({ decidedOn: '2025-10-10', decidedInTime: true, overdue: false });
    at('2025-09-26T10:00:00+08:00');
  });
});

describe('a region sets its own number of working days', () => {
  it('511781 with 3 working days: received 2025-09-26 → due 2025-09-30; 511702 keeps 5', async () => {
    const defaults = await world.otherReviewer.get(`/api/v1/regions/${OTHER_REGION}/settings`);
    expect(defaults.body).toEqual({
      regionCode: OTHER_REGION,
      reviewWorkingDays: 5,
      reviewWorkingDaysIsDefault: true,
      supervisionPhone: null,
      requiredEvidence: {},
      authorities: { disabledPersonsFederation: null, civilAffairs: null, finance: null },
      // The protection programme's settings (protection.md §4), at their defaults.
      townshipCheckWorkingDays: 5,
      protectionNoticeWorkingDays: 5,
      countyReviewWorkingDays: 5,
      protectionNoNoticeCategories: ['orphan', 'de_facto_unsupported', 'severe_illness_disability', 'guardianship_lacking'],
      protectionCoverFrom: 'next_month',
      // Visits and mandatory reports (protection.md §9), at their defaults.
      visitCadenceMonths: { orphan_scattered: 1, orphan_institution: 3, de_facto_unsupported: 1, guardianship_lacking: 1, severe_illness_disability: 3, extreme_poverty: 3, poor_family: 3, temporary: 3 },
      reportAcknowledgeHours: 2,
      updatedAt: null,
    });
    const set = await world.admin.put(`/api/v1/regions/${OTHER_REGION}/settings`, { reviewWorkingDays: 3 });
    expect(set.body).toMatchObject({ reviewWorkingDays: 3, reviewWorkingDaysIsDefault: false, supervisionPhone: null });
    // The phone alone leaves the working days as they are.
    const phone = await world.admin.put(`/api/v1/regions/${OTHER_REGION}/settings`, { supervisionPhone: '0818-2123456' });
    expect(phone.body).toMatchObject({ reviewWorkingDays: 3, supervisionPhone: '0818-2123456' });
    const there = await fileApplication({ receivedOn: '2025-09-26' }, OTHER_REGION);
    // Sun 28 Sep (worked), Mon 29, Tue 30.
    expect(there.dueOn).toBe('2025-09-30');
    const here = await fileApplication({ receivedOn: '2025-09-26' });
    expect(here.dueOn).toBe('2025-10-10');
    const audit = await world.admin.get('/api/v1/audit?action=region.settings_changed');
    expect(audit.body.items.at(-1)).toMatchObject({ entityType: 'region', data: { before: { reviewWorkingDays: 3, supervisionPhone: null }, after: { reviewWorkingDays: 3, supervisionPhone: '081*****3456' } } });
    // Back to the default.
    const reset = await world.admin.put(`/api/v1/regions/${OTHER_REGION}/settings`, { reviewWorkingDays: null });
    expect(reset.body).toMatchObject({ reviewWorkingDays: 5, reviewWorkingDaysIsDefault: true, supervisionPhone: '0818-2123456' });
  });

  it('region staff read their own settings only; bad values → 400 and nothing changes', async () => {
    expect((await world.reviewer.get(`/api/v1/regions/${REGION}/settings`)).status).toBe(200);
    expect((await world.finance.get(`/api/v1/regions/${REGION}/settings`)).status).toBe(200);
    expect((await world.reviewer.get(`/api/v1/regions/${OTHER_REGION}/settings`)).status).toBe(404);
    expect((await world.a.get(`/api/v1/regions/${REGION}/settings`)).status).toBe(403);
    const before = await tableCounts(test.db);
    for (const body of [{ reviewWorkingDays: 0 }, { reviewWorkingDays: 61 }, { reviewWorkingDays: 2.5 }, { reviewWorkingDays: '5' }, { supervisionPhone: '电话' }, { colour: 'red' }]) {
      const response = await world.admin.put(`/api/v1/regions/${REGION}/settings`, body);
      expect([response.status, response.body.error.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    // A path that names no region answers 404, as every malformed id in a path does.
    expect((await world.admin.put('/api/v1/regions/51170/settings', { reviewWorkingDays: 5 })).status).toBe(404);
    expect(await tableCounts(test.db)).toEqual(before);
  });
});

describe('due dates of claims and the review queue', () => {
  it('a claim is due 5 working days after its submission, and again after a resubmission', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], year: 2025 });
    at('2025-09-26T10:00:00+08:00');
    const claim = await world.a.post('/api/v1/claims', trainingClaim(child.id, '2025-08', '2025-08', '1700.00'));
    expect(claim.body).toMatchObject({ status: 'submitted', receivedOn: '2025-09-26', dueOn: '2025-10-10', overdue: false, decidedOn: null, decidedInTime: null });
    at('2025-10-09T10:00:00+08:00');
    const returned = await world.reviewer.post(`/api/v1/claims/${claim.body.id}/return`, { reason: '缺少签字' });
    expect(returned.body).toMatchObject({ status: 'returned', decidedOn: '2025-10-09', decidedInTime: true, overdue: false });
    at('2025-10-10T10:00:00+08:00');
    const resubmitted = await world.a.put(`/api/v1/claims/${claim.body.id}`, trainingClaim(child.id, '2025-08', '2025-08', '1700.00', { externalRef: claim.body.externalRef }));
    // Fri 10 Oct → Sat 11 (worked), Mon 13, Tue 14, Wed 15, Thu 16.
    expect(resubmitted.body).toMatchObject({ status: 'submitted', receivedOn: '2025-10-10', dueOn: '2025-10-16', decidedOn: null });
    at('2025-10-17T10:00:00+08:00');
    expect((await world.reviewer.get(`/api/v1/claims/${claim.body.id}`)).body.overdue).toBe(true);
    const approved = await world.reviewer.post(`/api/v1/claims/${claim.body.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'approved', decidedOn: '2025-10-17', decidedInTime: false, overdue: false });
    at('2025-09-26T10:00:00+08:00');
  });

  it('GET /claims?status=submitted lists by due date (a resubmitted claim behind the older ones); overdue=true filters; pages keep the order', async () => {
    const other = await createWorld(test);
    const { child } = await referredChild(other, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], year: 2025, institutionId: other.instA.id, reviewer: other.reviewer });
    const submitOn = async (iso: string, month: string) => {
      at(iso);
      return submit(other.a, trainingClaim(child.id, month, month, '1000.00'));
    };
    const early = await submitOn('2025-09-01T10:00:00+08:00', '2025-01');
    const resubmittedLater = await submitOn('2025-09-02T10:00:00+08:00', '2025-02');
    const middle = await submitOn('2025-09-20T10:00:00+08:00', '2025-03');
    const recent = await submitOn('2025-10-09T10:00:00+08:00', '2025-04');
    // The second claim is returned and resubmitted on 9 October: it now counts from then.
    at('2025-10-09T11:00:00+08:00');
    await other.reviewer.post(`/api/v1/claims/${resubmittedLater.id}/return`, { reason: '补充材料' });
    await other.a.put(`/api/v1/claims/${resubmittedLater.id}`, { ...trainingClaim(child.id, '2025-02', '2025-02', '1000.00'), externalRef: resubmittedLater.externalRef });
    at('2025-10-10T10:00:00+08:00');
    const queue = await other.reviewer.get('/api/v1/claims?status=submitted');
    expect(queue.body.items.map((item: { id: string }) => item.id)).toEqual([early.id, middle.id, recent.id, resubmittedLater.id]);
    expect(queue.body.items.map((item: { dueOn: string }) => item.dueOn)).toEqual(['2025-09-08', '2025-09-26', '2025-10-15', '2025-10-15']);
    const overdue = await other.reviewer.get('/api/v1/claims?status=submitted&overdue=true');
    expect(overdue.body.items.map((item: { id: string }) => item.id)).toEqual([early.id, middle.id]);
    expect(overdue.body.items.every((item: { overdue: boolean }) => item.overdue)).toBe(true);
    // overdue=true alone means waiting ones too; the institution's view is the same list.
    expect((await other.a.get('/api/v1/claims?overdue=true')).body.items.map((item: { id: string }) => item.id)).toEqual([early.id, middle.id]);
    // Paging by two keeps the due-date order without repeats.
    const first = await other.reviewer.get('/api/v1/claims?status=submitted&limit=2');
    const second = await other.reviewer.get(`/api/v1/claims?status=submitted&limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items].map((item: { id: string }) => item.id)).toEqual([early.id, middle.id, recent.id, resubmittedLater.id]);
    expect(second.body.nextCursor).toBeNull();
    expect((await other.reviewer.get('/api/v1/claims?status=submitted&cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
    expect((await other.reviewer.get('/api/v1/claims?overdue=yes')).status).toBe(400);
    at('2025-09-26T10:00:00+08:00');
  });

  it('GET /applications?status=pending lists by due date; overdue=true filters by each region’s own working days', async () => {
    const other = await createWorld(test);
    const file = async (receivedOn: string) => {
      const child = await registerChild(other.reviewer, { birthDate: '2021-02-01' });
      return (await other.reviewer.post('/api/v1/applications', { childId: child.id, year: 2025, services: ['training'], institutionId: other.instA.id, receivedOn })).body;
    };
    at('2025-10-10T10:00:00+08:00');
    const third = await file('2025-10-09');
    const first = await file('2025-09-20');
    const second = await file('2025-09-26');
    const pending = await other.reviewer.get('/api/v1/applications?status=pending&limit=500');
    const mine = pending.body.items.filter((item: { id: string }) => [first.id, second.id, third.id].includes(item.id));
    expect(mine.map((item: { id: string }) => item.id)).toEqual([first.id, second.id, third.id]);
    const dueOrder = pending.body.items.map((item: { dueOn: string }) => item.dueOn);
    expect(dueOrder).toEqual([...dueOrder].sort());
    // On 10 October: due 26 Sep and due 10 Oct: only the first is overdue.
    const overdue = await other.reviewer.get('/api/v1/applications?overdue=true&limit=500');
    const overdueIds = overdue.body.items.map((item: { id: string }) => item.id);
    expect(overdueIds).toContain(first.id);
    expect(overdueIds).not.toContain(second.id);
    expect(overdueIds).not.toContain(third.id);
    // With 3 working days in 511702 the one received 26 September (due 30 Sep) is overdue as well.
    await world.admin.put(`/api/v1/regions/${REGION}/settings`, { reviewWorkingDays: 3 });
    const overdueWithThree = (await other.reviewer.get('/api/v1/applications?overdue=true&limit=500')).body.items.map((item: { id: string }) => item.id);
    expect(overdueWithThree).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(overdueWithThree).not.toContain(third.id);
    await world.admin.put(`/api/v1/regions/${REGION}/settings`, { reviewWorkingDays: null });
    at('2025-09-26T10:00:00+08:00');
  });
});
