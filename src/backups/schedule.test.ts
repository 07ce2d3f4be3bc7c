import { describe, expect, it } from 'vitest';
import { backupDueAtStart, backupFileName, nextDailyRun, takenAtOf } from './schedule.js';

describe('the daily backup at 02:00 China time', () => {
  it.each([
    ['2026-11-23T10:00:00+08:00', '2026-11-24T02:00:00+08:00', 'during the day: tomorrow night'],
    ['2026-11-23T01:59:59+08:00', '2026-11-23T02:00:00+08:00', 'just before: tonight'],
    ['2026-11-23T02:00:00+08:00', '2026-11-24T02:00:00+08:00', 'exactly at 02:00: the next day'],
    ['2026-12-31T23:00:00+08:00', '2027-01-01T02:00:00+08:00', 'across the year'],
    ['2026-11-22T19:30:00Z', '2026-11-24T02:00:00+08:00', 'UTC evening = China morning of the 23rd'],
  ])('now %s → next %s (%s)', (now, next) => {
    expect(nextDailyRun(new Date(now)).toISOString()).toBe(new Date(next).toISOString());
  });

  it('at start-up a backup is due when there is none or the newest is more than a day old', () => {
    const now = new Date('2026-11-23T10:00:00+08:00');
    expect(backupDueAtStart(null, now)).toBe(true);
    expect(backupDueAtStart(new Date('2026-11-22T09:59:59+08:00'), now)).toBe(true);
    expect(backupDueAtStart(new Date('2026-11-22T10:00:00+08:00'), now)).toBe(false);
  });

  it('names a file with its China time and reads the time back', () => {
    const takenAt = new Date('2026-11-22T18:00:05Z');
    expect(backupFileName(takenAt)).toBe('rehab-backup-20261123-020005.tar.gz');
    expect(takenAtOf('rehab-backup-20261123-020005.tar.gz')!.toISOString()).toBe(takenAt.toISOString());
    expect(takenAtOf('notes.txt')).toBeNull();
    expect(takenAtOf('rehab-backup-20261123-020005.tar.gz.partial')).toBeNull();
  });
});
