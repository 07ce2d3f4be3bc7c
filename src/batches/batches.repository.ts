import { and, gte, lte, asc, eq, gt, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../http/context.js';
import type { Executor } from '../db/client.js';
import { nextCount } from '../db/counters.js';
import { inIdPages } from '../db/pages.js';
import { batchCounters, batchDocuments, batches, batchLines, claims, institutions, settlements, users } from '../db/schema.js';

// The two people of a batch (security.md §2): who built it (经办) and who issued it (审核).
const builder = alias(users, 'builder');
const issuer = alias(users, 'issuer');
const batchWithPeople = { batch: batches, institutionName: institutions.name, builtByName: builder.name, issuedByName: issuer.name };

export type BatchRow = typeof batches.$inferSelect;
export type BatchLineRow = typeof batchLines.$inferSelect;

/**
 * The batches an actor may see: reviewers all of their region's; finance their region's issued
 * and paid ones (drafts are the 残联's own work); an institution its own issued and paid ones.
 */
export function batchScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'reviewer':
      return eq(batches.regionCode, actor.regionCode!);
    case 'finance':
      return and(eq(batches.regionCode, actor.regionCode!), inArray(batches.status, ['issued', 'paid']))!;
    case 'institution':
      return and(eq(batches.institutionId, actor.institutionId!), inArray(batches.status, ['issued', 'paid']))!;
    case 'admin':
    case 'civil_affairs':
    case 'township':
    case 'department':
    case 'auditor':
      return sql`false`;
  }
}

function batchableConditions(regionCode: string, approvedBefore: Date, institutionId: string | undefined): SQL {
  const conditions: SQL[] = [
    eq(claims.regionCode, regionCode),
    eq(claims.status, 'approved'),
    isNull(claims.batchId),
    lt(settlements.approvedAt, approvedBefore),
  ];
  if (institutionId) conditions.push(eq(claims.institutionId, institutionId));
  return and(...conditions)!;
}

/** The institutions that hold approved, unbatched claims of a region approved before the cut-off. */
export async function institutionsWithBatchableClaims(db: Executor, regionCode: string, approvedBefore: Date, institutionId: string | undefined) {
  const rows = await db
    .selectDistinct({ institutionId: claims.institutionId })
    .from(claims)
    .innerJoin(settlements, eq(settlements.claimId, claims.id))
    .where(batchableConditions(regionCode, approvedBefore, institutionId))
    .orderBy(claims.institutionId);
  return rows.map((row) => row.institutionId);
}

/** The next number of a region's batch in a year, taken atomically. */
export async function nextBatchNumber(db: Executor, regionCode: string, year: number): Promise<string> {
  return `${regionCode}-${year}-${String(await nextCount(db, batchCounters, regionCode, year)).padStart(4, '0')}`;
}

export async function insertBatch(db: Executor, row: typeof batches.$inferInsert) {
  await db.insert(batches).values(row);
}

/**
 * Takes an institution's batchable claims into the batch in one statement: they are locked (a
 * concurrent run waits, then finds them taken and skips them), copied into the lines numbered in
 * claim order — the child's name, the masked ID number (first 6 and last 4 characters), the period
 * as people read it, the money — and linked to the batch. Returns the count and the total.
 */
export async function takeClaimsIntoBatch(db: Executor, batchId: string, regionCode: string, approvedBefore: Date, institutionId: string) {
  await db.execute(sql`
    with taken as (
      select ${claims.id} as id from ${claims} join ${settlements} on ${settlements.claimId} = ${claims.id}
      where ${batchableConditions(regionCode, approvedBefore, institutionId)}
      -- Locked in id order, as every run locks them, so that two runs cannot deadlock.
      order by ${claims.id}
      for update of ${claims}
    )
    insert into batch_lines (batch_id, line_no, claim_id, external_ref, child_name, id_number_masked, category, service,
      device_kind, period, gross_cost, deductions_total, remainder, approved_amount)
    select ${batchId}, row_number() over (order by c.id), c.id, c.external_ref, ch.name,
      ch.id_number_masked,
      c.category, c.service, c.device_kind,
      case when c.service_date is not null then to_char(c.service_date, 'YYYY-MM-DD')
           when c.period_from = c.period_to then c.period_from
           else c.period_from || '至' || c.period_to end,
      c.gross_cost,
      c.basic_medical_insurance + c.critical_illness_insurance + c.supplementary_critical_illness_insurance + c.medical_aid,
      c.remainder, c.approved_amount
    from claims c join children ch on ch.id = c.child_id
    where c.id in (select id from taken)`);
  await db.execute(sql`update claims set batch_id = ${batchId} where id in (select claim_id from batch_lines where batch_id = ${batchId})`);
  const rows = await db
    .select({ count: sql<number>`count(*)::int`, total: sql<string>`coalesce(sum(${batchLines.approvedAmount}), 0)::numeric(14,2)::text` })
    .from(batchLines)
    .where(eq(batchLines.batchId, batchId));
  return rows[0]!;
}

export async function updateBatch(db: Executor, id: string, changes: Partial<typeof batches.$inferInsert>) {
  await db.update(batches).set(changes).where(eq(batches.id, id));
}

export async function findBatchInScope(db: Executor, actor: Actor, id: string, options: { lock?: boolean } = {}) {
  const query = db
    .select(batchWithPeople)
    .from(batches)
    .innerJoin(institutions, eq(institutions.id, batches.institutionId))
    .innerJoin(builder, eq(builder.id, batches.createdByUserId))
    .leftJoin(issuer, eq(issuer.id, batches.issuedByUserId))
    .where(and(eq(batches.id, id), batchScope(actor)))
    .limit(1);
  const rows = options.lock ? await query.for('update', { of: batches }) : await query;
  return rows[0];
}

export async function linesOf(db: Executor, batchId: string): Promise<BatchLineRow[]> {
  return db.select().from(batchLines).where(eq(batchLines.batchId, batchId)).orderBy(asc(batchLines.lineNo));
}

/**
 * A batch's lines in pages of `pageSize`, in line order: between two pages other requests run,
 * where reading 100,000 lines at once would map them all in one go.
 */
export async function* linesInPages(db: Executor, batchId: string, pageSize = 2000): AsyncGenerator<BatchLineRow[]> {
  let after = 0;
  for (;;) {
    const page = await db
      .select()
      .from(batchLines)
      .where(and(eq(batchLines.batchId, batchId), gt(batchLines.lineNo, after)))
      .orderBy(asc(batchLines.lineNo))
      .limit(pageSize);
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!.lineNo;
    if (page.length < pageSize) return;
  }
}

export async function listBatchesInScope(
  db: Executor,
  actor: Actor,
  filter: { status?: string | undefined; institutionId?: string | undefined; paidFrom?: string | undefined; paidTo?: string | undefined; afterId?: string | undefined; limit: number },
) {
  const conditions: SQL[] = [batchScope(actor)];
  if (filter.status) conditions.push(eq(batches.status, filter.status));
  if (filter.institutionId) conditions.push(eq(batches.institutionId, filter.institutionId));
  if (filter.paidFrom) conditions.push(gte(batches.paidAt, filter.paidFrom));
  if (filter.paidTo) conditions.push(lte(batches.paidAt, filter.paidTo));
  const query = db
    .select(batchWithPeople)
    .from(batches)
    .innerJoin(institutions, eq(institutions.id, batches.institutionId))
    .innerJoin(builder, eq(builder.id, batches.createdByUserId))
    .leftJoin(issuer, eq(issuer.id, batches.issuedByUserId));
  return inIdPages(query.$dynamic(), batches.id, conditions, { after: filter.afterId, limit: filter.limit });
}

/** A cancelled draft gives its claims back: its lines stay, marked, for the record. */
export async function releaseBatchClaims(db: Executor, batchId: string) {
  await db.update(batchLines).set({ cancelled: true }).where(eq(batchLines.batchId, batchId));
  await db.update(claims).set({ batchId: null }).where(eq(claims.batchId, batchId));
}

export async function setClaimsStatusOfBatch(db: Executor, batchId: string, from: string, to: string) {
  await db.update(claims).set({ status: to }).where(and(eq(claims.batchId, batchId), eq(claims.status, from)));
}

export async function insertDocument(db: Executor, row: typeof batchDocuments.$inferInsert) {
  await db.insert(batchDocuments).values(row);
}

export async function findDocument(db: Executor, batchId: string) {
  const rows = await db.select().from(batchDocuments).where(eq(batchDocuments.batchId, batchId)).limit(1);
  return rows[0];
}

export async function findDocumentHash(db: Executor, batchId: string) {
  const rows = await db.select({ pdfSha256: batchDocuments.pdfSha256 }).from(batchDocuments).where(eq(batchDocuments.batchId, batchId)).limit(1);
  return rows[0]?.pdfSha256 ?? null;
}

/** The region's drafts not yet issued (of one institution when given), oldest first: what a new run leaves alone. */
export async function draftBatchesOfRegion(db: Executor, regionCode: string, institutionId: string | undefined) {
  const conditions = [eq(batches.regionCode, regionCode), eq(batches.status, 'draft')];
  if (institutionId) conditions.push(eq(batches.institutionId, institutionId));
  return db.select().from(batches).where(and(...conditions)).orderBy(asc(batches.id));
}
