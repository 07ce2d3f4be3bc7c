import { BinaryFile, errorResponses, ErrorEnvelopeSchema, IdParams, listOf } from '../http/schemas.js';
import { mapColumns, readUploadedRows, requireColumns, spreadsheetMoney, uploadKind, XLSX_TYPE } from '../http/uploads.js';
import { parseOrThrow } from '../http/validation.js';
import { contextOf, type App } from '../http/types.js';
import type { Offload } from '../workers/pool.js';
import { CreateReconciliationBody, ReconciliationListQuery, ReconciliationSchema, ReconciliationSummarySchema, ReconciliationUploadQuery } from './reconciliation.schemas.js';
import type { ReconciliationService } from './reconciliation.service.js';
import { renderReconciliationXlsx } from './reconciliationXlsx.js';

/** The statement's columns: the institution's reference and the amount it booked. */
const STATEMENT_COLUMNS = {
  externalRef: ['结算申请号', '申请号', '单据号'],
  amount: ['金额', '结算金额', '核定金额'],
} as const;

const MAX_STATEMENT_LINES = 20000;

export function registerReconciliationRoutes(app: App, reconciliations: ReconciliationService, offload: Offload) {
  app.post('/api/v1/reconciliations', {
    config: { roles: ['institution', 'reviewer'] },
    bodyLimit: 20 * 1024 * 1024,
    schema: {
      tags: ['reconciliation'],
      summary: 'Reconcile an institution’s statement against approvals and payments (对账)',
      description:
        'JSON: {"institutionId", "from", "to", "lines": [{"externalRef", "amount"}]}. Or the statement as a file: ' +
        'text/csv (UTF-8 with or without BOM, or GB18030) or XLSX as the body, with columns 结算申请号 (externalRef) and 金额 (amount), ' +
        'and institutionId, from, to in the query string.',
      response: { 201: ReconciliationSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      let body: unknown = request.body;
      if (uploadKind(request)) {
        const query = parseOrThrow(ReconciliationUploadQuery, request.query);
        const rows = await readUploadedRows(request, { maxRows: MAX_STATEMENT_LINES });
        requireColumns(rows, STATEMENT_COLUMNS, ['externalRef', 'amount']);
        body = {
          ...query,
          lines: rows.map((row) => {
            const line = mapColumns(row.cells, STATEMENT_COLUMNS);
            return { externalRef: line.externalRef, amount: line.amount === undefined ? undefined : spreadsheetMoney(line.amount) };
          }),
        };
      }
      const created = await reconciliations.create(contextOf(request), parseOrThrow(CreateReconciliationBody, body));
      return reply.code(201).send(created);
    },
  });

  app.get('/api/v1/reconciliations', {
    config: { roles: ['institution', 'reviewer'] },
    schema: {
      tags: ['reconciliation'],
      summary: 'Past reconciliations in scope, newest first (without their lines)',
      querystring: ReconciliationListQuery,
      response: { 200: listOf(ReconciliationSummarySchema), ...errorResponses },
    },
    handler: async (request) => reconciliations.list(contextOf(request), request.query),
  });

  app.get('/api/v1/reconciliations/:id', {
    config: { roles: ['institution', 'reviewer'] },
    schema: { tags: ['reconciliation'], summary: 'A stored reconciliation', params: IdParams, response: { 200: ReconciliationSchema, ...errorResponses } },
    handler: async (request) => reconciliations.get(contextOf(request), request.params.id),
  });

  app.get('/api/v1/reconciliations/:id/pdf', {
    config: { roles: ['institution', 'reviewer'] },
    schema: { tags: ['reconciliation'], summary: 'The reconciliation report as a PDF', params: IdParams, response: { 200: BinaryFile, 409: ErrorEnvelopeSchema, ...errorResponses } },
    handler: async (request, reply) => {
      const report = await reconciliations.document(contextOf(request), request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="reconciliation-${report.from}-${report.to}.pdf"`)
        .send(Buffer.from(await offload.run('reconciliationPdf', report)));
    },
  });

  app.get('/api/v1/reconciliations/:id/xlsx', {
    config: { roles: ['institution', 'reviewer'] },
    schema: { tags: ['reconciliation'], summary: 'The reconciliation as a spreadsheet', params: IdParams, response: { 200: BinaryFile, ...errorResponses } },
    handler: async (request, reply) => {
      const report = await reconciliations.document(contextOf(request), request.params.id);
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', `attachment; filename="reconciliation-${report.from}-${report.to}.xlsx"`)
        .send(await renderReconciliationXlsx(report));
    },
  });
}
