import { BulkQuery, bulkRequestRows, BulkResultSchema, MAX_BULK_ROWS, summarise } from '../http/bulk.js';
import { BinaryFile, errorResponses, ErrorEnvelopeSchema, IdParams, listOf } from '../http/schemas.js';
import { RefusedRowsBody, refusedRowsXlsx } from '../http/refusedRowsXlsx.js';
import { apiRoutes, attachment, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { ApproveClaimBody, BulkApproveBody, BulkApproveResultSchema, ClaimBody, ClaimCountSchema, ClaimFilterQuery, ClaimListQuery, ClaimSchema, MAX_BULK_APPROVALS, ReasonBody } from './claims.schemas.js';
import type { ClaimsService } from './claims.service.js';
import { CLAIM_COLUMNS, claimBodyOfRow, claimsTemplate, REQUIRED_CLAIM_COLUMNS } from './claims.spreadsheet.js';

const transitionResponses = ok(ClaimSchema, 409, 422);

export function registerClaimRoutes(app: App, claims: ClaimsService) {
  const route = apiRoutes(app, 'claims');

  route(
    'POST /api/v1/claims',
    {
      roles: ['institution'],
      summary: 'Submit a claim (结算申请); resending the same externalRef is idempotent',
      description:
        'Checks in this order, the first failure answers: body (400); externalRef used before (200 same content, 409 DUPLICATE_EXTERNAL_REF); ' +
        'DEDUCTIONS_EXCEED_GROSS, PERIOD_CROSSES_YEAR, SERVICE_NOT_YET_DELIVERED; NOT_REFERRED, SERVICE_NOT_DESIGNATED, AFTER_DROPOUT; ' +
        'CATEGORY_NOT_COVERED, INELIGIBLE_AGE; DUPLICATE_SERVICE_PERIOD.',
      body: ClaimBody,
      response: { 200: ClaimSchema, 201: ClaimSchema, 409: ErrorEnvelopeSchema, 422: ErrorEnvelopeSchema, ...errorResponses },
    },
    async (request, reply) => {
      const result = await claims.submit(contextOf(request), request.body);
      return reply.code(result.created ? 201 : 200).send(result.claim);
    },
  );

  route(
    'POST /api/v1/claims/bulk',
    {
      roles: ['institution'],
      bodyLimit: 32 * 1024 * 1024,
      summary: `Submit up to ${MAX_BULK_ROWS} claims: JSON rows, or a CSV / XLSX file in the layout of GET /claims/template.xlsx`,
      description:
        'JSON: {"rows": [<body of POST /claims>, ...], "atomic": false}. Or the file itself as the body (text/csv in UTF-8 or GB18030, or XLSX) ' +
        'with ?atomic=true|false. Every row is checked as a single submission and answered (rows numbered from 1; fileRow is the row in the sheet). ' +
        'Per-row mode keeps the good rows; atomic mode keeps all or nothing (422 BULK_REFUSED naming every refused row). Resending the same rows creates nothing twice.',
      querystring: BulkQuery,
      response: ok(BulkResultSchema, 422),
    },
    async (request) => {
      const { rows, atomic } = await bulkRequestRows(request, {
        rowSchema: ClaimBody,
        columns: CLAIM_COLUMNS,
        requiredColumns: REQUIRED_CLAIM_COLUMNS,
        bodyOfRow: claimBodyOfRow,
      });
      const results = await claims.submitMany(contextOf(request), rows, atomic);
      // Each row is named to the clerk by its 结算申请号 (or the child's ID number), not only a line number.
      const referenceOf = (index: number) => {
        const value = rows[index]?.value as { externalRef?: unknown; childIdNumber?: unknown } | undefined;
        return typeof value?.externalRef === 'string' && value.externalRef ? value.externalRef : typeof value?.childIdNumber === 'string' ? value.childIdNumber : null;
      };
      return { summary: summarise(results), results: results.map(({ id, ...result }, index) => ({ ...result, claimId: id, reference: referenceOf(index) })) };
    },
  );

  route(
    'POST /api/v1/claims/bulk/refused.xlsx',
    {
      roles: ['institution'],
      bodyLimit: 32 * 1024 * 1024,
      summary: 'The refused rows of an upload, with their reasons, as an XLSX of text cells to correct and upload again',
      description: 'The console sends back the rows POST /claims/bulk refused (their cells as the file had them, the reason last); every cell is written as text.',
      body: RefusedRowsBody,
      response: ok(BinaryFile),
    },
    async (request, reply) => attachment(reply, await refusedRowsXlsx(request.body), 'refused-rows.xlsx', '未受理的行.xlsx'),
  );

  route(
    'GET /api/v1/claims/template.xlsx',
    { roles: ['institution', 'reviewer'], summary: 'An empty claims spreadsheet with the column layout of POST /claims/bulk', response: ok(BinaryFile) },
    async (_request, reply) => attachment(reply, await claimsTemplate(), 'claims-template.xlsx', '救助申报导入模板.xlsx'),
  );

  route(
    'GET /api/v1/claims',
    { roles: ['institution', 'reviewer', 'finance'], summary: 'Claims in scope, oldest first; status=submitted by due date', querystring: ClaimListQuery, response: ok(listOf(ClaimSchema)) },
    async (request) => claims.list(contextOf(request), request.query),
  );

  route(
    'GET /api/v1/claims/count',
    {
      roles: ['institution', 'reviewer', 'finance'],
      summary: 'How many claims the filters of GET /claims find, and their approved total',
      querystring: ClaimFilterQuery,
      response: ok(ClaimCountSchema),
    },
    async (request) => claims.count(contextOf(request), request.query),
  );

  route(
    'GET /api/v1/claims/export.xlsx',
    { roles: ['institution', 'reviewer', 'finance'], summary: 'The claims the filters of GET /claims find, as a spreadsheet', querystring: ClaimFilterQuery, response: ok(BinaryFile) },
    async (request, reply) => attachment(reply, await claims.exportXlsx(contextOf(request), request.query), 'claims.xlsx', '救助申报清单.xlsx'),
  );

  route(
    'GET /api/v1/claims/:id',
    { roles: ['institution', 'reviewer', 'finance'], summary: 'One claim with its settlement and history', params: IdParams, response: ok(ClaimSchema) },
    async (request) => claims.get(contextOf(request), request.params.id),
  );

  route(
    'PUT /api/v1/claims/:id',
    { roles: ['institution'], summary: 'Correct a returned claim; it is submitted again', params: IdParams, body: ClaimBody, response: transitionResponses },
    async (request) => claims.correct(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/claims/:id/approve',
    { roles: ['reviewer'], summary: 'Approve: the binding amount is computed again now; a lower amount needs a note', params: IdParams, body: ApproveClaimBody, response: transitionResponses },
    async (request) => claims.approve(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/claims/approve',
    {
      roles: ['reviewer'],
      summary: `Approve up to ${MAX_BULK_APPROVALS} claims at once (批量审核), each at the amount the rules give`,
      description:
        'The claims are approved in the order given, in one transaction, under the same locks and checks as POST /claims/:id/approve; each sees the ' +
        'usage of those before it. A claim that cannot be approved is reported ' +
        'with the code a single approval would give (INVALID_STATE, AFTER_DROPOUT, NOT_FOUND, ...) and the others go on. Results keep the order given.',
      body: BulkApproveBody,
      response: ok(BulkApproveResultSchema),
    },
    async (request) => claims.approveMany(contextOf(request), request.body.claimIds),
  );

  route(
    'POST /api/v1/claims/approve/preview',
    {
      roles: ['reviewer'],
      summary: 'What POST /claims/approve would answer for these claims now, in this order; nothing is kept',
      description:
        'The block is approved inside a transaction that is rolled back: each claim sees the usage of those before it, so a claim an earlier one ' +
        'caps to 0.00 shows 0.00 here. The amounts are computed again when the block is approved.',
      body: BulkApproveBody,
      response: ok(BulkApproveResultSchema),
    },
    async (request) => claims.previewMany(contextOf(request), request.body.claimIds),
  );

  route(
    'POST /api/v1/claims/:id/reject',
    { roles: ['reviewer'], summary: 'Reject a submitted or returned claim with a reason', params: IdParams, body: ReasonBody, response: transitionResponses },
    async (request) => claims.reject(contextOf(request), request.params.id, request.body.reason),
  );

  route(
    'POST /api/v1/claims/:id/return',
    { roles: ['reviewer'], summary: 'Return to the institution for correction', params: IdParams, body: ReasonBody, response: transitionResponses },
    async (request) => claims.return(contextOf(request), request.params.id, request.body.reason),
  );

  route(
    'POST /api/v1/claims/:id/withdraw',
    { roles: ['institution'], summary: 'Withdraw a submitted or returned claim', params: IdParams, response: transitionResponses },
    async (request) => claims.withdraw(contextOf(request), request.params.id),
  );
}
