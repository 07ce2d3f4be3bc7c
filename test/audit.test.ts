import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/rows.js';
import { idNumber, tableCounts, type TestApp } from './support/testApp.js';
import { childBody, OTHER_REGION, referredChild, REGION, registerChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const actionsOf = (body: { items: { action: string }[] }) => body.items.map((event) => event.action);

describe('audit trail', () => {
  it('records each state change of an application, oldest first, with actor and role', async () => {
    const { child, application } = await referredChild(world, { birthDate: '2021-01-01', category: 'hearing', services: ['training'] });
    await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-06-30' });
    const events = await world.reviewer.get(`/api/v1/audit?entityType=application&entityId=${application.id}`);
    expect(events.status).toBe(200);
    expect(actionsOf(events.body)).toEqual(['application.filed', 'application.approved', 'application.dropped_out']);
    expect(events.body.items[0]).toMatchObject({ actorId: world.users.reviewer.id, actorRole: 'reviewer', entityType: 'application', entityId: application.id, regionCode: REGION });
    expect(events.body.items[2]).toMatchObject({ actorId: world.users.a.id, actorRole: 'institution', data: { date: '2026-06-30' } });
    const childEvents = await world.reviewer.get(`/api/v1/audit?entityType=child&entityId=${child.id}`);
    expect(actionsOf(childEvents.body)).toEqual(['child.registered']);
  });

  it('never holds a full ID number', async () => {
    const child = await registerChild(world.reviewer);
    const events = await world.auditor.get(`/api/v1/audit?entityId=${child.id}`);
    expect(JSON.stringify(events.body)).not.toContain(child.idNumber);
    expect(events.body.items[0].data.idNumberMasked).toBe(`${child.idNumber.slice(0, 6)}********${child.idNumber.slice(-4)}`);
  });

  it('records users, institutions and policies for the admin', async () => {
    const events = await world.admin.get('/api/v1/audit?limit=500');
    const actions = new Set(actionsOf(events.body));
    for (const action of ['user.created', 'institution.created']) expect(actions).toContain(action);
    const policy = await world.admin.post('/api/v1/policies', { name: 'p', effectiveFrom: '2040-01-01', rules: [{ service: 'training', annualLimit: '1' }] });
    const policyEvents = await world.admin.get(`/api/v1/audit?entityType=policy&entityId=${policy.body.id}`);
    expect(actionsOf(policyEvents.body)).toEqual(['policy.created']);
  });

  it('the change and its audit event commit together: if the event cannot be written, the change is undone', async () => {
    // A trigger that refuses one audit row stands in for any failure between the two writes.
    await test.db.execute(sql.raw(`
      create or replace function refuse_marked_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'child.registered' and new.data->>'category' = 'vision' then
          raise exception 'audit write failed on purpose';
        end if;
        return new;
      end $$`));
    await test.db.execute(sql.raw('create trigger refuse_marked_audit before insert on audit_events for each row execute function refuse_marked_audit()'));
    try {
      const before = await tableCounts(test.db);
      const response = await world.reviewer.post('/api/v1/children', childBody({ category: 'vision' }));
      expect(response.status).toBe(500);
      expect(response.body.error.code).toBe('INTERNAL_ERROR');
      expect(JSON.stringify(response.body)).not.toContain('on purpose');
      expect(await tableCounts(test.db)).toEqual(before);
    } finally {
      await test.db.execute(sql.raw('drop trigger refuse_marked_audit on audit_events'));
    }
  });
});

describe('who reads which part of the trail (security.md §3)', () => {
  let scene: { child: string; otherChild: string; beneficiary: string; institution: string; backups: boolean };
  beforeAll(async () => {
    const child = await registerChild(world.reviewer);
    const otherChild = await registerChild(world.otherReviewer, { regionCode: OTHER_REGION });
    const certifiedId = idNumber(REGION, '2015-01-01');
    const certified = await world.reviewer.post('/api/v1/children', { ...childBody({ idNumber: certifiedId, birthDate: '2015-01-01' }), certificateNo: `${certifiedId}62` });
    const beneficiary = await world.reviewer.post('/api/v1/allowance/beneficiaries', {
      childId: certified.body.id,
      tier: 'care',
      acceptedOn: '2026-10-01',
      acceptedBy: '东城街道',
      community: { name: '朝阳社区' },
      bankAccount: { bank: '四川农信', accountName: '张大山', accountNumber: '6214670000000000301' },
    });
    await world.admin.put(`/api/v1/regions/${REGION}/settings`, { reviewWorkingDays: 6 });
    const backups = test.kind === 'pglite' && (await world.admin.get('/api/v1/admin/backup')).status === 200;
    scene = { child: child.id, otherChild: otherChild.id, beneficiary: beneficiary.body.id, institution: world.instA.id, backups };
  });

  it('the auditor reads every entity of every region', async () => {
    const all = await world.auditor.get('/api/v1/audit?limit=500');
    const types = new Set(all.body.items.map((event: { entityType: string }) => event.entityType));
    for (const type of ['user', 'institution', 'child', 'beneficiary', 'region', ...(scene.backups ? ['backup'] : [])]) expect(types).toContain(type);
    expect((await world.auditor.get(`/api/v1/audit?entityId=${scene.otherChild}`)).body.items).toHaveLength(1);
  });

  it('the admin reads the system’s entities only: no child, beneficiary or backup, and asking for one is refused', async () => {
    const all = await world.admin.get('/api/v1/audit?limit=500');
    const types = new Set(all.body.items.map((event: { entityType: string }) => event.entityType));
    expect([...types].every((type) => ['user', 'institution', 'policy', 'standard', 'region', 'budget', 'calendar'].includes(type as string)), [...types].join()).toBe(true);
    expect(types).toContain('region');
    expect((await world.admin.get(`/api/v1/audit?entityId=${scene.child}`)).body.items).toEqual([]);
    for (const type of ['child', 'beneficiary', 'backup', 'claim']) {
      const refused = await world.admin.get(`/api/v1/audit?entityType=${type}`);
      expect([refused.status, refused.body.error.code], type).toEqual([403, 'FORBIDDEN']);
    }
  });

  it('a reviewer reads rehabilitation’s entities of its region; civil affairs its programmes’; each refused another’s', async () => {
    const reviewerTypes = new Set((await world.reviewer.get('/api/v1/audit?limit=500')).body.items.map((event: { entityType: string; regionCode: string }) => event.entityType));
    expect([...reviewerTypes].every((type) => ['child', 'application', 'claim', 'batch', 'reconciliation'].includes(type as string))).toBe(true);
    expect((await world.reviewer.get(`/api/v1/audit?entityId=${scene.child}`)).body.items).toHaveLength(1);
    expect((await world.reviewer.get(`/api/v1/audit?entityId=${scene.otherChild}`)).body.items).toEqual([]);
    expect((await world.otherReviewer.get(`/api/v1/audit?entityId=${scene.child}`)).body.items).toEqual([]);
    for (const type of ['beneficiary', 'user', 'institution']) expect((await world.reviewer.get(`/api/v1/audit?entityType=${type}`)).status, type).toBe(403);

    const enrolled = await world.civilAffairs.get(`/api/v1/audit?entityType=beneficiary&entityId=${scene.beneficiary}`);
    expect(actionsOf(enrolled.body)).toEqual(['beneficiary.enrolled']);
    expect((await world.otherCivilAffairs.get(`/api/v1/audit?entityId=${scene.beneficiary}`)).body.items).toEqual([]);
    expect((await world.civilAffairs.get(`/api/v1/audit?entityId=${scene.child}`)).body.items).toEqual([]);
    for (const type of ['child', 'claim', 'user']) expect((await world.civilAffairs.get(`/api/v1/audit?entityType=${type}`)).status, type).toBe(403);

    for (const other of [world.finance, world.a]) expect((await other.get('/api/v1/audit')).status).toBe(403);
  });

  it('every row carries its entity’s region, and null for the system’s own', async () => {
    const rows = await queryRows<{ entityType: string; regionCode: string | null }>(
      test.db,
      sql`select distinct entity_type as "entityType", region_code::text as "regionCode" from audit_events where entity_type in ('child', 'beneficiary', 'calendar', 'backup')`,
    );
    for (const row of rows) {
      if (row.entityType === 'child' || row.entityType === 'beneficiary') expect([REGION, OTHER_REGION], row.entityType).toContain(row.regionCode);
      else expect(row.regionCode, row.entityType).toBeNull();
    }
  });

  it('the auditor filters by person, entity, region and dates, and exports what a filter finds as a spreadsheet', async () => {
    const byReviewer = await world.auditor.get(`/api/v1/audit?actorId=${world.users.otherReviewer.id}&limit=500`);
    expect(byReviewer.body.items.length).toBeGreaterThan(0);
    expect(byReviewer.body.items.every((event: { actorId: string }) => event.actorId === world.users.otherReviewer.id)).toBe(true);
    expect((await world.auditor.get(`/api/v1/audit?regionCode=${OTHER_REGION}&entityType=child`)).body.items.map((event: { entityId: string }) => event.entityId)).toEqual([scene.otherChild]);
    expect((await world.auditor.get('/api/v1/audit?from=2026-11-22&to=2026-11-22&limit=1')).body.items).toHaveLength(1);
    expect((await world.auditor.get('/api/v1/audit?to=2026-11-21')).body.items).toEqual([]);

    const exported = await world.auditor.request('GET', `/api/v1/audit/export.xlsx?entityId=${scene.child}`);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('审计日志')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['时间（北京时间）', '操作', '对象类型']);
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(2).value).toBe('child.registered');
    // The export is itself in the access log.
    const logged = await world.auditor.get(`/api/v1/access-log?actorId=${world.users.auditor.id}&entityType=audit`);
    expect(logged.body.items[0]).toMatchObject({ action: 'export', filter: { entityId: scene.child } });
  });

  it('the auditor changes nothing and reads no child’s file', async () => {
    expect((await world.auditor.get(`/api/v1/children/${scene.child}`)).status).toBe(403);
    expect((await world.auditor.get('/api/v1/children')).status).toBe(403);
    expect((await world.auditor.get(`/api/v1/allowance/beneficiaries/${scene.beneficiary}`)).status).toBe(403);
    expect((await world.auditor.post('/api/v1/children', childBody())).status).toBe(403);
    expect((await world.auditor.put(`/api/v1/institutions/${scene.institution}`, { name: 'x' })).status).toBe(403);
    expect((await world.auditor.get('/api/v1/me')).body).toMatchObject({ role: 'auditor', regionCode: null, institutionId: null });
  });

  it('POST /users makes an auditor without a region; one with a region or an institution is refused', async () => {
    const made = await world.admin.post('/api/v1/users', { name: '审计员', role: 'auditor' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ role: 'auditor', regionCode: null, institutionId: null });
    expect((await world.admin.post('/api/v1/users', { name: '审计员', role: 'auditor', regionCode: REGION })).status).toBe(400);
    expect((await world.admin.post('/api/v1/users', { name: '审计员', role: 'auditor', institutionId: world.instA.id })).status).toBe(400);
  });
});

describe('what a row holds (security.md §4)', () => {
  it('after a busy day no audit row holds a full ID number, phone number or account number written that day', async () => {
    const written: string[] = [];
    for (let index = 0; index < 3; index++) {
      const id = idNumber(REGION, '2014-05-0' + (index + 1));
      const phone = `1390818${String(4000 + index)}`;
      written.push(id, phone);
      const child = await world.reviewer.post('/api/v1/children', { ...childBody({ idNumber: id, birthDate: `2014-05-0${index + 1}` }), certificateNo: `${id}62`, guardian: { name: '李四', relation: 'mother', phone } });
      expect(child.status).toBe(201);
      const account = `62146700000000${String(7000 + index)}`;
      const changed = `62284800000000${String(8000 + index)}`;
      written.push(account, changed);
      const enrolled = await world.reviewer.post('/api/v1/allowance/beneficiaries', {
        childId: child.body.id,
        tier: 'care',
        acceptedOn: '2026-10-01',
        acceptedBy: '东城街道',
        community: { name: '朝阳社区' },
        bankAccount: { bank: '四川农信', accountName: '李四', accountNumber: account },
      });
      expect(enrolled.status).toBe(201);
      await world.civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {});
      expect((await world.reviewer.put(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/bank-account`, { bank: '农行', accountName: '李四', accountNumber: changed })).status).toBe(200);
      // Pending, then confirmed by another user: the request and the change both keep it masked.
      expect((await world.civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/bank-account/confirm`, {})).status).toBe(200);
    }
    // The bulk registration and a second registration of a known number take other paths.
    const bulkId = idNumber(REGION, '2016-07-07');
    written.push(bulkId);
    expect((await world.reviewer.post('/api/v1/children/bulk', { rows: [childBody({ idNumber: bulkId, birthDate: '2016-07-07' })] })).status).toBe(200);
    const institutionAccount = '6228480000000009911';
    const newAccount = '6228480000000009922';
    written.push(institutionAccount, newAccount);
    const institution = await world.admin.post('/api/v1/institutions', { code: 'MASK-1', name: '掩码测试中心', regionCode: REGION, services: ['training'], bankAccount: { bank: '农行', accountName: '掩码测试中心', accountNumber: institutionAccount } });
    await world.admin.put(`/api/v1/institutions/${institution.body.id}`, { bankAccount: { bank: '农行', accountName: '掩码测试中心', accountNumber: newAccount } });
    await world.admin2.post(`/api/v1/institutions/${institution.body.id}/bank-account/confirm`, {});
    const supervisionPhone = '0818-2129876';
    written.push(supervisionPhone);
    await world.admin.put(`/api/v1/regions/${REGION}/settings`, { supervisionPhone });
    expect((await world.civilAffairs.post('/api/v1/allowance/rolls', { month: '2026-11' })).status).toBe(201);

    const rows = await queryRows<{ action: string; data: string }>(test.db, sql`select action, data::text as data from audit_events`);
    expect(rows.length).toBeGreaterThan(20);
    const leaks = rows.flatMap((row) => written.filter((value) => row.data.includes(value)).map((value) => `${row.action}: ${value}`));
    expect(leaks).toEqual([]);
    // And what the rows hold instead: the masked forms.
    const all = rows.map((row) => row.data).join('\n');
    expect(all).toContain(`${written[0]!.slice(0, 6)}********${written[0]!.slice(-4)}`);
    expect(all).toContain('622************9922');
    expect(all).toContain('081*****9876');
  });
});
