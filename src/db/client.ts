import { readFileSync } from 'node:fs';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataDir, type DataDirLock } from './dataDirLock.js';
import { makePrivate } from './fileModes.js';

/**
 * Both drivers give a PgDatabase; the rest of the service sees only this type. It has no schema:
 * the service writes its queries with the query builder, and given a schema drizzle builds a
 * relational query object for every table each time a transaction opens (a profile of submissions
 * showed it as 1 % of the service's CPU, for nothing used).
 */
type NoSchema = Record<string, never>;
export type Database = PgDatabase<PgQueryResultHKT, NoSchema>;
export type Transaction = PgTransaction<PgQueryResultHKT, NoSchema, ExtractTablesWithRelations<NoSchema>>;
/** Anything a repository can run a query on: the database or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** The embedded database's folder lock, held until close (none in memory or on PostgreSQL). */
  lock: DataDirLock | null;
  /** Migrations this opening applied (0 when the schema was up to date). */
  migrationsApplied: number;
  /**
   * A consistent copy of the embedded database as a gzipped tar of its data folder, taken while
   * it serves; null on PostgreSQL, whose backups are pg_dump's work.
   */
  snapshot: (() => Promise<Buffer>) | null;
  close(): Promise<void>;
}

/** The project's migrations/, found from this file in src/db/ or its build in dist/src/db/. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL(import.meta.url.includes('/dist/src/') ? '../../../migrations' : '../../migrations', import.meta.url));

/** A key for pg_advisory_lock, so that two processes starting together do not migrate twice. */
const MIGRATION_LOCK_KEY = 7_284_116_305;

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
}

/** Opens the database and applies every pending migration before returning. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir);
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  // One process per data folder, decided before anything in the folder is opened.
  const lock = dataDir.startsWith('memory://') ? null : await lockDataDir(dataDir, 'the service');
  try {
    const client = await PGlite.create(dataDir);
    // PGlite writes its files 0666: the folder is 0700 (the lock made it so), and its files 0600.
    if (lock) makePrivate(lock.dataDir);
    const db = drizzlePglite({ client });
    const before = await appliedMigrations(db as unknown as Database);
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    const migrationsApplied = (await appliedMigrations(db as unknown as Database)) - before;
    return {
      db: db as unknown as Database,
      kind: 'pglite',
      lock,
      migrationsApplied,
      async snapshot() {
        // A checkpoint first, so the copy holds the data pages rather than a long WAL to replay;
        // then the copy under PGlite's transaction mutex, so it is taken between transactions,
        // never inside one (its query mutex alone would let a copy fall between two statements).
        await client.exec('CHECKPOINT');
        const archive = await client._runExclusiveTransaction(() => client.dumpDataDir('gzip'));
        return Buffer.from(await archive.arrayBuffer());
      },
      async close() {
        await client.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/**
 * TLS to PostgreSQL from DATABASE_URL's libpq parameters: postgres.js reads `sslmode` itself
 * (`require` encrypts; `verify-full` also checks the server against the system's authorities),
 * but not a certificate file in `sslrootcert`: with one, the connection trusts that authority only
 * and checks the server's name (`verify-full`) or the chain alone (`verify-ca`).
 */
export function postgresConnection(databaseUrl: string): { url: string; ssl: ConnectionOptions | undefined } {
  const url = new URL(databaseUrl);
  const rootCert = url.searchParams.get('sslrootcert');
  const mode = url.searchParams.get('sslmode');
  if (!rootCert || rootCert === 'system' || (mode !== 'verify-full' && mode !== 'verify-ca')) return { url: databaseUrl, ssl: undefined };
  url.searchParams.delete('sslrootcert');
  url.searchParams.delete('sslmode');
  return {
    url: url.toString(),
    ssl: { ca: readFileSync(rootCert), rejectUnauthorized: true, checkServerIdentity: mode === 'verify-full' ? checkServerIdentity : () => undefined },
  };
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<DatabaseHandle> {
  const connection = postgresConnection(databaseUrl);
  databaseUrl = connection.url;
  const quiet = { onnotice: () => {}, ...(connection.ssl ? { ssl: connection.ssl } : {}) };
  // Migrate on a dedicated connection holding a session advisory lock.
  const migrationClient = postgres(databaseUrl, { ...quiet, max: 1 });
  let migrationsApplied: number;
  try {
    await migrationClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    const migrationDb = drizzlePostgres({ client: migrationClient });
    const before = await appliedMigrations(migrationDb as unknown as Database);
    await migratePostgres(migrationDb, { migrationsFolder: MIGRATIONS_FOLDER });
    migrationsApplied = (await appliedMigrations(migrationDb as unknown as Database)) - before;
    await migrationClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await migrationClient.end();
  }
  const client = postgres(databaseUrl, { ...quiet, max: poolSize });
  const db = drizzlePostgres({ client: preparingStatements(client) });
  return {
    db: db as unknown as Database,
    kind: 'postgres',
    lock: null,
    migrationsApplied,
    snapshot: null,
    close: () => client.end({ timeout: 5 }),
  };
}

/** How many migrations the database has recorded (drizzle keeps them in drizzle.__drizzle_migrations). */
async function appliedMigrations(db: Database): Promise<number> {
  const result = (await db.execute(sql`select count(*)::int as n from information_schema.tables where table_schema = 'drizzle' and table_name = '__drizzle_migrations'`)) as unknown as
    | { rows: { n: number }[] }
    | { n: number }[];
  const exists = ('rows' in result ? result.rows : result)[0]!.n > 0;
  if (!exists) return 0;
  const counted = (await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as { rows: { n: number }[] } | { n: number }[];
  return ('rows' in counted ? counted.rows : counted)[0]!.n;
}

/** A PostgreSQL URL as the logs may show it: host, port and database, never the password. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}${url.username ? ` as ${decodeURIComponent(url.username)}` : ''}`;
  } catch {
    return 'the DATABASE_URL given';
  }
}

/**
 * drizzle sends each query through postgres.js with `prepare: false`, so PostgreSQL parses and
 * plans every statement on every call. The service runs the same few dozen statements all day:
 * this wrapper lets postgres.js prepare each once per connection (keyed by its text), in
 * transactions and savepoints too. Measured in bench/: it is most of the difference between the
 * service and the same statements sent by hand. postgres.js sends a query without parameters by
 * the simple protocol, parsed and planned every time (the calendar and the regions' settings are
 * read so on every claim's answer), so such a query is prepared too, unless its text may hold
 * several statements, which only the simple protocol takes.
 */
function preparingStatements<T extends postgres.Sql>(sql: T): T {
  // The functions are made once per wrapped client: drizzle reads `unsafe` for every query, and a
  // new closure or bound function per read showed in the profile of submissions.
  const functions = new Map<PropertyKey, unknown>();
  const unsafe = (query: string, parameters?: unknown[], options?: object) => {
    const single = !query.includes(';');
    return sql.unsafe(query, parameters as never, { ...(single ? { simple: false } : {}), ...options, prepare: true });
  };
  const inner = (property: 'begin' | 'savepoint') => (...args: unknown[]) => {
    const callback = args.at(-1) as (client: postgres.Sql) => unknown;
    const rest = args.slice(0, -1);
    return (sql as unknown as Record<string, (...a: unknown[]) => unknown>)[property]!(...rest, (client: postgres.Sql) => callback(preparingStatements(client)));
  };
  functions.set('unsafe', unsafe);
  functions.set('begin', inner('begin'));
  functions.set('savepoint', inner('savepoint'));
  return new Proxy(sql, {
    get(target, property, receiver) {
      const known = functions.get(property);
      if (known) return known;
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const bound = value.bind(target);
      functions.set(property, bound);
      return bound;
    },
  });
}

/**
 * Runs a transaction again when PostgreSQL aborted it as a deadlock victim or a serialization
 * failure: the work is whole or nothing, so a second try is safe. After the last try the error
 * escapes and the client is told to retry (503).
 */
export async function retryingConflicts<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const state = sqlState(error);
      if ((state !== '40P01' && state !== '40001') || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/** The SQLSTATE of a database error; drizzle wraps driver errors, so look at the cause too. */
export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The name of the constraint a unique or check violation names, when the driver says it. */
export function violatedConstraint(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const record = current as { constraint?: unknown; constraint_name?: unknown; cause?: unknown };
    if (typeof record.constraint === 'string') return record.constraint;
    if (typeof record.constraint_name === 'string') return record.constraint_name;
    current = record.cause;
  }
  return undefined;
}

/**
 * The rows of a raw statement, as the driver gives them (PGlite wraps them in `rows`, postgres.js
 * gives the array). For reads of tens of thousands of rows: no per-row mapping in drizzle, which
 * would run in one stretch on the request thread; alias the columns as the caller names them and
 * cast what is not text to text.
 */
export async function selectRows<Row>(db: Executor, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows?: Row[] } & Row[];
  return result.rows ?? result;
}
