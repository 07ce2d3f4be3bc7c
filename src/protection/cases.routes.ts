import { BinaryFile, IdParams, listOf } from '../http/schemas.js';
import { apiRoutes, attachment, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { BankAccount } from '../institutions/institutions.schemas.js';
import type { AftercareService } from './aftercare.service.js';
import {
  CaseBody,
  CaseListQuery,
  CaseSchema,
  CategoriesBody,
  CheckBody,
  ExitBody,
  LivingArrangementBody,
  ReasonBody,
  RecogniseBody,
  ReviewBody,
  StudyingBody,
  VerifyBody,
} from './cases.schemas.js';
import type { CasesService } from './cases.service.js';
import type { IntakeService } from './intake.service.js';
import type { NoticesService } from './notices.service.js';
import type { ReviewService } from './review.service.js';

// The cases of children in difficulty (分类认定, protection.md §4–5): receipt, the township's check,
// objections, the county review, recognition or refusal, and a recognised case's life after.

export const CASE_READERS = ['township', 'civil_affairs', 'reviewer', 'department'] as const;

export interface CaseServices {
  cases: CasesService;
  intake: IntakeService;
  notices: NoticesService;
  review: ReviewService;
  aftercare: AftercareService;
}

export function registerCaseRoutes(app: App, services: CaseServices) {
  const { cases, intake, notices, review, aftercare } = services;
  const route = apiRoutes(app, 'protection');
  const answer = ok(CaseSchema, 409, 422);

  route(
    'POST /api/v1/protection/cases',
    {
      roles: ['township', 'civil_affairs'],
      summary: 'Receive a case (受理): the township of the child’s village, or civil affairs on its behalf',
      description:
        'Refused: a child without a village (400, details field villageCode); 18 or older on receivedOn (422 INELIGIBLE_AGE); a case of the child that is not refused, withdrawn or exited (409 ALREADY_EXISTS, details its id). Criteria are never checked here.',
      body: CaseBody,
      response: created(CaseSchema, 409, 422),
    },
    async (request, reply) => {
      const context = contextOf(request);
      return reply.code(201).send(await cases.afterChange(context, await intake.receive(context, request.body)));
    },
  );

  route(
    'GET /api/v1/protection/cases',
    {
      roles: CASE_READERS,
      summary: 'Cases in scope; an open status lists by due date (the queue)',
      description: 'A township its own; civil affairs its region’s; the reviewer (残联) and a department only the cases routed to them.',
      querystring: CaseListQuery,
      response: ok(listOf(CaseSchema)),
    },
    async (request) => cases.list(contextOf(request), request.query),
  );

  route('GET /api/v1/protection/cases/:id', { roles: CASE_READERS, summary: 'One case with its steps, due dates, criteria and recognition', params: IdParams, response: ok(CaseSchema) }, async (request) =>
    cases.get(contextOf(request), request.params.id),
  );

  const change = async (request: { params: { id: string } } & Parameters<typeof contextOf>[0], work: () => Promise<unknown>) => {
    await work();
    return cases.afterChange(contextOf(request), request.params.id);
  };

  route(
    'PUT /api/v1/protection/cases/:id',
    {
      roles: ['township', 'civil_affairs'],
      summary: 'Correct a case (same body): township while received or returned; civil affairs also in county review, keeping categories, severeBasis and schoolingSupport',
      params: IdParams,
      body: CaseBody,
      response: answer,
    },
    async (request) => change(request, () => intake.correct(contextOf(request), request.params.id, request.body)),
  );

  route(
    'POST /api/v1/protection/cases/:id/check',
    {
      roles: ['township'],
      summary: 'The township’s check (核查): refuse, or agree — to the village notice, or straight to the county when every category is a no-notice one',
      params: IdParams,
      body: CheckBody,
      response: answer,
    },
    async (request) => change(request, () => intake.check(contextOf(request), request.params.id, request.body)),
  );

  route(
    'POST /api/v1/protection/cases/:id/withdraw',
    { roles: ['township'], summary: 'Withdraw an open case (撤回)', params: IdParams, body: ReasonBody, response: answer },
    async (request) => change(request, () => intake.withdraw(contextOf(request), request.params.id, request.body.reason)),
  );

  route(
    'POST /api/v1/protection/cases/:id/objections',
    { roles: ['township', 'civil_affairs'], summary: 'Record an objection during the notice: the case goes back to the township (异议退回)', params: IdParams, body: ReasonBody, response: answer },
    async (request) => change(request, () => notices.object(contextOf(request), request.params.id, request.body.reason)),
  );

  route(
    'POST /api/v1/protection/cases/:id/reviews',
    {
      roles: ['reviewer', 'department'],
      summary: 'The reviewer’s (残联) or a department’s decision on its route; a refusal refuses the case',
      params: IdParams,
      body: ReviewBody,
      response: answer,
    },
    async (request) => change(request, () => review.review(contextOf(request), request.params.id, request.body)),
  );

  route(
    'POST /api/v1/protection/cases/:id/refuse',
    { roles: ['civil_affairs'], summary: 'Civil affairs refuses the case (不予认定); pending reviews close', params: IdParams, body: ReasonBody, response: answer },
    async (request) => change(request, () => review.refuse(contextOf(request), request.params.id, request.body.reason)),
  );

  route(
    'POST /api/v1/protection/cases/:id/recognise',
    {
      roles: ['civil_affairs'],
      summary: 'Recognise (认定) once every other route approved',
      description:
        'Refused in order: 400 (categories not claimed; a payable case without bankAccount); 409 INVALID_STATE (not in county review, or another route not approved: details); 409 FOUR_EYES_REQUIRED (you received the case or last changed its account); 422 CRITERIA_NOT_MET (details per failed rule and parent).',
      params: IdParams,
      body: RecogniseBody,
      response: answer,
    },
    async (request) => change(request, () => review.recognise(contextOf(request), request.params.id, request.body)),
  );

  route(
    'GET /api/v1/protection/cases/:id/refusal-letter.pdf',
    { roles: ['township', 'civil_affairs'], summary: 'The refusal letter (不予认定告知书) of a refused case', params: IdParams, response: ok(BinaryFile, 409) },
    async (request, reply) => {
      const letter = await review.refusalLetter(contextOf(request), request.params.id);
      return attachment(reply, letter.pdf, letter.fileName, '不予认定告知书.pdf');
    },
  );

  route(
    'POST /api/v1/protection/cases/:id/categories',
    { roles: ['civil_affairs'], summary: 'Change the categories found from a month on (granting 事实无人抚养 or 特困供养 checks the criteria)', params: IdParams, body: CategoriesBody, response: answer },
    async (request) => change(request, () => aftercare.changeCategories(contextOf(request), request.params.id, request.body)),
  );

  route(
    'POST /api/v1/protection/cases/:id/living-arrangement',
    { roles: ['civil_affairs'], summary: 'Change the living arrangement (散居 / 机构养育) from a month on', params: IdParams, body: LivingArrangementBody, response: answer },
    async (request) => change(request, () => aftercare.changeLivingArrangement(contextOf(request), request.params.id, request.body)),
  );

  route(
    'POST /api/v1/protection/cases/:id/exit',
    { roles: ['civil_affairs'], summary: 'Record an exit (退出) from a month on', params: IdParams, body: ExitBody, response: answer },
    async (request) => change(request, () => aftercare.exit(contextOf(request), request.params.id, request.body)),
  );

  route(
    'POST /api/v1/protection/cases/:id/verify',
    { roles: ['civil_affairs'], summary: 'Record a re-verification (复核)', params: IdParams, body: VerifyBody, response: answer },
    async (request) => change(request, () => aftercare.verify(contextOf(request), request.params.id, request.body.on)),
  );

  route(
    'POST /api/v1/protection/cases/:id/hold',
    { roles: ['civil_affairs'], summary: 'Hold by hand', params: IdParams, body: ReasonBody, response: answer },
    async (request) => change(request, () => aftercare.hold(contextOf(request), request.params.id, request.body.reason)),
  );

  route(
    'POST /api/v1/protection/cases/:id/release',
    { roles: ['civil_affairs'], summary: 'End an exit_reported or manual hold', params: IdParams, response: answer },
    async (request) => change(request, () => aftercare.release(contextOf(request), request.params.id)),
  );

  route(
    'POST /api/v1/protection/cases/:id/studying',
    { roles: ['township', 'civil_affairs'], summary: 'Record schooling past 18 (就学): cover runs to the expected graduation', params: IdParams, body: StudyingBody, response: answer },
    async (request) => change(request, () => aftercare.recordStudying(contextOf(request), request.params.id, request.body)),
  );

  route(
    'PUT /api/v1/protection/cases/:id/bank-account',
    { roles: ['civil_affairs'], summary: 'Change the bank account: pending until another civil affairs user confirms it', params: IdParams, body: BankAccount, response: answer },
    async (request) => change(request, () => aftercare.requestBankAccount(contextOf(request), request.params.id, request.body)),
  );

  route(
    'POST /api/v1/protection/cases/:id/bank-account/confirm',
    { roles: ['civil_affairs'], summary: 'Confirm a pending change of bank account (another civil affairs user)', params: IdParams, response: answer },
    async (request) => change(request, () => aftercare.confirmBankAccount(contextOf(request), request.params.id)),
  );
}
