import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

// Shared pieces of the benchmarks: medians, concurrency, the machine's description.

export interface Figure {
  value: number;
  baseline: number | null;
  ratio: number | null;
  unit: string;
  runs: number[];
  baselineRuns: number[];
  note: string;
  /** The day the figure was measured (a run of some figures keeps the others as they were). */
  measured?: string;
  /** Each pair's ratio: baseline and measured figure run back to back (A B A B …). */
  pairRatios?: number[];
  /** Where the CPU went, in ms per item (median over the runs), for figures that measure it. */
  cpuMsPerItem?: { measured: CpuSplit; baseline: CpuSplit };
}

/** CPU time of the processes of one run, in ms per item. */
export interface CpuSplit {
  loadGenerator: number;
  service: number;
  postgres: number;
}

// /proc counts CPU time in clock ticks of USER_HZ, which Linux fixes at 100 a second for user space.
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process and its waited-for children, from its /proc stat line. */
function processCpuSeconds(stat: string): number {
  // The fields after the command name: utime, stime, cutime, cstime are the 12th to 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}

function readStat(pid: number | string): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Measures the CPU that the load generator (this process), the service (by pid) and every
 * PostgreSQL process spend while `work` runs. A ratio says how fast the service is beside its
 * baseline; this says which process a change of either moved (a baseline whose statements got a
 * worse plan shows as PostgreSQL time, not as load-generator time).
 */
export async function measureCpu<T>(servicePid: number | undefined, items: number, work: () => Promise<T>): Promise<{ result: T; cpu: CpuSplit }> {
  const postgresSeconds = () => {
    let seconds = 0;
    let entries: string[] = [];
    try {
      entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    } catch {
      // No /proc (not Linux): the split reads as zeros.
    }
    for (const entry of entries) {
      const stat = readStat(entry);
      if (stat?.includes('(postgres)')) seconds += processCpuSeconds(stat);
    }
    return seconds;
  };
  const serviceSeconds = () => {
    const stat = servicePid === undefined ? null : readStat(servicePid);
    return stat ? processCpuSeconds(stat) : 0;
  };
  const before = { self: process.cpuUsage(), service: serviceSeconds(), postgres: postgresSeconds() };
  const result = await work();
  const self = process.cpuUsage(before.self);
  const perItem = (seconds: number) => round((seconds * 1000) / items, 3);
  return {
    result,
    cpu: {
      loadGenerator: perItem((self.user + self.system) / 1e6),
      service: perItem(serviceSeconds() - before.service),
      postgres: perItem(postgresSeconds() - before.postgres),
    },
  };
}

/** The median of each part of several CPU splits. */
export function medianSplit(splits: CpuSplit[]): CpuSplit {
  return {
    loadGenerator: median(splits.map((split) => split.loadGenerator)),
    service: median(splits.map((split) => split.service)),
    postgres: median(splits.map((split) => split.postgres)),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Runs `work(index)` for every index with at most `concurrency` at a time. */
export async function withConcurrency(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        await work(index);
      }
    }),
  );
}

export function machine(postgresVersion: string) {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  return {
    date: new Date().toISOString(),
    cpu,
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    postgres: postgresVersion,
    os: `${os.type()} ${os.release()}`,
    git: (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
      } catch {
        return 'unknown';
      }
    })(),
  };
}
