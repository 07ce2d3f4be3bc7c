import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_AUTH_SETTINGS, SECOND_FACTOR_SETTINGS, type AuthSettings } from './auth/settings.js';

// The service's whole configuration, parsed once from the environment at start-up. A wrong value
// stops start-up with a message naming the variable; no secret has a default.

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const ConfigSchema = z.object({
  HOST: z.preprocess(emptyAsUnset, z.string().default('127.0.0.1')),
  PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(65535).default(3000)),
  DATA_DIR: z.preprocess(emptyAsUnset, z.string().default('./data')),
  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  BOOTSTRAP_ADMIN_TOKEN: z.preprocess(
    emptyAsUnset,
    z.string().min(16, 'must be at least 16 characters: it is an admin password').optional(),
  ),
  BACKUP_DIR: z.preprocess(emptyAsUnset, z.string().default('./backups')),
  DATA_KEY_FILE: z.preprocess(emptyAsUnset, z.string().default('./keys/data.key')),
  ACCESS_LOG_RETENTION_DAYS: z.preprocess(
    emptyAsUnset,
    z.coerce.number().int().min(183, 'the access log is kept at least 183 days (security.md §4)').max(36_500).default(400),
  ),
  BACKUP_KEEP: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1, 'keep at least one backup').max(1000).default(14)),
  REQUEST_TIMEOUT_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1000).max(3_600_000).default(120_000)),
  CONNECTION_TIMEOUT_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1000).max(3_600_000).default(300_000)),
  KEEP_ALIVE_TIMEOUT_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1000).max(600_000).default(10_000)),
  WORKER_THREADS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(64).optional()),
  REQUIRE_SECOND_FACTOR: z.preprocess(emptyAsUnset, z.enum(SECOND_FACTOR_SETTINGS).default(DEFAULT_AUTH_SETTINGS.requireSecondFactor)),
  SESSION_IDLE_MINUTES: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(24 * 60).default(DEFAULT_AUTH_SETTINGS.sessionIdleMinutes)),
  SESSION_MAX_HOURS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(7 * 24).default(DEFAULT_AUTH_SETTINGS.sessionMaxHours)),
  PASSWORD_MAX_AGE_DAYS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(3650).default(DEFAULT_AUTH_SETTINGS.passwordMaxAgeDays)),
  SIGN_IN_MAX_FAILURES: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(100).default(DEFAULT_AUTH_SETTINGS.signInMaxFailures)),
  SIGN_IN_LOCK_MINUTES: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(24 * 60).default(DEFAULT_AUTH_SETTINGS.signInLockMinutes)),
  TLS_CERT_FILE: z.preprocess(emptyAsUnset, z.string().optional()),
  TLS_KEY_FILE: z.preprocess(emptyAsUnset, z.string().optional()),
  TRUST_PROXY: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*$/, 'addresses or CIDRs of the reverse proxy, separated by commas (e.g. 10.0.0.5 or 10.0.0.0/24)')
      .optional(),
  ),
  ALLOW_PLAIN_HTTP: z.preprocess(emptyAsUnset, z.enum(['true', 'false']).default('false')),
  LOG_LEVEL: z.preprocess(
    emptyAsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  bootstrapAdminToken: string | undefined;
  /** Where the embedded database's automatic backups go, and how many of them are kept. */
  backupDir: string;
  backupKeep: number;
  /** The service's key file (outside the data and backup folders): seals the audit trail, keys the HMACs. */
  dataKeyFile: string;
  /** Days the access log keeps its rows (at least 183). */
  accessLogRetentionDays: number;
  /** Slow or stuck clients cannot hold sockets for ever (see app.ts). */
  timeouts: HttpTimeouts;
  /** Worker threads for PDFs and spreadsheets; default the cores less one, at least one. */
  workerThreads: number | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Sign-in, sessions and passwords (security.md §1). */
  auth: AuthSettings;
  /** TLS_CERT_FILE and TLS_KEY_FILE, read at start: the service serves HTTPS. */
  tls: { cert: Buffer; key: Buffer; certFile: string } | null;
  /** TRUST_PROXY: the reverse proxy's addresses or CIDRs (empty: no proxy is believed). */
  trustProxy: string[];
  /** ALLOW_PLAIN_HTTP=true: serve other machines over plain HTTP all the same (warned at every start). */
  allowPlainHttp: boolean;
}

export interface HttpTimeouts {
  /** To receive a whole request, headers and body, from the client. */
  requestMs: number;
  /** A socket with no traffic at all for this long is closed (also while a request is handled). */
  connectionMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { requestMs: 120_000, connectionMs: 300_000, keepAliveMs: 10_000 };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  if (Boolean(values.TLS_CERT_FILE) !== Boolean(values.TLS_KEY_FILE)) {
    throw new ConfigError('invalid configuration:\n  TLS_CERT_FILE and TLS_KEY_FILE: set both (the certificate chain and its private key, PEM) or neither');
  }
  let tls: Config['tls'] = null;
  if (values.TLS_CERT_FILE && values.TLS_KEY_FILE) {
    try {
      tls = { cert: readFileSync(values.TLS_CERT_FILE), key: readFileSync(values.TLS_KEY_FILE), certFile: values.TLS_CERT_FILE };
    } catch (error) {
      throw new ConfigError(`invalid configuration:\n  TLS_CERT_FILE / TLS_KEY_FILE: cannot be read (${(error as Error).message})`);
    }
  }
  return {
    host: values.HOST,
    port: values.PORT,
    dataDir: values.DATA_DIR,
    databaseUrl: values.DATABASE_URL,
    bootstrapAdminToken: values.BOOTSTRAP_ADMIN_TOKEN,
    backupDir: values.BACKUP_DIR,
    backupKeep: values.BACKUP_KEEP,
    dataKeyFile: values.DATA_KEY_FILE,
    accessLogRetentionDays: values.ACCESS_LOG_RETENTION_DAYS,
    timeouts: { requestMs: values.REQUEST_TIMEOUT_MS, connectionMs: values.CONNECTION_TIMEOUT_MS, keepAliveMs: values.KEEP_ALIVE_TIMEOUT_MS },
    workerThreads: values.WORKER_THREADS,
    logLevel: values.LOG_LEVEL,
    auth: {
      ...DEFAULT_AUTH_SETTINGS,
      requireSecondFactor: values.REQUIRE_SECOND_FACTOR,
      sessionIdleMinutes: values.SESSION_IDLE_MINUTES,
      sessionMaxHours: values.SESSION_MAX_HOURS,
      passwordMaxAgeDays: values.PASSWORD_MAX_AGE_DAYS,
      signInMaxFailures: values.SIGN_IN_MAX_FAILURES,
      signInLockMinutes: values.SIGN_IN_LOCK_MINUTES,
    },
    tls,
    trustProxy: values.TRUST_PROXY ? values.TRUST_PROXY.split(',').map((entry) => entry.trim()) : [],
    allowPlainHttp: values.ALLOW_PLAIN_HTTP === 'true',
  };
}

/** The token the README's first command shows: a published string, never a credential. */
export const README_EXAMPLE_BOOTSTRAP_TOKEN = 'change-me-to-a-long-secret';

/** Whether HOST keeps the service on this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) || name === '::ffff:127.0.0.1';
}
