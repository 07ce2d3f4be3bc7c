import { z } from 'zod';
import { Id, MoneyOutput } from '../http/schemas.js';
import { BudgetFigures, OverpaymentFigures, overpaymentSchema, RollFigureFields, rollHeadFields, rollListQuery, RollTailFields, TransferPaymentFields } from '../monthlyRoll/roll.schemas.js';
import { BASIC_LIVING_HOLD_REASONS } from './basicLivingProgramme.js';

// The basic-living rolls' answers (protection.md §8, §11): the kit's shapes with a case as the
// payee, the village as the place and the totals by standard. No notice: draft → issued → settled.

export const BASIC_LIVING_ROLL_STATUSES = ['draft', 'issued', 'settled', 'cancelled'] as const;
export const BasicLivingRollListQuery = rollListQuery(BASIC_LIVING_ROLL_STATUSES);
export type BasicLivingRollListQuery = z.infer<typeof BasicLivingRollListQuery>;

const ByStandard = z
  .object({ orphanInstitution: MoneyOutput, orphanScattered: MoneyOutput, deFactoUnsupported: MoneyOutput })
  .meta({ description: 'Totals by the standard each month was paid at: 机构养育孤儿, 散居孤儿, 事实无人抚养儿童' });

export const BasicLivingTransferSchema = z.object({
  transferNo: z.number().int(),
  caseId: Id,
  childName: z.string(),
  villageCode: z.string().nullable(),
  villageName: z.string(),
  townshipName: z.string().nullable().meta({ description: 'The village’s township (乡镇/街道), from the division table' }),
  ...TransferPaymentFields,
});

export const BasicLivingHeldSchema = z.object({
  caseId: Id,
  childName: z.string(),
  villageCode: z.string().nullable(),
  villageName: z.string(),
  townshipName: z.string().nullable(),
  reason: z.enum(BASIC_LIVING_HOLD_REASONS),
  months: z.array(z.string()),
  amount: MoneyOutput,
});

export const BasicLivingRollSummarySchema = z.object({
  ...rollHeadFields(BASIC_LIVING_ROLL_STATUSES),
  caseCount: z.number().int(),
  ...RollFigureFields,
  byStandard: ByStandard,
  ...RollTailFields,
});

export const BasicLivingRollSchema = BasicLivingRollSummarySchema.extend({
  transfers: z.array(BasicLivingTransferSchema),
  held: z.array(BasicLivingHeldSchema),
});
export type BasicLivingRoll = z.infer<typeof BasicLivingRollSchema>;

export const BasicLivingOverpaymentSchema = overpaymentSchema('caseId');
export type BasicLivingOverpayment = z.infer<typeof BasicLivingOverpaymentSchema>;

/** §10 `payments`: as GET /allowance/stats, for the basic-living rolls. */
export const BasicLivingPaymentsSchema = z.object({
  budget: BudgetFigures.meta({ description: 'The year’s protectionBasicLiving budget, what was paid (by the China month of the bank’s paid result) and what remains' }),
  paidByMonth: z.array(z.object({ month: z.string(), total: MoneyOutput, byStandard: ByStandard })),
  byStandard: ByStandard,
  arrearsPaid: MoneyOutput,
  heldNow: z.record(z.string(), z.number().int()),
  overpayments: OverpaymentFigures,
});
export type BasicLivingPayments = z.infer<typeof BasicLivingPaymentsSchema>;
