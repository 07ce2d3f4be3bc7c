import { z } from 'zod';
import { DateString, Id, ListQuery, MoneyInput, MoneyOutput, MonthString, PersonRef, Text, Timestamp } from '../http/schemas.js';

// The HTTP shapes every monthly programme's rolls share (one schema → validation, types and
// OpenAPI): a roll's head and its transfers, the bank's results, overpayments and their money
// movements. A programme names its payee (`beneficiaryId`, `caseId`), its count, its split and its
// place fields; the rest is one.

export const CreateRollBody = z.object({ month: MonthString }).strict();

export function rollListQuery<const Statuses extends readonly [string, ...string[]]>(statuses: Statuses) {
  return ListQuery.extend({ month: MonthString.optional(), status: z.enum(statuses).optional() });
}

export const ResultsBody = z
  .object({
    results: z
      .array(
        z
          .object({
            transferNo: z.number().int().min(1),
            status: z.enum(['paid', 'failed']),
            reason: z.string().trim().max(200).nullish(),
            amount: z
              .string()
              .trim()
              .regex(/^\d{1,12}(\.\d{1,2})?$/, '金额应为数字，最多两位小数')
              .nullish()
              .meta({ description: 'What the bank paid, when its file says: must equal the transfer’s amount' }),
            accountName: z.string().trim().max(100).nullish().meta({ description: 'To whom, when the file says: must equal the transfer’s account name' }),
          })
          .strict(),
      )
      .min(1)
      .max(100_000),
  })
  .strict();
export type TransferResult = z.infer<typeof ResultsBody>['results'][number];

/** The fields of a transfer after its payee and place, in answer order. */
export const TransferPaymentFields = {
  accountName: z.string(),
  accountNumber: z.string(),
  bank: z.string(),
  months: z.array(z.string()),
  amount: MoneyOutput,
  status: z.enum(['pending', 'paid', 'failed']),
  failureReason: z.string().nullable(),
};

/** A roll's head up to its payee count, in answer order. */
export function rollHeadFields<const Statuses extends readonly [string, ...string[]]>(statuses: Statuses) {
  return { id: Id, number: z.string(), regionCode: z.string(), month: z.string(), status: z.enum(statuses) };
}

/** A roll's figures and people after its payee count, in answer order; `split` is the programme's (byFund, byStandard). */
export const RollFigureFields = {
  entryCount: z.number().int(),
  total: MoneyOutput,
  totalInWords: z.string(),
};

export const RollTailFields = {
  arrearsTotal: MoneyOutput.meta({ description: 'Entries for months before the roll’s month (补发)' }),
  sha256: z.string().nullable(),
  issuedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  builtBy: PersonRef.meta({ description: 'The civil affairs officer who built the roll (经办人)' }),
  issuedBy: PersonRef.nullable().meta({ description: 'The civil affairs officer who issued it (审核人): another than the builder (security.md §2)' }),
};

export const OVERPAYMENT_STATUS_VALUES = ['open', 'partially_recovered', 'recovered', 'waived', 'cancelled', 'refund_due', 'refunded'] as const;
const MoneyMovement = z.object({ amount: MoneyOutput, on: z.string(), voucherNo: z.string(), recordedAt: Timestamp });

/** An overpayment (应退尽退) as answered, its payee named by the programme's key. */
export function overpaymentSchema<const PayeeKey extends string>(payeeKey: PayeeKey) {
  return z.object({
    id: Id,
    ...({ [payeeKey]: Id } as Record<PayeeKey, typeof Id>),
    childName: z.string(),
    months: z.array(z.string()),
    amount: MoneyOutput,
    recovered: MoneyOutput,
    remaining: MoneyOutput.meta({ description: 'What is left to recover (0.00 once closed)' }),
    refunded: MoneyOutput.meta({ description: 'Paid back to the family of what was recovered beyond the amount' }),
    refundDue: MoneyOutput.meta({ description: 'recovered − refunded − amount, when above zero: owed back to the family' }),
    status: z.enum(OVERPAYMENT_STATUS_VALUES),
    waiveReason: z.string().nullable(),
    pendingWaiver: z
      .object({ reason: z.string(), requestedBy: PersonRef, requestedAt: Timestamp })
      .nullable()
      .meta({ description: 'A waiver one civil affairs officer asked for (…/waive), waiting for another to confirm it (…/waive/confirm); the overpayment stays open until then' }),
    recoveries: z.array(MoneyMovement),
    refunds: z.array(MoneyMovement),
    createdAt: Timestamp,
  });
}
export const OverpaymentListQuery = ListQuery.extend({ status: z.enum(OVERPAYMENT_STATUS_VALUES).optional() });
export type OverpaymentListQuery = z.infer<typeof OverpaymentListQuery>;
export const RecoveryBody = z.object({ amount: MoneyInput, on: DateString, voucherNo: Text(100) }).strict();

/** The payments part of a programme's dashboard (GET /allowance/stats, §10 `payments`): a budget's figures. */
export const BudgetFigures = z.object({ budget: MoneyOutput.nullable(), paid: MoneyOutput, remaining: MoneyOutput.nullable() });
export const OverpaymentFigures = z.object({
  open: MoneyOutput.meta({ description: 'Left to recover on open and partially recovered overpayments' }),
  recovered: MoneyOutput.meta({ description: 'Recovered, less what was refunded' }),
  refundDue: MoneyOutput.meta({ description: 'Still owed back to families' }),
});
