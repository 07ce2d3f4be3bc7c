import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackHost, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults for everything but secrets', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1',
      port: 3000,
      dataDir: './data',
      databaseUrl: undefined,
      bootstrapAdminToken: undefined,
      backupDir: './backups',
      backupKeep: 14,
      dataKeyFile: './keys/data.key',
      accessLogRetentionDays: 400,
      timeouts: { requestMs: 120_000, connectionMs: 300_000, keepAliveMs: 10_000 },
      workerThreads: undefined,
      logLevel: 'info',
      auth: {
        requireSecondFactor: 'all',
        sessionIdleMinutes: 30,
        sessionMaxHours: 12,
        passwordMaxAgeDays: 90,
        signInMaxFailures: 5,
        signInLockMinutes: 15,
        passwordHashCost: { memoryKiB: 19_456, passes: 2 },
      },
      tls: null,
      trustProxy: [],
      allowPlainHttp: false,
    });
  });

  it('reads the settings of sign-in, sessions and transport', () => {
    const config = loadConfig({
      REQUIRE_SECOND_FACTOR: 'admins',
      SESSION_IDLE_MINUTES: '10',
      SESSION_MAX_HOURS: '8',
      PASSWORD_MAX_AGE_DAYS: '0',
      SIGN_IN_MAX_FAILURES: '3',
      SIGN_IN_LOCK_MINUTES: '30',
      TRUST_PROXY: '10.0.0.5, 10.1.0.0/16',
      ALLOW_PLAIN_HTTP: 'true',
    });
    expect(config.auth).toMatchObject({ requireSecondFactor: 'admins', sessionIdleMinutes: 10, sessionMaxHours: 8, passwordMaxAgeDays: 0, signInMaxFailures: 3, signInLockMinutes: 30 });
    expect(config.trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(config.allowPlainHttp).toBe(true);
  });

  it('reads every variable; an empty value counts as unset', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      DATA_DIR: '/var/lib/rehab',
      DATABASE_URL: 'postgres://u@db:5432/rehab',
      BOOTSTRAP_ADMIN_TOKEN: 'a-long-enough-secret',
      LOG_LEVEL: 'warn',
      BACKUP_DIR: '/var/backups/rehab',
      BACKUP_KEEP: '30',
    });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8080, databaseUrl: 'postgres://u@db:5432/rehab', logLevel: 'warn', backupDir: '/var/backups/rehab', backupKeep: 30 });
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ ACCESS_LOG_RETENTION_DAYS: '183', DATA_KEY_FILE: '/etc/rehab/data.key' })).toMatchObject({ accessLogRetentionDays: 183, dataKeyFile: '/etc/rehab/data.key' });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['BOOTSTRAP_ADMIN_TOKEN', { BOOTSTRAP_ADMIN_TOKEN: 'short' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['BACKUP_KEEP', { BACKUP_KEEP: '0' }],
    ['REQUEST_TIMEOUT_MS', { REQUEST_TIMEOUT_MS: '10' }],
    ['WORKER_THREADS', { WORKER_THREADS: '0' }],
    ['BACKUP_KEEP', { BACKUP_KEEP: 'two weeks' }],
    ['ACCESS_LOG_RETENTION_DAYS', { ACCESS_LOG_RETENTION_DAYS: '182' }],
    ['ACCESS_LOG_RETENTION_DAYS', { ACCESS_LOG_RETENTION_DAYS: 'forever' }],
    ['REQUIRE_SECOND_FACTOR', { REQUIRE_SECOND_FACTOR: 'some' }],
    ['SESSION_IDLE_MINUTES', { SESSION_IDLE_MINUTES: '0' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'proxy.example' }],
    ['ALLOW_PLAIN_HTTP', { ALLOW_PLAIN_HTTP: 'yes' }],
    ['TLS_KEY_FILE', { TLS_CERT_FILE: '/tmp/cert.pem' }],
    ['TLS_CERT_FILE', { TLS_CERT_FILE: '/nonexistent/cert.pem', TLS_KEY_FILE: '/nonexistent/key.pem' }],
  ])('stops on a wrong %s and names it', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['192.168.1.20', false],
    ['::', false],
    ['office-pc', false],
  ])('%s → %s', (host, loopback) => expect(isLoopbackHost(host)).toBe(loopback));
});
