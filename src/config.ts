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
  BACKUP_KEEP: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1, 'keep at least one backup').max(1000).default(14)),
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
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

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
