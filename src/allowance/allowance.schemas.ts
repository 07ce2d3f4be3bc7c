import { z } from 'zod';
import { BankAccount } from '../institutions/institutions.schemas.js';
import { DateString, Id, ListQuery, MoneyInput, MoneyOutput, MonthString, PersonRef, RegionCode, Text, Timestamp } from '../http/schemas.js';
import { BudgetFigures, OverpaymentFigures, overpaymentSchema, RollFigureFields, rollHeadFields, rollListQuery, RollTailFields, TransferPaymentFields } from '../monthlyRoll/roll.schemas.js';
import { HOLD_REASONS, TIERS } from './allowanceRule.js';

// The care allowance's HTTP shapes (allowance.md).

export const Tier = z.enum(TIERS).meta({ description: 'care (关爱补贴, county fund) or nursing_supplement (护理补贴提标, hardship fund)' });
/** `ended` is derived: an approved record whose 18th-birthday month is past. */
export const BENEFICIARY_STATUS_VALUES = ['pending', 'active', 'ended', 'rejected', 'exited'] as const;
export const ROLL_STATUS_VALUES = ['draft', 'published', 'issued', 'settled', 'cancelled'] as const;
export const EXIT_REASONS = ['death', 'moved_out', 'certificate_revoked', 'other'] as const;

export const Community = z
  .object({
    name: Text(100),
    code: z.string().regex(/^\d{12}$/, 'a 12-digit statistical division code (统计用区划代码)').nullish(),
  })
  .strict();

export const EnrolBody = z
  .object({
    childId: Id,
    tier: Tier,
    acceptedOn: DateString.meta({ description: 'The day the application was accepted (受理日期); payment starts with its month' }),
    acceptedBy: Text(100).meta({ description: 'The office that accepted it (e.g. the township or street office)' }),
    community: Community,
    bankAccount: BankAccount,
  })
  .strict();
export type EnrolBody = z.infer<typeof EnrolBody>;

export const ReasonBody = z.object({ reason: Text(500) }).strict();
export const TierBody = z.object({ tier: Tier, fromMonth: MonthString }).strict();
export const VerifyBody = z.object({ on: DateString }).strict();
export const ExitBody = z
  .object({ reason: z.enum(EXIT_REASONS), fromMonth: MonthString.meta({ description: 'The first month not payable' }), note: z.string().trim().max(500).nullish() })
  .strict();
export type ExitBody = z.infer<typeof ExitBody>;

export const BeneficiaryListQuery = ListQuery.extend({
  status: z.enum(BENEFICIARY_STATUS_VALUES).optional(),
  communityName: z.string().trim().min(1).max(100).optional(),
  childId: Id.optional(),
  q: z.string().trim().min(1).max(50).optional().meta({ description: 'The child’s name or part of it, the whole ID number, or its last 6 characters' }),
});
export type BeneficiaryListQuery = z.infer<typeof BeneficiaryListQuery>;

const BankAccountOutput = z.object({
  bank: z.string(),
  accountName: z.string(),
  accountNumber: z.string().meta({ description: 'In full for civil_affairs and finance; first and last 4 digits for the reviewer' }),
});

export const HoldSchema = z.object({
  reason: z.enum(HOLD_REASONS),
  note: z.string().nullable(),
  since: z.string().nullable().meta({ description: 'When the hold was placed (null for review_overdue, which follows from lastVerifiedOn)' }),
});

export const MonthStatusSchema = z.object({
  month: z.string(),
  status: z.enum(['paid', 'in_roll', 'due', 'held', 'not_covered']).meta({ description: 'not_covered: no allowance standard was in force that month, so it is not payable' }),
  amount: MoneyOutput.meta({ description: 'The entry’s amount, or what the month would pay now (0.00 when not covered)' }),
  rollId: Id.nullable(),
  rollNumber: z.string().nullable(),
});

export const BeneficiarySchema = z.object({
  id: Id,
  childId: Id,
  childName: z.string(),
  regionCode: z.string(),
  status: z.enum(BENEFICIARY_STATUS_VALUES).meta({ description: 'ended: approved, and the month of the 18th birthday is past (derived from the date)' }),
  tier: Tier.meta({ description: 'The tier in force this month (or in the last payable month)' }),
  tiers: z
    .array(z.object({ fromMonth: z.string(), tier: Tier, recordedAt: Timestamp }))
    .meta({ description: 'Every tier change in the order recorded; for each month the latest recorded from that month or before decides' }),
  acceptedOn: z.string(),
  acceptedBy: z.string(),
  community: z.object({ name: z.string(), code: z.string().nullable() }),
  bankAccount: BankAccountOutput.meta({ description: 'The account every payment goes to' }),
  pendingBankAccount: BankAccountOutput.extend({ requestedBy: PersonRef, requestedAt: Timestamp })
    .nullable()
    .meta({
      description:
        'A change of account one user asked for (PUT …/bank-account), waiting for another reviewer or civil affairs officer to confirm it (POST …/bank-account/confirm); until then payments keep the old account',
    }),
  enrolledBy: PersonRef.meta({ description: 'Who enrolled the child (报送); another civil affairs officer approves (security.md §2)' }),
  startMonth: z.string(),
  lastMonth: z.string().meta({ description: 'The month of the 18th birthday: the last month paid' }),
  lastVerifiedOn: z.string().nullable(),
  holds: z.array(HoldSchema),
  rejectionReason: z.string().nullable(),
  exit: z.object({ reason: z.enum(EXIT_REASONS), fromMonth: z.string(), note: z.string().nullable() }).nullable(),
  createdAt: Timestamp,
});

export const BeneficiaryDetailSchema = BeneficiarySchema.extend({
  months: z.array(MonthStatusSchema).meta({ description: 'Every month of the record up to this month: paid, in a roll, due, held or not covered' }),
});

export { CreateRollBody, OverpaymentListQuery, RecoveryBody, ResultsBody, OVERPAYMENT_STATUS_VALUES, type TransferResult } from '../monthlyRoll/roll.schemas.js';
export const PublishBody = z.object({ from: DateString.meta({ description: 'First day of the 7-day public notice' }) }).strict();
export const ObjectionBody = z.object({ beneficiaryId: Id, reason: Text(500) }).strict();
export const RollListQuery = rollListQuery(ROLL_STATUS_VALUES);
export type RollListQuery = z.infer<typeof RollListQuery>;

export const TransferSchema = z.object({
  transferNo: z.number().int(),
  beneficiaryId: Id,
  childName: z.string(),
  community: z.string(),
  communityCode: z.string().nullable(),
  ...TransferPaymentFields,
});

export const HeldSchema = z.object({
  beneficiaryId: Id,
  childName: z.string(),
  community: z.string(),
  reason: z.enum(HOLD_REASONS),
  months: z.array(z.string()),
  amount: MoneyOutput,
});

export const RollSummarySchema = z.object({
  ...rollHeadFields(ROLL_STATUS_VALUES),
  noticeFrom: z.string().nullable(),
  noticeTo: z.string().nullable(),
  beneficiaryCount: z.number().int(),
  ...RollFigureFields,
  byFund: z.object({ county: MoneyOutput, hardship: MoneyOutput }),
  ...RollTailFields,
});

export const RollSchema = RollSummarySchema.extend({
  transfers: z.array(TransferSchema),
  held: z.array(HeldSchema),
  objections: z.array(z.object({ beneficiaryId: Id, childName: z.string(), reason: z.string(), at: Timestamp })),
});

export const OverpaymentSchema = overpaymentSchema('beneficiaryId');

export const StandardBody = z
  .object({
    effectiveFrom: MonthString,
    regionCode: RegionCode.nullish(),
    careMonthly: MoneyInput,
    nursingSupplementMonthly: MoneyInput,
  })
  .strict();
export const StandardSchema = z.object({
  id: Id,
  effectiveFrom: z.string(),
  regionCode: z.string().nullable(),
  careMonthly: MoneyOutput,
  nursingSupplementMonthly: MoneyOutput,
  createdAt: Timestamp,
});

export const AllowanceStatsQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100), regionCode: RegionCode.optional() });
export const AllowanceStatsSchema = z.object({
  year: z.number().int(),
  regionCode: z.string(),
  funds: z.object({ county: BudgetFigures, hardship: BudgetFigures }),
  paidByMonth: z.array(z.object({ month: z.string(), county: MoneyOutput, hardship: MoneyOutput })),
  active: z.object({ care: z.number().int(), nursingSupplement: z.number().int() }),
  arrearsPaid: MoneyOutput,
  heldNow: z.record(z.string(), z.number().int()),
  overpayments: OverpaymentFigures,
});
