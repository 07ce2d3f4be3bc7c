import { and, asc, eq, gt, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../http/context.js';
import type { Executor } from '../db/client.js';
import { applications, children, claims } from '../db/schema.js';

export type ApplicationRow = typeof applications.$inferSelect;
export type ChildOfApplication = typeof children.$inferSelect;

/**
 * The applications an actor may see: reviewers and finance those of their region's children;
 * an institution those it filed and the approved referrals to it. An application that only names
 * it as preferred (pending, rejected or referred elsewhere) is not its business, as the child's
 * file is not (childScope).
 */
export function applicationScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'reviewer':
    case 'finance':
      return eq(children.regionCode, actor.regionCode!);
    case 'institution':
      return or(
        and(eq(applications.status, 'approved'), eq(applications.institutionId, actor.institutionId!)),
        eq(applications.filedByInstitutionId, actor.institutionId!),
      )!;
    case 'admin':
      return eq(applications.id, applications.id);
    case 'civil_affairs':
      // The care allowance's office has no business with rehabilitation applications.
      return sql`false`;
    case 'township':
    case 'department':
      // Children in difficulty only (protection.md §1): no business with rehabilitation.
    case 'auditor':
      // The auditor reads the trail, never a child's file (security.md §3).
      return sql`false`;
  }
}

/**
 * What rehabilitation still does on a child's record, that a closed record may not hold: an
 * application waiting for a decision, a referral of `fromYear` or later the child has not dropped
 * out of (claims could be made on it), a claim waiting for the reviewer or the institution.
 */
export async function findOpenRehabilitationWork(db: Executor, childId: string, fromYear: number) {
  const [pending, referral, claim] = await Promise.all([
    db.select().from(applications).where(and(eq(applications.childId, childId), eq(applications.status, 'pending'))).limit(1),
    db
      .select()
      .from(applications)
      .where(and(eq(applications.childId, childId), eq(applications.status, 'approved'), gte(applications.year, fromYear), isNull(applications.droppedOutOn)))
      .limit(1),
    db
      .select({ id: claims.id, externalRef: claims.externalRef, status: claims.status })
      .from(claims)
      .where(and(eq(claims.childId, childId), inArray(claims.status, ['submitted', 'returned'])))
      .limit(1),
  ]);
  return { pending: pending[0], referral: referral[0], claim: claim[0] };
}

export async function insertApplication(db: Executor, row: typeof applications.$inferInsert): Promise<ApplicationRow> {
  const rows = await db.insert(applications).values(row).returning();
  return rows[0]!;
}

/** The application with its child, inside an extra scope condition, optionally locked for update. */
export async function findApplicationWithChild(
  db: Executor,
  id: string,
  scope: SQL,
  options: { lock?: boolean } = {},
): Promise<{ application: ApplicationRow; child: ChildOfApplication } | undefined> {
  const query = db
    .select({ application: applications, child: children })
    .from(applications)
    .innerJoin(children, eq(children.id, applications.childId))
    .where(and(eq(applications.id, id), scope))
    .limit(1);
  const rows = options.lock ? await query.for('update', { of: applications }) : await query;
  return rows[0];
}

export async function updateApplication(db: Executor, id: string, changes: Partial<typeof applications.$inferInsert>) {
  const rows = await db.update(applications).set(changes).where(eq(applications.id, id)).returning();
  return rows[0]!;
}

/**
 * Applications in scope with their child's region (their review deadline is the region's). The
 * pending queue lists by day of receipt, which is the order of due dates within a region; other
 * lists by id (creation order).
 */
export async function listApplicationsInScope(
  db: Executor,
  actor: Actor,
  filter: {
    childId?: string | undefined;
    status?: string | undefined;
    year?: number | undefined;
    institutionId?: string | undefined;
    /** A condition on the child's region and the day of receipt: pending past the due date. */
    overdue?: ((regionColumn: typeof children.regionCode, receivedOnOrBefore: (day: string) => SQL) => SQL) | undefined;
    byReceipt: boolean;
    after?: { receivedOn?: string; id: string } | undefined;
    limit: number;
  },
) {
  const conditions: SQL[] = [applicationScope(actor)];
  if (filter.childId) conditions.push(eq(applications.childId, filter.childId));
  if (filter.status) conditions.push(eq(applications.status, filter.status));
  if (filter.year !== undefined) conditions.push(eq(applications.year, filter.year));
  if (filter.institutionId) conditions.push(eq(applications.institutionId, filter.institutionId));
  if (filter.overdue) {
    conditions.push(eq(applications.status, 'pending'));
    conditions.push(filter.overdue(children.regionCode, (day) => lte(applications.receivedOn, day)));
  }
  if (filter.after) {
    conditions.push(
      filter.byReceipt && filter.after.receivedOn
        ? sql`(${applications.receivedOn}, ${applications.id}) > (${filter.after.receivedOn}::date, ${filter.after.id}::uuid)`
        : gt(applications.id, filter.after.id),
    );
  }
  return db
    .select({ application: applications, regionCode: children.regionCode })
    .from(applications)
    .innerJoin(children, eq(children.id, applications.childId))
    .where(and(...conditions))
    .orderBy(...(filter.byReceipt ? [asc(applications.receivedOn), asc(applications.id)] : [asc(applications.id)]))
    .limit(filter.limit + 1);
}
