import { and, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../http/context.js';
import type { Executor } from '../db/client.js';
import { inIdPages } from '../db/pages.js';
import { containing, startingWith } from '../db/like.js';
import { applications, children } from '../db/schema.js';

export type ChildRow = typeof children.$inferSelect;

/**
 * The children an actor may see, as a SQL condition: reviewers, finance and civil affairs their
 * region's children; an institution those it registered or holds an approved referral for. Being named as
 * the preferred institution of an application that is pending, rejected or referred elsewhere
 * shows an institution nothing (api.md, Children).
 */
export function childScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'reviewer':
    case 'finance':
    case 'civil_affairs':
      // civil_affairs enrols the region's certified children in the care allowance.
      return eq(children.regionCode, actor.regionCode!);
    case 'institution': {
      const institutionId = actor.institutionId!;
      return or(
        eq(children.registeredByInstitutionId, institutionId),
        sql`exists (select 1 from ${applications} where ${applications.childId} = ${children.id}
          and ${applications.status} = 'approved' and ${applications.institutionId} = ${institutionId})`,
      )!;
    }
    case 'township':
      // A township's children are those of its villages (protection.md §1).
      return sql`${children.villageCode} like ${startingWith(actor.townshipCode!)}`;
    case 'admin':
    case 'department':
    case 'auditor':
      // Admins manage the scheme and the auditor reads the trail, neither children's files; a
      // department reads a child only through a case routed to it (src/protection/). Their routes
      // refuse them before this.
      return sql`false`;
  }
}

/**
 * The open record of an ID number, found by its keyed hash (childSecrets.ts, idNumberLookup): a
 * closed record's number may have been registered again for the child it belongs to.
 */
export async function findChildByIdNumberLookup(db: Executor, lookup: string): Promise<ChildRow | undefined> {
  return (await db.select().from(children).where(and(eq(children.idNumberLookup, lookup), isNull(children.closedAt))).limit(1))[0];
}

/**
 * A township may also find a child of its region who has no village yet, by the exact ID number,
 * and give it one (PUT /children/:id/village): how a child registered by the 残联 reaches the
 * township's register (protection.md §2).
 */
function villagelessOfTownshipRegion(actor: Actor): SQL | undefined {
  if (actor.role !== 'township') return undefined;
  return and(isNull(children.villageCode), eq(children.regionCode, actor.regionCode!));
}

/** The child for PUT /children/:id/village: in scope, or (a township) villageless in its region. */
export async function findChildForVillage(db: Executor, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<ChildRow | undefined> {
  const villageless = villagelessOfTownshipRegion(actor);
  const query = db
    .select()
    .from(children)
    .where(and(eq(children.id, id), villageless ? or(childScope(actor), villageless) : childScope(actor)))
    .limit(1);
  return (await (options.lock ? query.for('update') : query))[0];
}

export async function updateChildVillage(db: Executor, id: string, villageCode: string): Promise<ChildRow> {
  return (await db.update(children).set({ villageCode }).where(eq(children.id, id)).returning())[0]!;
}

/** A child's guardian as reported (a quarterly update's `changed` line, protection.md §6); the phone comes sealed. */
export async function updateChildGuardian(db: Executor, id: string, guardian: { name: string; relation: string; phoneSealed: string }): Promise<ChildRow> {
  return (await db.update(children).set({ guardianName: guardian.name, guardianRelation: guardian.relation, guardianPhoneSealed: guardian.phoneSealed }).where(eq(children.id, id)).returning())[0]!;
}

export async function insertChild(db: Executor, row: typeof children.$inferInsert): Promise<ChildRow> {
  return (await db.insert(children).values(row).returning())[0]!;
}

/** A name or part of one, or a whole ID number or its last 6 characters (as keyed hashes). */
export function childSearchCondition(search: { name: string; idNumberLookup?: string | undefined; idNumberTailLookup?: string | undefined }): SQL {
  return or(
    sql`${children.name} like ${containing(search.name)}`,
    search.idNumberLookup ? eq(children.idNumberLookup, search.idNumberLookup) : undefined,
    search.idNumberTailLookup ? eq(children.idNumberTailLookup, search.idNumberTailLookup) : undefined,
  )!;
}

export async function findChildInScope(db: Executor, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<ChildRow | undefined> {
  const query = db.select().from(children).where(and(eq(children.id, id), childScope(actor))).limit(1);
  return (options.lock ? await query.for('update') : await query)[0];
}

/**
 * Whether an institution still serves a child: it holds an approved referral of the child from
 * which the child has not dropped out (api.md, PATCH /children/:id).
 */
export async function institutionServesChild(db: Executor, institutionId: string, childId: string): Promise<boolean> {
  const rows = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.childId, childId), eq(applications.institutionId, institutionId), eq(applications.status, 'approved'), isNull(applications.droppedOutOn)))
    .limit(1);
  return rows.length > 0;
}

export async function updateChild(db: Executor, id: string, patch: Partial<typeof children.$inferInsert>): Promise<ChildRow> {
  return (await db.update(children).set(patch).where(eq(children.id, id)).returning())[0]!;
}

export async function listChildrenInScope(
  db: Executor,
  actor: Actor,
  filter: {
    /** The keyed hash of a whole ID number. */
    idNumberLookup?: string | undefined;
    /** A name or part of one, or the keyed hash of a whole ID number or of its last 6 characters. */
    q?: { name: string; idNumberLookup?: string | undefined; idNumberTailLookup?: string | undefined } | undefined;
    regionCode?: string | undefined;
    afterId?: string | undefined;
    limit: number;
  },
) {
  // A township looking up an exact ID number also finds a villageless child of its region.
  const villageless = filter.idNumberLookup ? villagelessOfTownshipRegion(actor) : undefined;
  const conditions: SQL[] = [villageless ? or(childScope(actor), villageless)! : childScope(actor)];
  if (filter.idNumberLookup) conditions.push(eq(children.idNumberLookup, filter.idNumberLookup));
  if (filter.q) conditions.push(childSearchCondition(filter.q));
  if (filter.regionCode) conditions.push(eq(children.regionCode, filter.regionCode));
  return inIdPages(db.select().from(children).$dynamic(), children.id, conditions, { after: filter.afterId, limit: filter.limit });
}
