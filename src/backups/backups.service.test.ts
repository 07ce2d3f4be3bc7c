import { describe, expect, it } from 'vitest';
import { startBackupSchedule, type BackupsService } from './backups.service.js';

// The schedule with a fake backup service and a fake timer: what runs when, and what a failure does.

function harness(options: { newest: Date | null; fail?: number }) {
  let now = new Date('2026-11-23T10:00:00+08:00');
  const timers: { at: number; run: () => void }[] = [];
  const taken: string[] = [];
  const log: string[] = [];
  let failuresLeft = options.fail ?? 0;
  const backups = {
    newest: async () => (options.newest ? { file: 'x', takenAt: options.newest } : null),
    takeNow: async (_context: unknown, at: Date) => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('disk full');
      }
      taken.push(at.toISOString());
      return { file: `/backups/${at.toISOString()}`, bytes: 1, sha256: '0', takenAt: at };
    },
  } as unknown as BackupsService;
  const stop = startBackupSchedule(backups, {
    clock: () => now,
    log: { info: (_data, message) => log.push(`info ${message}`), error: (_data, message) => log.push(`error ${message}`) },
    setTimer: (run, delayMs) => {
      timers.push({ at: now.getTime() + delayMs, run });
      return {};
    },
  });
  /** Moves the clock to the next timer and runs it. */
  const tick = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift()!;
    now = new Date(next.at);
    next.run();
    await new Promise((resolve) => setTimeout(resolve, 0));
    return now.toISOString();
  };
  return { tick, taken, log, stop, timers };
}

describe('the automatic backup schedule', () => {
  it('no backup yet: one at start-up, then every day at 02:00 China time', async () => {
    const schedule = harness({ newest: null });
    expect(await schedule.tick()).toBe('2026-11-23T02:00:00.000Z');
    expect(schedule.taken).toEqual(['2026-11-23T02:00:00.000Z']);
    expect(await schedule.tick()).toBe(new Date('2026-11-24T02:00:00+08:00').toISOString());
    expect(await schedule.tick()).toBe(new Date('2026-11-25T02:00:00+08:00').toISOString());
    expect(schedule.taken).toHaveLength(3);
  });

  it('a backup from this morning: nothing at start-up, the next at 02:00', async () => {
    const schedule = harness({ newest: new Date('2026-11-23T02:00:00+08:00') });
    expect(await schedule.tick()).toBe(new Date('2026-11-24T02:00:00+08:00').toISOString());
    expect(schedule.taken).toHaveLength(1);
  });

  it('a failed backup is logged and tried again an hour later; the schedule goes on', async () => {
    const schedule = harness({ newest: null, fail: 2 });
    await schedule.tick();
    expect(schedule.log.at(-1)).toMatch(/^error backup failed; trying again at 2026-11-23T03:00:00/);
    expect(await schedule.tick()).toBe('2026-11-23T03:00:00.000Z');
    expect(await schedule.tick()).toBe('2026-11-23T04:00:00.000Z');
    expect(schedule.taken).toEqual(['2026-11-23T04:00:00.000Z']);
    expect(await schedule.tick()).toBe(new Date('2026-11-24T02:00:00+08:00').toISOString());
  });

  it('stopped, it takes no more backups', async () => {
    const schedule = harness({ newest: null });
    schedule.stop();
    await schedule.tick().catch(() => undefined);
    expect(schedule.taken).toEqual([]);
  });
});
