import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

// The service as a real process (the built dist/src/main.js) on a database of its own, for the crash
// and load suites. Its output is kept, to check the logs for secrets.

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RELIABILITY_ADMIN_TOKEN = 'reliability-admin-token-0123456789';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function createDatabase(serverUrl: string, prefix: string) {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = serverUrl.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    sql: postgres(url, { max: 4, onnotice: () => {} }),
    async drop(this: { sql: postgres.Sql }) {
      await this.sql.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * The service key file of a database: every instance of the service on one database shares its
 * key, as an office's instances share DATA_KEY_FILE; kept in the system's temporary folder.
 */
export function keyFileOf(database: string): string {
  return join(tmpdir(), `rehab-keys-${createHash('sha256').update(database).digest('hex').slice(0, 16)}`, 'data.key');
}

/** npm run verify-audit (built) on a PostgreSQL database, with the key its services share. */
export function verifyAudit(databaseUrl: string, keyFile = keyFileOf(databaseUrl)): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, ['dist/src/audit/verifyAuditCommand.js'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, DATA_KEY_FILE: keyFile },
    encoding: 'utf8',
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

export class ServiceExitedError extends Error {
  constructor(
    readonly exitCode: number,
    readonly output: string,
  ) {
    super(`service exited at start with code ${exitCode}: ${output.slice(-2000)}`);
  }
}

export class ServiceProcess {
  private child: ChildProcess | null = null;
  output = '';
  readonly baseUrl: string;

  /**
   * `databaseUrl` empty runs the embedded database in `env.DATA_DIR`; `env` adds to or overrides
   * the service's environment.
   */
  constructor(
    private readonly databaseUrl: string,
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** The process id while it runs (benchmarks read its memory in /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The process's exit code once it has exited (a refused start), else null. */
  get exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    // SERVICE_NODE_ARGS lets a profiling run add flags such as --cpu-prof.
    const nodeArguments = (process.env.SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArguments, 'dist/src/main.js'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: this.databaseUrl,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        BOOTSTRAP_ADMIN_TOKEN: RELIABILITY_ADMIN_TOKEN,
        // The suites sign people in without a second factor (security.md allows it for a test).
        REQUIRE_SECOND_FACTOR: 'none',
        LOG_LEVEL: 'info',
        DATA_KEY_FILE: keyFileOf(this.databaseUrl || (this.env.DATA_DIR ?? 'data')),
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // If the driving process dies, the service goes with it.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new ServiceExitedError(child.exitCode, this.output);
      try {
        if ((await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) })).status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`service did not become healthy: ${this.output.slice(-2000)}`);
  }

  /** Kills the process at once, as a power cut or the OOM killer would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }
}

/** How a process-level client proves who it is: a bearer API token, or a session cookie with its CSRF token. */
export type Credential = string | { cookie: string; csrfToken: string };

/** The headers that carry a credential (the CSRF token on every method but GET). */
export function credentialHeaders(credential: Credential, method = 'GET'): Record<string, string> {
  if (typeof credential === 'string') return { authorization: `Bearer ${credential}` };
  return { cookie: `rehab_session=${credential.cookie}`, ...(method === 'GET' ? {} : { 'x-csrf-token': credential.csrfToken }) };
}

/** A small HTTP client on fetch; network failures (the service was killed) come back as status 0. */
export function api(baseUrl: string, credential: Credential) {
  async function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any; bytes?: Buffer }> {
    try {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { ...credentialHeaders(credential, method), ...(body === undefined ? {} : { 'content-type': contentType }) },
        body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('json')) return { status: response.status, body: await response.json() };
      return { status: response.status, body: null, bytes: Buffer.from(await response.arrayBuffer()) };
    } catch {
      return { status: 0, body: null };
    }
  }
  return {
    credential,
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
    put: (path: string, body: unknown) => call('PUT', path, body),
    /** A file as the request body (a CSV or XLSX upload). */
    upload: (path: string, body: string | Buffer, contentType: string) => call('POST', path, body, contentType),
  };
}

export type Api = ReturnType<typeof api>;

let passwordSequence = 0;

/** Signs a person in over HTTP: the session's cookie and CSRF token. */
export async function signInOverHttp(baseUrl: string, username: string, password: string): Promise<{ cookie: string; csrfToken: string }> {
  const response = await fetch(`${baseUrl}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const answer = (await response.json()) as { csrfToken?: string };
  const cookie = response.headers.getSetCookie().map((line) => /^rehab_session=([^;]+)/.exec(line)?.[1]).find(Boolean);
  if (response.status !== 200 || !cookie || !answer.csrfToken) throw new Error(`sign-in of ${username} refused: ${response.status} ${JSON.stringify(answer)}`);
  return { cookie, csrfToken: answer.csrfToken };
}

/**
 * An account made as an office makes one (security.md §1): the admin creates it, the owner activates
 * it with a password and signs in; an institution's system then holds an API token made in that
 * session, every other role works in the session (the service runs with REQUIRE_SECOND_FACTOR=none).
 */
export async function signUp(baseUrl: string, admin: Api, body: Record<string, unknown>) {
  const created = await admin.post('/api/v1/users', body);
  if (created.status !== 201) throw new Error(`user not created: ${created.status} ${JSON.stringify(created.body)}`);
  const { id, username, activationCode } = created.body as { id: string; username: string; activationCode: string };
  passwordSequence += 1;
  const password = `Kx9#${randomBytes(6).toString('base64url')}q${passwordSequence}`;
  const activated = await fetch(`${baseUrl}/api/v1/auth/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, activationCode, password }) });
  if (activated.status !== 200) throw new Error(`activation refused: ${activated.status} ${await activated.text()}`);
  const session = await signInOverHttp(baseUrl, username, password);
  let credential: Credential = session;
  if (body.role === 'institution') {
    const made = await api(baseUrl, session).post('/api/v1/me/tokens', { name: '机构系统' });
    if (made.status !== 201) throw new Error(`API token not made: ${made.status} ${JSON.stringify(made.body)}`);
    credential = made.body.token as string;
  }
  const secrets = [password, session.cookie, session.csrfToken, ...(typeof credential === 'string' ? [credential] : [])];
  return { id, username, password, credential, api: api(baseUrl, credential), secrets };
}
