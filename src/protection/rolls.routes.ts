import { IdParams, listOf } from '../http/schemas.js';
import { apiRoutes, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { parseOrThrow } from '../http/validation.js';
import { CreateRollBody, ResultsBody } from '../monthlyRoll/roll.schemas.js';
import { registerOverpaymentRoutes, registerRollDocumentRoutes } from '../monthlyRoll/roll.routes.js';
import { resultsBodyOf, RESULTS_DESCRIPTION } from '../monthlyRoll/resultsUpload.js';
import { sendRoll } from '../monthlyRoll/rollResponse.js';
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

  registerRollDocumentRoutes(route, '/api/v1/protection', rolls, { pdf: ['civil_affairs', 'finance'], summaryTitle: '困境儿童基本生活费发放汇总表' });
  registerOverpaymentRoutes(route, '/api/v1/protection', overpayments, BasicLivingOverpaymentSchema);
}
