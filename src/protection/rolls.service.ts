import type { Database } from '../db/client.js';
import { chinaMonth } from '../domain/chinaTime.js';
import { formatMoney, money, sumMoney } from '../domain/money.js';
import type { RequestContext } from '../http/context.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { createOverpaymentsService } from '../monthlyRoll/overpayments.service.js';
import type { TransferResult } from '../monthlyRoll/roll.schemas.js';
import { createRollsService } from '../monthlyRoll/rolls.service.js';
import { paidByMonth } from '../monthlyRoll/rollStats.repository.js';
import { heldCountsByReason, overpaymentFigures } from '../monthlyRoll/rollStats.js';
import { findBudget } from '../regions/regions.repository.js';
import { inProcess, type Offload } from '../workers/pool.js';
import { createBasicLivingProgramme } from './basicLivingProgramme.js';
import type { BasicLivingOverpayment, BasicLivingPayments, BasicLivingRoll, BasicLivingRollListQuery, BasicLivingRollSchema } from './rolls.schemas.js';
import type { z } from 'zod';

// The basic-living rolls (基本生活费, protection.md §8) and their overpayments: the monthly-roll
// kit's service over the basic-living programme, its answers in the programme's words.

type RollSummary = Omit<z.infer<typeof BasicLivingRollSchema>, 'transfers' | 'held'>;

export function createBasicLivingRollsService(deps: { db: Database; cipher: FieldCipher; offload?: Offload }) {
  const { db, cipher } = deps;
  const programme = createBasicLivingProgramme(cipher);
  const kit = createRollsService({ db, cipher, programme, offload: deps.offload ?? inProcess });
  const get = async (context: RequestContext, id: string) => (await kit.get(context, id)).answer as unknown as BasicLivingRoll;
  return {
    programme,
    get,
    create: async (context: RequestContext, month: string) => get(context, await kit.create(context, month)),
    list: (context: RequestContext, query: BasicLivingRollListQuery) => kit.list(context, query) as Promise<{ items: RollSummary[]; nextCursor: string | null }>,
    issue: (context: RequestContext, id: string) => kit.issue(context, id).then(() => get(context, id)),
    cancel: (context: RequestContext, id: string) => kit.cancel(context, id).then(() => get(context, id)),
    recordResults: (context: RequestContext, id: string, results: TransferResult[]) => kit.recordResults(context, id, results).then(() => get(context, id)),
    pdf: kit.pdf,
    bankList: kit.bankList,
  };
}

/** §10 `payments` of a region and year, as GET /allowance/stats: the budget, what was paid, arrears, who is held now, overpayments. */
export async function basicLivingPayments(db: Database, programme: ReturnType<typeof createBasicLivingProgramme>, regionCode: string, year: number, now: Date): Promise<BasicLivingPayments> {
  const [budget, paid, overpayments, plan] = await Promise.all([
    findBudget(db, regionCode, year),
    paidByMonth(db, programme, regionCode, year),
    overpaymentFigures(db, programme.tables, regionCode),
    programme.plan(db, regionCode, chinaMonth(now)),
  ]);
  const keys = Object.keys(programme.split.keys) as (keyof BasicLivingPayments['byStandard'])[];
  const byStandard = Object.fromEntries(keys.map((key) => [key, formatMoney(sumMoney(paid.map((row) => money(row.split[key]!))))])) as BasicLivingPayments['byStandard'];
  const paidTotal = sumMoney(keys.map((key) => money(byStandard[key])));
  const budgetAmount = budget?.protectionBasicLiving ?? null;
  return {
    budget: {
      budget: budgetAmount === null ? null : formatMoney(money(budgetAmount)),
      paid: formatMoney(paidTotal),
      remaining: budgetAmount === null ? null : formatMoney(money(budgetAmount).minus(paidTotal)),
    },
    paidByMonth: paid.map((row) => ({
      month: row.month,
      total: formatMoney(sumMoney(keys.map((key) => money(row.split[key]!)))),
      byStandard: Object.fromEntries(keys.map((key) => [key, formatMoney(money(row.split[key]!))])) as BasicLivingPayments['byStandard'],
    })),
    byStandard,
    arrearsPaid: formatMoney(sumMoney(paid.map((row) => money(row.arrears)))),
    heldNow: heldCountsByReason(plan.held),
    overpayments,
  };
}

export function createBasicLivingOverpaymentsService(deps: { db: Database; cipher: FieldCipher }) {
  return createOverpaymentsService<BasicLivingOverpayment>({ db: deps.db, programme: createBasicLivingProgramme(deps.cipher) });
}

export type BasicLivingRollsService = ReturnType<typeof createBasicLivingRollsService>;
export type BasicLivingOverpaymentsService = ReturnType<typeof createBasicLivingOverpaymentsService>;
