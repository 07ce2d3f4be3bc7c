import type { Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { RequestContext } from '../http/context.js';
import type { ServiceKeyring } from '../keys/serviceKeys.js';
import { insertAccessLog, purgeAccessLog } from './accessLog.repository.js';

// The access log (security.md §4): who looked at whom. One row per read of a child's file or a
// beneficiary's record, per search or list (with its filter), per download or export. A search
// never keeps an ID number in clear: filters that name one, or part of one, keep its keyed HMAC.

export type AccessAction = 'read' | 'search' | 'download' | 'export';

export interface AccessEntry {
  action: AccessAction;
  /** What was looked at: child, beneficiary, batch, roll, claim, audit, ... */
  entityType: string;
  entityId?: string | null;
  filter?: Record<string, unknown> | null;
}

/** Query parameters that hold a whole ID number. */
const ID_NUMBER_PARAMETERS = new Set(['idNumber']);
/** Free-text searches that match a name or any part of an ID number. */
const NAME_OR_ID_PARAMETERS = new Set(['q', 'child']);
/** Paging says nothing about what was looked for. */
const PAGING_PARAMETERS = new Set(['limit', 'cursor']);
/** A filter's value as kept: what the database's JSON can hold (no NUL), and not more than a person types. */
const keptText = (text: string) => text.replaceAll('\u0000', '').slice(0, 200);

export function createAccessLog(deps: { db: Database; keyring: ServiceKeyring }) {
  const { db, keyring } = deps;

  /** A personal value as the log keeps it: its keyed HMAC (the same value gives the same text). */
  const keyed = (value: string) => ({ hmac: keyring.lookupHmac(value.trim().toUpperCase()) });

  return {
    /**
     * A request's filter as the log keeps it: paging left out; an ID number, or a free-text search
     * with a digit in it (part of an ID number), as its HMAC; a name as typed.
     */
    filterOf(query: Record<string, unknown> | undefined | null): Record<string, unknown> | null {
      const filter: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(query ?? {})) {
        if (value === undefined || value === null || value === '' || PAGING_PARAMETERS.has(name)) continue;
        const text = String(value);
        if (ID_NUMBER_PARAMETERS.has(name) || (NAME_OR_ID_PARAMETERS.has(name) && /\d/.test(text))) filter[name] = keyed(text);
        else filter[name] = typeof value === 'number' || typeof value === 'boolean' ? value : keptText(text);
      }
      return Object.keys(filter).length > 0 ? filter : null;
    },

    /** The HMAC of an ID number as a filter keeps it. */
    idNumberFilter(idNumber: string) {
      return { idNumber: keyed(idNumber) };
    },

    /** Writes one row, on its own (a read has no transaction to join). */
    async record(context: RequestContext, entry: AccessEntry): Promise<void> {
      await insertAccessLog(db, {
        id: newId(),
        at: context.now,
        actorId: context.actor.id,
        actorRole: context.actor.role,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId ?? null,
        filter: entry.filter ?? null,
        clientAddress: context.clientAddress ?? null,
        requestId: context.requestId,
      });
    },

    /** Deletes rows older than the retention (ACCESS_LOG_RETENTION_DAYS, at least 183); returns how many. */
    purge(retentionDays: number): Promise<number> {
      return purgeAccessLog(db, retentionDays);
    },
  };
}

export type AccessLog = ReturnType<typeof createAccessLog>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Purges at start-up and then once a day; a failure is logged and tried again the next day. */
export function startAccessLogPurge(accessLog: AccessLog, retentionDays: number, log: { info(data: object, message: string): void; error(data: object, message: string): void }): () => void {
  const run = async () => {
    try {
      const purged = await accessLog.purge(retentionDays);
      if (purged > 0) log.info({ purged, retentionDays }, `access log: ${purged} row(s) older than ${retentionDays} days deleted`);
    } catch (error) {
      log.error({ error: error instanceof Error ? error.message : String(error) }, 'access log purge failed; trying again tomorrow');
    }
  };
  void run();
  const timer = setInterval(() => void run(), DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
