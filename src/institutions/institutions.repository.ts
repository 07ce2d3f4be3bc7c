import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { inIdPages } from '../db/pages.js';
import { preparedStatement } from '../db/prepared.js';
import { institutionAccountChanges, institutions, users } from '../db/schema.js';

export type InstitutionRow = typeof institutions.$inferSelect;
export type AccountChangeRow = typeof institutionAccountChanges.$inferSelect;
/** A pending change of an institution's bank account, with the name of the admin who asked for it. */
export type PendingAccountChange = AccountChangeRow & { requestedByName: string };

// Read on every submission: built once (src/db/prepared.ts).
const institutionById = preparedStatement<{ id: string }, InstitutionRow[]>((db) =>
  db.select().from(institutions).where(eq(institutions.id, sql.placeholder('id'))).limit(1).prepare('institution_by_id'),
);

export async function findInstitution(db: Executor, id: string): Promise<InstitutionRow | undefined> {
  return (await institutionById(db, { id }))[0];
}

export async function findInstitutionByCode(db: Executor, code: string): Promise<InstitutionRow | undefined> {
  return (await db.select().from(institutions).where(eq(institutions.code, code)).limit(1))[0];
}

export async function insertInstitution(db: Executor, row: typeof institutions.$inferInsert): Promise<InstitutionRow> {
  return (await db.insert(institutions).values(row).returning())[0]!;
}

export interface InstitutionScope {
  /** Set for institution users: they see only this institution. */
  onlyInstitutionId: string | null;
}

export async function findInstitutionInScope(db: Executor, scope: InstitutionScope, id: string) {
  const conditions: SQL[] = [eq(institutions.id, id)];
  if (scope.onlyInstitutionId) conditions.push(eq(institutions.id, scope.onlyInstitutionId));
  return (await db.select().from(institutions).where(and(...conditions)).limit(1))[0];
}

export async function listInstitutionsInScope(
  db: Executor,
  scope: InstitutionScope,
  filter: { regionCode?: string | undefined; afterId?: string | undefined; limit: number },
) {
  const conditions: SQL[] = [];
  if (scope.onlyInstitutionId) conditions.push(eq(institutions.id, scope.onlyInstitutionId));
  if (filter.regionCode) conditions.push(eq(institutions.regionCode, filter.regionCode));
  return inIdPages(db.select().from(institutions).$dynamic(), institutions.id, conditions, { after: filter.afterId, limit: filter.limit });
}

export async function updateInstitution(db: Executor, id: string, patch: Partial<typeof institutions.$inferInsert>): Promise<InstitutionRow> {
  return (await db.update(institutions).set(patch).where(eq(institutions.id, id)).returning())[0]!;
}

export async function findInstitutionForUpdate(db: Executor, id: string): Promise<InstitutionRow | undefined> {
  const rows = await db.select().from(institutions).where(eq(institutions.id, id)).limit(1).for('update');
  return rows[0];
}

/** The pending bank-account changes of some institutions, by institution id. */
export async function pendingAccountChanges(db: Executor, institutionIds: string[]): Promise<Map<string, PendingAccountChange>> {
  if (institutionIds.length === 0) return new Map();
  const rows = await db
    .select({ change: institutionAccountChanges, requestedByName: users.name })
    .from(institutionAccountChanges)
    .innerJoin(users, eq(users.id, institutionAccountChanges.requestedByUserId))
    .where(and(inArray(institutionAccountChanges.institutionId, institutionIds), eq(institutionAccountChanges.status, 'pending')));
  return new Map(rows.map((row) => [row.change.institutionId, { ...row.change, requestedByName: row.requestedByName }]));
}

export async function insertAccountChange(db: Executor, row: typeof institutionAccountChanges.$inferInsert): Promise<void> {
  await db.insert(institutionAccountChanges).values(row);
}

/** Closes a pending change: confirmed (it took effect) or replaced (by a later request). */
export async function closeAccountChange(db: Executor, id: string, status: 'confirmed' | 'replaced', decidedByUserId: string, decidedAt: Date): Promise<void> {
  await db.update(institutionAccountChanges).set({ status, decidedByUserId, decidedAt }).where(and(eq(institutionAccountChanges.id, id), eq(institutionAccountChanges.status, 'pending')));
}
