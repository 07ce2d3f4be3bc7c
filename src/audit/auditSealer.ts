import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { queryRows } from '../db/rows.js';
import type { ServiceKeyring } from '../keys/serviceKeys.js';
import { GENESIS_HASH, nextChainHash } from './auditChain.js';
import { insertSeals, lastSeal, snapshotBounds, unsealedRows } from './auditSeals.repository.js';

// The sealer: rows of the audit trail are sealed, in order, into the keyed hash chain within a
// minute of being written (security.md §4), by the service itself, outside every business
// transaction. A business transaction only inserts its audit rows, as before; nothing it does
// waits for the sealer, and the sealer takes no lock a business transaction takes.
//
// Transactions commit out of the order of their ids and times: a long batch issue may commit after
// hundreds of submissions that began later. The sealer therefore seals what it can see, in the
// order it first sees it (each run's rows in id order), and records the order in audit_seals.seq.
// Each run also records its watermark, the oldest transaction still running when it looked: a row
// written by a transaction older than that was final then, so it is sealed by that run or before.
// A row found later below a watermark was put there afterwards, out of order, and verify-audit
// names it; the sealer leaves it unsealed.
//
// Several instances of the service seal one at a time: a run takes a transaction-scoped advisory
// lock without waiting, and an instance that finds it taken skips its turn.

/** pg_try_advisory_xact_lock key of the sealer. */
const SEALER_LOCK_KEY = 7_284_116_311;
/** Rows sealed in one transaction; a longer backlog (the first start after an upgrade) takes several. */
const ROWS_PER_RUN = 5000;
/** How often the running service seals: well within the minute the rule allows. */
export const SEAL_INTERVAL_MS = 10_000;

export interface SealOutcome {
  /** Rows sealed by this call. */
  sealed: number;
  /** True when another instance held the sealer's lock, so this one did nothing. */
  skipped: boolean;
}

/**
 * One transaction of sealing: up to ROWS_PER_RUN rows, after `afterId` when a long backlog is being
 * worked through; says how many, the last, and whether rows are left.
 */
async function sealOnce(db: Database, keyring: ServiceKeyring, now: Date, afterId: string | undefined): Promise<{ sealed: number; more: boolean; skipped: boolean; lastId?: string }> {
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${SEALER_LOCK_KEY}) as locked`);
    if (!lock!.locked) return { sealed: 0, more: false, skipped: true };
    // The watermark is read before the rows, so every transaction older than it is visible below.
    const bounds = await snapshotBounds(tx);
    const last = await lastSeal(tx);
    // Instances that seal with keys the others lack would make a chain no key file can check:
    // every instance must read the same key ring (README, Running several instances).
    if (last && !keyring.byId(last.run.keyId)) {
      throw new Error(`the audit trail was last sealed with key ${last.run.keyId}, which this instance's DATA_KEY_FILE does not hold: give every instance the same key file`);
    }
    const rows = await unsealedRows(tx, last?.run.watermark ?? null, bounds.xmax, ROWS_PER_RUN + 1, afterId);
    if (rows.length === 0) return { sealed: 0, more: false, skipped: false };
    const more = rows.length > ROWS_PER_RUN;
    const batch = more ? rows.slice(0, ROWS_PER_RUN) : rows;
    const key = keyring.current;
    const sealKey = keyring.derive('audit-seal', key.id);
    let previous = last?.chainHash ?? GENESIS_HASH;
    const seals = batch.map((row) => {
      previous = nextChainHash(sealKey, previous, row);
      return { auditId: row.id, chainHash: previous };
    });
    // A run that leaves rows behind, or looked only past `afterId`, keeps the previous watermark:
    // only a run that saw every visible unsealed row may say that everything older than its
    // snapshot is sealed.
    const watermark = more || afterId !== undefined ? (last?.run.watermark ?? '0') : bounds.xmin;
    await insertSeals(tx, last?.run.lastSeq ?? 0, seals, { sealedAt: now, watermark, keyId: key.id });
    return { sealed: batch.length, more, skipped: false, lastId: batch.at(-1)!.id };
  });
}

/** Seals every row written so far that is visible now; run by the service every SEAL_INTERVAL_MS. */
export async function sealAuditTrail(db: Database, keyring: ServiceKeyring, clock: () => Date = () => new Date()): Promise<SealOutcome> {
  let sealed = 0;
  // A backlog (the first start after an upgrade seals the whole trail) is worked through in id
  // order, each transaction after the last row of the one before, so that none reads the rows
  // sealed already again; a last pass from the start then takes what committed meanwhile.
  let afterId: string | undefined;
  for (;;) {
    const outcome = await sealOnce(db, keyring, clock(), afterId);
    sealed += outcome.sealed;
    if (outcome.skipped) return { sealed, skipped: true };
    if (outcome.more) afterId = outcome.lastId;
    else if (afterId !== undefined) afterId = undefined;
    else return { sealed, skipped: false };
  }
}

export interface SealerSchedule {
  log: { error(data: object, message: string): void; info(data: object, message: string): void };
  intervalMs?: number;
}

/**
 * Seals every `intervalMs` until stopped; a failed run is logged and the next one tries again (a
 * failure never touches a business transaction). Returns a function that stops the schedule and
 * waits for a run in progress.
 */
export function startAuditSealer(db: Database, keyring: ServiceKeyring, schedule: SealerSchedule): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = (async () => {
      try {
        await sealAuditTrail(db, keyring);
      } catch (error) {
        schedule.log.error({ error: error instanceof Error ? error.message : String(error) }, 'sealing the audit trail failed; trying again at the next turn');
      }
      if (!stopped) {
        timer = setTimeout(tick, schedule.intervalMs ?? SEAL_INTERVAL_MS);
        timer.unref();
      }
    })();
  };
  tick();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
