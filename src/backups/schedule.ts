// When the embedded database's automatic backups run: every day at 02:00 China time, and at
// start-up when the newest backup is more than a day old; a failed one is tried again an hour
// later. Pure functions of the clock, so they are tested without waiting for 02:00.

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export const BACKUP_HOUR_CHINA = 2;
export const RETRY_AFTER_FAILURE_MS = HOUR_MS;

/** The next 02:00 in China strictly after `now`. */
export function nextDailyRun(now: Date): Date {
  const chinaNow = now.getTime() + CHINA_OFFSET_MS;
  const chinaMidnight = Math.floor(chinaNow / DAY_MS) * DAY_MS;
  let run = chinaMidnight + BACKUP_HOUR_CHINA * HOUR_MS;
  if (run <= chinaNow) run += DAY_MS;
  return new Date(run - CHINA_OFFSET_MS);
}

/** Whether start-up should take a backup: none yet, or the newest older than a day. */
export function backupDueAtStart(newestTakenAt: Date | null, now: Date): boolean {
  return newestTakenAt === null || now.getTime() - newestTakenAt.getTime() > DAY_MS;
}

/** rehab-backup-20261123-020000.tar.gz: the China date and time the backup was taken. */
export function backupFileName(takenAt: Date): string {
  const china = new Date(takenAt.getTime() + CHINA_OFFSET_MS).toISOString();
  return `rehab-backup-${china.slice(0, 10).replaceAll('-', '')}-${china.slice(11, 19).replaceAll(':', '')}.tar.gz`;
}

const FILE_NAME = /^rehab-backup-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.tar\.gz$/;

/** The instant a backup file was taken, read from its name; null for any other file. */
export function takenAtOf(fileName: string): Date | null {
  const match = FILE_NAME.exec(fileName);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  return new Date(Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`) - CHINA_OFFSET_MS);
}
