import { BinaryFile, IdParams, listOf } from '../http/schemas.js';
import { apiRoutes, attachment, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { parseOrThrow } from '../http/validation.js';
import { CreateRollBody, OverpaymentListQuery, RecoveryBody, ResultsBody } from '../monthlyRoll/roll.schemas.js';
import { resultsBodyOf, RESULTS_DESCRIPTION } from '../monthlyRoll/resultsUpload.js';
import { sendRoll } from '../monthlyRoll/rollResponse.js';
import { ReasonBody } from './cases.schemas.js';
import { BasicLivingOverpaymentSchema, BasicLivingRollListQuery, BasicLivingRollSchema, BasicLivingRollSummarySchema } from './rolls.schemas.js';
import type { BasicLivingOverpaymentsService, BasicLivingRollsService } from './rolls.service.js';

// The basic-living rolls (基本生活费, protection.md §8, §11): built by one civil affairs officer,
// issued by another, paid by finance from the summary and the bank list; overpayments recovered,
// refunded or waived. Reads of a roll and its documents are access-logged (src/access/).

const PAYERS = ['civil_affairs', 'finance'] as const;

export function registerBasicLivingRollRoutes(app: App, services: { rolls: BasicLivingRollsService; overpayments: BasicLivingOverpaymentsService }) {
  const { rolls, overpayments } = services;
  const route = apiRoutes(app, 'protection');
  const rollResponses = ok(BasicLivingRollSchema, 409, 422);
  const overpaymentResponses = ok(BasicLivingOverpaymentSchema, 409, 422);

  route(
    'POST /api/v1/protection/rolls',
    {
      roles: ['civil_affairs'],
      summary: 'Build the draft basic-living roll (基本生活费发放名册) of a month: every due month of every payable recognised case not held, arrears included',
      description: 'A month not yet begun → 422 SERVICE_NOT_YET_DELIVERED; a month at or before the region’s latest roll → 409 INVALID_STATE. No public notice (privacy).',
      body: CreateRollBody,
      response: created(BasicLivingRollSchema, 409, 422),
    },
    async (request, reply) => sendRoll(reply, await rolls.create(contextOf(request), request.body.month), 201),
  );

  route(
    'GET /api/v1/protection/rolls',
    { roles: [...PAYERS], summary: 'Basic-living rolls of the region (finance: issued and settled)', querystring: BasicLivingRollListQuery, response: ok(listOf(BasicLivingRollSummarySchema)) },
    async (request) => rolls.list(contextOf(request), request.query),
  );

  route(
    'GET /api/v1/protection/rolls/:id',
    { roles: [...PAYERS], summary: 'A basic-living roll with its transfers and the held cases', params: IdParams, response: ok(BasicLivingRollSchema) },
    async (request, reply) => sendRoll(reply, await rolls.get(contextOf(request), request.params.id)),
  );

  route(
    'POST /api/v1/protection/rolls/:id/issue',
    {
      roles: ['civil_affairs'],
      summary: 'Issue the draft to finance: freezes and hashes the roll and renders its summary; by another civil affairs officer than its builder (else 409 FOUR_EYES_REQUIRED)',
      params: IdParams,
      response: rollResponses,
    },
    async (request, reply) => sendRoll(reply, await rolls.issue(contextOf(request), request.params.id)),
  );

  route(
    'POST /api/v1/protection/rolls/:id/cancel',
    { roles: ['civil_affairs'], summary: 'Cancel a draft roll; its months are due again', params: IdParams, response: rollResponses },
    async (request, reply) => sendRoll(reply, await rolls.cancel(contextOf(request), request.params.id)),
  );

  route(
    'POST /api/v1/protection/rolls/:id/results',
    {
      roles: ['finance'],
      bodyLimit: 20 * 1024 * 1024,
      summary: 'Record the bank’s transfer results',
      description: `${RESULTS_DESCRIPTION} A failed transfer’s months are due again and its case is held (bank_failure) until its account changes.`,
      params: IdParams,
      response: rollResponses,
    },
    async (request, reply) => sendRoll(reply, await rolls.recordResults(contextOf(request), request.params.id, parseOrThrow(ResultsBody, await resultsBodyOf(request)).results)),
  );

  route(
    'GET /api/v1/protection/rolls/:id/pdf',
    { roles: [...PAYERS], summary: 'The summary (困境儿童基本生活费发放汇总表) as stored at issue', params: IdParams, response: ok(BinaryFile, 409) },
    async (request, reply) => {
      const document = await rolls.pdf(contextOf(request), request.params.id);
      return attachment(reply.header('etag', `"${document.sha256}"`), document.pdf, `${document.number}.pdf`);
    },
  );

  for (const kind of ['xlsx', 'csv'] as const) {
    route(
      `GET /api/v1/protection/rolls/:id/bank.${kind}`,
      { roles: [...PAYERS], summary: `The bank transfer list (代发清单) as ${kind.toUpperCase()}; 摘要 names the months, never a category`, params: IdParams, response: ok(BinaryFile, 409) },
      async (request, reply) => {
        const list = await rolls.bankList(contextOf(request), request.params.id, kind);
        return attachment(reply, list.bytes, `${list.number}-bank.${kind}`, `${list.number}-代发清单.${kind}`);
      },
    );
  }

  route(
    'GET /api/v1/protection/overpayments',
    { roles: [...PAYERS], summary: 'Basic-living overpayments of the region (应退尽退)', querystring: OverpaymentListQuery, response: ok(listOf(BasicLivingOverpaymentSchema)) },
    async (request) => overpayments.list(contextOf(request), request.query),
  );

  route(
    'POST /api/v1/protection/overpayments/:id/recoveries',
    { roles: ['civil_affairs'], summary: 'Record money recovered; more than what is left → 422 AMOUNT_MISMATCH', params: IdParams, body: RecoveryBody, response: overpaymentResponses },
    async (request) => overpayments.recover(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/protection/overpayments/:id/refunds',
    { roles: ['civil_affairs'], summary: 'Record money paid back to a family that repaid more than it was finally overpaid', params: IdParams, body: RecoveryBody, response: overpaymentResponses },
    async (request) => overpayments.refund(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/protection/overpayments/:id/waive',
    {
      roles: ['civil_affairs'],
      summary: 'Ask to waive what is left to recover: pending (pendingWaiver) until another civil affairs officer confirms it',
      description: 'A second request replaces a pending one. security.md §2.',
      params: IdParams,
      body: ReasonBody,
      response: overpaymentResponses,
    },
    async (request) => overpayments.waive(contextOf(request), request.params.id, request.body.reason),
  );

  route(
    'POST /api/v1/protection/overpayments/:id/waive/confirm',
    {
      roles: ['civil_affairs'],
      summary: 'Confirm the pending waiver (another civil affairs officer than the one who asked): the overpayment is waived',
      params: IdParams,
      response: overpaymentResponses,
    },
    async (request) => overpayments.confirmWaiver(contextOf(request), request.params.id),
  );
}
