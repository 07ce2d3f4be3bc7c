import { EXTENSION_OF_TYPE, MAX_ATTACHMENT_BYTES, type AttachmentType } from '../domain/evidence.js';
import { apiRoutes, attachment, ok } from '../http/routes.js';
import { BinaryFile, errorResponses, ErrorEnvelopeSchema, IdParams } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import { AttachmentListSchema, AttachmentParams, AttachmentQuery, AttachmentSchema } from './evidence.schemas.js';
import type { EvidenceService } from './evidence.service.js';

export function registerEvidenceRoutes(app: App, evidence: EvidenceService) {
  const route = apiRoutes(app, 'claims');

  route(
    'POST /api/v1/claims/:id/attachments',
    {
      roles: ['institution'],
      bodyLimit: MAX_ATTACHMENT_BYTES,
      summary: 'Attach a file of evidence (佐证材料) to a submitted or returned claim',
      description:
        'The body is the file itself (application/pdf, image/jpeg or image/png; application/octet-stream is taken too), told by its content, ' +
        'at most 10 MB, at most 20 files a claim. Another claim’s or a decided claim’s → 404 / 409 INVALID_STATE. Audited as claim.attachment_added.',
      params: IdParams,
      querystring: AttachmentQuery,
      response: { 201: AttachmentSchema, 409: ErrorEnvelopeSchema, 413: ErrorEnvelopeSchema, ...errorResponses },
    },
    async (request, reply) => reply.code(201).send(await evidence.add(contextOf(request), request.params.id, request.query, request.body)),
  );

  route(
    'GET /api/v1/claims/:id/attachments',
    { roles: ['institution', 'reviewer'], summary: 'The files attached to a claim, and the required kinds still missing', params: IdParams, response: ok(AttachmentListSchema) },
    async (request) => evidence.list(contextOf(request), request.params.id),
  );

  route(
    'GET /api/v1/claims/:id/attachments/:attachmentId',
    { roles: ['institution', 'reviewer'], summary: 'One attached file, as it was sent', params: AttachmentParams, response: ok(BinaryFile) },
    async (request, reply) => {
      const file = await evidence.file(contextOf(request), request.params.id, request.params.attachmentId);
      const extension = EXTENSION_OF_TYPE[file.contentType as AttachmentType];
      return attachment(reply, file.content, `evidence-${request.params.attachmentId}.${extension}`, file.fileName);
    },
  );

  route(
    'DELETE /api/v1/claims/:id/attachments/:attachmentId',
    {
      roles: ['institution'],
      summary: 'Remove an attached file while the claim is submitted or returned (audited as claim.attachment_removed)',
      params: AttachmentParams,
      response: ok(AttachmentSchema, 409),
    },
    async (request) => evidence.remove(contextOf(request), request.params.id, request.params.attachmentId),
  );
}
