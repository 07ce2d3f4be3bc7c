import { recordAudit } from '../audit/audit.repository.js';
import { findClaimInScope } from '../claims/claims.repository.js';
import type { Database, Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { attachmentFileName, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_CLAIM, sniffAttachmentType, type EvidenceKind } from '../domain/evidence.js';
import { sha256Hex } from '../domain/sha256.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { iso } from '../http/schemas.js';
import {
  countAttachments,
  deleteAttachment,
  evidenceMissingOf,
  findAttachment,
  insertAttachment,
  listAttachments,
  OPEN_FOR_EVIDENCE,
  type AttachmentInfo,
} from './evidence.repository.js';

// Evidence (佐证材料, api.md "Evidence"): the claim's institution attaches files while the claim
// waits for review or correction, and removes them before approval; the institution and the
// reviewers of the paying region read them. Every change is one transaction with its audit row
// (kind, size and hash; never the file, nor its name, which may name the child).

function presentAttachment(row: AttachmentInfo) {
  return {
    id: row.id,
    claimId: row.claimId,
    kind: row.kind as EvidenceKind,
    fileName: row.fileName,
    contentType: row.contentType as 'application/pdf' | 'image/jpeg' | 'image/png',
    bytes: row.bytes,
    sha256: row.sha256,
    uploadedAt: iso(row.uploadedAt),
    uploadedBy: row.uploadedByUserId,
  };
}

/** The claim in scope, locked against approval while files change; 404 outside scope. */
async function claimOpenForEvidence(tx: Executor, context: RequestContext, claimId: string, doing: string) {
  const claim = await findClaimInScope(tx, context.actor, claimId, { lock: true });
  if (!claim) throw notFound('claim');
  if (!OPEN_FOR_EVIDENCE.includes(claim.status)) throw invalidState(`the claim is ${claim.status}; ${doing} only while it is submitted or returned`);
  return claim;
}

export function createEvidenceService(deps: { db: Database }) {
  const { db } = deps;

  return {
    /** POST /claims/:id/attachments: the file is the body; its type is told by its content. */
    async add(context: RequestContext, claimId: string, query: { kind: EvidenceKind; fileName?: string | undefined }, body: unknown) {
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw validationFailed('send the file itself as the request body (a PDF, JPEG or PNG), with its content type', [{ in: 'body', field: null }]);
      }
      if (body.length > MAX_ATTACHMENT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'a file may be at most 10 MB');
      const contentType = sniffAttachmentType(body);
      if (!contentType) {
        throw validationFailed('the file is not a PDF, JPEG or PNG (told by its content, whatever its name says): scan or save it as one of those', [{ in: 'body', field: null }]);
      }
      const row = await db.transaction(async (tx) => {
        const claim = await claimOpenForEvidence(tx, context, claimId, 'files are attached');
        if ((await countAttachments(tx, claimId)) >= MAX_ATTACHMENTS_PER_CLAIM) {
          throw invalidState(`a claim holds at most ${MAX_ATTACHMENTS_PER_CLAIM} files; remove one before attaching another`);
        }
        const attachment = {
          id: newId(),
          claimId,
          kind: query.kind,
          fileName: attachmentFileName(query.fileName, query.kind, contentType),
          contentType,
          bytes: body.length,
          sha256: sha256Hex(body),
          uploadedByUserId: context.actor.id,
          uploadedAt: context.now,
        };
        await insertAttachment(tx, { ...attachment, content: body });
        await recordAudit(tx, context, {
          action: 'claim.attachment_added',
          entityType: 'claim',
          entityId: claimId,
          regionCode: claim.regionCode,
          data: { attachmentId: attachment.id, kind: attachment.kind, contentType, bytes: attachment.bytes, sha256: attachment.sha256 },
        });
        return attachment;
      });
      return presentAttachment(row);
    },

    /** GET /claims/:id/attachments: the files' descriptions and the kinds still missing. */
    async list(context: RequestContext, claimId: string) {
      const claim = await findClaimInScope(db, context.actor, claimId);
      if (!claim) throw notFound('claim');
      const [rows, missing] = await Promise.all([listAttachments(db, claimId), evidenceMissingOf(db, [claim])]);
      return { items: rows.map(presentAttachment), evidenceMissing: missing.get(claimId) ?? [] };
    },

    /** GET /claims/:id/attachments/:attachmentId: the file as it was sent. */
    async file(context: RequestContext, claimId: string, attachmentId: string) {
      const claim = await findClaimInScope(db, context.actor, claimId);
      if (!claim) throw notFound('claim');
      const row = await findAttachment(db, claimId, attachmentId, { withContent: true });
      if (!row) throw notFound('attachment');
      return { fileName: row.fileName, contentType: row.contentType, content: row.content };
    },

    /** DELETE /claims/:id/attachments/:attachmentId: before approval only. */
    async remove(context: RequestContext, claimId: string, attachmentId: string) {
      const row = await db.transaction(async (tx) => {
        const claim = await claimOpenForEvidence(tx, context, claimId, 'files are removed');
        const attachment = await findAttachment(tx, claimId, attachmentId);
        if (!attachment) throw notFound('attachment');
        await deleteAttachment(tx, attachmentId);
        await recordAudit(tx, context, {
          action: 'claim.attachment_removed',
          entityType: 'claim',
          entityId: claimId,
          regionCode: claim.regionCode,
          data: { attachmentId, kind: attachment.kind, bytes: attachment.bytes, sha256: attachment.sha256 },
        });
        return attachment;
      });
      return presentAttachment(row);
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
