import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AppError } from '../http/errors.js';
import { runTask, type Task, type TaskKind, type TaskResult, type Tasks } from './tasks.js';

// Heavy work off the request thread. One Node process serves every user of a county (and, on the
// embedded database, runs the database too): a 100,000-line PDF laid out in one synchronous run
// would hold every other request for tens of seconds. The pool's worker threads (piscina, as many
// as the cores less the request thread, at least one) take the task as plain data and answer
// bytes; the request thread only waits. A task that fails inside a worker, or a worker that dies
// (and is replaced), fails its own request with 503 SERVICE_UNAVAILABLE and nothing else.

export interface Offload {
  run<K extends TaskKind>(kind: K, input: Tasks[K]['input']): Promise<Tasks[K]['output']>;
  /** Starts every thread and loads what the tasks need, so that the first PDF waits for neither. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

function unwrap<K extends TaskKind>(result: TaskResult<K>): Tasks[K]['output'] {
  if (!result.ok) throw new AppError(result.refusal.code, result.refusal.message, result.refusal.details);
  return result.output;
}

/** The same tasks in the calling thread: for tools and tests that need no pool. */
export const inProcess: Offload = {
  async run(kind, input) {
    return unwrap(await runTask({ kind, input } as Task) as TaskResult<typeof kind>);
  },
  async warm() {},
  async close() {},
};

export interface PoolOptions {
  /** Worker threads; default the cores less one, at least one. */
  threads?: number;
  /** The worker's entry; default the one beside this module (from source: through tsx). */
  filename?: string;
  /** Told of a task that failed inside a worker (for the log). */
  onFailure?: (kind: TaskKind, error: unknown) => void;
  /**
   * Keep every thread alive once started (the service): a thread that has to start first makes
   * the first PDF after a quiet spell take a second longer. Without it (tests, tools) threads
   * start with the first task and end when idle.
   */
  keepWarm?: boolean;
}

export function createWorkerPool(options: PoolOptions = {}): Offload {
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = options.filename ?? new URL(fromSource ? './tasks.worker.source.mjs' : './tasks.worker.js', import.meta.url).href;
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  const pool = new Piscina({
    filename,
    minThreads: options.keepWarm ? threads : 0,
    maxThreads: threads,
    idleTimeout: 30_000,
  });
  const offload: Offload = {
    async run(kind, input) {
      let result: TaskResult<typeof kind>;
      try {
        result = (await pool.run({ kind, input } satisfies Task)) as TaskResult<typeof kind>;
      } catch (error) {
        options.onFailure?.(kind, error);
        throw new AppError('SERVICE_UNAVAILABLE', `the ${kind === 'readSpreadsheet' ? 'file' : 'document'} could not be processed just now; try again`);
      }
      return unwrap(result);
    },
    async warm() {
      await Promise.all(Array.from({ length: threads }, () => offload.run('warmUp', {})));
    },
    async close() {
      await pool.destroy();
    },
  };
  return offload;
}
