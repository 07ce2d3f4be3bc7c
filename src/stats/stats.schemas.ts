import { z } from 'zod';
import { MoneyOutput, RegionCode } from '../http/schemas.js';

export const DEFAULT_CHILDREN_TARGET = 270;

export const StatsQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  regionCode: RegionCode.optional().meta({ description: 'Required for an admin; a reviewer sees their own region' }),
});

export const TargetParams = z.object({ regionCode: RegionCode, year: z.coerce.number().int().min(2000).max(2100) });
export const TargetBody = z.object({ childrenTarget: z.number().int().min(1).max(1_000_000) }).strict();

const Totals = z.object({
  total: MoneyOutput,
  byService: z.array(z.object({ service: z.string(), total: MoneyOutput })),
  byMonth: z.array(z.object({ month: z.string(), total: MoneyOutput })),
  byServiceAndMonth: z.array(z.object({ service: z.string(), month: z.string(), total: MoneyOutput })),
});

const Timeliness = z.object({
  decided: z.number().int(),
  decidedInTime: z.number().int(),
  overdueNow: z.number().int(),
});

export const StatsSchema = z.object({
  regionCode: z.string(),
  year: z.number().int(),
  asOf: z.string().meta({ description: 'China date the figures were taken' }),
  children: z.object({
    aided: z.number().int().meta({ description: 'Children with an approved claim for a service in this year' }),
    target: z.number().int(),
    targetIsDefault: z.boolean(),
    percentOfTarget: z.string().meta({ description: 'aided ÷ target × 100, one decimal' }),
  }),
  approved: Totals.meta({ description: 'Approved amounts by month of approval (China time)' }),
  paid: Totals.meta({ description: 'Paid amounts by month of payment' }),
  budget: z
    .object({ budget: MoneyOutput.nullable(), approved: MoneyOutput, paid: MoneyOutput, remaining: MoneyOutput.nullable() })
    .meta({ description: 'The year’s rehabilitation budget (PUT /regions/:regionCode/budgets/:year; null when unset) beside the approved and paid totals; remaining = budget − paid' }),
  waitingForReview: z.object({
    count: z.number().int(),
    total: MoneyOutput.meta({ description: 'Their estimated subsidies' }),
    oldestDays: z.number().int().nullable(),
    byAge: z.array(z.object({ days: z.string(), count: z.number().int() })),
  }),
  batchesWaitingForPayment: z.object({ count: z.number().int(), total: MoneyOutput, oldestDays: z.number().int().nullable() }),
  timeliness: z
    .object({ applications: Timeliness, claims: Timeliness })
    .meta({ description: 'Review deadlines: decided in the year (China date of the decision), of them on or before the due date, and waiting past it now' }),
});
