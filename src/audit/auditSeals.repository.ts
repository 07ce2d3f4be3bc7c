import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { queryRows } from '../db/rows.js';
import type { AuditRowText } from './auditChain.js';

// The queries of the sealer and of verify-audit. Every audit row is read as the chain reads it:
// each column as PostgreSQL writes it as text, the instant in UTC with its microseconds.

const ROW_TEXT = (alias: string) =>
  sql.raw(`${alias}.id::text as id,
    to_char(${alias}.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
    ${alias}.actor_id::text as "actorId", ${alias}.actor_role as "actorRole", ${alias}.action, ${alias}.entity_type as "entityType",
    ${alias}.entity_id::text as "entityId", ${alias}.region_code::text as "regionCode", ${alias}.data::text as data,
    ${alias}.request_id as "requestId", ${alias}.xid::text as xid`);

export interface SealRunRow {
  lastSeq: number;
  firstSeq: number;
  watermark: string;
  keyId: string;
}

/** The snapshot's oldest running transaction (the watermark) and the next transaction id. */
export async function snapshotBounds(db: Executor): Promise<{ xmin: string; xmax: string }> {
  const rows = await queryRows<{ xmin: string; xmax: string }>(
    db,
    sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin, pg_snapshot_xmax(pg_current_snapshot())::text as xmax`,
  );
  return rows[0]!;
}

/** The sealer's latest run, or null before the first. */
export async function lastRun(db: Executor): Promise<SealRunRow | null> {
  const runs = await queryRows<{ lastSeq: string; firstSeq: string; watermark: string; keyId: string }>(
    db,
    sql`select last_seq::text as "lastSeq", first_seq::text as "firstSeq", watermark::text as watermark, key_id as "keyId" from audit_seal_runs order by last_seq desc limit 1`,
  );
  const run = runs[0];
  return run ? { lastSeq: Number(run.lastSeq), firstSeq: Number(run.firstSeq), watermark: run.watermark, keyId: run.keyId } : null;
}

/** The last run and the hash of the last seal, or null before the first seal. */
export async function lastSeal(db: Executor): Promise<{ run: SealRunRow; chainHash: string } | null> {
  const run = await lastRun(db);
  if (!run) return null;
  const rows = await queryRows<{ chainHash: string }>(db, sql`select chain_hash as "chainHash" from audit_seals where seq = ${run.lastSeq}`);
  if (!rows[0]) throw new Error(`the seal ${run.lastSeq} of the sealer's last run is missing: run npm run verify-audit`);
  return { run, chainHash: rows[0].chainHash };
}

/**
 * Whether a watermark was taken in this database's run of transaction ids. A database loaded from
 * another (export-sql, pg_dump into a new server) counts its transactions from a lower number:
 * there an older watermark says nothing, and every row not yet sealed is looked at.
 */
const watermarkApplies = (watermark: string | null, xmax: string): SQL =>
  watermark === null ? sql`false` : sql`${watermark}::xid8 <= ${xmax}::xid8`;

/**
 * Rows not sealed yet, in id order, at most `limit`: those whose transaction is not older than
 * the last watermark (every older one was sealed then, or is out of order and left for
 * verify-audit to name). Transactions still running are invisible here and come in a later run.
 */
export async function unsealedRows(db: Executor, watermark: string | null, xmax: string, limit: number, afterId?: string): Promise<AuditRowText[]> {
  return queryRows<AuditRowText>(
    db,
    sql`select ${ROW_TEXT('a')} from audit_events a
      where (not ${watermarkApplies(watermark, xmax)} or a.xid >= ${watermark ?? '0'}::xid8)
        ${afterId ? sql`and a.id > ${afterId}` : sql``}
        and not exists (select 1 from audit_seals s where s.audit_id = a.id)
      order by a.id limit ${limit}`,
  );
}

/** Writes the seals of rows in order from `afterSeq + 1`, and the run that wrote them. */
export async function insertSeals(db: Executor, afterSeq: number, seals: { auditId: string; chainHash: string }[], run: { sealedAt: Date; watermark: string; keyId: string }) {
  // The ids and hashes hold no commas, quotes or braces: they go as array literals.
  const ids = `{${seals.map((seal) => seal.auditId).join(',')}}`;
  const hashes = `{${seals.map((seal) => seal.chainHash).join(',')}}`;
  await db.execute(sql`insert into audit_seals (seq, audit_id, chain_hash)
    select ${afterSeq}::int8 + t.position, t.audit_id, t.chain_hash
    from unnest(${ids}::uuid[], ${hashes}::text[]) with ordinality as t(audit_id, chain_hash, position)`);
  await db.execute(sql`insert into audit_seal_runs (last_seq, first_seq, sealed_at, watermark, key_id)
    values (${afterSeq + seals.length}, ${afterSeq + 1}, ${run.sealedAt.toISOString()}::timestamptz, ${run.watermark}::xid8, ${run.keyId})`);
}

/** Seals in order after `afterSeq`, each with the row it seals as text (null fields when the row is gone). */
export async function sealsWithRows(db: Executor, afterSeq: number, limit: number) {
  // A seal whose row is gone has present = false and the row's columns null.
  return queryRows<{ seq: string; auditId: string; chainHash: string; present: boolean } & AuditRowText>(
    db,
    sql`select s.seq::text as seq, s.audit_id::text as "auditId", s.chain_hash as "chainHash", (a.id is not null) as present, ${ROW_TEXT('a')}
      from audit_seals s left join audit_events a on a.id = s.audit_id
      where s.seq > ${afterSeq} order by s.seq limit ${limit}`,
  );
}

/** The runs in order after `afterLastSeq`. */
export async function sealRuns(db: Executor, afterLastSeq: number, limit: number): Promise<SealRunRow[]> {
  const rows = await queryRows<{ lastSeq: string; firstSeq: string; watermark: string; keyId: string }>(
    db,
    sql`select last_seq::text as "lastSeq", first_seq::text as "firstSeq", watermark::text as watermark, key_id as "keyId"
      from audit_seal_runs where last_seq > ${afterLastSeq} order by last_seq limit ${limit}`,
  );
  return rows.map((row) => ({ lastSeq: Number(row.lastSeq), firstSeq: Number(row.firstSeq), watermark: row.watermark, keyId: row.keyId }));
}

/** The first row, in id order, that was final at the last run's watermark yet is not sealed. */
export async function firstRowOutOfOrder(db: Executor, watermark: string, xmax: string): Promise<{ id: string; at: string; action: string } | undefined> {
  const rows = await queryRows<{ id: string; at: string; action: string }>(
    db,
    sql`select a.id::text as id, a.at::text as at, a.action from audit_events a
      where ${watermarkApplies(watermark, xmax)} and a.xid < ${watermark}::xid8
        and not exists (select 1 from audit_seals s where s.audit_id = a.id)
      order by a.id limit 1`,
  );
  return rows[0];
}

/** Rows written since the last run, not sealed yet. */
export async function countUnsealed(db: Executor): Promise<number> {
  const rows = await queryRows<{ n: string }>(db, sql`select count(*)::text as n from audit_events a where not exists (select 1 from audit_seals s where s.audit_id = a.id)`);
  return Number(rows[0]!.n);
}
