import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { inject } from 'vitest';
import { buildApp, type AppDependencies } from '../../src/app.js';
import { createBackupsService, type BackupsService } from '../../src/backups/backups.service.js';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from '../../src/auth/settings.js';
import { createUsersService } from '../../src/auth/users.service.js';
import { checkCharacter } from '../../src/domain/idNumber.js';
import { openDatabase, type Database, type DatabaseHandle } from '../../src/db/client.js';
import type { App } from '../../src/http/types.js';
import { ephemeralKeyring, type ServiceKeyring } from '../../src/keys/serviceKeys.js';
import { SESSION_COOKIE } from '../../src/auth/authenticator.js';

// One service per test file, on the database of the running vitest project: an in-memory PGlite
// (project "pglite") or a fresh database on the run's PostgreSQL server (project "postgres").

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** A clock the tests move by hand; every date rule of the service reads it. */
export class TestClock {
  private instant: Date;
  constructor(iso = '2026-11-22T10:00:00+08:00') {
    this.instant = new Date(iso);
  }
  set(iso: string) {
    this.instant = new Date(iso);
  }
  now = () => new Date(this.instant);
}

const clocks = new WeakMap<App, TestClock>();
/** The clock of a test app (the service's "today" for what the support code sends). */
export function clockOf(app: App): TestClock {
  const clock = clocks.get(app);
  if (!clock) throw new Error('not an app of createTestApp');
  return clock;
}

export interface TestApp {
  app: App;
  db: Database;
  kind: 'pglite' | 'postgres';
  clock: TestClock;
  /** Opens a second database handle on the same database (PostgreSQL only), e.g. for a second service. */
  databaseUrl: string | null;
  /** The backups service of this app (snapshots of the embedded database; none on PostgreSQL), keeping 2 in `backupDir`. */
  backups: BackupsService;
  backupDir: string;
  /** The service key ring of this app (in memory): seals the audit trail, keys the access log's HMACs. */
  keyring: ServiceKeyring;
  close(): Promise<void>;
}

async function openTestDatabase(): Promise<{ handle: DatabaseHandle; databaseUrl: string | null; drop(): Promise<void> }> {
  if (process.env.TEST_DB !== 'postgres') {
    return { handle: await openDatabase({ dataDir: 'memory://' }), databaseUrl: null, drop: async () => {} };
  }
  const serverUrl = inject('postgresUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const databaseUrl = serverUrl.replace(/\/[^/]*$/, `/${name}`);
  const handle = await openDatabase({ databaseUrl, dataDir: 'unused', poolSize: 20 });
  return {
    handle,
    databaseUrl,
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * How most HTTP tests sign people in: no second factor (security.md allows REQUIRE_SECOND_FACTOR=none
 * for a test), sessions that outlast the years the tests move the clock across, passwords that do
 * not age, and a cheap argon2id (thousands of sign-ins). The tests of sign-in itself (auth-*.test.ts)
 * pass the settings they check.
 */
export const TEST_AUTH_SETTINGS: AuthSettings = {
  ...DEFAULT_AUTH_SETTINGS,
  requireSecondFactor: 'none',
  sessionIdleMinutes: 100 * 366 * 24 * 60,
  sessionMaxHours: 100 * 366 * 24,
  passwordMaxAgeDays: 0,
  passwordHashCost: { memoryKiB: 1024, passes: 1 },
};

export async function createTestApp(
  options: { clock?: TestClock; auth?: Partial<AuthSettings> } & Pick<AppDependencies, 'logger' | 'onRoute' | 'webRoot' | 'offload' | 'trustProxy'> = {},
): Promise<TestApp> {
  const clock = options.clock ?? new TestClock();
  const { handle, databaseUrl, drop } = await openTestDatabase();
  await createUsersService({ db: handle.db }).bootstrapAdmin(ADMIN_TOKEN, clock.now());
  const backupDir = mkdtempSync(join(tmpdir(), 'rehab-test-backups-'));
  const backups = createBackupsService({ db: handle.db, snapshot: handle.snapshot, dir: backupDir, keep: 2 });
  const keyring = ephemeralKeyring();
  const app = await buildApp({
    db: handle.db,
    keyring,
    clock: clock.now,
    auth: { ...TEST_AUTH_SETTINGS, ...options.auth },
    logger: options.logger,
    onRoute: options.onRoute,
    webRoot: options.webRoot,
    backups,
    offload: options.offload,
    trustProxy: options.trustProxy,
  });
  await app.ready();
  clocks.set(app, clock);
  return {
    app,
    db: handle.db,
    kind: handle.kind,
    clock,
    databaseUrl,
    backups,
    backupDir,
    keyring,
    async close() {
      await app.close();
      await handle.close();
      await drop();
      rmSync(backupDir, { recursive: true, force: true });
    },
  };
}

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  rawPayload: Buffer;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface Client {
  /** The app the client calls (to make more clients of it). */
  app: App;
  /** The bearer token of an API client; undefined for a session or no credential. */
  token: string | undefined;
  /** A session client's cookie value and CSRF token (what a browser holds). */
  session: { cookie: string; csrfToken: string } | undefined;
  get<T = any>(url: string): Promise<Response<T>>;
  post<T = any>(url: string, body?: unknown): Promise<Response<T>>;
  put<T = any>(url: string, body?: unknown): Promise<Response<T>>;
  delete<T = any>(url: string, body?: unknown): Promise<Response<T>>;
  request<T = any>(method: Method, url: string, body?: unknown, headers?: Record<string, string>): Promise<Response<T>>;
}

function makeClient(app: App, credential: { token?: string; session?: { cookie: string; csrfToken: string } }): Client {
  const { token, session } = credential;
  async function request(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const allHeaders: Record<string, string> = {};
    if (token) allHeaders.authorization = `Bearer ${token}`;
    if (session) {
      allHeaders.cookie = `${SESSION_COOKIE}=${session.cookie}`;
      if (method !== 'GET') allHeaders['x-csrf-token'] = session.csrfToken;
    }
    Object.assign(allHeaders, headers);
    let payload: string | Buffer | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      allHeaders['content-type'] ??= 'application/json';
    }
    const response = await app.inject({ method, url, headers: allHeaders, payload });
    let parsed: unknown = null;
    try {
      parsed = response.body ? JSON.parse(response.body) : null;
    } catch {
      parsed = response.body;
    }
    return { status: response.statusCode, body: parsed as any, headers: response.headers, rawPayload: response.rawPayload };
  }
  return {
    app,
    token,
    session,
    request,
    get: (url) => request('GET', url),
    post: (url, body = {}) => request('POST', url, body),
    put: (url, body) => request('PUT', url, body),
    delete: (url, body) => request('DELETE', url, body),
  };
}

/** A client with a bearer token (an institution's API token, the bootstrap token), or none. */
export function client(app: App, token?: string): Client {
  return makeClient(app, { token });
}

/** A client of a signed-in session: its cookie, and its CSRF token on every unsafe request. */
export function sessionClient(app: App, session: { cookie: string; csrfToken: string }): Client {
  return makeClient(app, { session });
}

/** The session cookie a response set (sign-in). */
export function sessionCookieOf(response: Response): string | undefined {
  const header = response.headers['set-cookie'];
  const cookies = Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
  for (const cookie of cookies) {
    const [pair] = cookie.split(';');
    const [name, value] = pair!.split('=');
    if (name === SESSION_COOKIE && value) return value;
  }
  return undefined;
}

/** Signs in over HTTP and answers the session's client; fails the test when sign-in is refused. */
export async function signIn(app: App, username: string, password: string, otp?: string): Promise<Client & { signIn: any }> {
  const response = await client(app).post('/api/v1/auth/sign-in', { username, password, ...(otp ? { otp } : {}) });
  const cookie = sessionCookieOf(response);
  if (response.status !== 200 || !cookie) throw new Error(`sign-in of ${username} refused: ${response.status} ${JSON.stringify(response.body)}`);
  return Object.assign(sessionClient(app, { cookie, csrfToken: response.body.csrfToken }), { signIn: response.body });
}

/** A password that meets the policy, different each time. */
let passwordSequence = 0;
export function strongPassword(): string {
  passwordSequence += 1;
  return `Kx9#${randomBytes(6).toString('base64url')}q${passwordSequence}`;
}

/** Row counts of every table, to show that a refused request wrote nothing. */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  const tables = (await db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  )) as unknown as { rows?: { table_name: string }[] } & { table_name: string }[];
  const names = (tables.rows ?? tables).map((row) => row.table_name);
  const counts: Record<string, number> = {};
  for (const name of names) {
    const result = (await db.execute(sql.raw(`select count(*)::text as n from "${name}"`))) as unknown as { rows?: { n: string }[] } & { n: string }[];
    counts[name] = Number((result.rows ?? result)[0]!.n);
  }
  return counts;
}

// Resident ID numbers for tests (GB 11643), unique within a run of a test file.
let idSequence = 0;
export function idNumber(regionCode: string, birthDate: string, sex: 'male' | 'female' = 'male'): string {
  idSequence += 1;
  const sequence = (idSequence * 2 + (sex === 'male' ? 1 : 0)) % 1000;
  const body = `${regionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return body + checkCharacter(body);
}
