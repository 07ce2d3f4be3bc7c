import { BinaryFile, IdParams, listOf } from '../http/schemas.js';
import { apiRoutes, attachment, created, ok } from '../http/routes.js';
import { registerOverpaymentRoutes, registerRollActionRoutes, registerRollDocumentRoutes } from '../monthlyRoll/roll.routes.js';
import { contextOf, type App } from '../http/types.js';
import {
  AllowanceStatsQuery,
  AllowanceStatsSchema,
  BeneficiaryDetailSchema,
  BeneficiaryListQuery,
  BeneficiarySchema,
  CreateRollBody,
  EnrolBody,
  ExitBody,
  ObjectionBody,
  OverpaymentSchema,
  PublishBody,
  ReasonBody,
  RollListQuery,
  RollSchema,
  RollSummarySchema,
  StandardBody,
  StandardSchema,
  TierBody,
  VerifyBody,
} from './allowance.schemas.js';
import { BankAccount } from '../institutions/institutions.schemas.js';
import type { AllowanceStatsService } from './allowanceStats.service.js';
import type { BeneficiariesService } from './beneficiaries.service.js';
import type { OverpaymentsService } from './overpayments.service.js';
import { sendRoll } from './rollResponse.js';
import type { RollsService } from './rolls.service.js';
import type { StandardsService } from './standards.service.js';
import { z } from 'zod';

// The care allowance (关爱补贴, allowance.md): beneficiaries, monthly rolls with their notice,
// summary and bank list, the bank's results, overpayments, standards and the dashboard.

export interface AllowanceServices {
  beneficiaries: BeneficiariesService;
  rolls: RollsService;
  overpayments: OverpaymentsService;
  standards: StandardsService;
  stats: AllowanceStatsService;
}

const beneficiaryResponses = ok(BeneficiaryDetailSchema, 409, 422);
const rollResponses = ok(RollSchema, 409, 422);

export function registerAllowanceRoutes(app: App, services: AllowanceServices) {
  const { beneficiaries, rolls, overpayments, standards, stats } = services;
  const route = apiRoutes(app, 'allowance');

  route(
    'POST /api/v1/allowance/beneficiaries',
    {
      roles: ['reviewer', 'civil_affairs'],
      summary: 'Enrol a certified child of the region (报送), pending approval by civil affairs',
      body: EnrolBody,
      response: created(BeneficiaryDetailSchema, 409, 422),
    },
    async (request, reply) => reply.code(201).send(await beneficiaries.enrol(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/allowance/beneficiaries',
    { roles: ['reviewer', 'civil_affairs', 'finance'], summary: 'Beneficiaries of the region', querystring: BeneficiaryListQuery, response: ok(listOf(BeneficiarySchema)) },
    async (request) => beneficiaries.list(contextOf(request), request.query),
  );

  route(
    'GET /api/v1/allowance/beneficiaries/:id',
    { roles: ['reviewer', 'civil_affairs', 'finance'], summary: 'One beneficiary with its months: paid, in a roll, due, held', params: IdParams, response: ok(BeneficiaryDetailSchema) },
    async (request) => beneficiaries.get(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/allowance/beneficiaries/:id/approve',
    {
      roles: ['civil_affairs'],
      summary: 'Approve a pending enrolment (counts as a verification on acceptedOn); by another user than the one who enrolled it (else 409 FOUR_EYES_REQUIRED)',
      params: IdParams,
      response: beneficiaryResponses,
    },
    async (request) => beneficiaries.approve(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/allowance/beneficiaries/:id/reject',
    { roles: ['civil_affairs'], summary: 'Reject a pending enrolment', params: IdParams, body: ReasonBody, response: beneficiaryResponses },
    async (request) => beneficiaries.reject(contextOf(request), request.params.id, request.body.reason),
  );

  route(
    'PUT /api/v1/allowance/beneficiaries/:id/bank-account',
    {
      roles: ['reviewer', 'civil_affairs'],
      summary: 'Ask to pay the family into another account: pending (pendingBankAccount) until another reviewer or civil affairs officer confirms it; payments keep the old account until then',
      description: 'A second request replaces a pending one. security.md §2.',
      params: IdParams,
      body: BankAccount,
      response: beneficiaryResponses,
    },
    async (request) => beneficiaries.changeBankAccount(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/allowance/beneficiaries/:id/bank-account/confirm',
    {
      roles: ['reviewer', 'civil_affairs'],
      summary: 'Confirm the pending change of account (another user than the one who asked): it takes effect, ends a bank_failure hold and reaches draft and published rolls (issued rolls keep theirs)',
      description: 'The user who asked → 409 FOUR_EYES_REQUIRED; nothing pending → 409 INVALID_STATE.',
      params: IdParams,
      response: beneficiaryResponses,
    },
    async (request) => beneficiaries.confirmBankAccount(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/allowance/beneficiaries/:id/tier',
    { roles: ['civil_affairs'], summary: 'Change the tier from a month on (after every month already in a roll)', params: IdParams, body: TierBody, response: beneficiaryResponses },
    async (request) => beneficiaries.changeTier(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/allowance/beneficiaries/:id/verify',
    { roles: ['civil_affairs'], summary: 'Record a re-verification (复核); ends a review_overdue hold', params: IdParams, body: VerifyBody, response: beneficiaryResponses },
    async (request) => beneficiaries.verify(contextOf(request), request.params.id, request.body.on),
  );

  route(
    'POST /api/v1/allowance/beneficiaries/:id/hold',
    { roles: ['civil_affairs'], summary: 'Hold by hand; the beneficiary leaves draft and published rolls', params: IdParams, body: ReasonBody, response: beneficiaryResponses },
    async (request) => beneficiaries.hold(contextOf(request), request.params.id, request.body.reason),
  );

  route(
    'POST /api/v1/allowance/beneficiaries/:id/release',
    { roles: ['civil_affairs'], summary: 'End a manual or objection hold', params: IdParams, response: beneficiaryResponses },
    async (request) => beneficiaries.release(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/allowance/beneficiaries/:id/exit',
    { roles: ['civil_affairs'], summary: 'Exit from a month on; months already sent from then become an overpayment', params: IdParams, body: ExitBody, response: beneficiaryResponses },
    async (request) => beneficiaries.exit(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/allowance/rolls',
    {
      roles: ['civil_affairs'],
      summary: 'Build the draft roll (月度发放名册) of a month: every due month of every beneficiary not held',
      body: CreateRollBody,
      response: created(RollSchema, 409, 422),
    },
    async (request, reply) => sendRoll(reply, await rolls.create(contextOf(request), request.body.month), 201),
  );

  route(
    'GET /api/v1/allowance/rolls',
    { roles: ['reviewer', 'civil_affairs', 'finance'], summary: 'Rolls of the region (finance: issued and settled)', querystring: RollListQuery, response: ok(listOf(RollSummarySchema)) },
    async (request) => rolls.list(contextOf(request), request.query),
  );

  route(
    'GET /api/v1/allowance/rolls/:id',
    { roles: ['reviewer', 'civil_affairs', 'finance'], summary: 'A roll with its transfers and the held beneficiaries', params: IdParams, response: ok(RollSchema) },
    async (request, reply) => sendRoll(reply, await rolls.get(contextOf(request), request.params.id)),
  );

  route(
    'POST /api/v1/allowance/rolls/:id/publish',
    { roles: ['civil_affairs'], summary: 'Publish the 7-day public notice (公示) from a date', params: IdParams, body: PublishBody, response: rollResponses },
    async (request, reply) => sendRoll(reply, await rolls.publish(contextOf(request), request.params.id, request.body.from)),
  );

  route(
    'POST /api/v1/allowance/rolls/:id/objections',
    { roles: ['civil_affairs'], summary: 'Record an objection: the child leaves the roll and is held', params: IdParams, body: ObjectionBody, response: rollResponses },
    async (request, reply) => sendRoll(reply, await rolls.object(contextOf(request), request.params.id, request.body)),
  );

  registerRollActionRoutes(route, '/api/v1/allowance', rolls, RollSchema, {
    issue: 'Issue to finance after the notice period',
    cancel: 'Cancel a draft or published roll',
    payee: 'beneficiary',
  });

  route(
    'GET /api/v1/allowance/rolls/:id/notice.pdf',
    { roles: ['reviewer', 'civil_affairs', 'finance'], summary: 'The public notice (公示), one part per community; names masked', params: IdParams, response: ok(BinaryFile, 409) },
    async (request, reply) => {
      const document = await rolls.notice(contextOf(request), request.params.id);
      return attachment(reply, document.pdf, `${document.number}-notice.pdf`);
    },
  );

  registerRollDocumentRoutes(route, '/api/v1/allowance', rolls, { pdf: ['reviewer', 'civil_affairs', 'finance'], summaryTitle: '残疾儿童关爱补贴发放汇总表' });
  registerOverpaymentRoutes(route, '/api/v1/allowance', overpayments, OverpaymentSchema);

  route(
    'GET /api/v1/allowance/standards',
    { roles: ['admin', 'reviewer', 'civil_affairs', 'finance'], summary: 'Allowance standards (monthly amounts per tier) by month and region', response: ok(z.object({ items: z.array(StandardSchema) })) },
    async () => standards.list(),
  );

  route(
    'POST /api/v1/allowance/standards',
    { roles: ['admin'], summary: 'Add a standard from a month (for a region, or the default)', body: StandardBody, response: created(StandardSchema, 409) },
    async (request, reply) => reply.code(201).send(await standards.create(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/allowance/stats',
    { roles: ['civil_affairs', 'finance', 'admin'], summary: 'The allowance dashboard: budgets, paid, remaining, held, overpayments', querystring: AllowanceStatsQuery, response: ok(AllowanceStatsSchema) },
    async (request) => stats.forRegion(contextOf(request), request.query),
  );
}
