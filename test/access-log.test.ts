import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAccessLog } from '../src/access/accessLog.service.js';
import { ACCESS_LOGGED_ROUTES } from '../src/access/accessLogged.js';
import { newId } from '../src/db/ids.js';
import { queryRows } from '../src/db/rows.js';
import { submitAndApprove, trainingClaim } from './support/claims.js';
import { answerTo } from './support/sql.js';
import { idNumber, type TestApp } from './support/testApp.js';
import { childBody, referredChild, REGION, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';
import { accessLogSince, type AccessLogEntry as Entry } from './support/accessLog.js';

// The access log (security.md §4): who looked at whom. A read of a child's file or a beneficiary's
// record, a search by ID number or name, a download of a batch or roll document or bank list, and
// any export write one row; a search keeps its filter, an ID number as its keyed HMAC.

const routes: string[] = [];
let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made), { onRoute: (route) => routes.push(`${route.method} ${route.url}`) });

/** The rows written since `since` (a row id), newest first. */
const entriesSince = (since: string | null, filter = ''): Promise<Entry[]> => accessLogSince(world.auditor, since, filter);
async function lastEntryId(): Promise<string | null> {
  return (await entriesSince(null))[0]?.id ?? null;
}

describe('what is logged', () => {
  it('names only routes that exist', () => {
    for (const route of Object.keys(ACCESS_LOGGED_ROUTES)) expect(routes, route).toContain(route);
  });

  it('reading a child’s file: one row with who, what and from where', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    const since = await lastEntryId();
    expect((await world.reviewer.get(`/api/v1/children/${child.id}`)).status).toBe(200);
    expect((await world.a.get(`/api/v1/children/${child.id}/entitlements?year=2026`)).status).toBe(200);
    const entries = await entriesSince(since);
    expect(entries.map((entry) => [entry.actorId, entry.action, entry.entityType, entry.entityId])).toEqual([
      [world.users.a.id, 'read', 'child', child.id],
      [world.users.reviewer.id, 'read', 'child', child.id],
    ]);
    expect(entries[1]).toMatchObject({ actorName: '王审核', actorRole: 'reviewer', clientAddress: '127.0.0.1' });
    // A refused or unknown read reads nothing and writes nothing.
    expect((await world.otherReviewer.get(`/api/v1/children/${child.id}`)).status).toBe(404);
    expect(await entriesSince(entries[0]!.id)).toEqual([]);
  });

  it('a search writes one row with its filter; an ID number, or digits of one, only as its keyed HMAC', async () => {
    const children = [await referredChild(world, { birthDate: '2020-02-02', category: 'hearing', services: ['training'] }), await referredChild(world, { birthDate: '2020-03-03', category: 'hearing', services: ['training'] })];
    const wanted = children[0]!.child.idNumber;
    const since = await lastEntryId();
    expect((await world.reviewer.get(`/api/v1/children?idNumber=${wanted}`)).body.items).toHaveLength(1);
    expect((await world.reviewer.get('/api/v1/children?q=张小明&limit=500')).body.items.length).toBeGreaterThan(1);
    expect((await world.reviewer.get(`/api/v1/children?q=${wanted.slice(-6)}`)).body.items).toHaveLength(1);
    await world.reviewer.get(`/api/v1/claims?child=${wanted.slice(-4)}`);
    await world.reviewer.get('/api/v1/claims?status=submitted');
    const entries = await entriesSince(since);
    expect(entries.map((entry) => [entry.action, entry.entityType])).toEqual([
      ['search', 'claim'],
      ['search', 'child'],
      ['search', 'child'],
      ['search', 'child'],
    ]);
    const [claimSearch, partSearch, nameSearch, numberSearch] = entries;
    expect(numberSearch!.filter).toEqual({ idNumber: { hmac: test.keyring.lookupHmac(wanted) } });
    expect(nameSearch!.filter).toEqual({ q: '张小明' });
    expect(partSearch!.filter).toEqual({ q: { hmac: test.keyring.lookupHmac(wanted.slice(-6)) } });
    expect(claimSearch!.filter).toEqual({ child: { hmac: test.keyring.lookupHmac(wanted.slice(-4)) } });
    const stored = await queryRows<{ filter: string }>(test.db, sql`select coalesce(filter::text, '') as filter from access_log`);
    for (const row of stored) expect(row.filter).not.toContain(wanted.slice(-6));
  });

  it('a filter keeps only what the route declares, as the database can hold it (found by the fuzz test)', async () => {
    const since = await lastEntryId();
    const backup = await world.admin.request('GET', '/api/v1/admin/backup?childId=%00&junk=1');
    expect(backup.status).toBe(test.kind === 'pglite' ? 200 : 409);
    const entries = await entriesSince(since);
    expect(entries.map((entry) => [entry.entityType, entry.filter])).toEqual(test.kind === 'pglite' ? [['backup', { document: 'database backup' }]] : []);
    const accessLog = createAccessLog({ db: test.db, keyring: test.keyring });
    expect(accessLog.filterOf({ q: '\u0000张', status: 'x'.repeat(300), limit: 20 })).toEqual({ q: '张', status: 'x'.repeat(200) });
  });

  it('downloading a batch PDF, a roll’s documents and bank list, and any export: one row each', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-04-04', category: 'hearing', services: ['training'] });
    await submitAndApprove(world.a, world.reviewer, trainingClaim(child.id, '2026-01', '2026-01', '1000'));
    const batch = (await world.reviewer.post('/api/v1/batches', { institutionId: world.instA.id })).body.batches[0];
    await world.reviewer2.post(`/api/v1/batches/${batch.id}/issue`, {});
    const since = await lastEntryId();
    expect((await world.finance.request('GET', `/api/v1/batches/${batch.id}/pdf`)).status).toBe(200);
    expect((await world.finance.request('GET', `/api/v1/batches/${batch.id}/xlsx`)).status).toBe(200);
    expect((await world.finance.request('GET', '/api/v1/claims/export.xlsx?status=batched')).status).toBe(200);
    const entries = await entriesSince(since);
    expect(entries.map((entry) => [entry.action, entry.entityType, entry.entityId, entry.filter])).toEqual([
      ['export', 'claim', null, { status: 'batched' }],
      ['export', 'batch', batch.id, { document: 'batch.xlsx' }],
      ['download', 'batch', batch.id, { document: 'batch.pdf' }],
    ]);
  });

  it('reading a beneficiary’s record and downloading a roll’s bank list', async () => {
    const id = idNumber(REGION, '2012-06-06');
    const certified = await world.reviewer.post('/api/v1/children', { ...childBody({ idNumber: id, birthDate: '2012-06-06' }), certificateNo: `${id}62` });
    const enrolled = await world.reviewer.post('/api/v1/allowance/beneficiaries', {
      childId: certified.body.id,
      tier: 'care',
      acceptedOn: '2026-09-01',
      acceptedBy: '东城街道',
      community: { name: '朝阳社区' },
      bankAccount: { bank: '四川农信', accountName: '张大山', accountNumber: '6214670000000000555' },
    });
    await world.civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {});
    await world.civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/verify`, { on: '2026-11-01' });
    const roll = await world.civilAffairs.post('/api/v1/allowance/rolls', { month: '2026-11' });
    await world.civilAffairs.post(`/api/v1/allowance/rolls/${roll.body.id}/publish`, { from: '2026-11-01' });
    await world.civilAffairs2.post(`/api/v1/allowance/rolls/${roll.body.id}/issue`, {});
    const since = await lastEntryId();
    expect((await world.civilAffairs.get(`/api/v1/allowance/beneficiaries/${enrolled.body.id}`)).status).toBe(200);
    expect((await world.finance.request('GET', `/api/v1/allowance/rolls/${roll.body.id}/bank.csv`)).status).toBe(200);
    const entries = await entriesSince(since);
    expect(entries.map((entry) => [entry.actorId, entry.action, entry.entityType, entry.entityId, entry.filter])).toEqual([
      [world.users.finance.id, 'download', 'roll', roll.body.id, { document: 'bank-list.csv' }],
      [world.users.civilAffairs.id, 'read', 'beneficiary', enrolled.body.id, null],
    ]);
  });

  it('a read whose row cannot be written is not answered: no data leaves without its trace', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-05-05', category: 'hearing', services: ['training'] });
    await test.db.execute(sql.raw(`
      create or replace function refuse_access_log() returns trigger language plpgsql as $$
      begin raise exception 'access log unavailable on purpose'; end $$`));
    await test.db.execute(sql.raw('create trigger refuse_access_log before insert on access_log for each row execute function refuse_access_log()'));
    try {
      const response = await world.reviewer.get(`/api/v1/children/${child.id}`);
      expect(response.status).toBe(500);
      expect(response.body.error.code).toBe('INTERNAL_ERROR');
      expect(JSON.stringify(response.body)).not.toContain(child.idNumber);
    } finally {
      await test.db.execute(sql.raw('drop trigger refuse_access_log on access_log'));
    }
  });
});

describe('GET /access-log (the auditor)', () => {
  it('lists newest first, paged, filtered by person, entity and dates; others are refused', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-06-06', category: 'hearing', services: ['training'] });
    for (let read = 0; read < 3; read++) await world.reviewer.get(`/api/v1/children/${child.id}`);
    const first = await world.auditor.get(`/api/v1/access-log?entityType=child&entityId=${child.id}&limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await world.auditor.get(`/api/v1/access-log?entityType=child&entityId=${child.id}&limit=2&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((entry: Entry) => entry.id);
    expect(ids).toHaveLength(3);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect((await world.auditor.get(`/api/v1/access-log?actorId=${world.users.a.id}&entityId=${child.id}`)).body.items).toEqual([]);
    expect((await world.auditor.get(`/api/v1/access-log?entityId=${child.id}&from=2026-11-22&to=2026-11-22`)).body.items).toHaveLength(3);
    expect((await world.auditor.get(`/api/v1/access-log?entityId=${child.id}&from=2026-11-23`)).body.items).toEqual([]);
    for (const other of [world.admin, world.reviewer, world.finance, world.civilAffairs, world.a]) expect((await other.get('/api/v1/access-log')).status).toBe(403);

    const exported = await world.auditor.request('GET', `/api/v1/access-log/export.xlsx?entityId=${child.id}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('访问日志')!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(2).getCell(2).value).toBe('王审核');
    expect(sheet.getRow(2).getCell(5).value).toBe('查看');
  });
});

describe('retention', () => {
  async function insertAged(days: number) {
    const id = newId();
    await test.db.execute(sql`insert into access_log (id, at, action, entity_type) values (${id}, now() - make_interval(days => ${days}::int), 'read', 'child')`);
    return id;
  }
  const exists = async (id: string) => (await queryRows(test.db, sql`select 1 from access_log where id = ${id}`)).length === 1;

  it('the purge deletes what is older than ACCESS_LOG_RETENTION_DAYS; the database refuses to delete a row younger than 183 days or to change any', async () => {
    const accessLog = createAccessLog({ db: test.db, keyring: test.keyring });
    const old = await insertAged(500);
    const kept = await insertAged(200);
    const young = await insertAged(10);
    expect(await accessLog.purge(400)).toBe(1);
    expect([await exists(old), await exists(kept), await exists(young)]).toEqual([false, true, true]);
    expect(await accessLog.purge(183)).toBe(1);
    expect([await exists(kept), await exists(young)]).toEqual([false, true]);
    expect(await answerTo(test.db, sql`delete from access_log where id = ${young}`)).toBe('42501');
    expect(await answerTo(test.db, sql`update access_log set at = now() - interval '300 days' where id = ${young}`)).toBe('42501');
    expect(await exists(young)).toBe(true);
  });
});
