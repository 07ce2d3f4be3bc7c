import { z } from 'zod';
import { IdNumber } from '../children/children.schemas.js';
import { EVIDENCE_KINDS } from '../domain/evidence.js';
import { DEVICE_KINDS, isMonthlyService, SERVICES } from '../domain/vocabulary.js';
import { BooleanQuery, DateString, Id, MoneyInput, MoneyOutput, MonthString, Text, Timestamp, TimingFields } from '../http/schemas.js';
import { DEDUCTION_ORDER } from '../settlement/engine.js';

export const DeductionsInput = z
  .object({
    basicMedicalInsurance: MoneyInput.optional().meta({ description: '基本医疗保险' }),
    criticalIllnessInsurance: MoneyInput.optional().meta({ description: '大病保险' }),
    supplementaryCriticalIllnessInsurance: MoneyInput.optional().meta({ description: '大病补充保险' }),
    medicalAid: MoneyInput.optional().meta({ description: '医疗救助' }),
  })
  .strict()
  .meta({ description: 'What other payers already paid, subtracted in this order; each defaults to "0"' });

const claimFields = {
  childId: Id.optional(),
  childIdNumber: IdNumber.optional().meta({ description: 'Instead of childId' }),
  service: z.enum(SERVICES),
  deviceKind: z.enum(DEVICE_KINDS).nullish(),
  periodFrom: MonthString.nullish().meta({ description: 'Training and early intervention: first month' }),
  periodTo: MonthString.nullish().meta({ description: 'Training and early intervention: last month (same year)' }),
  serviceDate: DateString.nullish().meta({ description: 'Surgery and devices: date of the service' }),
  freeIssued: z.boolean().optional().meta({ description: 'Devices: issued free of charge by the county' }),
  grossCost: MoneyInput.meta({ description: '总费用' }),
  deductions: DeductionsInput.optional(),
};

interface ClaimShape {
  childId?: string | undefined;
  childIdNumber?: string | undefined;
  service: (typeof SERVICES)[number];
  deviceKind?: string | null | undefined;
  periodFrom?: string | null | undefined;
  periodTo?: string | null | undefined;
  serviceDate?: string | null | undefined;
  freeIssued?: boolean | undefined;
  grossCost: string;
}

/** The rules of a claim's shape that one field alone cannot say. */
function checkClaimShape(claim: ClaimShape, issues: z.core.$RefinementCtx) {
  const problem = (path: string, message: string) => issues.addIssue({ code: 'custom', path: [path], message });
  if (Boolean(claim.childId) === Boolean(claim.childIdNumber)) problem('childId', 'send either childId or childIdNumber');
  if (isMonthlyService(claim.service)) {
    if (!claim.periodFrom) problem('periodFrom', `${claim.service} is claimed by months: periodFrom is required`);
    if (!claim.periodTo) problem('periodTo', `${claim.service} is claimed by months: periodTo is required`);
    if (claim.serviceDate) problem('serviceDate', `${claim.service} is claimed by months, not by a service date`);
    if (claim.periodFrom && claim.periodTo && claim.periodTo < claim.periodFrom) problem('periodTo', 'periodTo is before periodFrom');
  } else {
    if (!claim.serviceDate) problem('serviceDate', `${claim.service} is claimed with its service date`);
    if (claim.periodFrom || claim.periodTo) problem('periodFrom', `${claim.service} has a service date, not a period`);
  }
  if (claim.service === 'device' && !claim.deviceKind) problem('deviceKind', 'a device claim names its deviceKind');
  if (claim.service !== 'device' && claim.deviceKind) problem('deviceKind', 'only device claims have a deviceKind');
  if (claim.service !== 'device' && claim.freeIssued) problem('freeIssued', 'only devices are issued free');
}

export const ClaimBody = z
  .object({
    externalRef: z.string().trim().min(1).max(100).meta({ description: 'The institution’s own reference; resending it is idempotent' }),
    ...claimFields,
    reviewedBy: Text(50).meta({ description: 'Who self-reviewed the claim at the institution (自行审核)' }),
  })
  .strict()
  .superRefine(checkClaimShape);
export type ClaimBody = z.infer<typeof ClaimBody>;

export const PreviewBody = z
  .object({
    externalRef: z.string().trim().min(1).max(100).optional(),
    claimId: Id.optional().meta({ description: 'The returned claim being corrected: its own months do not count as claimed already' }),
    ...claimFields,
    reviewedBy: Text(50).optional(),
  })
  .strict()
  .superRefine(checkClaimShape);
export type PreviewBody = z.infer<typeof PreviewBody>;

export const ApproveClaimBody = z
  .object({
    amount: MoneyInput.optional().meta({ description: 'A lower amount than the rules give; needs a note' }),
    note: Text(500).optional(),
  })
  .strict()
  .nullish();

export const ReasonBody = z.object({ reason: Text(500) }).strict();

const StepSchema = z.object({ label: z.string(), amount: MoneyOutput, balance: MoneyOutput });
const LimitSchema = z.object({
  code: z.enum(['MONTHLY_LIMIT', 'ANNUAL_LIMIT', 'ONCE_PER_CHILD_LIMIT']),
  limit: MoneyOutput,
  months: z.number().int().nullable(),
  used: MoneyOutput.nullable(),
  figure: MoneyOutput,
  binding: z.boolean(),
});

export const PreviewWarningSchema = z.object({
  code: z.string().meta({ description: 'The error code the submission would be refused with (NOT_REFERRED, SERVICE_NOT_DESIGNATED, AFTER_DROPOUT, DUPLICATE_SERVICE_PERIOD)' }),
  message: z.string(),
  details: z.array(z.unknown()),
});

export const SettlementPreviewSchema = z.object({
  warnings: z
    .array(PreviewWarningSchema)
    .meta({ description: 'What a submission of this claim would be refused for now, besides the figures; empty when it would be accepted' }),
  policyId: Id,
  remainder: MoneyOutput,
  limits: z.array(LimitSchema),
  cap: MoneyOutput,
  subsidy: MoneyOutput,
  reasons: z.array(z.string()),
  steps: z.array(StepSchema),
});

export const DeductionsOutput = z.object(Object.fromEntries(DEDUCTION_ORDER.map((name) => [name, MoneyOutput])) as Record<(typeof DEDUCTION_ORDER)[number], typeof MoneyOutput>);

export const ClaimSchema = z.object({
  id: Id,
  externalRef: z.string(),
  institutionId: Id,
  childId: Id,
  regionCode: z.string(),
  category: z.string(),
  service: z.enum(SERVICES),
  deviceKind: z.string().nullable(),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  months: z.number().int().nullable(),
  serviceDate: z.string().nullable(),
  freeIssued: z.boolean(),
  grossCost: MoneyOutput,
  deductions: DeductionsOutput,
  remainder: MoneyOutput,
  status: z.enum(['submitted', 'approved', 'rejected', 'returned', 'withdrawn', 'batched', 'paid']),
  reviewedBy: z.string(),
  estimate: z.object({ policyId: Id, cap: MoneyOutput, subsidy: MoneyOutput, reasons: z.array(z.string()) }),
  approvedAmount: MoneyOutput.nullable(),
  settlement: z
    .object({
      policyId: Id,
      cap: MoneyOutput,
      subsidy: MoneyOutput,
      approvedAmount: MoneyOutput,
      reasons: z.array(z.string()),
      limits: z.array(LimitSchema),
      steps: z.array(StepSchema),
      note: z.string().nullable(),
      approvedBy: Id,
      approvedAt: Timestamp,
    })
    .nullable(),
  batchId: Id.nullable(),
  evidenceMissing: z
    .array(z.enum(EVIDENCE_KINDS))
    .meta({ description: 'The evidence kinds the region requires for this service that no attached file is yet; approval waits for them (EVIDENCE_MISSING). Empty once decided.' }),
  submittedAt: Timestamp,
  ...TimingFields,
  history: z.array(z.object({ at: Timestamp, action: z.string(), by: z.string().nullable(), note: z.string().nullable() })),
});

export const ClaimListQuery = z.object({
  status: z.enum(['submitted', 'approved', 'rejected', 'returned', 'withdrawn', 'batched', 'paid']).optional().meta({ description: 'submitted lists by due date, the earliest first' }),
  overdue: BooleanQuery.optional().meta({ description: 'true: only submitted claims past their due date' }),
  institutionId: Id.optional(),
  childId: Id.optional(),
  service: z.enum(SERVICES).optional(),
  from: MonthString.optional().meta({ description: 'Service month (periodTo, or the month of serviceDate) from' }),
  to: MonthString.optional(),
  externalRef: z.string().trim().min(1).max(100).optional().meta({ description: '结算申请号, or its beginning' }),
  child: z.string().trim().min(1).max(50).optional().meta({ description: 'The child’s name or part of it, or part of the ID number' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type ClaimListQuery = z.infer<typeof ClaimListQuery>;

/** The same filters, for the count and the export. */
export const ClaimFilterQuery = ClaimListQuery.omit({ limit: true, cursor: true });
export type ClaimFilterQuery = z.infer<typeof ClaimFilterQuery>;

export const ClaimCountSchema = z.object({
  count: z.number().int(),
  approvedTotal: MoneyOutput.meta({ description: 'The approved amounts of those approved, batched or paid' }),
});

/** More rows than this in one export: narrow the filter. */
export const MAX_EXPORTED_CLAIMS = 50_000;

export const MAX_BULK_APPROVALS = 500;

export const BulkApproveBody = z
  .object({
    claimIds: z.array(Id).min(1).max(MAX_BULK_APPROVALS).meta({ description: `Claims to approve at the amount the rules give, in this order (1 to ${MAX_BULK_APPROVALS})` }),
  })
  .strict();

export const BulkApproveResultSchema = z.object({
  summary: z.object({
    approved: z.number().int(),
    refused: z.number().int(),
    total: MoneyOutput.meta({ description: 'The sum approved' }),
  }),
  results: z.array(
    z.union([
      z.object({
        claimId: z.string(),
        status: z.literal('approved'),
        approvedAmount: MoneyOutput,
        estimate: MoneyOutput.meta({ description: 'The subsidy estimated at submission' }),
        remainder: MoneyOutput.meta({ description: 'What is left of the cost after the other payers' }),
        reasons: z.array(z.string()).meta({ description: 'Why the amount is what it is (MONTHLY_LIMIT, ANNUAL_LIMIT_REACHED, ...)' }),
      }),
      z.object({ claimId: z.string(), status: z.literal('refused'), error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()) }) }),
    ]),
  ),
});
