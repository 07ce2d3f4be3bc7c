import { eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { inIdPages } from '../db/pages.js';
import { preparedInsert } from '../db/prepared.js';
import { queryRows } from '../db/rows.js';
import { accessLog, users } from '../db/schema.js';

export type AccessLogRow = typeof accessLog.$inferSelect;

// A read writes its row on its own, outside any transaction: built once per shape (src/db/prepared.ts).
const accessLogInsert = preparedInsert<typeof accessLog.$inferInsert>(accessLog, 'insert_access_log', { returning: false });

export async function insertAccessLog(db: Executor, row: typeof accessLog.$inferInsert): Promise<void> {
  await accessLogInsert(db, [row]);
}

export interface AccessLogQuery {
  actorId?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  /** At or after this instant. */
  from?: Date | undefined;
  /** Before this instant. */
  before?: Date | undefined;
  /** The last id of the previous page: the list goes newest first, so the next page is older. */
  beforeId?: string | undefined;
  limit: number;
}

/** Rows newest first (ids are UUIDv7, so id order is time order), with the actor's name. */
export async function listAccessLog(db: Executor, query: AccessLogQuery): Promise<(AccessLogRow & { actorName: string | null })[]> {
  const conditions: SQL[] = [];
  if (query.actorId) conditions.push(eq(accessLog.actorId, query.actorId));
  if (query.entityType) conditions.push(eq(accessLog.entityType, query.entityType));
  if (query.entityId) conditions.push(eq(accessLog.entityId, query.entityId));
  if (query.from) conditions.push(gte(accessLog.at, query.from));
  if (query.before) conditions.push(lt(accessLog.at, query.before));
  const rows = await inIdPages(
    db.select({ entry: accessLog, actorName: users.name }).from(accessLog).leftJoin(users, eq(users.id, accessLog.actorId)).$dynamic(),
    accessLog.id,
    conditions,
    { after: query.beforeId, limit: query.limit, newestFirst: true },
  );
  return rows.map((row) => ({ ...row.entry, actorName: row.actorName }));
}

/**
 * Deletes the rows older than `retentionDays` by the database's clock, as its trigger counts: it
 * refuses to delete any row younger than 183 days.
 */
export async function purgeAccessLog(db: Executor, retentionDays: number): Promise<number> {
  const rows = await queryRows<{ n: string }>(
    db,
    sql`with purged as (delete from ${accessLog} where ${accessLog.at} < now() - make_interval(days => ${retentionDays}::int) returning 1) select count(*)::text as n from purged`,
  );
  return Number(rows[0]!.n);
}
