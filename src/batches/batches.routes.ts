import { BinaryFile, errorResponses, ErrorEnvelopeSchema, IdParams, listOf } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import { BatchExportQuery, BatchListQuery, BatchSchema, BatchStateSchema, BatchSummarySchema, CreateBatchesBody, CreatedBatchesSchema, PaymentBody } from './batches.schemas.js';
import type { BatchesService } from './batches.service.js';

const stateResponses = { 200: BatchStateSchema, 409: ErrorEnvelopeSchema, 422: ErrorEnvelopeSchema, ...errorResponses };

export function registerBatchRoutes(app: App, batches: BatchesService) {
  app.post('/api/v1/batches', {
    config: { roles: ['reviewer'] },
    schema: {
      tags: ['batches'],
      summary: 'Make draft batches (结算批次), one per institution, from approved unbatched claims of the region',
      body: CreateBatchesBody,
      response: { 201: CreatedBatchesSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.code(201).send(await batches.create(contextOf(request), request.body)),
  });

  app.get('/api/v1/batches', {
    config: { roles: ['reviewer', 'finance', 'institution'] },
    schema: { tags: ['batches'], summary: 'Batches in scope (without their lines)', querystring: BatchListQuery, response: { 200: listOf(BatchSummarySchema), ...errorResponses } },
    handler: async (request) => batches.list(contextOf(request), request.query),
  });

  app.get('/api/v1/batches/export.xlsx', {
    config: { roles: ['reviewer', 'finance', 'institution'] },
    schema: { tags: ['batches'], summary: 'The batches a filter finds (e.g. paid between two dates), as a spreadsheet', querystring: BatchExportQuery, response: { 200: BinaryFile, ...errorResponses } },
    handler: async (request, reply) =>
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="batches.xlsx"; filename*=UTF-8''${encodeURIComponent('结算批次清单.xlsx')}`)
        .send(await batches.exportList(contextOf(request), request.query)),
  });

  app.get('/api/v1/batches/:id', {
    config: { roles: ['reviewer', 'finance', 'institution'] },
    schema: { tags: ['batches'], summary: 'One batch with its lines', params: IdParams, response: { 200: BatchSchema, ...errorResponses } },
    handler: async (request) => batches.get(contextOf(request), request.params.id),
  });

  app.post('/api/v1/batches/:id/cancel', {
    config: { roles: ['reviewer'] },
    schema: { tags: ['batches'], summary: 'Cancel a draft; its claims can be batched again', params: IdParams, response: stateResponses },
    handler: async (request) => batches.cancel(contextOf(request), request.params.id),
  });

  app.post('/api/v1/batches/:id/issue', {
    config: { roles: ['reviewer'] },
    schema: {
      tags: ['batches'],
      summary: 'Issue to finance (转交财政): freezes the batch and renders its PDF once; another reviewer than its builder (else 409 FOUR_EYES_REQUIRED)',
      params: IdParams,
      response: stateResponses,
    },
    handler: async (request) => batches.issue(contextOf(request), request.params.id),
  });

  app.post('/api/v1/batches/:id/payment', {
    config: { roles: ['finance'] },
    schema: {
      tags: ['batches'],
      summary: 'Record the payment (财政直接结算); the amount must equal the total',
      params: IdParams,
      body: PaymentBody,
      response: stateResponses,
    },
    handler: async (request) => batches.pay(contextOf(request), request.params.id, request.body),
  });

  app.get('/api/v1/batches/:id/pdf', {
    config: { roles: ['reviewer', 'finance', 'institution'] },
    schema: {
      tags: ['batches'],
      summary: 'The batch PDF as stored at issue (application/pdf); a draft has none (409)',
      params: IdParams,
      response: { 200: BinaryFile, 409: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const document = await batches.pdf(contextOf(request), request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${document.number}.pdf"`)
        .header('etag', `"${document.sha256}"`)
        .send(document.pdf);
    },
  });

  app.get('/api/v1/batches/:id/xlsx', {
    config: { roles: ['reviewer', 'finance', 'institution'] },
    schema: { tags: ['batches'], summary: 'The batch lines as a spreadsheet', params: IdParams, response: { 200: BinaryFile, ...errorResponses } },
    handler: async (request, reply) => {
      const sheet = await batches.xlsx(contextOf(request), request.params.id);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${sheet.number}.xlsx"`)
        .send(sheet.bytes);
    },
  });
}
