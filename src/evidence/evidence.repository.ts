import { and, asc, count, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { preparedStatement } from '../db/prepared.js';
import { claimAttachments } from '../db/schema.js';
import { missingEvidence, type EvidenceKind } from '../domain/evidence.js';
import type { Service } from '../domain/vocabulary.js';
import { requiredEvidenceOfRegions } from '../regions/regions.repository.js';

// The files attached to claims. A claim's scope is checked by the caller (the claim is found in
// scope first); lists never read the files themselves.

export type AttachmentRow = typeof claimAttachments.$inferSelect;
export type AttachmentInfo = Omit<AttachmentRow, 'content'>;

const { content: _content, ...infoColumns } = getTableColumns(claimAttachments);

export async function insertAttachment(db: Executor, row: typeof claimAttachments.$inferInsert): Promise<void> {
  await db.insert(claimAttachments).values(row);
}

export async function listAttachments(db: Executor, claimId: string): Promise<AttachmentInfo[]> {
  return db.select(infoColumns).from(claimAttachments).where(eq(claimAttachments.claimId, claimId)).orderBy(asc(claimAttachments.id));
}

export async function countAttachments(db: Executor, claimId: string): Promise<number> {
  return (await db.select({ n: count() }).from(claimAttachments).where(eq(claimAttachments.claimId, claimId)))[0]!.n;
}

/** One attachment of a claim, with its file when asked. */
export async function findAttachment(db: Executor, claimId: string, id: string, options: { withContent: true }): Promise<AttachmentRow | undefined>;
export async function findAttachment(db: Executor, claimId: string, id: string): Promise<AttachmentInfo | undefined>;
export async function findAttachment(db: Executor, claimId: string, id: string, options: { withContent?: boolean } = {}) {
  const where = and(eq(claimAttachments.claimId, claimId), eq(claimAttachments.id, id));
  const rows = options.withContent ? await db.select().from(claimAttachments).where(where).limit(1) : await db.select(infoColumns).from(claimAttachments).where(where).limit(1);
  return rows[0];
}

export async function deleteAttachment(db: Executor, id: string): Promise<void> {
  await db.delete(claimAttachments).where(eq(claimAttachments.id, id));
}

// Read whenever claims waiting for review are answered or approved: built once (src/db/prepared.ts).
const kindsOfClaimsStatement = preparedStatement<{ ids: string[] }, { claimId: string; kind: string }[]>((db) =>
  db
    .selectDistinct({ claimId: claimAttachments.claimId, kind: claimAttachments.kind })
    .from(claimAttachments)
    .where(sql`${claimAttachments.claimId} = any(${sql.placeholder('ids')})`)
    .prepare('attachment_kinds_of_claims'),
);

/** What evidence a claim needs: its id, paying region, service and status. */
export interface EvidenceSubject {
  id: string;
  regionCode: string;
  service: string;
  status: string;
}

/** Statuses in which files may still be attached, and so in which evidence can be missing. */
export const OPEN_FOR_EVIDENCE = ['submitted', 'returned'];

/**
 * The required kinds each claim still lacks (api.md `evidenceMissing`): those its region requires
 * for its service that none of its files is. A claim past review (approved, rejected, withdrawn...)
 * takes no more files and lacks nothing. Two small statements for any number of claims, and none
 * when no region of theirs requires anything.
 */
export async function evidenceMissingOf(db: Executor, subjects: EvidenceSubject[]): Promise<Map<string, EvidenceKind[]>> {
  const missing = new Map<string, EvidenceKind[]>(subjects.map((subject) => [subject.id, []]));
  const open = subjects.filter((subject) => OPEN_FOR_EVIDENCE.includes(subject.status));
  const required = await requiredEvidenceOfRegions(
    db,
    open.map((subject) => subject.regionCode),
  );
  const needing = open.filter((subject) => (required.get(subject.regionCode)?.[subject.service as Service]?.length ?? 0) > 0);
  if (needing.length === 0) return missing;
  const kinds = await kindsOfClaimsStatement(db, { ids: needing.map((subject) => subject.id) });
  for (const subject of needing) {
    const attached = kinds.filter((row) => row.claimId === subject.id).map((row) => row.kind);
    missing.set(subject.id, missingEvidence(required.get(subject.regionCode), subject.service as Service, attached));
  }
  return missing;
}

/** How many files the database holds and their size: what evidence adds to a backup. */
export async function attachmentTotals(db: Executor): Promise<{ count: number; bytes: number }> {
  const row = (await db.select({ n: count(), bytes: sql<string>`coalesce(sum(${claimAttachments.bytes}), 0)::text` }).from(claimAttachments))[0]!;
  return { count: row.n, bytes: Number(row.bytes) };
}
