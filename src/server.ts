import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createAccessLog, startAccessLogPurge } from './access/accessLog.service.js';
import { buildApp } from './app.js';
import { SEAL_INTERVAL_MS, sealAuditTrail, startAuditSealer } from './audit/auditSealer.js';
import { createUsersService } from './auth/users.service.js';
import { createBackupsService, startBackupSchedule } from './backups/backups.service.js';
import { isLoopbackHost, README_EXAMPLE_BOOTSTRAP_TOKEN, type Config } from './config.js';
import { describeDatabaseUrl, openDatabase } from './db/client.js';
import { DataDirLockedError } from './db/dataDirLock.js';
import { loggableError, loggerOptions } from './http/logging.js';
import { KeyFileError, loadKeyFile } from './keys/serviceKeys.js';
import { createWorkerPool } from './workers/pool.js';

// The service as a process: opens the database (taking the embedded folder's lock), builds the
// app, keeps the bootstrap rules, schedules backups, listens, and stops cleanly on SIGTERM.
// main.ts runs it from the environment; the demo runs it on its own folder.

export interface RunOptions {
  /** Told the address once the service listens (the demo prints its tokens then). */
  onReady?: (address: string) => void;
}

/**
 * Why the service refuses to serve other machines in clear, or null when it may: a HOST other than
 * loopback needs TLS (TLS_CERT_FILE/TLS_KEY_FILE) or a TLS proxy (TRUST_PROXY), unless
 * ALLOW_PLAIN_HTTP=true says the office accepts passwords and ID numbers crossing its network in clear.
 */
export function plainHttpRefusal(config: Config): string | null {
  if (isLoopbackHost(config.host) || config.tls || config.trustProxy.length > 0 || config.allowPlainHttp) return null;
  return `start-up refused: HOST=${config.host} would serve other machines over plain HTTP, so passwords, session cookies and children's ID numbers would cross the network in clear. Set TLS_CERT_FILE and TLS_KEY_FILE (HTTPS), or TRUST_PROXY to the address of the reverse proxy that terminates TLS, or HOST=127.0.0.1; ALLOW_PLAIN_HTTP=true serves in clear all the same (not for an office network).\n`;
}

export async function runService(config: Config, options: RunOptions = {}): Promise<void> {
  const refusal = plainHttpRefusal(config);
  if (refusal) {
    process.stderr.write(refusal);
    process.exit(4);
  }
  // Whatever the service writes (backups, the key, its folders) is for its own account alone.
  process.umask(0o077);
  // The key before the database: a refused key opens nothing. It stays out of the data and backup
  // folders, so that no copy of the data is a copy of its key (security.md §5).
  let keys;
  try {
    keys = loadKeyFile({ path: config.dataKeyFile, create: true, notInside: [...(config.databaseUrl ? [] : [config.dataDir]), config.backupDir] });
  } catch (error) {
    if (error instanceof KeyFileError) {
      process.stderr.write(`start-up refused: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    // Another process has the embedded database open: nothing was opened, nothing may be.
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`start-up refused: ${error.message}\n`);
      process.exit(3);
    }
    throw error;
  }
  // Log lines are written asynchronously in 4 kB blocks: a synchronous write per line to a pipe
  // took a quarter of the service's time under load. Shutdown flushes what is left.
  const logDestination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const backups = createBackupsService({ db: database.db, snapshot: database.snapshot, dir: config.backupDir, keep: config.backupKeep });
  // The app's log exists once the app is built; a failure can only come after that.
  let logFailure: (task: string, error: unknown) => void = () => {};
  const offload = createWorkerPool({ threads: config.workerThreads, keepWarm: true, onFailure: (task, error) => logFailure(task, error) });
  const app = await buildApp({
    db: database.db,
    keyring: keys.keyring,
    backups,
    offload,
    timeouts: config.timeouts,
    auth: config.auth,
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
    trustProxy: config.trustProxy,
    logger: loggerOptions(config.logLevel, logDestination),
    // dist/src/main.js serves the console that npm run build wrote in dist/console.
    webRoot: fileURLToPath(new URL('../console/', import.meta.url)),
  });

  logFailure = (task, error) => app.log.error({ task, error: loggableError(error) }, 'a worker task failed');

  // Start-up says what it did, one line each: the database, the lock, the migrations.
  app.log.info(
    { database: database.kind },
    database.kind === 'pglite' ? `database: embedded (PGlite) in ${database.lock?.dataDir ?? config.dataDir}` : `database: PostgreSQL at ${describeDatabaseUrl(config.databaseUrl!)}`,
  );
  if (database.lock) app.log.info(`lock: this process (pid ${process.pid}) holds ${database.lock.dataDir}; a second start on it is refused`);
  app.log.info({ migrationsApplied: database.migrationsApplied }, `migrations: ${database.migrationsApplied} applied now, the schema is up to date`);
  app.log.info(
    { keyFile: keys.path, keyId: keys.keyring.current.id },
    keys.created
      ? `key: made the service key in ${keys.path} (mode 0600). Back it up now, apart from the data: without it the sealed audit trail cannot be checked`
      : `key: ${keys.path} (key ${keys.keyring.current.id})`,
  );

  // How people reach the service, said at every start; plain HTTP to other machines only by choice.
  if (config.tls) app.log.info(`transport: HTTPS with the certificate in ${config.tls.certFile}; Strict-Transport-Security is sent`);
  else if (config.trustProxy.length > 0) app.log.info(`transport: behind the TLS proxy at ${config.trustProxy.join(', ')} (TRUST_PROXY): client address and scheme from X-Forwarded-*`);
  else if (!isLoopbackHost(config.host)) app.log.warn(`ALLOW_PLAIN_HTTP=true: serving ${config.host} over plain HTTP — passwords, session cookies and ID numbers cross the network in clear. Set TLS_CERT_FILE/TLS_KEY_FILE or TRUST_PROXY.`);
  if (config.auth.requireSecondFactor !== 'all') {
    app.log.warn(`REQUIRE_SECOND_FACTOR=${config.auth.requireSecondFactor}: ${config.auth.requireSecondFactor === 'none' ? 'nobody' : 'only admins'} must have a second factor (security.md asks it of every role)`);
  }

  const users = createUsersService({ db: database.db });
  if (await users.bootstrapAdmin(config.bootstrapAdminToken)) {
    app.log.info('created the bootstrap admin from BOOTSTRAP_ADMIN_TOKEN: with it, open two personal admin accounts (the console’s 首次安装 page, or POST /api/v1/users); the token stops when the first of them activates');
  }
  // The bootstrap token is a door for the first person at this machine, not a credential: while
  // it works, or when it is the README's published example, the service stays on loopback.
  const bootstrapOpen = await users.bootstrapStillOpen();
  const exampleToken = config.bootstrapAdminToken === README_EXAMPLE_BOOTSTRAP_TOKEN;
  if (!isLoopbackHost(config.host) && (bootstrapOpen || exampleToken)) {
    process.stderr.write(
      `start-up refused: HOST=${config.host} would serve other machines while ${
        exampleToken ? 'BOOTSTRAP_ADMIN_TOKEN is the README’s published example' : 'the bootstrap admin’s token still works'
      }. Start on 127.0.0.1, open two personal admin accounts with the bootstrap token and activate one (the bootstrap token then stops working)${
        exampleToken ? ', and remove BOOTSTRAP_ADMIN_TOKEN from the environment' : ''
      }; then start again on ${config.host}.\n`,
    );
    await database.close();
    process.exit(4);
  }
  if (bootstrapOpen) app.log.warn('the bootstrap admin’s token still works: open two personal admin accounts with it and activate one');

  // Automatic backups of the embedded database; on PostgreSQL the server's own backups apply.
  let stopBackups = () => {};
  if (database.snapshot) {
    const newest = await backups.newest();
    app.log.info(
      { backupDir: config.backupDir, newest: newest?.file ?? null },
      `backups: ${newest ? `last ${newest.file}` : 'none yet'} in ${config.backupDir}; one a day at 02:00 China time, the newest ${config.backupKeep} kept`,
    );
    stopBackups = startBackupSchedule(backups, { clock: () => new Date(), log: app.log });
  } else {
    app.log.info('backups: the database is PostgreSQL; back it up with pg_dump or the server’s own backups');
  }

  // The audit trail is sealed into its hash chain every few seconds, outside business transactions;
  // the access log keeps ACCESS_LOG_RETENTION_DAYS.
  const stopSealer = startAuditSealer(database.db, keys.keyring, { log: app.log });
  const stopPurge = startAccessLogPurge(createAccessLog({ db: database.db, keyring: keys.keyring }), config.accessLogRetentionDays, app.log);
  app.log.info(`audit: rows sealed every ${SEAL_INTERVAL_MS / 1000} s; access log kept ${config.accessLogRetentionDays} days`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const forced = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    forced.unref();
    stopBackups();
    stopPurge();
    try {
      await app.close();
      // The last rows written are sealed before the database closes.
      await stopSealer();
      await sealAuditTrail(database.db, keys.keyring).catch((error: unknown) => app.log.error({ error: loggableError(error) }, 'sealing at shutdown failed; the next start seals those rows'));
      await offload.close();
      await database.close();
      logDestination.flushSync();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // The worker threads started and their PDF tools loaded before the first request, not by it.
  await offload.warm();
  app.log.info(`workers: the threads for PDFs and spreadsheets are ready`);

  await app.listen({ host: config.host, port: config.port });
  const address = `${config.tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}/`;
  database.lock?.describe(`the service at ${address}`);
  app.log.info({ database: database.kind, address }, `service ready: open ${address}`);
  // The start-up lines are for the person who started the service: out now, not with the next 4 kB.
  logDestination.flushSync();
  options.onReady?.(address);
}

