import { BinaryFile, errorResponses, ErrorEnvelopeSchema, IdParams, listOf } from '../http/schemas.js';
import { mapColumns, readUploadedRows, requireColumns, uploadKind } from '../http/uploads.js';
import { contextOf, type App } from '../http/types.js';
import { parseOrThrow } from '../http/validation.js';
import { validationFailed } from '../http/errors.js';
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
  OverpaymentListQuery,
  OverpaymentSchema,
  PublishBody,
  ReasonBody,
  RecoveryBody,
  ResultsBody,
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

/** The bank's return file: 序号, 结果 (成功 / 失败), 失败原因. */
const RESULT_COLUMNS = { transferNo: ['序号'], result: ['结果', '状态'], reason: ['失败原因', '原因', '备注'] } as const;
const RESULT_WORDS: Record<string, 'paid' | 'failed'> = { 成功: 'paid', 失败: 'failed', paid: 'paid', failed: 'failed' };
const MAX_RESULT_ROWS = 100_000;

const beneficiaryResponses = { 200: BeneficiaryDetailSchema, 409: ErrorEnvelopeSchema, 422: ErrorEnvelopeSchema, ...errorResponses };
const rollResponses = { 200: RollSchema, 409: ErrorEnvelopeSchema, 422: ErrorEnvelopeSchema, ...errorResponses };
const overpaymentResponses = { 200: OverpaymentSchema, 409: ErrorEnvelopeSchema, 422: ErrorEnvelopeSchema, ...errorResponses };

export function registerAllowanceRoutes(app: App, services: AllowanceServices) {
  const { beneficiaries, rolls, overpayments, standards, stats } = services;
  const tags = ['allowance'];

  app.post('/api/v1/allowance/beneficiaries', {
    config: { roles: ['reviewer', 'civil_affairs'] },
    schema: {
      tags,
      summary: 'Enrol a certified child of the region (报送), pending approval by civil affairs',
      body: EnrolBody,
      response: { 201: BeneficiaryDetailSchema, 409: ErrorEnvelopeSchema, 422: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.code(201).send(await beneficiaries.enrol(contextOf(request), request.body)),
  });

  app.get('/api/v1/allowance/beneficiaries', {
    config: { roles: ['reviewer', 'civil_affairs', 'finance'] },
    schema: { tags, summary: 'Beneficiaries of the region', querystring: BeneficiaryListQuery, response: { 200: listOf(BeneficiarySchema), ...errorResponses } },
    handler: async (request) => beneficiaries.list(contextOf(request), request.query),
  });

  app.get('/api/v1/allowance/beneficiaries/:id', {
    config: { roles: ['reviewer', 'civil_affairs', 'finance'] },
    schema: { tags, summary: 'One beneficiary with its months: paid, in a roll, due, held', params: IdParams, response: { 200: BeneficiaryDetailSchema, ...errorResponses } },
    handler: async (request) => beneficiaries.get(contextOf(request), request.params.id),
  });

  app.post('/api/v1/allowance/beneficiaries/:id/approve', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Approve a pending enrolment (counts as a verification on acceptedOn)', params: IdParams, response: beneficiaryResponses },
    handler: async (request) => beneficiaries.approve(contextOf(request), request.params.id),
  });

  app.post('/api/v1/allowance/beneficiaries/:id/reject', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Reject a pending enrolment', params: IdParams, body: ReasonBody, response: beneficiaryResponses },
    handler: async (request) => beneficiaries.reject(contextOf(request), request.params.id, request.body.reason),
  });

  app.put('/api/v1/allowance/beneficiaries/:id/bank-account', {
    config: { roles: ['reviewer', 'civil_affairs'] },
    schema: {
      tags,
      summary: 'Change the family’s bank account: ends a bank_failure hold and reaches draft and published rolls (issued rolls keep theirs)',
      params: IdParams,
      body: BankAccount,
      response: beneficiaryResponses,
    },
    handler: async (request) => beneficiaries.changeBankAccount(contextOf(request), request.params.id, request.body),
  });

  app.post('/api/v1/allowance/beneficiaries/:id/tier', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Change the tier from a month on (after every month already in a roll)', params: IdParams, body: TierBody, response: beneficiaryResponses },
    handler: async (request) => beneficiaries.changeTier(contextOf(request), request.params.id, request.body),
  });

  app.post('/api/v1/allowance/beneficiaries/:id/verify', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Record a re-verification (复核); ends a review_overdue hold', params: IdParams, body: VerifyBody, response: beneficiaryResponses },
    handler: async (request) => beneficiaries.verify(contextOf(request), request.params.id, request.body.on),
  });

  app.post('/api/v1/allowance/beneficiaries/:id/hold', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Hold by hand; the beneficiary leaves draft and published rolls', params: IdParams, body: ReasonBody, response: beneficiaryResponses },
    handler: async (request) => beneficiaries.hold(contextOf(request), request.params.id, request.body.reason),
  });

  app.post('/api/v1/allowance/beneficiaries/:id/release', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'End a manual or objection hold', params: IdParams, response: beneficiaryResponses },
    handler: async (request) => beneficiaries.release(contextOf(request), request.params.id),
  });

  app.post('/api/v1/allowance/beneficiaries/:id/exit', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Exit from a month on; months already sent from then become an overpayment', params: IdParams, body: ExitBody, response: beneficiaryResponses },
    handler: async (request) => beneficiaries.exit(contextOf(request), request.params.id, request.body),
  });

  app.post('/api/v1/allowance/rolls', {
    config: { roles: ['civil_affairs'] },
    schema: {
      tags,
      summary: 'Build the draft roll (月度发放名册) of a month: every due month of every beneficiary not held',
      body: CreateRollBody,
      response: { 201: RollSchema, 409: ErrorEnvelopeSchema, 422: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request, reply) => sendRoll(reply, await rolls.create(contextOf(request), request.body.month), 201),
  });

  app.get('/api/v1/allowance/rolls', {
    config: { roles: ['reviewer', 'civil_affairs', 'finance'] },
    schema: { tags, summary: 'Rolls of the region (finance: issued and settled)', querystring: RollListQuery, response: { 200: listOf(RollSummarySchema), ...errorResponses } },
    handler: async (request) => rolls.list(contextOf(request), request.query),
  });

  app.get('/api/v1/allowance/rolls/:id', {
    config: { roles: ['reviewer', 'civil_affairs', 'finance'] },
    schema: { tags, summary: 'A roll with its transfers and the held beneficiaries', params: IdParams, response: { 200: RollSchema, ...errorResponses } },
    handler: async (request, reply) => sendRoll(reply, await rolls.get(contextOf(request), request.params.id)),
  });

  app.post('/api/v1/allowance/rolls/:id/publish', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Publish the 7-day public notice (公示) from a date', params: IdParams, body: PublishBody, response: rollResponses },
    handler: async (request, reply) => sendRoll(reply, await rolls.publish(contextOf(request), request.params.id, request.body.from)),
  });

  app.post('/api/v1/allowance/rolls/:id/objections', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Record an objection: the child leaves the roll and is held', params: IdParams, body: ObjectionBody, response: rollResponses },
    handler: async (request, reply) => sendRoll(reply, await rolls.object(contextOf(request), request.params.id, request.body)),
  });

  app.post('/api/v1/allowance/rolls/:id/issue', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Issue to finance after the notice period: freezes and hashes the roll', params: IdParams, response: rollResponses },
    handler: async (request, reply) => sendRoll(reply, await rolls.issue(contextOf(request), request.params.id)),
  });

  app.post('/api/v1/allowance/rolls/:id/cancel', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Cancel a draft or published roll; its months are due again', params: IdParams, response: rollResponses },
    handler: async (request, reply) => sendRoll(reply, await rolls.cancel(contextOf(request), request.params.id)),
  });

  app.post('/api/v1/allowance/rolls/:id/results', {
    config: { roles: ['finance'] },
    bodyLimit: 20 * 1024 * 1024,
    schema: {
      tags,
      summary: 'Record the bank’s transfer results',
      description:
        'JSON {"results": [{"transferNo", "status": "paid|failed", "reason"}]}, or the bank’s return file as text/csv or XLSX ' +
        'with columns 序号, 结果 (成功 / 失败), 失败原因. A failed transfer’s months are due again and its beneficiary is held until the account changes.',
      params: IdParams,
      response: rollResponses,
    },
    handler: async (request, reply) => {
      let body: unknown = request.body;
      if (uploadKind(request)) {
        const rows = await readUploadedRows(request, { maxRows: MAX_RESULT_ROWS });
        requireColumns(rows, RESULT_COLUMNS, ['transferNo', 'result']);
        body = {
          results: rows.map((row) => {
            const cells = mapColumns(row.cells, RESULT_COLUMNS);
            const status = RESULT_WORDS[cells.result ?? ''];
            if (!/^\d+$/.test(cells.transferNo ?? '') || !status) {
              throw validationFailed(`row ${row.fileRow}: 序号 is a transfer number and 结果 is 成功 or 失败`, [{ row: row.fileRow }]);
            }
            return { transferNo: Number(cells.transferNo), status, reason: cells.reason ?? null };
          }),
        };
      }
      return sendRoll(reply, await rolls.recordResults(contextOf(request), request.params.id, parseOrThrow(ResultsBody, body).results));
    },
  });

  app.get('/api/v1/allowance/rolls/:id/notice.pdf', {
    config: { roles: ['reviewer', 'civil_affairs', 'finance'] },
    schema: { tags, summary: 'The public notice (公示), one part per community; names masked', params: IdParams, response: { 200: BinaryFile, 409: ErrorEnvelopeSchema, ...errorResponses } },
    handler: async (request, reply) => {
      const document = await rolls.notice(contextOf(request), request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${document.number}-notice.pdf"`)
        .send(document.pdf);
    },
  });

  app.get('/api/v1/allowance/rolls/:id/pdf', {
    config: { roles: ['reviewer', 'civil_affairs', 'finance'] },
    schema: { tags, summary: 'The summary (发放汇总表) as stored at issue', params: IdParams, response: { 200: BinaryFile, 409: ErrorEnvelopeSchema, ...errorResponses } },
    handler: async (request, reply) => {
      const document = await rolls.pdf(contextOf(request), request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${document.number}.pdf"`)
        .header('etag', `"${document.sha256}"`)
        .send(document.pdf);
    },
  });

  for (const kind of ['xlsx', 'csv'] as const) {
    app.get(`/api/v1/allowance/rolls/:id/bank.${kind}`, {
      config: { roles: ['civil_affairs', 'finance'] },
      schema: { tags, summary: `The bank transfer list (代发清单) as ${kind.toUpperCase()}`, params: IdParams, response: { 200: BinaryFile, 409: ErrorEnvelopeSchema, ...errorResponses } },
      handler: async (request, reply) => {
        const list = await rolls.bankList(contextOf(request), request.params.id, kind);
        return reply
          .header('content-type', kind === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${list.number}-bank.${kind}"; filename*=UTF-8''${encodeURIComponent(`${list.number}-代发清单.${kind}`)}`)
          .send(list.bytes);
      },
    });
  }

  app.get('/api/v1/allowance/overpayments', {
    config: { roles: ['civil_affairs', 'finance'] },
    schema: { tags, summary: 'Overpayments of the region (应退尽退)', querystring: OverpaymentListQuery, response: { 200: listOf(OverpaymentSchema), ...errorResponses } },
    handler: async (request) => overpayments.list(contextOf(request), request.query),
  });

  app.post('/api/v1/allowance/overpayments/:id/recoveries', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Record money recovered', params: IdParams, body: RecoveryBody, response: overpaymentResponses },
    handler: async (request) => overpayments.recover(contextOf(request), request.params.id, request.body),
  });

  app.post('/api/v1/allowance/overpayments/:id/refunds', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Record money paid back to a family that repaid more than it was finally overpaid', params: IdParams, body: RecoveryBody, response: overpaymentResponses },
    handler: async (request) => overpayments.refund(contextOf(request), request.params.id, request.body),
  });

  app.post('/api/v1/allowance/overpayments/:id/waive', {
    config: { roles: ['civil_affairs'] },
    schema: { tags, summary: 'Waive what is left to recover', params: IdParams, body: ReasonBody, response: overpaymentResponses },
    handler: async (request) => overpayments.waive(contextOf(request), request.params.id, request.body.reason),
  });

  app.get('/api/v1/allowance/standards', {
    config: { roles: ['admin', 'reviewer', 'civil_affairs', 'finance'] },
    schema: { tags, summary: 'Allowance standards (monthly amounts per tier) by month and region', response: { 200: z.object({ items: z.array(StandardSchema) }), ...errorResponses } },
    handler: async () => standards.list(),
  });

  app.post('/api/v1/allowance/standards', {
    config: { roles: ['admin'] },
    schema: { tags, summary: 'Add a standard from a month (for a region, or the default)', body: StandardBody, response: { 201: StandardSchema, 409: ErrorEnvelopeSchema, ...errorResponses } },
    handler: async (request, reply) => reply.code(201).send(await standards.create(contextOf(request), request.body)),
  });

  app.get('/api/v1/allowance/stats', {
    config: { roles: ['civil_affairs', 'finance', 'admin'] },
    schema: { tags, summary: 'The allowance dashboard: budgets, paid, remaining, held, overpayments', querystring: AllowanceStatsQuery, response: { 200: AllowanceStatsSchema, ...errorResponses } },
    handler: async (request) => stats.forRegion(contextOf(request), request.query),
  });
}
