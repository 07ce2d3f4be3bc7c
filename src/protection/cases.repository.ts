import { and, asc, eq, gt, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { inIdPages } from '../db/pages.js';
import { children, protectionCaseCounters, protectionCases, protectionReviews } from '../db/schema.js';
import type { CaseStatus, ProtectionCategory, ReviewRoute, SevereBasis } from '../domain/protectionVocabulary.js';
import type { ParentsFacts } from '../domain/protectionCriteriaRule.js';
import type { Actor } from '../http/context.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { openProtection, sealProtection } from './caseSecrets.js';

// The cases of children in difficulty, scoped by role inside every query (protection.md §1): a
// township its own township's; civil affairs its region's; the reviewer (残联) and a department only
// the cases routed to them. The columns holding sensitive data (the applicant's phone, the parents'
// facts, hivAffected, the bank account numbers) are kept sealed (caseSecrets.ts), and are opened and
// sealed only here, through `caseRecordOf` and `sensitiveColumns`, with the cipher each function
// that reads or writes them is given. Audit rows are built from a CaseRecord by caseChanges.ts's
// `auditableBody`, which keeps the phone masked and leaves the rest out.

export type CaseRow = typeof protectionCases.$inferSelect;

export interface BankAccountValue {
  bank: string;
  accountName: string;
  accountNumber: string;
}

type SealedColumn = 'applicantPhoneSealed' | 'parentsSealed' | 'hivAffectedSealed' | 'bankAccountNumberSealed' | 'pendingBankAccountNumberSealed';

/** A case as the services work with it: its row, with the sensitive columns opened and decoded. */
export interface CaseRecord extends Omit<CaseRow, SealedColumn | 'categories' | 'severeBasis' | 'status'> {
  status: CaseStatus;
  categories: ProtectionCategory[];
  severeBasis: SevereBasis | null;
  applicantPhone: string;
  parents: Required<ParentsFacts>;
  hivAffected: boolean;
  bankAccountNumber: string | null;
  pendingBankAccountNumber: string | null;
}

export interface CaseWithChild {
  record: CaseRecord;
  /** The child's ID number masked (511702********0029): a case never needs it whole. */
  child: { id: string; name: string; idNumberMasked: string; birthDate: string; sex: string; regionCode: string; villageCode: string | null };
}

function caseRecordOf(cipher: FieldCipher, row: CaseRow): CaseRecord {
  const { applicantPhoneSealed, parentsSealed, hivAffectedSealed, bankAccountNumberSealed, pendingBankAccountNumberSealed, ...plain } = row;
  const parents = JSON.parse(openProtection(cipher, 'parents', parentsSealed)) as ParentsFacts;
  return {
    ...plain,
    status: row.status as CaseStatus,
    categories: row.categories as ProtectionCategory[],
    severeBasis: row.severeBasis as SevereBasis | null,
    applicantPhone: openProtection(cipher, 'applicantPhone', applicantPhoneSealed),
    parents: { father: parents.father ?? [], mother: parents.mother ?? [] },
    hivAffected: openProtection(cipher, 'hivAffected', hivAffectedSealed) === 'true',
    bankAccountNumber: openProtection(cipher, 'bankAccountNumber', bankAccountNumberSealed),
    pendingBankAccountNumber: openProtection(cipher, 'bankAccountNumber', pendingBankAccountNumberSealed),
  };
}

/** The sensitive values as stored: sealed on the way in (the bank's and holder's names stay in clear). */
export function sensitiveColumns(cipher: FieldCipher, values: {
  applicantPhone?: string;
  parents?: ParentsFacts;
  hivAffected?: boolean;
  bankAccount?: BankAccountValue | null;
  pendingBankAccount?: BankAccountValue | null;
}): Partial<typeof protectionCases.$inferInsert> {
  const columns: Partial<typeof protectionCases.$inferInsert> = {};
  if (values.applicantPhone !== undefined) columns.applicantPhoneSealed = sealProtection(cipher, 'applicantPhone', values.applicantPhone);
  if (values.parents !== undefined) columns.parentsSealed = sealProtection(cipher, 'parents', JSON.stringify(values.parents));
  if (values.hivAffected !== undefined) columns.hivAffectedSealed = sealProtection(cipher, 'hivAffected', String(values.hivAffected));
  if (values.bankAccount !== undefined) {
    columns.bankName = values.bankAccount?.bank ?? null;
    columns.bankAccountName = values.bankAccount?.accountName ?? null;
    columns.bankAccountNumberSealed = sealProtection(cipher, 'bankAccountNumber', values.bankAccount?.accountNumber ?? null);
  }
  if (values.pendingBankAccount !== undefined) {
    columns.pendingBankName = values.pendingBankAccount?.bank ?? null;
    columns.pendingBankAccountName = values.pendingBankAccount?.accountName ?? null;
    columns.pendingBankAccountNumberSealed = sealProtection(cipher, 'bankAccountNumber', values.pendingBankAccount?.accountNumber ?? null);
  }
  return columns;
}

/** The review route an actor decides for: the reviewer (残联), a department, civil affairs. */
export function routeOf(actor: Actor): ReviewRoute | null {
  if (actor.role === 'reviewer') return 'reviewer';
  if (actor.role === 'civil_affairs') return 'civil_affairs';
  if (actor.role === 'department') return actor.department;
  return null;
}

const routedTo = (route: ReviewRoute) =>
  sql`exists (select 1 from ${protectionReviews} where ${protectionReviews.caseId} = ${protectionCases.id} and ${protectionReviews.route} = ${route})`;

/** The cases an actor may see, as a SQL condition. */
export function caseScope(actor: Actor): SQL {
  switch (actor.role) {
    case 'township':
      return eq(protectionCases.townshipCode, actor.townshipCode!);
    case 'civil_affairs':
      return eq(protectionCases.regionCode, actor.regionCode!);
    case 'reviewer':
    case 'department':
      return and(eq(protectionCases.regionCode, actor.regionCode!), routedTo(routeOf(actor)!))!;
    case 'admin':
    case 'auditor':
    case 'finance':
    case 'institution':
      // The auditor reads the trail of cases, never a case (security.md §3).
      return sql`false`;
  }
}

const childColumns = {
  id: children.id,
  name: children.name,
  // Set for every sealed row (the first start seals a database from before sealing).
  idNumberMasked: sql<string>`${children.idNumberMasked}`,
  birthDate: children.birthDate,
  sex: children.sex,
  regionCode: children.regionCode,
  villageCode: children.villageCode,
};

export async function findCaseInScope(db: Executor, cipher: FieldCipher, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<CaseWithChild | undefined> {
  const query = db
    .select({ row: protectionCases, child: childColumns })
    .from(protectionCases)
    .innerJoin(children, eq(children.id, protectionCases.childId))
    .where(and(eq(protectionCases.id, id), caseScope(actor)))
    .limit(1);
  const found = (await (options.lock ? query.for('update', { of: protectionCases }) : query))[0];
  return found ? { record: caseRecordOf(cipher, found.row), child: found.child } : undefined;
}

/** A case by id, whoever asks (a case just written in the same request). */
export async function findCase(db: Executor, cipher: FieldCipher, id: string): Promise<CaseWithChild | undefined> {
  const found = (
    await db.select({ row: protectionCases, child: childColumns }).from(protectionCases).innerJoin(children, eq(children.id, protectionCases.childId)).where(eq(protectionCases.id, id)).limit(1)
  )[0];
  return found ? { record: caseRecordOf(cipher, found.row), child: found.child } : undefined;
}

/** The child's case that is not refused, withdrawn or exited, if any. */
export async function findLiveCaseOfChild(db: Executor, childId: string): Promise<CaseRow | undefined> {
  return (await db.select().from(protectionCases).where(and(eq(protectionCases.childId, childId), notInArray(protectionCases.status, ['refused', 'withdrawn', 'exited']))).limit(1))[0];
}

/** The next number of a region and year: 511702-KJ-2025-0001, counted under the counter's row lock. */
export async function nextCaseNumber(tx: Executor, regionCode: string, year: number): Promise<string> {
  const rows = await tx
    .insert(protectionCaseCounters)
    .values({ regionCode, year, lastNumber: 1 })
    .onConflictDoUpdate({ target: [protectionCaseCounters.regionCode, protectionCaseCounters.year], set: { lastNumber: sql`${protectionCaseCounters.lastNumber} + 1` } })
    .returning({ lastNumber: protectionCaseCounters.lastNumber });
  return `${regionCode}-KJ-${year}-${String(rows[0]!.lastNumber).padStart(4, '0')}`;
}

export type NewCase = Omit<typeof protectionCases.$inferInsert, SealedColumn | 'bankName' | 'bankAccountName'> & {
  applicantPhone: string;
  parents: ParentsFacts;
  hivAffected: boolean;
  bankAccount: BankAccountValue | null;
};

export async function insertCase(tx: Executor, cipher: FieldCipher, value: NewCase): Promise<void> {
  const { applicantPhone, parents, hivAffected, bankAccount, ...plain } = value;
  await tx.insert(protectionCases).values({ ...plain, ...sensitiveColumns(cipher, { applicantPhone, parents, hivAffected, bankAccount }) } as typeof protectionCases.$inferInsert);
}

/** Plain columns of a case; the sensitive ones go through `sensitiveColumns`. */
export type CasePatch = Partial<Omit<typeof protectionCases.$inferInsert, 'id' | SealedColumn | 'bankName' | 'bankAccountName' | 'pendingBankName' | 'pendingBankAccountName'>>;

/** Changes a case's plain columns, and its sensitive ones when given (`sensitive`, sealed by `sensitiveColumns`). */
export async function updateCase(tx: Executor, id: string, patch: CasePatch, sensitive: ReturnType<typeof sensitiveColumns> = {}): Promise<void> {
  await tx
    .update(protectionCases)
    .set({ ...patch, ...sensitive })
    .where(eq(protectionCases.id, id));
}

/** The bank account of a case as stored, and the one waiting for confirmation. */
export function bankAccountsOf(record: CaseRecord): { current: BankAccountValue | null; pending: BankAccountValue | null } {
  return {
    current: record.bankAccountNumber ? { bank: record.bankName!, accountName: record.bankAccountName!, accountNumber: record.bankAccountNumber } : null,
    pending: record.pendingBankAccountNumber ? { bank: record.pendingBankName!, accountName: record.pendingBankAccountName!, accountNumber: record.pendingBankAccountNumber } : null,
  };
}

export interface CaseFilter {
  status?: CaseStatus | 'ended' | undefined;
  townshipCode?: string | undefined;
  villageCode?: string | undefined;
  category?: ProtectionCategory | undefined;
  childId?: string | undefined;
  /** A condition the caller built (overdue cut-offs, pending reviews). */
  extra?: SQL[];
  /** The current month, for `recognised` and `ended`. */
  month: string;
}

function filterConditions(actor: Actor, filter: CaseFilter): SQL[] {
  const conditions: SQL[] = [caseScope(actor)];
  if (filter.status === 'ended') conditions.push(and(eq(protectionCases.status, 'recognised'), sql`${protectionCases.lastMonth} < ${filter.month}`)!);
  else if (filter.status === 'recognised') conditions.push(and(eq(protectionCases.status, 'recognised'), sql`${protectionCases.lastMonth} >= ${filter.month}`)!);
  else if (filter.status) conditions.push(eq(protectionCases.status, filter.status));
  if (filter.townshipCode) conditions.push(eq(protectionCases.townshipCode, filter.townshipCode));
  if (filter.villageCode) conditions.push(eq(protectionCases.villageCode, filter.villageCode));
  if (filter.category) conditions.push(sql`${filter.category} = any(${protectionCases.categories})`);
  if (filter.childId) conditions.push(eq(protectionCases.childId, filter.childId));
  conditions.push(...(filter.extra ?? []));
  return conditions;
}

/** A page of cases by id (creation order). */
export async function listCasesById(db: Executor, cipher: FieldCipher, actor: Actor, filter: CaseFilter, page: { after?: string | undefined; limit: number }): Promise<CaseWithChild[]> {
  const query = db.select({ row: protectionCases, child: childColumns }).from(protectionCases).innerJoin(children, eq(children.id, protectionCases.childId)).$dynamic();
  const rows = await inIdPages(query, protectionCases.id, filterConditions(actor, filter), { after: page.after, limit: page.limit });
  return rows.map((found) => ({ record: caseRecordOf(cipher, found.row), child: found.child }));
}

/** Every case in scope matching the filter, by id (the visit lists order them by a date computed from each). */
export async function casesInScope(db: Executor, cipher: FieldCipher, actor: Actor, filter: CaseFilter): Promise<CaseWithChild[]> {
  const rows = await db
    .select({ row: protectionCases, child: childColumns })
    .from(protectionCases)
    .innerJoin(children, eq(children.id, protectionCases.childId))
    .where(and(...filterConditions(actor, filter)))
    .orderBy(asc(protectionCases.id));
  return rows.map((found) => ({ record: caseRecordOf(cipher, found.row), child: found.child }));
}

/** A page of cases waiting at one step, by the day the step started (so by due date), then id. */
export async function listCasesByStep(db: Executor, cipher: FieldCipher, actor: Actor, filter: CaseFilter, page: { after?: { date: string; id: string } | undefined; limit: number }): Promise<CaseWithChild[]> {
  const cursor = page.after
    ? or(gt(protectionCases.stepSince, page.after.date), and(eq(protectionCases.stepSince, page.after.date), gt(protectionCases.id, page.after.id)))
    : undefined;
  const rows = await db
    .select({ row: protectionCases, child: childColumns })
    .from(protectionCases)
    .innerJoin(children, eq(children.id, protectionCases.childId))
    .where(and(...filterConditions(actor, filter), cursor))
    .orderBy(asc(protectionCases.stepSince), asc(protectionCases.id))
    .limit(page.limit + 1);
  return rows.map((found) => ({ record: caseRecordOf(cipher, found.row), child: found.child }));
}

/** Every case of a region (statistics, quarterly report): a county holds some thousands at most. */
export async function casesOfRegion(db: Executor, cipher: FieldCipher, regionCode: string, options: { townshipCode?: string | undefined; childId?: string | undefined } = {}): Promise<CaseWithChild[]> {
  const conditions: SQL[] = [eq(protectionCases.regionCode, regionCode)];
  if (options.townshipCode) conditions.push(eq(protectionCases.townshipCode, options.townshipCode));
  if (options.childId) conditions.push(eq(protectionCases.childId, options.childId));
  const rows = await db
    .select({ row: protectionCases, child: childColumns })
    .from(protectionCases)
    .innerJoin(children, eq(children.id, protectionCases.childId))
    .where(and(...conditions))
    .orderBy(asc(protectionCases.id));
  return rows.map((found) => ({ record: caseRecordOf(cipher, found.row), child: found.child }));
}

/** Cases by ids inside the actor's scope, locked in id order (a quarterly update's lines). */
export async function lockCasesInScope(tx: Executor, cipher: FieldCipher, actor: Actor, ids: string[]): Promise<CaseWithChild[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ row: protectionCases, child: childColumns })
    .from(protectionCases)
    .innerJoin(children, eq(children.id, protectionCases.childId))
    .where(and(inArray(protectionCases.id, ids), caseScope(actor)))
    .orderBy(asc(protectionCases.id))
    .for('update', { of: protectionCases });
  return rows.map((found) => ({ record: caseRecordOf(cipher, found.row), child: found.child }));
}
