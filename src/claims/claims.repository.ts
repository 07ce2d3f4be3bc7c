import { and, asc, eq, gt, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../http/context.js';
import type { Executor } from '../db/client.js';
import { containing, startingWith } from '../db/like.js';
import { preparedInsert, preparedStatement } from '../db/prepared.js';
import { auditEvents, children, claims, institutions, settlements } from '../db/schema.js';
import { childSearchCondition } from '../children/children.repository.js';

// The claims table as each role may see it, the settlements written at approval and the claims'
// history. What the checks of a claim read and the ledgers they guard are in ledgers.repository.ts.

export type ClaimRow = typeof claims.$inferSelect;
export type SettlementRow = typeof settlements.$inferSelect;

/**
 * The claims an actor may see: an institution its own; reviewers and finance those their region
 * pays (the child's region, also when the institution sits elsewhere).
 */
export function claimScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'institution':
      return eq(claims.institutionId, actor.institutionId!);
    case 'reviewer':
    case 'finance':
      return eq(claims.regionCode, actor.regionCode!);
    case 'admin':
    case 'civil_affairs':
    case 'township':
    case 'department':
    case 'auditor':
      return sql`false`;
  }
}

// The statements of submit and approve are built once (src/db/prepared.ts); `any($ids)` takes a
// list of any length in one statement text.
const claimByExternalRef = preparedStatement<{ institutionId: string; externalRef: string }, ClaimRow[]>((db) =>
  db
    .select()
    .from(claims)
    .where(and(eq(claims.institutionId, sql.placeholder('institutionId')), eq(claims.externalRef, sql.placeholder('externalRef'))))
    .limit(1)
    .prepare('claim_by_external_ref'),
);

export async function findClaimByExternalRef(db: Executor, institutionId: string, externalRef: string) {
  return (await claimByExternalRef(db, { institutionId, externalRef }))[0];
}

export async function findClaimInScope(db: Executor, actor: Actor, id: string, options: { lock?: boolean } = {}) {
  const query = db.select().from(claims).where(and(eq(claims.id, id), claimScope(actor))).limit(1);
  const rows = options.lock ? await query.for('update') : await query;
  return rows[0];
}

/** Claims of an institution by their references (a chunk of a bulk upload reads them at once). */
export async function findClaimsByExternalRefs(db: Executor, institutionId: string, externalRefs: string[]) {
  if (externalRefs.length === 0) return [];
  return db
    .select({ id: claims.id, externalRef: claims.externalRef, contentFingerprint: claims.contentFingerprint })
    .from(claims)
    .where(and(eq(claims.institutionId, institutionId), inArray(claims.externalRef, externalRefs)));
}

/** Claims by id within one scope column (the institution or the paying region), locked, in id order. */
function lockedClaimsBy(scopeColumn: typeof claims.institutionId | typeof claims.regionCode, name: string) {
  return preparedStatement<{ ids: string[]; scope: string }, ClaimRow[]>((db) =>
    db
      .select()
      .from(claims)
      .where(and(sql`${claims.id} = any(${sql.placeholder('ids')})`, eq(scopeColumn, sql.placeholder('scope'))))
      .orderBy(asc(claims.id))
      .for('update')
      .prepare(name),
  );
}
const lockedClaimsOfInstitution = lockedClaimsBy(claims.institutionId, 'locked_claims_of_institution');
const lockedClaimsOfRegion = lockedClaimsBy(claims.regionCode, 'locked_claims_of_region');

/**
 * Claims in scope by id, in id order, locked when asked: a block of approvals locks its claims in
 * one order, so that two blocks never wait on each other in a circle.
 */
export async function findClaimsInScope(db: Executor, actor: Actor, ids: string[], options: { lock?: boolean } = {}) {
  if (ids.length === 0) return [];
  if (options.lock) {
    // The same scope as claimScope, one prepared statement for each kind of scope.
    if (actor.role === 'institution') return lockedClaimsOfInstitution(db, { ids, scope: actor.institutionId! });
    if (actor.role === 'reviewer' || actor.role === 'finance') return lockedClaimsOfRegion(db, { ids, scope: actor.regionCode! });
  }
  return db.select().from(claims).where(and(inArray(claims.id, ids), claimScope(actor))).orderBy(asc(claims.id));
}

// The inserts of submit and approve, built once per shape of rows (src/db/prepared.ts).
const claimsInsert = preparedInsert<typeof claims.$inferInsert, ClaimRow>(claims, 'insert_claims', { returning: true });
const settlementsInsert = preparedInsert<typeof settlements.$inferInsert>(settlements, 'insert_settlements', { returning: false });

/** Inserts new claims in one statement, returning them in the order given. */
export async function insertClaims(db: Executor, rows: (typeof claims.$inferInsert)[]): Promise<ClaimRow[]> {
  if (rows.length === 0) return [];
  const inserted = await claimsInsert(db, rows);
  // PostgreSQL does not promise RETURNING in VALUES order; put them back in the caller's.
  const byId = new Map(inserted.map((row) => [row.id, row]));
  return rows.map((row) => byId.get(row.id!)!);
}

// One statement text for any number of claims: the ids and amounts go as two arrays of one length.
// The amounts travel as text[] and are cast here: drizzle's postgres.js driver hands numeric[]
// parameters to the socket unserialised (it expects array text), while both drivers serialise text[].
const markApprovedStatement = preparedStatement<{ ids: string[]; amounts: string[]; decidedAt: string }, unknown>((db) =>
  db
    .update(claims)
    .set({ status: 'approved', approvedAmount: sql`approval.amount::numeric(14,2)`, decidedAt: sql`${sql.placeholder('decidedAt')}::timestamptz` })
    .from(sql`unnest(${sql.placeholder('ids')}::uuid[], ${sql.placeholder('amounts')}::text[]) as approval(id, amount)`)
    .where(sql`${claims.id} = approval.id`)
    .prepare('mark_claims_approved'),
);

/**
 * Marks claims approved at their amounts, in one statement. The rows are not returned: the caller
 * holds them locked and knows what changed.
 */
export async function markClaimsApproved(db: Executor, approvals: { id: string; approvedAmount: string }[], decidedAt: Date) {
  if (approvals.length === 0) return;
  await markApprovedStatement(db, { ids: approvals.map((approval) => approval.id), amounts: approvals.map((approval) => approval.approvedAmount), decidedAt: decidedAt.toISOString() });
}

export async function updateClaim(db: Executor, id: string, changes: Partial<typeof claims.$inferInsert>): Promise<ClaimRow> {
  const rows = await db.update(claims).set(changes).where(eq(claims.id, id)).returning();
  return rows[0]!;
}

/** What a list of claims can be narrowed by (GET /claims, /claims/count, /claims/export.xlsx). */
export interface ClaimFilter {
  status?: string | undefined;
  institutionId?: string | undefined;
  childId?: string | undefined;
  service?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** 结算申请号: the claims whose reference starts with this. */
  externalRef?: string | undefined;
  /** A child's name or part of it, or a whole ID number or its last 6 characters (as keyed hashes). */
  child?: { name: string; idNumberLookup?: string | undefined; idNumberTailLookup?: string | undefined } | undefined;
  /** A condition on the paying region and the time of submission: waiting past the due date. */
  overdue?: ((regionColumn: typeof claims.regionCode, submittedBefore: (instant: Date) => SQL) => SQL) | undefined;
}

function claimConditions(actor: Actor, filter: ClaimFilter): SQL[] {
  const conditions: SQL[] = [claimScope(actor)];
  if (filter.status) conditions.push(eq(claims.status, filter.status));
  if (filter.institutionId) conditions.push(eq(claims.institutionId, filter.institutionId));
  if (filter.childId) conditions.push(eq(claims.childId, filter.childId));
  if (filter.service) conditions.push(eq(claims.service, filter.service));
  if (filter.from) conditions.push(gte(claims.serviceMonth, filter.from));
  if (filter.to) conditions.push(lte(claims.serviceMonth, filter.to));
  if (filter.externalRef) conditions.push(sql`${claims.externalRef} like ${startingWith(filter.externalRef)}`);
  if (filter.child) {
    conditions.push(sql`exists (select 1 from ${children} where ${children.id} = ${claims.childId} and ${childSearchCondition(filter.child)})`);
  }
  if (filter.overdue) {
    conditions.push(eq(claims.status, 'submitted'));
    conditions.push(filter.overdue(claims.regionCode, (instant) => lt(claims.submittedAt, instant)));
  }
  return conditions;
}

/** How many claims a filter finds, and what they come to (approved amounts, else estimates). */
export async function countClaimsInScope(db: Executor, actor: Actor, filter: ClaimFilter) {
  const rows = await db
    .select({
      count: sql<number>`count(*)::int`,
      approvedTotal: sql<string>`coalesce(sum(${claims.approvedAmount}), 0)::numeric(14,2)::text`,
    })
    .from(claims)
    .where(and(...claimConditions(actor, filter)));
  return rows[0]!;
}

/**
 * Claims in scope. The review queue (`byReceipt`) lists by time of (re)submission, which is the
 * order of due dates within a region; other lists by id (creation order).
 */
export async function listClaimsInScope(
  db: Executor,
  actor: Actor,
  filter: ClaimFilter & {
    byReceipt: boolean;
    after?: { submittedAt?: Date; id: string } | undefined;
    limit: number;
  },
) {
  const conditions = claimConditions(actor, filter);
  if (filter.after) {
    conditions.push(
      filter.byReceipt && filter.after.submittedAt
        ? sql`(${claims.submittedAt}, ${claims.id}) > (${filter.after.submittedAt.toISOString()}::timestamptz, ${filter.after.id}::uuid)`
        : gt(claims.id, filter.after.id),
    );
  }
  return db
    .select()
    .from(claims)
    .where(and(...conditions))
    .orderBy(...(filter.byReceipt ? [asc(claims.submittedAt), asc(claims.id)] : [asc(claims.id)]))
    .limit(filter.limit + 1);
}

export async function insertSettlements(db: Executor, rows: (typeof settlements.$inferInsert)[]) {
  await settlementsInsert(db, rows);
}

export async function settlementsOf(db: Executor, claimIds: string[]): Promise<SettlementRow[]> {
  if (claimIds.length === 0) return [];
  return db.select().from(settlements).where(inArray(settlements.claimId, claimIds));
}

const historyStatement = preparedStatement<{ claimIds: string[] }, (typeof auditEvents.$inferSelect)[]>((db) =>
  db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'claim'), sql`${auditEvents.entityId} = any(${sql.placeholder('claimIds')})`))
    .orderBy(asc(auditEvents.id))
    .prepare('claim_history'),
);

export async function historyOf(db: Executor, claimIds: string[]) {
  if (claimIds.length === 0) return [];
  return historyStatement(db, { claimIds });
}

/** The claims a filter finds, with the child's and the institution's names, for a spreadsheet. */
export async function exportClaimsInScope(db: Executor, actor: Actor, filter: ClaimFilter, limit: number) {
  return db
    .select({ claim: claims, childName: children.name, idNumberMasked: children.idNumberMasked, institutionName: institutions.name })
    .from(claims)
    .innerJoin(children, eq(children.id, claims.childId))
    .innerJoin(institutions, eq(institutions.id, claims.institutionId))
    .where(and(...claimConditions(actor, filter)))
    .orderBy(asc(claims.serviceMonth), asc(claims.id))
    .limit(limit + 1);
}
