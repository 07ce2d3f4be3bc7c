import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { inject } from 'vitest';
import { buildApp, type AppDependencies } from '../../src/app.js';
import { createBackupsService, type BackupsService } from '../../src/backups/backups.service.js';
import { createUsersService } from '../../src/auth/users.service.js';
import { checkCharacter } from '../../src/children/idNumber.js';
import { openDatabase, type Database, type DatabaseHandle } from '../../src/db/client.js';
import type { App } from '../../src/http/types.js';
import { ephemeralKeyring, type ServiceKeyring } from '../../src/keys/serviceKeys.js';

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

export async function createTestApp(options: { clock?: TestClock } & Pick<AppDependencies, 'logger' | 'onRoute' | 'webRoot' | 'offload'> = {}): Promise<TestApp> {
  const clock = options.clock ?? new TestClock();
  const { handle, databaseUrl, drop } = await openTestDatabase();
  await createUsersService({ db: handle.db }).bootstrapAdmin(ADMIN_TOKEN);
  const backupDir = mkdtempSync(join(tmpdir(), 'rehab-test-backups-'));
  const backups = createBackupsService({ db: handle.db, snapshot: handle.snapshot, dir: backupDir, keep: 2 });
  const keyring = ephemeralKeyring();
  const app = await buildApp({ db: handle.db, keyring, clock: clock.now, logger: options.logger, onRoute: options.onRoute, webRoot: options.webRoot, backups, offload: options.offload });
  await app.ready();
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

export interface Client {
  token: string | undefined;
  get<T = any>(url: string): Promise<Response<T>>;
  post<T = any>(url: string, body?: unknown): Promise<Response<T>>;
  put<T = any>(url: string, body?: unknown): Promise<Response<T>>;
  request<T = any>(method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', url: string, body?: unknown, headers?: Record<string, string>): Promise<Response<T>>;
}

export function client(app: App, token?: string): Client {
  async function request(method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', url: string, body?: unknown, headers: Record<string, string> = {}) {
    const allHeaders: Record<string, string> = { ...headers };
    if (token) allHeaders.authorization = `Bearer ${token}`;
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
    token,
    request,
    get: (url) => request('GET', url),
    post: (url, body = {}) => request('POST', url, body),
    put: (url, body) => request('PUT', url, body),
  };
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
