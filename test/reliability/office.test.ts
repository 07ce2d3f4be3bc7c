import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkCharacter } from '../../src/domain/idNumber.js';
import { canonicalBatchSha256 } from '../support/canonical.js';
import { api, createDatabase, freePort, keyFileOf, RELIABILITY_ADMIN_TOKEN, ServiceProcess, verifyAudit } from './service.js';
import { buildWorld, type ReliabilityWorld } from './world.js';

// The embedded database as an office runs it: a backup taken while the service serves, restored
// with the service stopped, and moved to PostgreSQL with export-sql. The built tools run as the
// README tells people to run them.

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'rehab-office-'));
const dataDir = join(work, 'data');
const backupFile = join(work, 'backup.tar.gz');
let service: ServiceProcess;
let world: ReliabilityWorld;
let batch: { id: string; sha256: string; pdfSha256: string };

function tool(script: 'restoreCommand' | 'exportSqlCommand', args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [`dist/src/backups/${script}.js`, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

async function startService() {
  service = new ServiceProcess('', await freePort(), { DATA_DIR: dataDir, BACKUP_DIR: join(work, 'auto-backups') });
  await service.start();
  return service;
}

const reviewerOf = () => api(service.baseUrl, world.tokens[1]!);
const LATER_ID_NUMBER = `51170220210101001${checkCharacter('51170220210101001')}`;

beforeAll(async () => {
  await startService();
  world = await buildWorld(service.baseUrl, 2);
  // A claim approved, batched and issued: the frozen document the restore must keep intact.
  const child = world.children[0]!;
  const institution = world.institutions[child.institution]!;
  const claim = await institution.user.post('/api/v1/claims', {
    externalRef: `OFFICE-${Date.now()}`, childId: child.id, service: 'training', periodFrom: '2025-01', periodTo: '2025-10', grossCost: '20000.00', reviewedBy: '会计',
  });
  await world.reviewer.post(`/api/v1/claims/${claim.body.id}/approve`, {});
  const drafts = await world.reviewer.post('/api/v1/batches', { institutionId: institution.id });
  const issued = await world.reviewer2.post(`/api/v1/batches/${drafts.body.batches[0].id}/issue`, {});
  batch = (await world.reviewer.get(`/api/v1/batches/${issued.body.id}`)).body;
});
afterAll(async () => {
  await service?.kill();
  rmSync(work, { recursive: true, force: true });
});

describe('backups and restore', () => {
  it('a backup is downloaded while the service serves; restore refuses while it runs', async () => {
    const backup = await fetch(`${service.baseUrl}/api/v1/admin/backup`, { headers: { authorization: `Bearer ${RELIABILITY_ADMIN_TOKEN}` } });
    expect(backup.status).toBe(200);
    writeFileSync(backupFile, Buffer.from(await backup.arrayBuffer()));
    const refused = tool('restoreCommand', [backupFile, '--replace']);
    expect(refused.code).toBe(3);
    expect(refused.output).toContain('is in use by process');
    // The automatic backup at start-up (no backup was older than a day: there was none).
    expect(readdirSync(join(work, 'auto-backups')).filter((file) => file.endsWith('.tar.gz'))).toHaveLength(1);
  });

  it('back up, change things, restore: the service shows exactly the backed-up state; the batch PDF still matches its SHA-256', async () => {
    const reviewer = reviewerOf();
    const later = await reviewer.post('/api/v1/children', { idNumber: LATER_ID_NUMBER, name: '备份后登记', regionCode: '511702', category: 'hearing', guardian: { name: '家长', relation: 'mother', phone: '13900001111' } });
    expect(later.status).toBe(201);
    await service.stop();

    const withoutReplace = tool('restoreCommand', [backupFile]);
    expect(withoutReplace.code).toBe(1);
    expect(withoutReplace.output).toContain('--replace');
    const damaged = join(work, 'damaged.tar.gz');
    writeFileSync(damaged, Buffer.from('not a backup at all'));
    const notABackup = tool('restoreCommand', [damaged, '--replace']);
    expect([notABackup.code, notABackup.output]).toEqual([1, expect.stringContaining('not a backup')]);
    expect(readdirSync(work).filter((name) => name.startsWith('data.replaced-'))).toEqual([]);

    const restored = tool('restoreCommand', [backupFile, '--replace']);
    expect(restored.code, restored.output).toBe(0);
    expect(restored.output).toContain('children');
    const moved = readdirSync(work).filter((name) => name.startsWith('data.replaced-'));
    expect(moved).toHaveLength(1);
    expect(existsSync(join(work, moved[0]!, 'PG_VERSION'))).toBe(true);

    await startService();
    const after = reviewerOf();
    expect((await after.get(`/api/v1/children?idNumber=${LATER_ID_NUMBER}`)).body.items).toEqual([]);
    const children = await after.get('/api/v1/children?limit=500');
    expect(children.body.items.map((child: { id: string }) => child.id).sort()).toEqual(world.children.map((child) => child.id).sort());
    const again = (await after.get(`/api/v1/batches/${batch.id}`)).body;
    expect(again.sha256).toBe(batch.sha256);
    expect(canonicalBatchSha256(again)).toBe(batch.sha256);
    const pdf = await after.get(`/api/v1/batches/${batch.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(createHash('sha256').update(pdf.bytes!).digest('hex')).toBe(batch.pdfSha256);
  });
});

describe('the move to PostgreSQL', () => {
  it('export-sql from a backup loads into an empty PostgreSQL with psql: every table’s rows, the batch hash, and new approvals against the moved ledger', async () => {
    const sqlFile = join(work, 'export.sql');
    const exported = tool('exportSqlCommand', [sqlFile, '--from', backupFile]);
    expect(exported.code, exported.output).toBe(0);

    const target = await createDatabase(inject('postgresUrl'), 'moved');
    try {
      const psql = ['/usr/lib/postgresql/15/bin/psql', process.env.PG_BIN ? join(process.env.PG_BIN, 'psql') : ''].find((path) => path && existsSync(path)) ?? 'psql';
      execFileSync(psql, ['-v', 'ON_ERROR_STOP=1', '-q', '-d', target.url, '-f', sqlFile], { stdio: 'pipe' });

      // Row counts of every table: the backup opened in memory against the loaded PostgreSQL.
      const source = await PGlite.create({ loadDataDir: new Blob([await import('node:fs').then((fs) => fs.readFileSync(backupFile))]) });
      try {
        const tables = (await source.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)).rows;
        expect(tables.length).toBeGreaterThan(15);
        for (const { name } of tables) {
          const there = (await source.query<{ n: number }>(`select count(*)::int as n from "${name}"`)).rows[0]!.n;
          const here = (await target.sql.unsafe(`select count(*)::int as n from "${name}"`))[0]!.n;
          expect(here, name).toBe(there);
        }
      } finally {
        await source.close();
      }

      await service.stop();
      // The office moves its key file with its data (README, The service key).
      service = new ServiceProcess(target.url, await freePort(), { BOOTSTRAP_ADMIN_TOKEN: '', DATA_KEY_FILE: keyFileOf(dataDir) });
      await service.start();
      const reviewer = reviewerOf();
      const moved = (await reviewer.get(`/api/v1/batches/${batch.id}`)).body;
      expect(canonicalBatchSha256(moved)).toBe(batch.sha256);
      expect((await reviewer.get(`/api/v1/batches/${batch.id}/pdf`)).status).toBe(200);
      // The child's ledger moved: 10 months approved at 17,000.00 leave nothing for December.
      const child = world.children[0]!;
      const institution = api(service.baseUrl, world.tokens[3 + child.institution]!);
      const claim = await institution.post('/api/v1/claims', {
        externalRef: `MOVED-${Date.now()}`, childId: child.id, service: 'training', periodFrom: '2025-12', periodTo: '2025-12', grossCost: '1700.00', reviewedBy: '会计',
      });
      expect(claim.status).toBe(201);
      const approved = await reviewer.post(`/api/v1/claims/${claim.body.id}/approve`, {});
      expect([approved.status, approved.body.approvedAmount, approved.body.settlement.reasons]).toEqual([200, '0.00', ['ANNUAL_LIMIT_REACHED']]);

      // The sealed trail moved too: the service on PostgreSQL (another run of transaction ids) seals
      // the new rows after the moved ones, and verify-audit holds with the office's key.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await target.sql`select count(*)::int as n from audit_events a where not exists (select 1 from audit_seals s where s.audit_id = a.id)`)[0]!.n > 0) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const verified = verifyAudit(target.url, keyFileOf(dataDir));
      expect(verified.code, verified.output).toBe(0);
      expect(verified.output).toMatch(/verified/);
    } finally {
      await service.stop();
      await target.drop();
    }
  });
});
