import { execFileSync } from 'node:child_process';
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
