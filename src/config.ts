import { z } from 'zod';

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
  };
}

/** The token the README's first command shows: a published string, never a credential. */
export const README_EXAMPLE_BOOTSTRAP_TOKEN = 'change-me-to-a-long-secret';

/** Whether HOST keeps the service on this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) || name === '::ffff:127.0.0.1';
}
