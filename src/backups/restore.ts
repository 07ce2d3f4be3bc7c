import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { CommandRefused } from '../command.js';
import { MIGRATIONS_FOLDER } from '../db/client.js';
import { lockDataDir } from '../db/dataDirLock.js';
import { makePrivate, privateFolder } from '../db/fileModes.js';
import * as schema from '../db/schema.js';
import { backupFileName } from './schedule.js';

// Restoring a backup of the embedded database, with the service stopped: the archive is checked
// in memory before anything on disk is touched; a folder that holds a database is replaced only
// when asked, and then moved aside, never deleted.

export interface ArchiveSummary {
  migrations: number;
  users: number;
  children: number;
  claims: number;
  batches: number;
  /** Evidence files attached to claims (0 in an archive from before attachments). */
  attachments: number;
  /** The time of the newest audit event in the archive: the state it holds. */
  lastChange: string | null;
}

function journalLength(): number {
  return (JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
}

/** Opens an archive in memory (never on disk); the caller closes what it gets. */
export async function openArchive(bytes: Buffer): Promise<PGlite> {
  try {
    return await PGlite.create({ loadDataDir: new Blob([bytes]) });
  } catch (error) {
    throw new CommandRefused(`the file is not a backup of this service's embedded database (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Checks an archive without touching anything on disk: it opens as a database of this service,
 * from this or an earlier version, and every stored batch PDF and evidence file still matches its
 * SHA-256.
 */
export async function checkArchive(bytes: Buffer): Promise<ArchiveSummary> {
  const database = await openArchive(bytes);
  try {
    const count = async (sql: string) => (await database.query<{ n: number }>(sql)).rows[0]!.n;
    let migrations: number;
    try {
      migrations = await count('select count(*)::int as n from drizzle."__drizzle_migrations"');
    } catch {
      throw new CommandRefused('the archive holds a database, but not one of this service (it has no record of the service’s migrations)');
    }
    if (migrations > journalLength()) {
      throw new CommandRefused(`the archive comes from a newer version of the service (${migrations} migrations; this version knows ${journalLength()}): restore it with that version`);
    }
    const damaged = await count(`select count(*)::int as n from batch_documents where encode(sha256(pdf), 'hex') <> pdf_sha256`);
    if (damaged > 0) throw new CommandRefused(`${damaged} stored batch PDF(s) in the archive no longer match their SHA-256: the archive is damaged`);
    // An archive from before evidence attachments has no such table: nothing to check there.
    const hasAttachments = (await database.query<{ found: string | null }>(`select to_regclass('public.claim_attachments')::text as found`)).rows[0]!.found !== null;
    const damagedFiles = hasAttachments ? await count(`select count(*)::int as n from claim_attachments where encode(sha256(content), 'hex') <> sha256`) : 0;
    if (damagedFiles > 0) throw new CommandRefused(`${damagedFiles} evidence file(s) in the archive no longer match their SHA-256: the archive is damaged`);
    const lastChange = (await database.query<{ at: string | null }>(`select max(at)::text as at from audit_events`)).rows[0]!.at;
    return {
      migrations,
      users: await count('select count(*)::int as n from users'),
      children: await count('select count(*)::int as n from children'),
      claims: await count('select count(*)::int as n from claims'),
      batches: await count('select count(*)::int as n from batches'),
      attachments: hasAttachments ? await count('select count(*)::int as n from claim_attachments') : 0,
      lastChange,
    };
  } finally {
    await database.close();
  }
}

/** Whether a data folder holds a database (anything in it, beyond an empty folder). */
function holdsDatabase(dataDir: string): boolean {
  return existsSync(dataDir) && readdirSync(dataDir).length > 0;
}

/**
 * Restores `archive` into `dataDir`. Refused while another process holds the folder (the lock is
 * kept for the whole restore, so the service cannot start half-way), and refused when the folder
 * holds a database unless `replace`, which moves it to `<dataDir>.replaced-<time>`.
 */
export async function restoreArchive(options: { archive: string; dataDir: string; replace: boolean; now: Date }) {
  if (!existsSync(options.archive)) throw new CommandRefused(`no file ${options.archive}`);
  const bytes = readFileSync(options.archive);
  const summary = await checkArchive(bytes);
  const lock = await lockDataDir(options.dataDir, `a restore of ${options.archive}`);
  try {
    let movedTo: string | null = null;
    if (holdsDatabase(lock.dataDir)) {
      if (!options.replace) {
        throw new CommandRefused(`${lock.dataDir} holds a database already; add --replace to move it aside (to ${lock.dataDir}.replaced-<time>) and restore in its place`);
      }
      movedTo = `${lock.dataDir}.replaced-${backupFileName(options.now).replace(/^rehab-backup-|\.tar\.gz$/g, '')}`;
      renameSync(lock.dataDir, movedTo);
      privateFolder(lock.dataDir);
    }
    const restored = await PGlite.create(lock.dataDir, { loadDataDir: new Blob([bytes]) });
    try {
      // Brought up to this version's schema now, as the next start would.
      await migrate(drizzle({ client: restored, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await restored.close();
    }
    // The archive's files come out 0666, as PGlite writes them: closed to others again.
    makePrivate(lock.dataDir);
    return { summary, dataDir: lock.dataDir, movedTo };
  } finally {
    await lock.release();
  }
}
