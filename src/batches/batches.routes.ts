import { BinaryFile, IdParams, listOf } from '../http/schemas.js';
import { apiRoutes, attachment, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { BatchExportQuery, BatchListQuery, BatchSchema, BatchStateSchema, BatchSummarySchema, CreateBatchesBody, CreatedBatchesSchema, PaymentBody } from './batches.schemas.js';
import type { BatchesService } from './batches.service.js';

const stateResponses = ok(BatchStateSchema, 409, 422);

export function registerBatchRoutes(app: App, batches: BatchesService) {
  const route = apiRoutes(app, 'batches');

  route(
    'POST /api/v1/batches',
    { roles: ['reviewer'], summary: 'Make draft batches (结算批次), one per institution, from approved unbatched claims of the region', body: CreateBatchesBody, response: created(CreatedBatchesSchema) },
    async (request, reply) => reply.code(201).send(await batches.create(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/batches',
    { roles: ['reviewer', 'finance', 'institution'], summary: 'Batches in scope (without their lines)', querystring: BatchListQuery, response: ok(listOf(BatchSummarySchema)) },
    async (request) => batches.list(contextOf(request), request.query),
  );

  route(
    'GET /api/v1/batches/export.xlsx',
    { roles: ['reviewer', 'finance', 'institution'], summary: 'The batches a filter finds (e.g. paid between two dates), as a spreadsheet', querystring: BatchExportQuery, response: ok(BinaryFile) },
    async (request, reply) => attachment(reply, await batches.exportList(contextOf(request), request.query), 'batches.xlsx', '结算批次清单.xlsx'),
  );

  route(
    'GET /api/v1/batches/:id',
    { roles: ['reviewer', 'finance', 'institution'], summary: 'One batch with its lines', params: IdParams, response: ok(BatchSchema) },
    async (request) => batches.get(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/batches/:id/cancel',
    { roles: ['reviewer'], summary: 'Cancel a draft; its claims can be batched again', params: IdParams, response: stateResponses },
    async (request) => batches.cancel(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/batches/:id/issue',
    { roles: ['reviewer'], summary: 'Issue to finance (转交财政): freezes the batch and renders its PDF once; another reviewer than its builder (else 409 FOUR_EYES_REQUIRED)', params: IdParams, response: stateResponses },
    async (request) => batches.issue(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/batches/:id/payment',
    { roles: ['finance'], summary: 'Record the payment (财政直接结算); the amount must equal the total', params: IdParams, body: PaymentBody, response: stateResponses },
    async (request) => batches.pay(contextOf(request), request.params.id, request.body),
  );

  route(
    'GET /api/v1/batches/:id/pdf',
    { roles: ['reviewer', 'finance', 'institution'], summary: 'The batch PDF as stored at issue (application/pdf); a draft has none (409)', params: IdParams, response: ok(BinaryFile, 409) },
    async (request, reply) => {
      const document = await batches.pdf(contextOf(request), request.params.id);
      // The stored document never changes: its hash is its entity tag (no copy is kept: no-store, app.ts).
      return attachment(reply.header('etag', `"${document.sha256}"`), document.pdf, `${document.number}.pdf`);
    },
  );

  route(
    'GET /api/v1/batches/:id/xlsx',
    { roles: ['reviewer', 'finance', 'institution'], summary: 'The batch lines as a spreadsheet', params: IdParams, response: ok(BinaryFile) },
    async (request, reply) => {
      const sheet = await batches.xlsx(contextOf(request), request.params.id);
      return attachment(reply, sheet.bytes, `${sheet.number}.xlsx`);
    },
  );
}
