import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { preparedInsert, preparedStatement } from '../db/prepared.js';
import { applications, children, claimMonths, claims, entitlementUsage } from '../db/schema.js';
import type { ClaimRow } from './claims.repository.js';

// What the checks of a submission or an approval read (the child, the referrals) and the two
// ledgers they guard: the months each live claim holds (claim_months) and what each child was
// approved for (entitlement_usage). Statements on the submit and approve paths are built once
// (src/db/prepared.ts).

const claimMonthsInsert = preparedInsert<typeof claimMonths.$inferInsert>(claimMonths, 'insert_claim_months', { returning: false });
const usagesInsert = preparedInsert<typeof entitlementUsage.$inferInsert>(entitlementUsage, 'insert_entitlement_usage', { returning: false });

/** The months each claim holds, for any number of claims in one statement. */
export async function insertClaimMonths(db: Executor, held: { claim: Pick<ClaimRow, 'id' | 'childId' | 'service'>; months: string[] }[]) {
  const rows = held.flatMap(({ claim, months }) => months.map((month) => ({ childId: claim.childId, service: claim.service, month, claimId: claim.id })));
  await claimMonthsInsert(db, rows);
}

export async function releaseClaimMonths(db: Executor, claimId: string) {
  await db.delete(claimMonths).where(eq(claimMonths.claimId, claimId));
}

const heldMonthsStatement = preparedStatement<{ childId: string; service: string; months: string[]; exceptClaimId: string | null }, { month: string }[]>((db) =>
  db
    .select({ month: claimMonths.month })
    .from(claimMonths)
    .where(
      and(
        eq(claimMonths.childId, sql.placeholder('childId')),
        eq(claimMonths.service, sql.placeholder('service')),
        sql`${claimMonths.month} = any(${sql.placeholder('months')})`,
        sql`${claimMonths.claimId} is distinct from ${sql.placeholder('exceptClaimId')}::uuid`,
      ),
    )
    .orderBy(asc(claimMonths.month))
    .prepare('held_months'),
);

/** Months among these already held by another live claim of the child for the service. */
export async function heldMonths(db: Executor, childId: string, service: string, months: string[], exceptClaimId: string | null) {
  if (months.length === 0) return [];
  const rows = await heldMonthsStatement(db, { childId, service, months, exceptClaimId });
  return rows.map((row) => row.month);
}

/** Every month held by a live claim of these children, any service (a chunk of uploads reads them at once). */
export async function heldMonthsOfChildren(db: Executor, childIds: string[]) {
  if (childIds.length === 0) return [];
  return db
    .select({ childId: claimMonths.childId, service: claimMonths.service, month: claimMonths.month, claimId: claimMonths.claimId })
    .from(claimMonths)
    .where(inArray(claimMonths.childId, childIds));
}

const referralsOfChildren = preparedStatement<{ childIds: string[] }, (typeof applications.$inferSelect)[]>((db) =>
  db
    .select()
    .from(applications)
    .where(and(sql`${applications.childId} = any(${sql.placeholder('childIds')})`, eq(applications.status, 'approved')))
    .prepare('referrals_of_children'),
);

/** Approved referrals of these children, to any institution, every year and service. */
export async function findReferralsOfChildren(db: Executor, childIds: string[]) {
  if (childIds.length === 0) return [];
  return referralsOfChildren(db, { childIds });
}

const referralsStatement = preparedStatement<{ childId: string; institutionId: string; year: number; service: string }, (typeof applications.$inferSelect)[]>((db) =>
  db
    .select()
    .from(applications)
    .where(
      and(
        eq(applications.childId, sql.placeholder('childId')),
        eq(applications.institutionId, sql.placeholder('institutionId')),
        eq(applications.status, 'approved'),
        eq(applications.year, sql.placeholder('year')),
        sql`${sql.placeholder('service')}::text = any(${applications.services})`,
      ),
    )
    .prepare('referrals'),
);

/** Approved referrals of a child to an institution for a service and year. */
export async function findReferrals(db: Executor, childId: string, institutionId: string, year: number, service: string) {
  return referralsStatement(db, { childId, institutionId, year, service });
}

const childById = preparedStatement<{ id: string }, (typeof children.$inferSelect)[]>((db) =>
  db.select().from(children).where(eq(children.id, sql.placeholder('id'))).limit(1).prepare('child_by_id'),
);

export async function findChildById(db: Executor, id: string) {
  return (await childById(db, { id }))[0];
}

/** Children by id, in id order; locked when asked (approvals of a block lock their children so). */
const lockedChildren = preparedStatement<{ ids: string[] }, (typeof children.$inferSelect)[]>((db) =>
  db
    .select()
    .from(children)
    .where(sql`${children.id} = any(${sql.placeholder('ids')})`)
    .orderBy(asc(children.id))
    .for('update')
    .prepare('locked_children'),
);

export async function findChildrenByIds(db: Executor, ids: string[], options: { lock?: boolean } = {}) {
  if (ids.length === 0) return [];
  if (options.lock) return lockedChildren(db, { ids });
  return db.select().from(children).where(inArray(children.id, ids)).orderBy(asc(children.id));
}

// A claim by ID number names the child's open record: a closed one's number may have been
// registered again (api.md, Children), and a closed record takes no claim.

/** Children by the keyed hashes of their ID numbers (children/childSecrets.ts, idNumberLookup). */
export async function findChildIdsByIdNumberLookups(db: Executor, lookups: string[]) {
  if (lookups.length === 0) return [];
  return db
    .select({ id: children.id, lookup: children.idNumberLookup })
    .from(children)
    .where(and(inArray(children.idNumberLookup, lookups), isNull(children.closedAt)));
}

export async function findChildIdByIdNumberLookup(db: Executor, lookup: string) {
  const rows = await db
    .select({ id: children.id })
    .from(children)
    .where(and(eq(children.idNumberLookup, lookup), isNull(children.closedAt)))
    .limit(1);
  return rows[0]?.id;
}

const usageStatement = preparedStatement<{ childId: string; service: string; deviceKind: string | null; year: number }, { thisYear: string; ever: string }[]>((db) =>
  db
    .select({
      thisYear: sql<string>`coalesce(sum(${entitlementUsage.amount}) filter (where ${entitlementUsage.year} = ${sql.placeholder('year')}::int), 0)::numeric(14,2)::text`,
      ever: sql<string>`coalesce(sum(${entitlementUsage.amount}), 0)::numeric(14,2)::text`,
    })
    .from(entitlementUsage)
    .where(
      and(
        eq(entitlementUsage.childId, sql.placeholder('childId')),
        eq(entitlementUsage.service, sql.placeholder('service')),
        sql`${entitlementUsage.deviceKind} is not distinct from ${sql.placeholder('deviceKind')}::text`,
      ),
    )
    .prepare('usage'),
);

/** What the child was approved for: this service (and device kind) in a year, and ever. */
export async function usageOf(db: Executor, childId: string, service: string, deviceKind: string | null, year: number) {
  return (await usageStatement(db, { childId, service, deviceKind, year }))[0]!;
}

const usageOfChildrenStatement = preparedStatement<{ childIds: string[] }, { childId: string; service: string; deviceKind: string | null; year: number; amount: string }[]>((db) =>
  db
    .select({
      childId: entitlementUsage.childId,
      service: entitlementUsage.service,
      deviceKind: entitlementUsage.deviceKind,
      year: entitlementUsage.year,
      amount: sql<string>`sum(${entitlementUsage.amount})::numeric(14,2)::text`,
    })
    .from(entitlementUsage)
    .where(sql`${entitlementUsage.childId} = any(${sql.placeholder('childIds')})`)
    .groupBy(entitlementUsage.childId, entitlementUsage.service, entitlementUsage.deviceKind, entitlementUsage.year)
    .prepare('usage_of_children'),
);

/** Every usage of these children, summed by child, service, device kind and year. */
export async function usageOfChildren(db: Executor, childIds: string[]) {
  if (childIds.length === 0) return [];
  return usageOfChildrenStatement(db, { childIds });
}

/** Every usage of a child, grouped by service, device kind and year (for the entitlements view). */
export async function usageByService(db: Executor, childId: string) {
  return db
    .select({
      service: entitlementUsage.service,
      deviceKind: entitlementUsage.deviceKind,
      year: entitlementUsage.year,
      amount: sql<string>`sum(${entitlementUsage.amount})::numeric(14,2)::text`,
    })
    .from(entitlementUsage)
    .where(eq(entitlementUsage.childId, childId))
    .groupBy(entitlementUsage.service, entitlementUsage.deviceKind, entitlementUsage.year);
}

/** Estimated subsidies of the child's claims still waiting for review, by service and kind. */
export async function pendingEstimates(db: Executor, childId: string, year: number) {
  return db
    .select({
      service: claims.service,
      deviceKind: claims.deviceKind,
      amount: sql<string>`sum(${claims.estimateSubsidy})::numeric(14,2)::text`,
    })
    .from(claims)
    .where(and(eq(claims.childId, childId), eq(claims.serviceYear, year), inArray(claims.status, ['submitted', 'returned'])))
    .groupBy(claims.service, claims.deviceKind);
}

export async function insertUsages(db: Executor, rows: (typeof entitlementUsage.$inferInsert)[]) {
  await usagesInsert(db, rows);
}

