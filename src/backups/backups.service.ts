import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordAudit } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import { PRIVATE_FILE_MODE, privateFolder } from '../db/fileModes.js';
import { newId } from '../db/ids.js';
import { attachmentTotals } from '../evidence/evidence.repository.js';
import type { RequestContext } from '../http/context.js';
import { invalidState } from '../http/errors.js';
import { backupDueAtStart, backupFileName, nextDailyRun, RETRY_AFTER_FAILURE_MS, takenAtOf } from './schedule.js';

// Backups of the embedded database while it serves: downloaded by an admin, and taken every day
// into BACKUP_DIR, the newest BACKUP_KEEP kept. On PostgreSQL backups are pg_dump's work.

export interface BackupsDependencies {
  db: Database;
  /** The embedded database's consistent snapshot (a .tar.gz of its data folder); null on PostgreSQL. */
  snapshot: (() => Promise<Buffer>) | null;
  /** Folder of the automatic backups, and how many to keep there. */
  dir: string;
  keep: number;
}

export interface BackupTaken {
  file: string;
  bytes: number;
  sha256: string;
  takenAt: Date;
}

export function createBackupsService(deps: BackupsDependencies) {
  const { db, snapshot } = deps;

  async function take(): Promise<Buffer> {
    if (!snapshot) {
      throw invalidState('the service runs on PostgreSQL: back it up with pg_dump (or the server’s own backups); this download is for the embedded database');
    }
    return snapshot();
  }

  async function audit(context: RequestContext | null, data: Record<string, unknown>) {
    await db.transaction(async (tx) => {
      await recordAudit(tx, context, { action: 'backup.taken', entityType: 'backup', entityId: newId(), regionCode: null, data });
    });
  }

  /** The backups in the folder, newest first. */
  async function backups(): Promise<{ file: string; takenAt: Date }[]> {
    const names = await readdir(deps.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names
      .flatMap((file) => {
        const takenAt = takenAtOf(file);
        return takenAt ? [{ file, takenAt }] : [];
      })
      .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  }

  return {
    /** GET /admin/backup: the snapshot as a download, audited. */
    async download(context: RequestContext) {
      const bytes = await take();
      const fileName = backupFileName(context.now);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await audit(context, { download: fileName, bytes: bytes.length, sha256 });
      return { fileName, bytes };
    },

    /**
     * A backup into the folder: written under a temporary name and renamed when whole, so a
     * half-written file never looks like a backup; then the oldest beyond `keep` are removed.
     */
    async takeNow(context: RequestContext | null, now: Date): Promise<BackupTaken> {
      const bytes = await take();
      // A backup is the whole database: the folder 0700 (an existing one closed to others), the file 0600.
      privateFolder(deps.dir);
      const file = backupFileName(now);
      const path = join(deps.dir, file);
      await writeFile(`${path}.partial`, bytes, { mode: PRIVATE_FILE_MODE });
      await chmod(`${path}.partial`, PRIVATE_FILE_MODE);
      await rename(`${path}.partial`, path);
      for (const old of (await backups()).slice(deps.keep)) await rm(join(deps.dir, old.file), { force: true });
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await audit(context, { file, bytes: bytes.length, sha256 });
      return { file: path, bytes: bytes.length, sha256, takenAt: now };
    },

    /** The newest backup in the folder, or null. */
    async newest() {
      return (await backups())[0] ?? null;
    },

    /**
     * GET /admin/backups: what the admin's page shows: whether the service backs itself up (the
     * embedded database), its newest automatic backup and how many are kept, and what evidence files
     * add to each backup.
     */
    async overview() {
      const newest = snapshot ? ((await backups())[0] ?? null) : null;
      const size = newest ? (await stat(join(deps.dir, newest.file)).catch(() => null))?.size ?? null : null;
      return {
        embedded: snapshot !== null,
        keep: deps.keep,
        lastAutomatic: newest ? { file: newest.file, takenAt: newest.takenAt.toISOString(), bytes: size } : null,
        attachments: await attachmentTotals(db),
      };
    },

    backups,
  };
}

export type BackupsService = ReturnType<typeof createBackupsService>;

export interface ScheduleDependencies {
  clock: () => Date;
  log: { info(data: object, message: string): void; error(data: object, message: string): void };
  /** setTimeout, replaceable in tests; the timers never keep the process alive. */
  setTimer?: (run: () => void, delayMs: number) => { unref?(): void };
}

/**
 * Runs the automatic backups: at start-up when the newest is more than a day old, then every day
 * at 02:00 China time; a failure is logged and tried again an hour later, and never stops the
 * service. Returns a function that stops the schedule.
 */
export function startBackupSchedule(backups: BackupsService, deps: ScheduleDependencies): () => void {
  const setTimer = deps.setTimer ?? ((run: () => void, delayMs: number) => setTimeout(run, delayMs));
  let stopped = false;

  const schedule = (at: Date) => {
    if (stopped) return;
    const timer = setTimer(() => void run(), Math.max(0, at.getTime() - deps.clock().getTime()));
    timer.unref?.();
  };

  const run = async () => {
    if (stopped) return;
    const now = deps.clock();
    try {
      const taken = await backups.takeNow(null, now);
      deps.log.info({ file: taken.file, bytes: taken.bytes }, `backup taken: ${taken.file}`);
      schedule(nextDailyRun(deps.clock()));
    } catch (error) {
      const retryAt = new Date(now.getTime() + RETRY_AFTER_FAILURE_MS);
      deps.log.error({ error: error instanceof Error ? error.message : String(error), retryAt: retryAt.toISOString() }, `backup failed; trying again at ${retryAt.toISOString()}`);
      schedule(retryAt);
    }
  };

  void (async () => {
    try {
      const newest = await backups.newest();
      if (backupDueAtStart(newest?.takenAt ?? null, deps.clock())) schedule(deps.clock());
      else schedule(nextDailyRun(deps.clock()));
    } catch (error) {
      deps.log.error({ error: error instanceof Error ? error.message : String(error) }, 'backup folder unreadable; trying again in an hour');
      schedule(new Date(deps.clock().getTime() + RETRY_AFTER_FAILURE_MS));
    }
  })();

  return () => {
    stopped = true;
  };
}
