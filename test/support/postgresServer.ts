import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Starts a throw-away PostgreSQL 15 cluster in a temporary folder, listening on 127.0.0.1 and a
// unix socket, for tests and benchmarks. Run as root, it runs the server as the `postgres` user
// (initdb refuses root).

export interface PostgresServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

function findBinaries(): string {
  const candidates = [process.env.PG_BIN, '/usr/lib/postgresql/15/bin'];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // pg_config is optional.
  }
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL 15 ' +
        "(Debian: apt-get install -y postgresql) or set PG_BIN to its bin folder. '.ci/run' installs it.",
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function run(asPostgresUser: boolean, command: string, args: string[]) {
  const result = asPostgresUser
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findBinaries();
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'rehab-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  if (isRoot) {
    spawnSync('sh', ['-c', 'id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres']);
    execFileSync('chmod', ['755', dir]);
    execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', '-m', '700', dataDir]);
    execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', '-m', '755', socketDir]);
  } else {
    execFileSync('mkdir', ['-p', '-m', '700', dataDir]);
    execFileSync('mkdir', ['-p', socketDir]);
  }
  run(isRoot, join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${socketDir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=300',
    // A throw-away cluster: durability is not what these tests measure.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  run(isRoot, join(bin, 'pg_ctl'), ['-D', dataDir, '-l', join(socketDir, 'log'), '-w', '-t', '60', '-o', serverOptions, 'start']);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(isRoot, join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
