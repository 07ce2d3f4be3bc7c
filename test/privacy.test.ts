import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { KeyFileError, loadKeyFile } from '../src/keys/serviceKeys.js';
import { idNumber, tableCounts, type TestApp } from './support/testApp.js';
import { childBody, OTHER_REGION, referredChild, REGION, registerChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

// Personal data (security.md §5): finance reads of a child only what it needs, nobody learns from
// a refused registration that an ID number belongs to a registered child, no API answer is kept by
// a browser or proxy, and the data folder, backups and key are the county's alone.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

describe('least privilege: finance', () => {
  it('reads a child’s name, masked ID number and region — no category, guardian, certificate or birth date', async () => {
    const id = idNumber(REGION, '2019-05-05', 'female');
    const child = await world.reviewer.post('/api/v1/children', { ...childBody({ idNumber: id }), certificateNo: `${id}62` });
    expect(child.status).toBe(201);
    const read = await world.finance.get(`/api/v1/children/${child.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ id: child.body.id, name: '张小明', idNumberMasked: `${id.slice(0, 6)}********${id.slice(-4)}`, regionCode: REGION, createdAt: expect.any(String) });
    const listed = await world.finance.get(`/api/v1/children?idNumber=${id}`);
    expect(listed.body.items).toEqual([read.body]);
    const shown = JSON.stringify([read.body, listed.body]);
    for (const hidden of ['hearing', '张大山', '13800000000', `${id}62`, '2019-05-05', 'female', id]) expect(shown).not.toContain(hidden);
    // What a child may still receive follows from the category: not finance's either.
    expect((await world.finance.get(`/api/v1/children/${child.body.id}/entitlements?year=2026`)).status).toBe(403);
    // The reviewer still reads the whole file.
    expect((await world.reviewer.get(`/api/v1/children/${child.body.id}`)).body).toMatchObject({ idNumber: id, category: 'hearing', certificateNo: `${id}62` });
  });
});

describe('no existence leak on registration', () => {
  it('an ID number registered outside the caller’s scope → 409 without the id, nothing stored, the attempt in the access log', async () => {
    const registered = await registerChild(world.reviewer);
    const before = await tableCounts(test.db);
    for (const [caller, body] of [
      [world.b, childBody({ idNumber: registered.idNumber })],
      [world.otherReviewer, childBody({ idNumber: registered.idNumber, regionCode: OTHER_REGION })],
    ] as const) {
      const refused = await caller.post('/api/v1/children', body);
      expect([refused.status, refused.body.error.code]).toEqual([409, 'ALREADY_EXISTS']);
      expect(refused.body.error.details).toEqual([]);
      expect(JSON.stringify(refused.body)).not.toContain(registered.id);
    }
    const after = await tableCounts(test.db);
    expect({ ...after, access_log: before.access_log }).toEqual(before);
    expect(after.access_log).toBe(before.access_log! + 2);
    const attempts = (await world.auditor.get(`/api/v1/access-log?entityType=child&entityId=${registered.id}`)).body.items;
    expect(attempts.map((entry: { actorId: string; action: string }) => [entry.actorId, entry.action])).toEqual([
      [world.users.otherReviewer.id, 'search'],
      [world.users.b.id, 'search'],
    ]);
    expect(attempts[0].filter.idNumber).toEqual({ hmac: test.keyring.lookupHmac(registered.idNumber) });
    expect(JSON.stringify(attempts)).not.toContain(registered.idNumber);
    // Inside the caller's scope the answer names the child, as api.md says.
    const own = await world.reviewer.post('/api/v1/children', childBody({ idNumber: registered.idNumber }));
    expect([own.status, own.body.error.details]).toEqual([409, [{ id: registered.id, name: expect.any(String) }]]);
  });

  it('bulk registration says the same per row: existing with its id in scope, refused without it outside', async () => {
    const { child: referred } = await referredChild(world, { birthDate: '2020-08-08', category: 'hearing', services: ['training'] });
    const outside = await registerChild(world.reviewer);
    const fresh = childBody({ birthDate: '2019-09-09' });
    const answer = await world.a.post('/api/v1/children/bulk', {
      rows: [childBody({ idNumber: referred.idNumber }), childBody({ idNumber: outside.idNumber }), fresh],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((row: { status: string; childId: string | null; error: { code: string; details: unknown[] } | null }) => [row.status, row.childId, row.error?.code ?? null, row.error?.details ?? null])).toEqual([
      ['existing', referred.id, null, null],
      ['refused', null, 'ALREADY_EXISTS', []],
      ['created', expect.any(String), null, null],
    ]);
    expect(JSON.stringify(answer.body)).not.toContain(outside.id);
    const atomic = await world.a.post('/api/v1/children/bulk', { rows: [childBody({ idNumber: outside.idNumber })], atomic: true });
    expect([atomic.status, atomic.body.error.code]).toEqual([422, 'BULK_REFUSED']);
    expect(JSON.stringify(atomic.body)).not.toContain(outside.id);
    const attempts = (await world.auditor.get(`/api/v1/access-log?entityId=${outside.id}`)).body.items;
    expect(attempts).toHaveLength(2);
  });
});

describe('no copies in transit', () => {
  it('every /api/v1 answer says Cache-Control: no-store and X-Content-Type-Options: nosniff, errors and files included', async () => {
    const child = await registerChild(world.reviewer);
    const answers = [
      await world.reviewer.get(`/api/v1/children/${child.id}`),
      await world.reviewer.post('/api/v1/children', { idNumber: 'x' }),
      await world.anonymous.get('/api/v1/me'),
      await world.a.get('/api/v1/audit'),
      await world.reviewer.get('/api/v1/children/0190f000-0000-7000-8000-000000000000'),
      await world.reviewer.get('/api/v1/no-such-route'),
      await world.reviewer.request('GET', '/api/v1/claims/template.xlsx'),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 401, 403, 404, 404, 200]);
    for (const answer of answers) {
      expect(answer.headers['cache-control'], String(answer.status)).toBe('no-store');
      expect(answer.headers['x-content-type-options'], String(answer.status)).toBe('nosniff');
    }
  });
});

describe('file modes', () => {
  const work = mkdtempSync(join(tmpdir(), 'rehab-modes-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const mode = (path: string) => statSync(path).mode & 0o777;
  const everything = (folder: string): string[] => readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? [join(folder, entry.name), ...everything(join(folder, entry.name))] : [join(folder, entry.name)]));

  it.runIf(process.platform !== 'win32')('the data folder is made 0700 and its files 0600, an existing open folder is closed to others', async () => {
    const fresh = join(work, 'data');
    const database = await openDatabase({ dataDir: fresh });
    await database.close();
    expect(mode(fresh)).toBe(0o700);
    const entries = everything(fresh);
    expect(entries.length).toBeGreaterThan(100);
    for (const entry of entries) expect(mode(entry) & 0o077, entry).toBe(0);
    // A folder left open by an earlier version is closed at the next start.
    chmodSync(fresh, 0o755);
    chmodSync(entries.find((entry) => statSync(entry).isFile())!, 0o666);
    const reopened = await openDatabase({ dataDir: fresh });
    await reopened.close();
    expect(mode(fresh)).toBe(0o700);
    for (const entry of everything(fresh)) expect(mode(entry) & 0o077, entry).toBe(0);
  });

  it.runIf(process.platform !== 'win32' && process.env.TEST_DB !== 'postgres')('a backup is written 0600 into a 0700 folder, which is closed to others if it was not', async () => {
    chmodSync(test.backupDir, 0o755);
    const taken = await test.backups.takeNow(null, new Date('2026-11-22T02:00:00Z'));
    expect(mode(test.backupDir)).toBe(0o700);
    expect(mode(taken.file)).toBe(0o600);
  });

  it.runIf(process.platform !== 'win32')('the key is made 0600 in a 0700 folder outside the data and backup folders; one others may read, or kept inside, is refused', () => {
    const keyFile = join(work, 'keys', 'data.key');
    const made = loadKeyFile({ path: keyFile, create: true, notInside: [join(work, 'data'), join(work, 'backups')] });
    expect(made.created).toBe(true);
    expect(mode(keyFile)).toBe(0o600);
    expect(mode(join(work, 'keys'))).toBe(0o700);
    const again = loadKeyFile({ path: keyFile, create: false });
    expect(again.created).toBe(false);
    expect(again.keyring.current.id).toBe(made.keyring.current.id);
    expect(again.keyring.lookupHmac('511702202003150029')).toBe(made.keyring.lookupHmac('511702202003150029'));
    chmodSync(keyFile, 0o644);
    expect(() => loadKeyFile({ path: keyFile, create: false })).toThrow(/chmod 600/);
    mkdirSync(join(work, 'inside'), { recursive: true });
    expect(() => loadKeyFile({ path: join(work, 'inside', 'data.key'), create: true, notInside: [join(work, 'inside')] })).toThrow(KeyFileError);
    expect(existsSync(join(work, 'inside', 'data.key'))).toBe(false);
    writeFileSync(join(work, 'not-a-key'), 'hello', { mode: 0o600 });
    expect(() => loadKeyFile({ path: join(work, 'not-a-key'), create: false })).toThrow(/not a key file/);
    expect(() => loadKeyFile({ path: join(work, 'missing.key'), create: false })).toThrow(/no key file/);
  });
});
