import { z } from 'zod';
import { EVIDENCE_KINDS } from '../domain/evidence.js';
import { Id, Timestamp } from '../http/schemas.js';

export const AttachmentQuery = z.object({
  kind: z.enum(EVIDENCE_KINDS).meta({ description: '训练考勤 attendance, 发票 invoice, 出院小结 discharge_summary, 处方 prescription, 配发单 device_receipt, other' }),
  fileName: z.string().max(500).optional().meta({ description: 'The file’s name as the person saw it (kept without folders, at most 120 characters)' }),
});

export const AttachmentParams = z.object({ id: Id, attachmentId: Id });

export const AttachmentSchema = z.object({
  id: Id,
  claimId: Id,
  kind: z.enum(EVIDENCE_KINDS),
  fileName: z.string(),
  contentType: z.enum(['application/pdf', 'image/jpeg', 'image/png']),
  bytes: z.number().int(),
  sha256: z.string(),
  uploadedAt: Timestamp,
  uploadedBy: Id,
});

export const AttachmentListSchema = z.object({
  items: z.array(AttachmentSchema),
  evidenceMissing: z.array(z.enum(EVIDENCE_KINDS)).meta({ description: 'The kinds the claim’s region requires for its service that no file is yet' }),
});
