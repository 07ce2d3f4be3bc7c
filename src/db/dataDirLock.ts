import { createHash } from 'node:crypto';
import { realpathSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { privateFolder } from './fileModes.js';

// One process per embedded data folder. PGlite takes no lock of its own: two processes on one
// DATA_DIR both serve, and acknowledged writes vanish. PostgreSQL refuses a second postmaster on a
// data directory; this does the same for the embedded database.
//
// The lock is a local socket that only one process can listen on, named after the folder's real
// path: on Linux an abstract Unix socket, on Windows a named pipe. The kernel gives the name to one
// process and frees it the moment that process ends, however it ends (SIGKILL, a crash, power
// loss), so a lock is never left behind to take over and a pid file cannot be wrong about it. The
// holder answers a connection with who it is, which a refused start prints. Elsewhere (macOS) the
// socket is a file in the folder; one left by a killed process refuses connections and is removed.

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /** What the holder is doing with the folder ("the service on http://…", "a restore"). */
  purpose: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      `the data folder ${dataDir} is in use by ${
        holder ? `process ${holder.pid} on ${holder.host} (${holder.purpose}, since ${holder.since})` : 'another process'
      }: one process at a time may open an embedded database. Stop that process first, or give this one another DATA_DIR.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly dataDir: string;
  /** Says what the holder does now, for a refused start to print. */
  describe(purpose: string): void;
  release(): Promise<void>;
}

function socketPath(realDataDir: string): string {
  const digest = createHash('sha256').update(realDataDir).digest('hex').slice(0, 40);
  if (process.platform === 'linux') return `\0rehab-settlement-data-${digest}`;
  if (process.platform === 'win32') return `\\\\.\\pipe\\rehab-settlement-data-${digest}`;
  return join(realDataDir, '.lock.sock');
}

/** Asks the holder of a lock who it is; null when nobody answers within a second. */
function askHolder(path: string): Promise<LockHolder | null | 'refused'> {
  return new Promise((resolve) => {
    const socket = net.connect(path);
    let answer = '';
    const timer = setTimeout(() => finish(null), 1000);
    const finish = (value: LockHolder | null | 'refused') => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('end', () => {
      try {
        finish(JSON.parse(answer) as LockHolder);
      } catch {
        finish(null);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'refused' : null));
  });
}

function listen(server: net.Server, path: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => resolve(error);
    server.once('error', onError);
    server.listen(path, () => {
      server.off('error', onError);
      resolve(null);
    });
  });
}

/**
 * Takes the data folder for this process, creating the folder if need be; refuses at once with
 * DataDirLockedError when another process holds it. Call before anything opens the folder.
 */
export async function lockDataDir(dataDir: string, purpose: string): Promise<DataDirLock> {
  // The folder is the county's alone (security.md §5): made 0700, and an existing one closed to others.
  privateFolder(dataDir);
  const realDataDir = realpathSync(dataDir);
  const path = socketPath(realDataDir);
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
  const server = net.createServer((connection) => connection.end(JSON.stringify(holder)));
  let failure = await listen(server, path);
  if (failure?.code === 'EADDRINUSE') {
    const answer = await askHolder(path);
    // A socket file left by a process that was killed: nobody listens on it any more.
    if (answer === 'refused' && !path.startsWith('\0') && !path.startsWith('\\\\')) {
      try {
        unlinkSync(path);
      } catch {
        // Removed by another starter at the same moment; listening again decides between us.
      }
      failure = await listen(server, path);
      if (failure?.code === 'EADDRINUSE') throw new DataDirLockedError(realDataDir, await askHolder(path).then((again) => (again === 'refused' ? null : again)));
    } else {
      throw new DataDirLockedError(realDataDir, answer === 'refused' ? null : answer);
    }
  }
  if (failure) throw failure;
  // The lock must not keep a tool's process alive once its work is done.
  server.unref();
  return {
    dataDir: realDataDir,
    describe(newPurpose) {
      holder.purpose = newPurpose;
    },
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
