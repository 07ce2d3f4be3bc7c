import { readdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { type TestApp } from './support/testApp.js';
import { registerChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

// Backups of the embedded database while it serves; on PostgreSQL the download says to use pg_dump.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

describe('GET /admin/backup', () => {
  it('embedded: a .tar.gz snapshot that opens as the same database; audited', async () => {
    if (test.kind !== 'pglite') return;
    await registerChild(world.reviewer, { name: '备份前' });
    const response = await world.admin.request('GET', '/api/v1/admin/backup');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/gzip');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="rehab-backup-\d{8}-\d{6}\.tar\.gz"$/);
    expect(response.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const copy = await PGlite.create({ loadDataDir: new Blob([response.rawPayload]) });
    try {
      const children = await copy.query<{ name: string }>(`select name from children where name = '备份前'`);
      expect(children.rows).toEqual([{ name: '备份前' }]);
    } finally {
      await copy.close();
    }
    // The admin's backups are for the auditor to review (security.md §3), and the download is an export in the access log.
    const audit = await world.auditor.get('/api/v1/audit?action=backup.taken');
    expect(audit.body.items.at(-1)).toMatchObject({ entityType: 'backup', actorRole: 'admin', data: { bytes: response.rawPayload.length } });
    expect((await world.admin.get('/api/v1/audit?entityType=backup')).status).toBe(403);
    const exported = await world.auditor.get(`/api/v1/access-log?entityType=backup&actorId=${world.users.admin.id}`);
    expect(exported.body.items[0]).toMatchObject({ action: 'export', filter: { document: 'database backup' } });
  });

  it('PostgreSQL: 409 INVALID_STATE naming pg_dump', async () => {
    if (test.kind !== 'postgres') return;
    const response = await world.admin.request('GET', '/api/v1/admin/backup');
    expect([response.status, response.body.error.code]).toEqual([409, 'INVALID_STATE']);
    expect(response.body.error.message).toContain('pg_dump');
  });

  it('only an admin downloads a backup', async () => {
    for (const caller of [world.reviewer, world.finance, world.a]) expect((await caller.request('GET', '/api/v1/admin/backup')).status).toBe(403);
  });
});

describe('automatic backups into the folder', () => {
  it('each file named with its China time; the newest two (BACKUP_KEEP) kept', async () => {
    if (test.kind !== 'pglite') return;
    for (const at of ['2026-11-20T02:00:00+08:00', '2026-11-21T02:00:00+08:00', '2026-11-22T02:00:00+08:00']) await test.backups.takeNow(null, new Date(at));
    expect(readdirSync(test.backupDir).sort()).toEqual(['rehab-backup-20261121-020000.tar.gz', 'rehab-backup-20261122-020000.tar.gz']);
    expect((await test.backups.newest())?.file).toBe('rehab-backup-20261122-020000.tar.gz');
    const audit = await world.auditor.get('/api/v1/audit?action=backup.taken&limit=500');
    expect(audit.body.items.filter((event: { actorId: string | null }) => event.actorId === null)).toHaveLength(3);
  });
});

describe('GET /admin/backups', () => {
  it('the newest automatic backup with its size, how many are kept, and the evidence files every backup carries', async () => {
    const overview = await world.admin.get('/api/v1/admin/backups');
    expect(overview.status).toBe(200);
    expect(overview.body.attachments).toEqual({ count: expect.any(Number), bytes: expect.any(Number) });
    if (test.kind === 'postgres') {
      expect(overview.body).toMatchObject({ embedded: false, lastAutomatic: null });
      return;
    }
    await test.backups.takeNow(null, new Date('2026-11-23T02:00:00+08:00'));
    const after = (await world.admin.get('/api/v1/admin/backups')).body;
    expect(after).toMatchObject({ embedded: true, keep: 2, lastAutomatic: { file: 'rehab-backup-20261123-020000.tar.gz', takenAt: '2026-11-22T18:00:00.000Z', bytes: expect.any(Number) } });
    expect(after.lastAutomatic.bytes).toBeGreaterThan(1000);
    expect((await world.reviewer.get('/api/v1/admin/backups')).status).toBe(403);
  });
});
