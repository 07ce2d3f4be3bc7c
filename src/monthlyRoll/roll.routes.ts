import { z } from 'zod';
import { BinaryFile, IdParams, listOf, Text } from '../http/schemas.js';
import { attachment, ok, type apiRoutes } from '../http/routes.js';
import { contextOf } from '../http/types.js';
import { parseOrThrow } from '../http/validation.js';
import type { OverpaymentsService } from './overpayments.service.js';
import { resultsBodyOf, RESULTS_DESCRIPTION } from './resultsUpload.js';
import { OverpaymentListQuery, RecoveryBody, ResultsBody, type TransferResult } from './roll.schemas.js';
import { sendRoll, type RollAnswer } from './rollResponse.js';

// The routes every monthly programme's rolls share, under the programme's base path
// (/api/v1/allowance, /api/v1/protection): an issued roll's summary PDF and bank list, and the
// overpayments (应退尽退) with their recoveries, refunds and two-person waivers (security.md §2).

type Route = ReturnType<typeof apiRoutes>;
type Base = `/api/v1/${string}`;
const ReasonBody = z.object({ reason: Text(500) }).strict();

type Context = ReturnType<typeof contextOf>;

/**
 * POST …/rolls/:id/issue (by another civil affairs officer than the builder), …/cancel (before
 * issue) and …/results (finance: the bank's results as JSON or its return file).
 */
export function registerRollActionRoutes(
  route: Route,
  base: Base,
  rolls: {
    issue(context: Context, id: string): Promise<RollAnswer>;
    cancel(context: Context, id: string): Promise<RollAnswer>;
    recordResults(context: Context, id: string, results: TransferResult[]): Promise<RollAnswer>;
  },
  schema: z.ZodType,
  words: { issue: string; cancel: string; payee: string },
) {
  const responses = ok(schema, 409, 422);
  route(
    `POST ${base}/rolls/:id/issue`,
    { roles: ['civil_affairs'], summary: `${words.issue}: freezes and hashes the roll; by another civil affairs officer than its builder (else 409 FOUR_EYES_REQUIRED)`, params: IdParams, response: responses },
    async (request, reply) => sendRoll(reply, await rolls.issue(contextOf(request), request.params.id)),
  );
  route(
    `POST ${base}/rolls/:id/cancel`,
    { roles: ['civil_affairs'], summary: `${words.cancel}; its months are due again`, params: IdParams, response: responses },
    async (request, reply) => sendRoll(reply, await rolls.cancel(contextOf(request), request.params.id)),
  );
  route(
    `POST ${base}/rolls/:id/results`,
    {
      roles: ['finance'],
      bodyLimit: 20 * 1024 * 1024,
      summary: 'Record the bank’s transfer results',
      description: `${RESULTS_DESCRIPTION} A failed transfer’s months are due again and its ${words.payee} is held until the account changes.`,
      params: IdParams,
      response: responses,
    },
    async (request, reply) => sendRoll(reply, await rolls.recordResults(contextOf(request), request.params.id, parseOrThrow(ResultsBody, await resultsBodyOf(request)).results)),
  );
}

/** GET …/rolls/:id/pdf (the summary as stored at issue) and …/bank.xlsx, …/bank.csv (the 代发清单). */
export function registerRollDocumentRoutes(
  route: Route,
  base: Base,
  rolls: {
    pdf(context: ReturnType<typeof contextOf>, id: string): Promise<{ number: string; pdf: Buffer; sha256: string }>;
    bankList(context: ReturnType<typeof contextOf>, id: string, kind: 'xlsx' | 'csv'): Promise<{ number: string; bytes: Buffer }>;
  },
  readers: { pdf: readonly ('reviewer' | 'civil_affairs' | 'finance')[]; summaryTitle: string },
) {
  route(
    `GET ${base}/rolls/:id/pdf`,
    { roles: [...readers.pdf], summary: `The summary (${readers.summaryTitle}) as stored at issue`, params: IdParams, response: ok(BinaryFile, 409) },
    async (request, reply) => {
      const document = await rolls.pdf(contextOf(request), request.params.id);
      return attachment(reply.header('etag', `"${document.sha256}"`), document.pdf, `${document.number}.pdf`);
    },
  );
  for (const kind of ['xlsx', 'csv'] as const) {
    route(
      `GET ${base}/rolls/:id/bank.${kind}`,
      { roles: ['civil_affairs', 'finance'], summary: `The bank transfer list (代发清单) as ${kind.toUpperCase()}; 摘要 names the months`, params: IdParams, response: ok(BinaryFile, 409) },
      async (request, reply) => {
        const list = await rolls.bankList(contextOf(request), request.params.id, kind);
        return attachment(reply, list.bytes, `${list.number}-bank.${kind}`, `${list.number}-代发清单.${kind}`);
      },
    );
  }
}

/**
 * GET …/overpayments and the actions on one. The answers are the programme's schema's (checked by it
 * as any answer is).
 */
export function registerOverpaymentRoutes<Schema extends z.ZodType>(route: Route, base: Base, overpayments: OverpaymentsService<z.infer<Schema>>, schema: Schema) {
  // The programme's schema checks the answers at run time; to the compiler they are its schema's own.
  const responses = ok(schema as z.ZodType, 409, 422);
  route(
    `GET ${base}/overpayments`,
    { roles: ['civil_affairs', 'finance'], summary: 'Overpayments of the region (应退尽退)', querystring: OverpaymentListQuery, response: ok(listOf(schema)) },
    async (request) => overpayments.list(contextOf(request), request.query),
  );
  route(
    `POST ${base}/overpayments/:id/recoveries`,
    { roles: ['civil_affairs'], summary: 'Record money recovered; more than what is left → 422 AMOUNT_MISMATCH', params: IdParams, body: RecoveryBody, response: responses },
    async (request) => (await overpayments.recover(contextOf(request), request.params.id, request.body)),
  );
  route(
    `POST ${base}/overpayments/:id/refunds`,
    { roles: ['civil_affairs'], summary: 'Record money paid back to a family that repaid more than it was finally overpaid', params: IdParams, body: RecoveryBody, response: responses },
    async (request) => (await overpayments.refund(contextOf(request), request.params.id, request.body)),
  );
  route(
    `POST ${base}/overpayments/:id/waive`,
    {
      roles: ['civil_affairs'],
      summary: 'Ask to waive what is left to recover: pending (pendingWaiver) until another civil affairs officer confirms it; the overpayment stays open until then',
      description: 'A second request replaces a pending one. security.md §2.',
      params: IdParams,
      body: ReasonBody,
      response: responses,
    },
    async (request) => (await overpayments.waive(contextOf(request), request.params.id, request.body.reason)),
  );
  route(
    `POST ${base}/overpayments/:id/waive/confirm`,
    {
      roles: ['civil_affairs'],
      summary: 'Confirm the pending waiver (another civil affairs officer than the one who asked): the overpayment is waived',
      description: 'The officer who asked → 409 FOUR_EYES_REQUIRED; nothing pending, or nothing left to waive → 409 INVALID_STATE.',
      params: IdParams,
      response: responses,
    },
    async (request) => (await overpayments.confirmWaiver(contextOf(request), request.params.id)),
  );
}
