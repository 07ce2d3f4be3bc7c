import { IdParams, listOf } from '../http/schemas.js';
import { apiRoutes, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { CreateRollBody } from '../monthlyRoll/roll.schemas.js';
import { registerOverpaymentRoutes, registerRollActionRoutes, registerRollDocumentRoutes } from '../monthlyRoll/roll.routes.js';
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

  registerRollActionRoutes(route, '/api/v1/protection', rolls, BasicLivingRollSchema, { issue: 'Issue the draft to finance (no public notice)', cancel: 'Cancel a draft roll', payee: 'case (bank_failure)' });
  registerRollDocumentRoutes(route, '/api/v1/protection', rolls, { pdf: ['civil_affairs', 'finance'], summaryTitle: '困境儿童基本生活费发放汇总表' });
  registerOverpaymentRoutes(route, '/api/v1/protection', overpayments, BasicLivingOverpaymentSchema);
}
