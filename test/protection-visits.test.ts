import { describe, expect, it } from 'vitest';
import { pdfText } from '../src/testing/pdfTools.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestApp } from './support/lifecycle.js';
import { auditRows, caseBody, createProtectionCounty, expectOk, receiveCase, townshipChild, type ProtectionCounty } from './support/protection.js';
import { tableCounts, type Client, type TestApp } from './support/testApp.js';
import { personalAdmins } from './support/world.js';

// Visits (走访) and mandatory reports (强制报告), protection.md §9 — with worked example 5's visit part
// (a scattered orphan visited 2026-01-31: nextVisitDue 2026-02-28, visitOverdue from 2026-03-01),
// their statistics (§10), audit rows (§12) and access log (security.md §4).

let test: TestApp;
let county: ProtectionCounty;
let other: ProtectionCounty;
let admin: Client;
let auditor: Client;
withTestApp((made) => (test = made));

const at = (date: string, time = '10:00:00') => test.clock.set(`${date}T${time}+08:00`);
const orphanParents = { father: [{ situation: 'dead', since: '2019-01-01', until: null }], mother: [{ situation: 'dead', since: '2020-01-01', until: null }] };
const allOk = { guardianship: 'ok', living: 'ok', schooling: 'ok', health: 'ok', safety: 'ok' };

/** A case received by a township and recognised by civil affairs today. */
async function recognised(where: ProtectionCounty, options: { categories?: string[]; livingArrangement?: 'scattered' | 'institution'; township?: Client; village?: string; name?: string } = {}) {
  const township = options.township ?? where.township;
  const child = await townshipChild(where, { registrar: township, village: options.village ?? where.village, ...(options.name ? { name: options.name } : {}) });
  const received = await receiveCase(where, caseBody(child.id, { categories: options.categories ?? ['orphan'], parents: orphanParents }), township);
  await expectOk(township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
  const kase = await expectOk(where.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, { livingArrangement: options.livingArrangement ?? 'scattered' }), 'recognise');
  return { child, kase };
}

const visit = (caseId: string, overrides: Record<string, unknown> = {}) => ({ caseId, visitedOn: '2026-01-31', visitor: '王芳', visitorRole: '儿童主任', checks: allOk, note: null, ...overrides });

let a: Awaited<ReturnType<typeof recognised>>;
let institutionOrphan: Awaited<ReturnType<typeof recognised>>;
let twoCategories: Awaited<ReturnType<typeof recognised>>;
let otherTownships: Awaited<ReturnType<typeof recognised>>;
let otherRegions: Awaited<ReturnType<typeof recognised>>;
let dangerReportId: string;

describe('the region settings visitCadenceMonths and reportAcknowledgeHours', () => {
  it('defaults as seeded (orphan scattered 1, institution 3, …; 2 hours); whole months 1–12 and hours 1–72 else 400 with nothing written; a key left out keeps its default; null returns to the default', async () => {
    at('2025-12-01');
    county = await createProtectionCounty(test);
    other = await createProtectionCounty(test, '517286');
    const admins = await personalAdmins(test);
    admin = admins.admin.client;
    auditor = (await admins.createUser({ name: '赵审计', role: 'auditor' })).client;
    const defaults = (await county.township.get('/api/v1/regions/511702/settings')).body;
    expect(defaults.visitCadenceMonths).toEqual({
      orphan_scattered: 1,
      orphan_institution: 3,
      de_facto_unsupported: 1,
      guardianship_lacking: 1,
      severe_illness_disability: 3,
      extreme_poverty: 3,
      poor_family: 3,
      temporary: 3,
    });
    expect(defaults.reportAcknowledgeHours).toBe(2);
    for (const body of [
      { visitCadenceMonths: { orphan_scattered: 0 } },
      { visitCadenceMonths: { poor_family: 13 } },
      { visitCadenceMonths: { temporary: 1.5 } },
      { visitCadenceMonths: { orphan: 1 } },
      { visitCadenceMonths: { temporary: '2' } },
      { visitCadenceMonths: [1, 2] },
      { reportAcknowledgeHours: 0 },
      { reportAcknowledgeHours: 73 },
      { reportAcknowledgeHours: 2.5 },
    ]) {
      await expectRefusedUnchanged(test.db, () => admin.put('/api/v1/regions/511702/settings', body), 400, 'VALIDATION_FAILED');
    }
    const set = await expectOk(admin.put('/api/v1/regions/511702/settings', { visitCadenceMonths: { orphan_institution: 2 }, reportAcknowledgeHours: 4 }), 'set');
    expect(set.visitCadenceMonths).toEqual({ ...defaults.visitCadenceMonths, orphan_institution: 2 });
    expect(set.reportAcknowledgeHours).toBe(4);
    // Another setting changed later keeps these.
    expect((await expectOk(admin.put('/api/v1/regions/511702/settings', { townshipCheckWorkingDays: 4 }), 'other')).visitCadenceMonths.orphan_institution).toBe(2);
    const back = await expectOk(admin.put('/api/v1/regions/511702/settings', { visitCadenceMonths: null, reportAcknowledgeHours: null, townshipCheckWorkingDays: null }), 'back');
    expect([back.visitCadenceMonths, back.reportAcknowledgeHours]).toEqual([defaults.visitCadenceMonths, 2]);
    const trail = await auditRows(test.db, { action: 'region.settings_changed' });
    expect(trail.at(-3)!.data.after).toMatchObject({ visitCadenceMonths: { orphan_institution: 2 }, reportAcknowledgeHours: 4 });
    // Only the admin sets them.
    expect((await county.civilAffairs.put('/api/v1/regions/511702/settings', { reportAcknowledgeHours: 1 })).status).toBe(403);
  });
});

describe('worked example 5, the visit: a scattered orphan visited 2026-01-31 → nextVisitDue 2026-02-28, visitOverdue from 2026-03-01', () => {
  it('recognised 2025-12-01 and not yet visited: nextVisitDue 2026-01-01 (recognisedOn + 1 month)', async () => {
    at('2025-12-01');
    a = await recognised(county, { name: '甲孤儿' });
    expect(a.kase).toMatchObject({ status: 'recognised', nextVisitDue: '2026-01-01', visitOverdue: false });
    institutionOrphan = await recognised(county, { livingArrangement: 'institution', name: '乙孤儿' });
    twoCategories = await recognised(county, { categories: ['orphan', 'guardianship_lacking'], livingArrangement: 'institution', name: '丙儿童' });
    otherTownships = await recognised(county, { township: county.otherTownship, village: county.otherVillage, name: '丁儿童' });
    otherRegions = await recognised(other, { name: '外县儿童' });
  });

  it('the cadence is the smallest over the case’s categories, the orphan by living arrangement: institution 3 months (2026-03-01), orphan + guardianship_lacking in an institution 1 month (2026-01-01); a region’s own cadence applies at once', async () => {
    expect(institutionOrphan.kase.nextVisitDue).toBe('2026-03-01');
    expect(twoCategories.kase.nextVisitDue).toBe('2026-01-01');
    await expectOk(admin.put('/api/v1/regions/511702/settings', { visitCadenceMonths: { orphan_institution: 2 } }), 'cadence');
    expect((await county.township.get(`/api/v1/protection/cases/${institutionOrphan.kase.id}`)).body.nextVisitDue).toBe('2026-02-01');
    await expectOk(admin.put('/api/v1/regions/511702/settings', { visitCadenceMonths: null }), 'back');
    expect((await county.township.get(`/api/v1/protection/cases/${institutionOrphan.kase.id}`)).body.nextVisitDue).toBe('2026-03-01');
  });

  it('visited 2026-01-31 (recorded that day, all ok): 201, no report, no instruction; nextVisitDue 2026-02-28', async () => {
    at('2026-01-31');
    const before = await tableCounts(test.db);
    const recorded = await county.township.post('/api/v1/protection/visits', visit(a.kase.id, { note: '祖父照料尚可，冬衣已备' }));
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      caseId: a.kase.id,
      caseNumber: a.kase.number,
      childName: '甲孤儿',
      visitedOn: '2026-01-31',
      visitor: '王芳',
      visitorRole: '儿童主任',
      checks: allOk,
      note: '祖父照料尚可，冬衣已备',
      recordedBy: { id: county.users.township.id, name: '刘干事' },
      reportId: null,
      report: null,
      instruction: null,
      nextVisitDue: '2026-02-28',
    });
    const after = await tableCounts(test.db);
    expect(after.protection_visits).toBe(before.protection_visits! + 1);
    expect(after.protection_reports).toBe(before.protection_reports);
    const [row] = await auditRows(test.db, { entityType: 'visit', entityId: recorded.body.id });
    expect(row).toMatchObject({ action: 'visit.recorded', regionCode: '511702', data: { caseId: a.kase.id, visitedOn: '2026-01-31', checks: allOk } });
    // The note is free text about a child: never in the trail.
    expect(JSON.stringify(row)).not.toContain('冬衣');
  });

  it('on 2026-02-28 not overdue; on 2026-03-01 overdue, listed by nextVisitDue with the other cases past due', async () => {
    at('2026-02-28');
    expect((await county.township.get(`/api/v1/protection/cases/${a.kase.id}`)).body).toMatchObject({ nextVisitDue: '2026-02-28', visitOverdue: false });
    const onTheDay = (await county.township.get('/api/v1/protection/cases?visitOverdue=true')).body.items.map((item: { id: string }) => item.id);
    expect(onTheDay).not.toContain(a.kase.id);
    at('2026-03-01');
    expect((await county.township.get(`/api/v1/protection/cases/${a.kase.id}`)).body).toMatchObject({ nextVisitDue: '2026-02-28', visitOverdue: true });
    const overdue = (await county.township.get('/api/v1/protection/cases?visitOverdue=true')).body.items as { id: string; nextVisitDue: string; visitOverdue: boolean }[];
    // The township's own cases only, by nextVisitDue: 丙 (due 2026-01-01), then 甲 (2026-02-28); 乙 is due 2026-03-01, not yet overdue.
    expect(overdue.map((item) => [item.id, item.nextVisitDue])).toEqual([
      [twoCategories.kase.id, '2026-01-01'],
      [a.kase.id, '2026-02-28'],
    ]);
    // Civil affairs: the region's, the other township's too.
    const region = (await county.civilAffairs.get('/api/v1/protection/cases?visitOverdue=true')).body.items.map((item: { id: string }) => item.id);
    // 丙 and 丁 are both due 2026-01-01: then by id (丙 was received first).
    expect(region).toEqual([twoCategories.kase.id, otherTownships.kase.id, a.kase.id]);
    expect(region).not.toContain(otherRegions.kase.id);
    // Pages keep the order: one at a time.
    const first = (await county.township.get('/api/v1/protection/cases?visitOverdue=true&limit=1')).body;
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([twoCategories.kase.id]);
    const second = (await county.township.get(`/api/v1/protection/cases?visitOverdue=true&limit=1&cursor=${first.nextCursor}`)).body;
    expect([second.items.map((item: { id: string }) => item.id), second.nextCursor]).toEqual([[a.kase.id], null]);
    // The month's visits: due by its last day, overdue ones included.
    const month = (await county.township.get('/api/v1/protection/cases?visitDueBy=2026-03-31')).body.items.map((item: { id: string; nextVisitDue: string }) => [item.id, item.nextVisitDue]);
    expect(month).toEqual([
      [twoCategories.kase.id, '2026-01-01'],
      [a.kase.id, '2026-02-28'],
      [institutionOrphan.kase.id, '2026-03-01'],
    ]);
  });
});

describe('POST /protection/visits: refusals change nothing', () => {
  it('visitedOn after today (China date) → 400; five checks each ok|concern|danger → 400; a case not recognised → 409 INVALID_STATE; another township’s or region’s case → 404; civil affairs may not record → 403', async () => {
    at('2026-03-05', '23:30:00');
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/visits', visit(a.kase.id, { visitedOn: '2026-03-06' })), 400, 'VALIDATION_FAILED');
    for (const checks of [{ ...allOk, safety: 'bad' }, { guardianship: 'ok', living: 'ok', schooling: 'ok', health: 'ok' }, { ...allOk, weather: 'ok' }]) {
      await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/visits', visit(a.kase.id, { visitedOn: '2026-03-05', checks })), 400, 'VALIDATION_FAILED');
    }
    for (const body of [visit(a.kase.id, { visitedOn: '2026-02-30' }), visit(a.kase.id, { visitor: ' ' }), { ...visit(a.kase.id), caseId: 'not-an-id' }]) {
      await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/visits', body), 400, 'VALIDATION_FAILED');
    }
    const waiting = await receiveCase(county, caseBody((await townshipChild(county)).id, { parents: orphanParents }));
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/visits', visit(waiting.id, { visitedOn: '2026-03-05' })), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/visits', visit(otherTownships.kase.id, { visitedOn: '2026-03-05' })), 404, 'NOT_FOUND');
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/visits', visit(otherRegions.kase.id, { visitedOn: '2026-03-05' })), 404, 'NOT_FOUND');
    await expectRefusedUnchanged(test.db, () => other.township.post('/api/v1/protection/visits', visit(a.kase.id, { visitedOn: '2026-03-05' })), 404, 'NOT_FOUND');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post('/api/v1/protection/visits', visit(a.kase.id, { visitedOn: '2026-03-05' })), 403, 'FORBIDDEN');
    // The day itself (China date, late in the evening) is not after today.
    expect((await county.township.post('/api/v1/protection/visits', visit(institutionOrphan.kase.id, { visitedOn: '2026-03-05' }))).status).toBe(201);
  });

  it('an exited case is not visited (409)', async () => {
    at('2026-03-06');
    const leaving = await recognised(county, { name: '戊儿童' });
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${leaving.kase.id}/exit`, { reason: 'adopted', eventOn: '2026-03-06' }), 'exit');
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/visits', visit(leaving.kase.id, { visitedOn: '2026-03-06' })), 409, 'INVALID_STATE');
    expect((await county.township.get(`/api/v1/protection/cases/${leaving.kase.id}`)).body).toMatchObject({ status: 'exited', nextVisitDue: null, visitOverdue: false });
  });
});

describe('a danger raises a mandatory report in the same transaction; civil affairs acknowledges it', () => {
  it('safety danger: 201 with the report (concerns [safety], open) and the instruction to call 110 at once; both audit rows, masked', async () => {
    at('2026-03-10', '09:00:00');
    const before = await tableCounts(test.db);
    const recorded = await county.township.post(
      '/api/v1/protection/visits',
      visit(a.kase.id, { visitedOn: '2026-03-10', checks: { guardianship: 'concern', living: 'ok', schooling: 'ok', health: 'ok', safety: 'danger' }, note: '身上有新伤，祖父醉酒' }),
    );
    expect(recorded.status).toBe(201);
    expect(recorded.body.instruction).toBe('立即报告公安机关（110）并通知县民政局');
    expect(recorded.body.report).toMatchObject({
      childId: a.child.id,
      caseId: a.kase.id,
      visitId: recorded.body.id,
      concerns: ['safety'],
      note: '身上有新伤，祖父醉酒',
      raisedAt: '2026-03-10T01:00:00.000Z',
      raisedBy: { id: county.users.township.id, name: '刘干事' },
      status: 'open',
      overdue: false,
      acknowledgeBy: '2026-03-10T03:00:00.000Z',
      policeNotifiedAt: null,
      acknowledgedBy: null,
    });
    expect(recorded.body.reportId).toBe(recorded.body.report.id);
    expect(recorded.body.nextVisitDue).toBe('2026-04-10');
    dangerReportId = recorded.body.report.id;
    const after = await tableCounts(test.db);
    expect([after.protection_visits! - before.protection_visits!, after.protection_reports! - before.protection_reports!]).toEqual([1, 1]);
    const raised = await auditRows(test.db, { entityType: 'report', entityId: dangerReportId });
    expect(raised).toEqual([
      expect.objectContaining({
        action: 'report.raised',
        entityType: 'report',
        entityId: dangerReportId,
        regionCode: '511702',
        actorRole: 'township',
        data: expect.objectContaining({ concerns: ['safety'], visitId: recorded.body.id }),
      }),
    ]);
    expect(JSON.stringify(raised)).not.toContain('醉酒');
  });

  it('the township records when the police were called (once; not in the future); only civil affairs acknowledges', async () => {
    at('2026-03-10', '09:20:00');
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/reports/${dangerReportId}/police`, { at: '2026-03-10T09:30:00+08:00' }), 400, 'VALIDATION_FAILED');
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/reports/${dangerReportId}/police`, { at: 'soon' }), 400, 'VALIDATION_FAILED');
    await expectRefusedUnchanged(test.db, () => county.otherTownship.post(`/api/v1/protection/reports/${dangerReportId}/police`, { at: '2026-03-10T09:05:00+08:00' }), 404, 'NOT_FOUND');
    const called = await expectOk(county.township.post(`/api/v1/protection/reports/${dangerReportId}/police`, { at: '2026-03-10T09:05:00+08:00' }), 'police');
    expect(called).toMatchObject({ policeNotifiedAt: '2026-03-10T01:05:00.000Z', policeRecordedBy: { name: '刘干事' }, status: 'open' });
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/reports/${dangerReportId}/police`, { at: '2026-03-10T09:06:00+08:00' }), 409, 'INVALID_STATE');
    await expectRefusedUnchanged(test.db, () => county.township.post(`/api/v1/protection/reports/${dangerReportId}/acknowledge`, { actionTaken: '已报警', policeNotified: true }), 403, 'FORBIDDEN');
  });

  it('overdue while open reportAcknowledgeHours (2) after raisedAt: listed with overdue=true and counted; the region’s own hours apply', async () => {
    at('2026-03-10', '10:59:59');
    expect((await county.civilAffairs.get(`/api/v1/protection/reports/${dangerReportId}`)).body.overdue).toBe(false);
    expect((await county.civilAffairs.get('/api/v1/protection/reports?overdue=true')).body.items).toEqual([]);
    at('2026-03-10', '11:00:00');
    expect((await county.civilAffairs.get(`/api/v1/protection/reports/${dangerReportId}`)).body.overdue).toBe(true);
    expect((await county.civilAffairs.get('/api/v1/protection/reports?overdue=true')).body.items.map((item: { id: string }) => item.id)).toEqual([dangerReportId]);
    expect((await county.civilAffairs.get('/api/v1/protection/reports/counts')).body).toEqual({ open: 1, overdue: 1, oldestOverdueRaisedAt: '2026-03-10T01:00:00.000Z' });
    expect((await other.civilAffairs.get('/api/v1/protection/reports/counts')).body).toEqual({ open: 0, overdue: 0, oldestOverdueRaisedAt: null });
    await expectOk(admin.put('/api/v1/regions/511702/settings', { reportAcknowledgeHours: 3 }), 'hours');
    expect((await county.civilAffairs.get(`/api/v1/protection/reports/${dangerReportId}`)).body).toMatchObject({ overdue: false, acknowledgeBy: '2026-03-10T04:00:00.000Z' });
    await expectOk(admin.put('/api/v1/regions/511702/settings', { reportAcknowledgeHours: null }), 'hours back');
  });

  it('civil affairs acknowledges with the action taken → acknowledged (by, at); again → 409; another region’s civil affairs → 404', async () => {
    at('2026-03-10', '11:30:00');
    await expectRefusedUnchanged(test.db, () => other.civilAffairs.post(`/api/v1/protection/reports/${dangerReportId}/acknowledge`, { actionTaken: '已报派出所', policeNotified: true }), 404, 'NOT_FOUND');
    for (const body of [{ actionTaken: '', policeNotified: true }, { actionTaken: '已报派出所' }, { actionTaken: '已报派出所', policeNotified: 'yes' }]) {
      await expectRefusedUnchanged(test.db, () => county.civilAffairs.post(`/api/v1/protection/reports/${dangerReportId}/acknowledge`, body), 400, 'VALIDATION_FAILED');
    }
    const acknowledged = await expectOk(county.civilAffairs.post(`/api/v1/protection/reports/${dangerReportId}/acknowledge`, { actionTaken: '已报派出所，临时安置', policeNotified: true }), 'acknowledge');
    expect(acknowledged).toMatchObject({
      status: 'acknowledged',
      overdue: false,
      actionTaken: '已报派出所，临时安置',
      policeNotified: true,
      acknowledgedBy: { id: county.users.civilAffairs.id, name: '民政甲' },
      acknowledgedAt: '2026-03-10T03:30:00.000Z',
    });
    await expectRefusedUnchanged(test.db, () => county.civilAffairs2.post(`/api/v1/protection/reports/${dangerReportId}/acknowledge`, { actionTaken: '再次确认', policeNotified: true }), 409, 'INVALID_STATE');
    const trail = await auditRows(test.db, { entityType: 'report', entityId: dangerReportId });
    expect(trail.map((row) => row.action)).toEqual(['report.raised', 'report.police_notified', 'report.acknowledged']);
    expect(trail[2]!.data).toEqual({ policeNotified: true, raisedAt: '2026-03-10T01:00:00.000Z', inTime: false });
    expect(JSON.stringify(trail)).not.toContain('临时安置');
    expect((await county.civilAffairs.get('/api/v1/protection/reports/counts')).body).toMatchObject({ open: 0, overdue: 0 });
  });
});

describe('POST /protection/reports raises one without a visit', () => {
  it('township (a child of its township) and civil affairs (of its region) → 201 with the instruction and the child’s live case; another township’s or region’s child → 404; concerns from the five checks, at least one, each once → else 400', async () => {
    at('2026-03-11');
    const byTownship = await county.township.post('/api/v1/protection/reports', { childId: twoCategories.child.id, concerns: ['guardianship', 'health'], note: '邻居反映长期无人照看' });
    expect(byTownship.status).toBe(201);
    expect(byTownship.body).toMatchObject({ childId: twoCategories.child.id, caseId: twoCategories.kase.id, visitId: null, concerns: ['guardianship', 'health'], status: 'open', instruction: '立即报告公安机关（110）并通知县民政局' });
    const noCase = await townshipChild(county, { name: '己儿童' });
    const byCounty = await county.civilAffairs.post('/api/v1/protection/reports', { childId: noCase.id, concerns: ['safety'] });
    expect(byCounty.status).toBe(201);
    expect(byCounty.body).toMatchObject({ caseId: null, townshipCode: county.townshipCode, raisedBy: { name: '民政甲' }, note: null });
    await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/reports', { childId: otherTownships.child.id, concerns: ['safety'] }), 404, 'NOT_FOUND');
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post('/api/v1/protection/reports', { childId: otherRegions.child.id, concerns: ['safety'] }), 404, 'NOT_FOUND');
    for (const concerns of [[], ['weather'], ['safety', 'safety']]) {
      await expectRefusedUnchanged(test.db, () => county.township.post('/api/v1/protection/reports', { childId: a.child.id, concerns }), 400, 'VALIDATION_FAILED');
    }
    for (const caller of [county.reviewer, county.health, county.finance]) {
      await expectRefusedUnchanged(test.db, () => caller.post('/api/v1/protection/reports', { childId: a.child.id, concerns: ['safety'] }), 403, 'FORBIDDEN');
    }
  });
});

describe('lists in scope, access-logged; the audit trail as security.md §3 reads it; statistics', () => {
  it('GET /protection/visits?caseId=&from=&to= and GET /protection/reports?status=: a township its own, civil affairs its region’s; each list writes one access-log row', async () => {
    at('2026-03-12');
    const ofA = (await county.township.get(`/api/v1/protection/visits?caseId=${a.kase.id}`)).body.items as { visitedOn: string; reportId: string | null }[];
    expect(ofA.map((item) => [item.visitedOn, item.reportId])).toEqual([
      ['2026-03-10', dangerReportId],
      ['2026-01-31', null],
    ]);
    expect((await county.township.get(`/api/v1/protection/visits?caseId=${a.kase.id}&from=2026-02-01&to=2026-03-31`)).body.items).toHaveLength(1);
    expect((await county.otherTownship.get(`/api/v1/protection/visits?caseId=${a.kase.id}`)).body.items).toEqual([]);
    expect((await other.civilAffairs.get('/api/v1/protection/visits')).body.items).toEqual([]);
    expect((await county.civilAffairs.get('/api/v1/protection/visits')).body.items).toHaveLength(3);
    expect((await county.township.get('/api/v1/protection/visits?from=2026-03-31&to=2026-03-01')).status).toBe(400);
    const open = (await county.township.get('/api/v1/protection/reports?status=open')).body.items as { childName: string }[];
    expect(open.map((item) => item.childName).sort()).toEqual(['丙儿童', '己儿童']);
    expect((await county.otherTownship.get('/api/v1/protection/reports')).body.items).toEqual([]);
    expect((await county.otherTownship.get(`/api/v1/protection/reports/${dangerReportId}`)).status).toBe(404);
    expect((await county.civilAffairs.get('/api/v1/protection/reports?status=acknowledged')).body.items.map((item: { id: string }) => item.id)).toEqual([dangerReportId]);
    for (const caller of [county.reviewer, county.finance, auditor]) expect((await caller.get('/api/v1/protection/reports')).status).toBe(403);

    const since = ((await auditor.get('/api/v1/access-log?limit=1')).body.items[0]?.id ?? '') as string;
    await county.township.get(`/api/v1/protection/visits?caseId=${a.kase.id}`);
    await county.civilAffairs.get('/api/v1/protection/reports?status=open');
    await county.civilAffairs.get(`/api/v1/protection/reports/${dangerReportId}`);
    const entries = ((await auditor.get('/api/v1/access-log?limit=50')).body.items as { id: string; actorId: string; action: string; entityType: string; entityId: string | null; filter: unknown }[])
      .filter((entry) => entry.id > since)
      .reverse();
    expect(entries.map((entry) => [entry.actorId, entry.action, entry.entityType, entry.entityId])).toEqual([
      [county.users.township.id, 'search', 'visit', null],
      [county.users.civilAffairs.id, 'search', 'report', null],
      [county.users.civilAffairs.id, 'read', 'report', dangerReportId],
    ]);
    expect(entries[0]!.filter).toEqual({ caseId: a.kase.id });
  });

  it('one person, one file (§7): the child’s visits and reports in the file and on the registration form (走访记录, 强制报告)', async () => {
    const file = await expectOk(county.township.get(`/api/v1/protection/children/${a.child.id}/file`), 'file');
    expect(file.visits.map((item: { visitedOn: string }) => item.visitedOn)).toEqual(['2026-03-10', '2026-01-31']);
    expect(file.reports.map((item: { id: string; status: string }) => [item.id, item.status])).toEqual([[dangerReportId, 'acknowledged']]);
    const pdf = await county.civilAffairs.get(`/api/v1/protection/children/${a.child.id}/file.pdf`);
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    for (const expected of ['走访记录', '2026年1月31日', '王芳（儿童主任）', '各项正常', '安全状况危险', '身上有新伤', '强制报告', '已处理：已报派出所，临时安置']) expect(text, expected).toContain(expected);
    // Another township's clerk reads neither.
    expect((await county.otherTownship.get(`/api/v1/protection/children/${a.child.id}/file`)).status).toBe(404);
  });

  it('visit and report rows of the trail: civil affairs its region’s, the auditor all; townships none', async () => {
    const trail = async (reader: Client, query: string) => {
      const response = await reader.get(`/api/v1/audit?limit=500${query}`);
      return { status: response.status, items: (response.body.items ?? []) as { entityType: string; regionCode: string }[] };
    };
    for (const entityType of ['visit', 'report']) {
      const mine = await trail(county.civilAffairs, `&entityType=${entityType}`);
      expect(mine.status).toBe(200);
      expect(mine.items.length).toBeGreaterThan(0);
      expect(new Set(mine.items.map((row) => row.regionCode))).toEqual(new Set(['511702']));
      expect((await trail(other.civilAffairs, `&entityType=${entityType}`)).items).toEqual([]);
      expect((await trail(auditor, `&entityType=${entityType}`)).items.length).toBe(mine.items.length);
      expect((await trail(admin, `&entityType=${entityType}`)).status).toBe(403);
    }
    expect((await trail(county.township, '&entityType=visit')).status).toBe(403);
  });

  it('GET /protection/stats: visits {recorded in the year, overdueNow}, reports {open, overdue}', async () => {
    at('2026-03-12', '15:00:00');
    const stats = (await county.civilAffairs.get('/api/v1/protection/stats?year=2026')).body;
    // Visits of 2026: 甲 01-31 and 03-10, 乙 03-05. Overdue now: 丙 (due 01-01), 丁 (due 01-01).
    expect(stats.visits).toEqual({ recorded: 3, overdueNow: 2 });
    // Open: 丙's and 己's, raised 2026-03-11 10:00, overdue since 12:00.
    expect(stats.reports).toEqual({ open: 2, overdue: 2 });
    expect((await county.civilAffairs.get('/api/v1/protection/stats?year=2025')).body.visits).toEqual({ recorded: 0, overdueNow: 2 });
    expect((await other.finance.get('/api/v1/protection/stats?year=2026')).body).toMatchObject({ visits: { recorded: 0, overdueNow: 1 }, reports: { open: 0, overdue: 0 } });
  });
});
