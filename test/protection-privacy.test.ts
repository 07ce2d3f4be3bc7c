import { describe, expect, it } from 'vitest';
import { pdfText } from '../src/testing/pdfTools.js';
import { accessLogSince } from './support/accessLog.js';
import { withTestApp } from './support/lifecycle.js';
import { auditRows, caseBody, createProtectionCounty, expectOk, receiveCase, townshipChild, type ProtectionCounty } from './support/protection.js';
import { idNumber, type Client, type TestApp } from './support/testApp.js';
import { personalAdmins } from './support/world.js';

// Privacy is this programme's first rule (protection.md §1, §4.2, §4.3; security.md §4): a
// no-notice category is never posted; a notice shows nothing but a masked name and the categories
// that may be posted; a department sees only the cases routed to it and never the parents' facts,
// HIV status or bank account; audit rows keep masked values and never those facts; every read of a
// case, file or document is access-logged.

let test: TestApp;
let county: ProtectionCounty;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);
/** The access log's rows (security.md §4) as the auditor reads them, oldest first, after the row `since`. */
const accessEntriesSince = async (auditor: Client, since: string | null) => (await accessLogSince(auditor, since)).reverse();

const revealingParents = {
  father: [{ situation: 'imprisoned', since: '2024-03-01', until: '2029-02-28', documents: ['刑事判决书（2024）川1702刑初88号'] }],
  mother: [{ situation: 'serious_illness', since: '2023-01-01', until: null, documents: ['诊断证明：尿毒症'] }],
};

describe('no-notice categories are never posted', () => {
  it.each([
    [['orphan']],
    [['de_facto_unsupported']],
    [['severe_illness_disability']],
    [['guardianship_lacking']],
    [['orphan', 'de_facto_unsupported', 'guardianship_lacking']],
  ])('%o: agreed straight to the county; no notice is opened', async (categories) => {
    at('2025-11-20');
    county ??= await createProtectionCounty(test);
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id, { categories, ...(categories.includes('severe_illness_disability') ? { severeBasis: 'disability' } : {}) }));
    const before = (await county.civilAffairs.get('/api/v1/protection/notices?limit=500')).body.items.length;
    const checked = await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree', noticeFrom: '2025-11-20' }), 'check');
    expect(checked).toMatchObject({ status: 'county_review', notices: [], countyReceivedOn: '2025-11-20' });
    expect((await county.civilAffairs.get('/api/v1/protection/notices?limit=500')).body.items.length).toBe(before);
    // Nor can an objection put it there: it is in no notice.
    const objected = await county.township.post(`/api/v1/protection/cases/${received.id}/objections`, { reason: '有人反映' });
    expect([objected.status, objected.body.error.code]).toEqual([409, 'INVALID_STATE']);
  });

  it('a region’s own no-notice list: poor_family is never posted there; a case claiming temporary and orphan is posted with temporary only', async () => {
    at('2025-11-20');
    const admin = (await personalAdmins(test)).admin.client;
    const other = await createProtectionCounty(test, '517281');
    await expectOk(admin.put('/api/v1/regions/517281/settings', { protectionNoNoticeCategories: ['orphan', 'poor_family'] }), 'settings');
    const child = await townshipChild(other);
    const poor = await receiveCase(other, caseBody(child.id, { categories: ['poor_family'], bankAccount: null }));
    expect((await expectOk(other.township.post(`/api/v1/protection/cases/${poor.id}/check`, { decision: 'agree' }), 'check')).status).toBe('county_review');
    const second = await townshipChild(other);
    const temporary = await receiveCase(other, caseBody(second.id, { categories: ['temporary', 'orphan'] }));
    const posted = await expectOk(other.township.post(`/api/v1/protection/cases/${temporary.id}/check`, { decision: 'agree' }), 'check');
    expect(posted.status).toBe('notice');
    const notice = (await other.township.get(`/api/v1/protection/notices/${posted.notices[0].noticeId}`)).body;
    expect(notice.entries).toEqual([{ caseId: temporary.id, number: temporary.number, nameMasked: expect.stringMatching(/^困\*/), categories: ['temporary'] }]);
  });
});

describe('a notice never shows an ID number, birth date, address, parents’ facts, illness, HIV status or a no-notice category', () => {
  it('the PDF holds the masked name, the categories that may be posted, the period, whom to object to and the supervision phone — and nothing else about the child', async () => {
    at('2025-11-20');
    const admin = (await personalAdmins(test)).admin.client;
    await expectOk(admin.put('/api/v1/regions/511702/settings', { supervisionPhone: '0818-2123456' }), 'phone');
    const child = await townshipChild(county, { name: '欧阳明明', birthDate: '2013-07-19' });
    const received = await receiveCase(
      county,
      caseBody(child.id, {
        categories: ['poor_family', 'severe_illness_disability', 'orphan'],
        severeBasis: 'illness',
        hivAffected: true,
        leftBehind: true,
        parents: revealingParents,
        applicant: { name: '欧阳大山', relation: 'grandfather', phone: '13912345678' },
      }),
    );
    const checked = await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree', noticeFrom: '2025-11-20' }), 'check');
    const noticeId = checked.notices[0].noticeId;
    const pdf = await county.township.get(`/api/v1/protection/notices/${noticeId}/notice.pdf`);
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    for (const shown of ['困境儿童分类认定公示', '通川区', '511702', '东城街道', '翠屏路社区', '公示期：2025年11月20日至2025年11月26日', '欧*明明', '贫困家庭儿童', '0818-2123456', '异议']) expect(text, shown).toContain(shown);
    const never = [
      child.idNumber,
      child.idNumber.slice(-4),
      '2013',
      '7月19日',
      '欧阳明明',
      '欧阳大山',
      '13912345678',
      '孤儿',
      '重病',
      '重残',
      '尿毒症',
      '刑事判决书',
      '服刑',
      '艾滋',
      'HIV',
      '留守',
      '四川农信',
      '62146700',
    ];
    for (const hidden of never) expect(text, hidden).not.toContain(hidden);
    // The JSON of a notice says no more.
    const json = JSON.stringify((await county.township.get(`/api/v1/protection/notices/${noticeId}`)).body);
    for (const hidden of [child.idNumber, '欧阳明明', 'orphan', 'severe_illness_disability', 'hivAffected', 'imprisoned']) expect(json, hidden).not.toContain(hidden);
  });

  it('without a supervision phone the notice leaves a blank line to write it in', async () => {
    at('2025-11-20');
    const other = await createProtectionCounty(test, '517282');
    const child = await townshipChild(other);
    const received = await receiveCase(other, caseBody(child.id, { categories: ['temporary'] }));
    const checked = await expectOk(other.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    const text = pdfText((await other.civilAffairs.get(`/api/v1/protection/notices/${checked.notices[0].noticeId}/notice.pdf`)).rawPayload).replace(/\s+/g, '');
    expect(text).toContain('监督电话：＿＿＿＿');
  });
});

describe('a department sees only the cases routed to it, and never the family’s facts', () => {
  it('the health department reads its case without hivAffected, parents, bankAccount or the criteria’s details; the reviewer likewise; civil affairs sees all, the township the account masked', async () => {
    at('2025-11-20');
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id, { categories: ['severe_illness_disability'], severeBasis: 'both', hivAffected: true, parents: revealingParents }));
    await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    for (const reader of [county.health, county.reviewer]) {
      const seen = (await reader.get(`/api/v1/protection/cases/${received.id}`)).body;
      expect(seen.id).toBe(received.id);
      for (const field of ['hivAffected', 'parents', 'bankAccount', 'pendingBankAccount']) expect(seen, field).not.toHaveProperty(field);
      expect(seen.criteria).toBeNull();
      const text = JSON.stringify(seen);
      for (const hidden of ['imprisoned', '尿毒症', '62146700', child.idNumber]) expect(text, hidden).not.toContain(hidden);
      const list = JSON.stringify((await reader.get('/api/v1/protection/cases')).body);
      expect(list).not.toContain('hivAffected');
    }
    // Education and human resources have no route on it.
    for (const reader of [county.education, county.humanResources]) {
      expect((await reader.get(`/api/v1/protection/cases/${received.id}`)).status).toBe(404);
      expect(((await reader.get('/api/v1/protection/cases')).body.items as { id: string }[]).map((item) => item.id)).not.toContain(received.id);
    }
    const full = (await county.civilAffairs.get(`/api/v1/protection/cases/${received.id}`)).body;
    expect(full).toMatchObject({ hivAffected: true, parents: { father: [{ situation: 'imprisoned' }] } });
    expect(full.bankAccount.accountNumber).toMatch(/^62146700\d{11}$/);
    const township = (await county.township.get(`/api/v1/protection/cases/${received.id}`)).body;
    expect(township.bankAccount.accountNumber).toMatch(/^6214\*{11}\d{4}$/);
  });

  it('a child who moves to another township’s village takes its live case along: the new township reads and checks it, the old one no longer; a case on a village notice waits for the notice to close', async () => {
    at('2025-11-20');
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id, { categories: ['poor_family'] }));
    const moved = await county.civilAffairs.put(`/api/v1/children/${child.id}/village`, { villageCode: county.otherVillage });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await county.township.get(`/api/v1/protection/cases/${received.id}`)).status).toBe(404);
    const there = (await county.otherTownship.get(`/api/v1/protection/cases/${received.id}`)).body;
    expect([there.townshipCode, there.villageCode]).toEqual([county.otherTownshipCode, county.otherVillage]);
    const checked = await expectOk(county.otherTownship.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    expect(checked.status).toBe('notice');
    const refused = await county.civilAffairs.put(`/api/v1/children/${child.id}/village`, { villageCode: county.village });
    expect([refused.status, refused.body.error.code, refused.body.error.details[0].hint]).toEqual([409, 'INVALID_STATE', expect.stringContaining('正在原村（社区）公示')]);
    expect((await county.otherTownship.get(`/api/v1/protection/cases/${received.id}`)).body.villageCode).toBe(county.otherVillage);
  });

  it('a township sees only its own township’s children and cases (404 for another’s), and registers only children of its villages (403)', async () => {
    at('2025-11-20');
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id));
    expect((await county.otherTownship.get(`/api/v1/protection/cases/${received.id}`)).status).toBe(404);
    expect((await county.otherTownship.get(`/api/v1/children/${child.id}`)).status).toBe(404);
    expect((await county.otherTownship.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' })).status).toBe(404);
    expect((await county.otherTownship.post('/api/v1/protection/cases', caseBody(child.id))).status).toBe(404);
    const foreign = await county.otherTownship.post('/api/v1/children', {
      idNumber: idNumber(county.regionCode, '2016-01-01'),
      name: '别处儿童',
      regionCode: county.regionCode,
      villageCode: county.village,
      guardian: { name: '某', relation: 'mother', phone: '13800000000' },
    });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

describe('what people wrote about a family stays with civil affairs and the township', () => {
  it('an objection stating a parent’s release and a department’s refusal stating a mother missing: the reviewer reads neither, the refusing department its own, civil affairs both; the phone is masked for offices that only review; no audit row holds the words', async () => {
    at('2025-11-03');
    const child = await townshipChild(county);
    const received = await receiveCase(
      county,
      caseBody(child.id, { categories: ['poor_family', 'severe_illness_disability'], severeBasis: 'disability', applicant: { name: '张大山', relation: 'grandfather', phone: '13912345678' } }),
    );
    await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree', noticeFrom: '2025-11-03' }), 'check');
    at('2025-11-04');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/objections`, { reason: '群众反映其父已刑满释放' }), 'objection');
    const again = await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree', noticeFrom: '2025-11-04' }), 'check again');
    const notice = again.notices.at(-1);
    test.clock.set(`${notice.dueOn}T10:00:00+08:00`);
    await expectOk(county.township.post(`/api/v1/protection/notices/${notice.noticeId}/close`), 'close');
    await expectOk(county.humanResources.post(`/api/v1/protection/cases/${received.id}/reviews`, { decision: 'refuse', reason: '其母失联未满6个月' }), 'refuse');

    const asReviewer = (await county.reviewer.get(`/api/v1/protection/cases/${received.id}`)).body;
    expect(asReviewer.status).toBe('refused');
    expect([asReviewer.objections[0].reason, asReviewer.refusal.reason, asReviewer.reviews.find((review: { route: string }) => review.route === 'human_resources').reason]).toEqual([null, null, null]);
    expect(asReviewer.applicant.phone).toBe('139****5678');
    for (const hidden of ['刑满释放', '失联', '13912345678']) expect(JSON.stringify(asReviewer), hidden).not.toContain(hidden);
    const asRefusingOffice = (await county.humanResources.get(`/api/v1/protection/cases/${received.id}`)).body;
    expect([asRefusingOffice.objections[0].reason, asRefusingOffice.refusal.reason]).toEqual([null, '其母失联未满6个月']);
    const asCivilAffairs = (await county.civilAffairs.get(`/api/v1/protection/cases/${received.id}`)).body;
    expect([asCivilAffairs.objections[0].reason, asCivilAffairs.refusal.reason, asCivilAffairs.applicant.phone]).toEqual(['群众反映其父已刑满释放', '其母失联未满6个月', '13912345678']);

    const trail = JSON.stringify(await auditRows(test.db, { entityType: 'case', entityId: received.id }));
    for (const hidden of ['刑满释放', '失联']) expect(trail, hidden).not.toContain(hidden);
    expect(trail).toContain('reasonWritten');
  });
});

describe('audit rows keep masked values only, never hivAffected or the parents’ facts', () => {
  it('receipt, correction and a change of account are audited masked', async () => {
    at('2025-11-20');
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id, { hivAffected: true, parents: revealingParents, applicant: { name: '张大山', relation: 'grandfather', phone: '13912345678' } }));
    await expectOk(county.township.put(`/api/v1/protection/cases/${received.id}`, caseBody(child.id, { hivAffected: false, parents: revealingParents, applicant: { name: '张大山', relation: 'grandfather', phone: '13987654321' } })), 'correct');
    await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    await expectOk(county.civilAffairs.put(`/api/v1/protection/cases/${received.id}/bank-account`, { bank: '农行', accountName: '张大山', accountNumber: '6228480000000000123' }), 'account');
    const rows = await auditRows(test.db, { entityType: 'case', entityId: received.id });
    expect(rows.map((row) => row.action)).toEqual(['case.received', 'case.corrected', 'case.checked', 'case.sent_to_county', 'bank_account.change_requested']);
    const text = JSON.stringify(rows);
    for (const hidden of ['13912345678', '13987654321', child.idNumber, '6228480000000000123', 'hivAffected', 'imprisoned', 'serious_illness', '尿毒症', '刑事判决书']) expect(text, hidden).not.toContain(hidden);
    expect(text).toContain('139****5678');
    expect(text).toContain('622************0123');
    // The 残联 reads none of the programme's trail (it sees only the cases routed to it).
    expect((await county.reviewer.get('/api/v1/audit?entityType=case')).status).toBe(403);
    const reviewerRows = (await county.reviewer.get('/api/v1/audit?limit=500')).body.items as { entityType: string }[];
    expect(reviewerRows.filter((row) => ['case', 'notice', 'quarterly_update'].includes(row.entityType))).toEqual([]);
  });
});

describe('who reads the programme’s audit trail (security.md §3)', () => {
  it('civil affairs reads the trail of its region’s cases and notices, the auditor every region’s; the admin, the reviewer, townships and departments none of it', async () => {
    at('2025-11-21');
    county ??= await createProtectionCounty(test);
    const admins = await personalAdmins(test);
    const auditor = (await admins.createUser({ name: '钱审计', role: 'auditor' })).client;
    const other = await createProtectionCounty(test, '517286');
    const here = await receiveCase(county, caseBody((await townshipChild(county)).id, { categories: ['temporary'], hivAffected: true, parents: revealingParents }));
    const posted = await expectOk(county.township.post(`/api/v1/protection/cases/${here.id}/check`, { decision: 'agree' }), 'check');
    const there = await receiveCase(other, caseBody((await townshipChild(other)).id, { categories: ['temporary'] }));
    const trail = async (reader: Client, query: string) => {
      const response = await reader.get(`/api/v1/audit?limit=500${query}`);
      return { status: response.status, items: (response.body.items ?? []) as { entityType: string; entityId: string; regionCode: string | null; data: unknown }[] };
    };
    // Civil affairs: its programme's entity types, its region only.
    const ofCase = await trail(county.civilAffairs, '&entityType=case');
    expect(ofCase.status).toBe(200);
    expect(ofCase.items.map((row) => row.entityId)).toContain(here.id);
    expect(ofCase.items.map((row) => row.entityId)).not.toContain(there.id);
    expect(new Set(ofCase.items.map((row) => row.regionCode))).toEqual(new Set([county.regionCode]));
    expect((await trail(county.civilAffairs, '&entityType=notice')).items.map((row) => row.entityId)).toContain(posted.notices[0].noticeId);
    expect((await trail(other.civilAffairs, `&entityType=case&entityId=${here.id}`)).items).toEqual([]);
    // The auditor: every region.
    const audited = (await trail(auditor, '&entityType=case')).items.map((row) => row.entityId);
    expect(audited).toEqual(expect.arrayContaining([here.id, there.id]));
    // The admin's narrowed view and the reviewer's hold none of it: asking is 403, listing leaves it out.
    for (const reader of [admins.admin.client, county.reviewer]) {
      for (const entityType of ['case', 'notice', 'quarterly_update']) expect((await trail(reader, `&entityType=${entityType}`)).status, entityType).toBe(403);
      const all = await trail(reader, '');
      expect(all.status).toBe(200);
      expect(all.items.filter((row) => ['case', 'notice', 'quarterly_update'].includes(row.entityType))).toEqual([]);
    }
    // Townships and departments read no part of the trail.
    for (const reader of [county.township, county.health]) expect((await trail(reader, '')).status).toBe(403);
    // What civil affairs and the auditor read of the cases holds neither HIV status nor the parents'
    // facts (a correction says only that they changed: parentsChanged).
    const read = JSON.stringify([...ofCase.items, ...(await trail(auditor, `&entityId=${here.id}`)).items]);
    for (const hidden of ['hivAffected', '"parents"', '"father"', '"mother"', 'imprisoned', 'serious_illness', '尿毒症', '刑事判决书']) expect(read, hidden).not.toContain(hidden);
  });
});

describe('every read of a case, a file or a document is access-logged', () => {
  it('reads and downloads write one row each of the access log, lists one with their filter; refused reads write none; the auditor reads them', async () => {
    at('2025-11-20');
    const auditor = (await (await personalAdmins(test)).createUser({ name: '孙审计', role: 'auditor' })).client;
    const child = await townshipChild(county);
    const received = await receiveCase(county, caseBody(child.id, { categories: ['temporary'] }));
    const checked = await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    const noticeId = checked.notices[0].noticeId as string;
    const since = (await accessEntriesSince(auditor, null)).at(-1)?.id ?? null;
    expect((await county.township.get(`/api/v1/protection/cases/${received.id}`)).status).toBe(200);
    expect((await county.civilAffairs.get('/api/v1/protection/cases?status=notice&limit=5')).status).toBe(200);
    expect((await county.township.get(`/api/v1/protection/notices/${noticeId}`)).status).toBe(200);
    expect((await county.township.get(`/api/v1/protection/notices/${noticeId}/notice.pdf`)).status).toBe(200);
    expect((await county.civilAffairs.get(`/api/v1/protection/children/${child.id}/file`)).status).toBe(200);
    expect((await county.civilAffairs.get(`/api/v1/protection/children/${child.id}/file.pdf`)).status).toBe(200);
    expect((await county.civilAffairs.get('/api/v1/protection/quarterly-updates/report.xlsx?quarter=2025-Q4')).status).toBe(200);
    // Refused: out of scope (404) and a role that may never read a file (403) read nothing.
    expect((await county.otherTownship.get(`/api/v1/protection/cases/${received.id}`)).status).toBe(404);
    expect((await county.health.get(`/api/v1/protection/children/${child.id}/file`)).status).toBe(403);
    expect((await auditor.get(`/api/v1/protection/cases/${received.id}`)).status).toBe(403);
    const entries = await accessEntriesSince(auditor, since);
    expect(entries.map((entry) => [entry.actorId, entry.action, entry.entityType, entry.entityId])).toEqual([
      [county.users.township.id, 'read', 'case', received.id],
      [county.users.civilAffairs.id, 'search', 'case', null],
      [county.users.township.id, 'read', 'notice', noticeId],
      [county.users.township.id, 'download', 'notice', noticeId],
      [county.users.civilAffairs.id, 'read', 'child', child.id],
      [county.users.civilAffairs.id, 'download', 'child', child.id],
      [county.users.civilAffairs.id, 'export', 'quarterly_update', null],
    ]);
    expect(entries[1]!.filter).toEqual({ status: 'notice' });
    expect(entries[3]!.filter).toEqual({ document: 'notice.pdf' });
    expect(entries[6]!.filter).toEqual({ document: 'report.xlsx', quarter: '2025-Q4' });
    expect(entries[0]).toMatchObject({ actorRole: 'township', clientAddress: '127.0.0.1', at: '2025-11-20T02:00:00.000Z' });
    // The access log filtered by the case: every read of it, and only those.
    const ofCase = await accessLogSince(auditor, null, `&entityType=case&entityId=${received.id}`);
    expect(ofCase.map((entry) => entry.actorId)).toEqual([county.users.township.id]);
  });
});
