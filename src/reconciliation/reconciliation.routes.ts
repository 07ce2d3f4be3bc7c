import { BinaryFile, IdParams, listOf } from '../http/schemas.js';
import { mapColumns, readUploadedRows, requireColumns, spreadsheetMoney, uploadKind } from '../http/uploads.js';
import { parseOrThrow } from '../http/validation.js';
import { apiRoutes, attachment, created, ok } from '../http/routes.js';
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
  const route = apiRoutes(app, 'reconciliation');

  route(
    'POST /api/v1/reconciliations',
    {
      roles: ['institution', 'reviewer'],
      bodyLimit: 20 * 1024 * 1024,
      summary: 'Reconcile an institution’s statement against approvals and payments (对账)',
      description:
        'JSON: {"institutionId", "from", "to", "lines": [{"externalRef", "amount"}]}. Or the statement as a file: ' +
        'text/csv (UTF-8 with or without BOM, or GB18030) or XLSX as the body, with columns 结算申请号 (externalRef) and 金额 (amount), ' +
        'and institutionId, from, to in the query string.',
      response: created(ReconciliationSchema),
    },
    async (request, reply) => {
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
  );

  route(
    'GET /api/v1/reconciliations',
    {
      roles: ['institution', 'reviewer'],
      summary: 'Past reconciliations in scope, newest first (without their lines)',
      querystring: ReconciliationListQuery,
      response: ok(listOf(ReconciliationSummarySchema)),
    },
    async (request) => reconciliations.list(contextOf(request), request.query),
  );

  route(
    'GET /api/v1/reconciliations/:id',
    { roles: ['institution', 'reviewer'], summary: 'A stored reconciliation', params: IdParams, response: ok(ReconciliationSchema) },
    async (request) => reconciliations.get(contextOf(request), request.params.id),
  );

  route(
    'GET /api/v1/reconciliations/:id/pdf',
    { roles: ['institution', 'reviewer'], summary: 'The reconciliation report as a PDF', params: IdParams, response: ok(BinaryFile, 409) },
    async (request, reply) => {
      const report = await reconciliations.document(contextOf(request), request.params.id);
      return attachment(reply, Buffer.from(await offload.run('reconciliationPdf', report)), `reconciliation-${report.number}.pdf`, `对账报告-${report.number}.pdf`);
    },
  );

  route(
    'GET /api/v1/reconciliations/:id/xlsx',
    { roles: ['institution', 'reviewer'], summary: 'The reconciliation as a spreadsheet', params: IdParams, response: ok(BinaryFile) },
    async (request, reply) => {
      const report = await reconciliations.document(contextOf(request), request.params.id);
      return attachment(reply, await renderReconciliationXlsx(report), `reconciliation-${report.number}.xlsx`, `对账报告-${report.number}.xlsx`);
    },
  );
}
