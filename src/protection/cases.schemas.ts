import { z } from 'zod';
import {
  CASE_STATUSES,
  EXIT_REASONS,
  LIVING_ARRANGEMENTS,
  PARENT_SITUATIONS,
  PROTECTION_CATEGORIES,
  REVIEW_ROUTES,
  SEVERE_BASES,
  STUDY_STAGES,
} from '../domain/protectionVocabulary.js';
import { Guardian } from '../children/children.schemas.js';
import { BankAccount } from '../institutions/institutions.schemas.js';
import { BooleanQuery, DateString, Id, MoneyOutput, MonthString, Text, Timestamp } from '../http/schemas.js';

// The wire forms of a case (分类认定, protection.md §4–5): what a township sends at receipt and each
// step after, and the case as it is answered.

export const ProtectionCategory = z.enum(PROTECTION_CATEGORIES);

const Categories = z
  .array(ProtectionCategory)
  .min(1)
  .max(PROTECTION_CATEGORIES.length)
  .refine((categories) => new Set(categories).size === categories.length, 'each category once');

export const ParentFactBody = z
  .object({
    situation: z.enum(PARENT_SITUATIONS),
    since: DateString.meta({ description: 'From when it holds (missing: the day the police accepted the report)' }),
    until: DateString.nullable().default(null).meta({ description: 'The end of a term; null: no end known' }),
    documents: z.array(Text(100)).max(20).default([]),
  })
  .strict()
  .refine((fact) => fact.until === null || fact.until >= fact.since, { message: 'until is on or after since', path: ['until'] });

const ParentsBody = z
  .object({ father: z.array(ParentFactBody).max(20).default([]), mother: z.array(ParentFactBody).max(20).default([]) })
  .strict()
  .meta({ description: 'Per parent a list of facts (父母情况)' });

export const CaseBody = z
  .object({
    childId: Id,
    receivedOn: DateString.optional().meta({ description: '受理日期: default today; not later than today' }),
    viaVillage: z.boolean().default(false).meta({ description: 'Handed in via the village committee (行动不便)' }),
    applicant: Guardian.meta({ description: 'The guardian who applies' }),
    categories: Categories.meta({ description: 'The categories claimed (申请类别)' }),
    severeBasis: z.enum(SEVERE_BASES).nullish().meta({ description: 'Required exactly when severe_illness_disability is claimed' }),
    schoolingSupport: z.boolean().default(false).meta({ description: 'Education support asked' }),
    leftBehind: z.boolean().default(false).meta({ description: '留守: one or both parents away long-term' }),
    hivAffected: z.boolean().default(false).meta({ description: '艾滋病病毒感染: never posted, never shown to departments' }),
    parents: ParentsBody.default({ father: [], mother: [] }),
    documents: z.array(Text(100)).max(50).default([]),
    bankAccount: BankAccount.nullish().meta({ description: 'The guardian’s or the institution’s account; needed to recognise a payable case' }),
  })
  .strict()
  .superRefine((body, issues) => {
    const severe = body.categories.includes('severe_illness_disability');
    if (severe && !body.severeBasis) issues.addIssue({ code: 'custom', path: ['severeBasis'], message: 'severeBasis is required when severe_illness_disability is claimed' });
    if (!severe && body.severeBasis) issues.addIssue({ code: 'custom', path: ['severeBasis'], message: 'severeBasis goes only with severe_illness_disability' });
  });
export type CaseBody = z.infer<typeof CaseBody>;

export const CheckBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('agree'), noticeFrom: DateString.optional().meta({ description: 'The notice’s first day: default today; not before receivedOn' }) }).strict(),
  z.object({ decision: z.literal('refuse'), reason: Text(500) }).strict(),
]);
export type CheckBody = z.infer<typeof CheckBody>;

export const ReasonBody = z.object({ reason: Text(500) }).strict();

export const ReviewBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }).strict(),
  z.object({ decision: z.literal('refuse'), reason: Text(500) }).strict(),
]);
export type ReviewBody = z.infer<typeof ReviewBody>;

export const RecogniseBody = z
  .object({
    categories: Categories.optional().meta({ description: 'Those found: a non-empty subset of those claimed; default all' }),
    livingArrangement: z.enum(LIVING_ARRANGEMENTS).default('scattered'),
  })
  .strict();
export type RecogniseBody = z.infer<typeof RecogniseBody>;

export const CategoriesBody = z.object({ categories: Categories, fromMonth: MonthString }).strict();
export const LivingArrangementBody = z.object({ livingArrangement: z.enum(LIVING_ARRANGEMENTS), fromMonth: MonthString }).strict();

export const ExitBody = z
  .object({
    reason: z.enum(EXIT_REASONS),
    eventOn: DateString,
    fromMonth: MonthString.optional().meta({ description: 'The first month not covered; default the month after eventOn’s' }),
    note: Text(500).nullish(),
  })
  .strict();
export type ExitBody = z.infer<typeof ExitBody>;

export const VerifyBody = z.object({ on: DateString }).strict();

export const StudyingBody = z.object({ school: Text(100), stage: z.enum(STUDY_STAGES), expectedGraduation: MonthString }).strict();
export type StudyingBody = z.infer<typeof StudyingBody>;

export const CaseListQuery = z.object({
  status: z.enum([...CASE_STATUSES, 'ended']).optional().meta({ description: 'An open status lists by due date' }),
  townshipCode: z.string().regex(/^\d{9}$/).optional(),
  villageCode: z.string().regex(/^\d{12}$/).optional(),
  category: ProtectionCategory.optional().meta({ description: 'A claimed category (recognised cases: one found)' }),
  childId: Id.optional(),
  overdue: BooleanQuery.optional().meta({ description: 'true: its step waits past its due date' }),
  pending: BooleanQuery.optional().meta({ description: 'true: the caller’s office’s review waits (routed offices)' }),
  visitOverdue: BooleanQuery.optional().meta({ description: 'true: cases in care whose next visit is past due, by nextVisitDue' }),
  visitDueBy: DateString.optional().meta({ description: 'Cases in care whose next visit is due on or before this day, by nextVisitDue (the month’s visits: its last day)' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;

// The case as answered.

const Person = z.object({ id: Id, name: z.string() }).nullable();
const Step = {
  receivedOn: z.string(),
  dueOn: z.string(),
  decidedOn: z.string().nullable(),
  decidedInTime: z.boolean().nullable(),
};
const ParentFactSchema = z.object({ situation: z.enum(PARENT_SITUATIONS), since: z.string(), until: z.string().nullable(), documents: z.array(z.string()) });
const BankAccountSchema = z.object({ bank: z.string(), accountName: z.string(), accountNumber: z.string().meta({ description: 'Masked (first 4, last 4) but for civil affairs' }) });
const FailedRuleSchema = z.object({
  category: z.string(),
  rule: z.string(),
  parent: z.string().optional(),
  since: z.string().optional(),
  on: z.string(),
  required: z.number().optional(),
  actual: z.number().optional(),
});

export const CriteriaStandingSchema = z.object({ versionId: Id, on: z.string(), met: z.array(z.string()), failed: z.array(FailedRuleSchema) });

/** A month of basic-living money (§8): paid or in a roll (with its number), else due or held up to this month. */
export const PaymentMonthSchema = z.object({ caseId: Id, month: z.string(), amount: MoneyOutput, status: z.enum(['paid', 'in_roll', 'due', 'held']), rollNumber: z.string().nullable(), sent: z.boolean().meta({ description: 'In a roll issued to finance' }) });

export const CaseSchema = z.object({
  id: Id,
  number: z.string().meta({ example: '511702-KJ-2025-0001' }),
  childId: Id,
  childName: z.string(),
  childIdNumberMasked: z.string(),
  sex: z.enum(['male', 'female']),
  birthDate: z.string(),
  regionCode: z.string(),
  townshipCode: z.string(),
  townshipName: z.string(),
  villageCode: z.string(),
  villageName: z.string(),
  status: z.enum([...CASE_STATUSES, 'ended']).meta({ description: '`ended`: recognised and past lastMonth (derived from the date)' }),
  receivedOn: z.string(),
  receivedBy: Person,
  viaVillage: z.boolean(),
  applicant: z.object({ name: z.string(), relation: z.string(), phone: z.string() }),
  categories: z.array(ProtectionCategory).meta({ description: 'Claimed' }),
  severeBasis: z.enum(SEVERE_BASES).nullable(),
  schoolingSupport: z.boolean(),
  leftBehind: z.boolean(),
  hivAffected: z.boolean().optional().meta({ description: 'Not shown to the reviewer or a department' }),
  parents: z.object({ father: z.array(ParentFactSchema), mother: z.array(ParentFactSchema) }).optional().meta({ description: 'Not shown to the reviewer or a department' }),
  documents: z.array(z.string()),
  bankAccount: BankAccountSchema.nullable().optional().meta({ description: 'Not shown to the reviewer or a department' }),
  pendingBankAccount: BankAccountSchema.extend({ requestedBy: Person, requestedAt: Timestamp })
    .nullable()
    .optional()
    .meta({ description: 'A change waiting for another civil affairs user (payments go to the old account until then)' }),
  dueOn: z.string().nullable().meta({ description: 'The due date of the step now waiting' }),
  overdue: z.boolean(),
  step: z.enum(['township_check', 'notice', 'county_review']).nullable().meta({ description: 'The step now waiting' }),
  countyReceivedOn: z.string().nullable(),
  checks: z.array(z.object({ id: Id, ...Step, decision: z.enum(['agree', 'refuse', 'withdrawn']).nullable(), reason: z.string().nullable(), noticeFrom: z.string().nullable(), decidedBy: Person })),
  notices: z.array(z.object({ noticeId: Id, ...Step, noticeFrom: z.string(), noticeTo: z.string(), status: z.enum(['open', 'closed']), removed: z.enum(['objection', 'withdrawn']).nullable() })),
  objections: z.array(z.object({ id: Id, noticeId: Id, reason: z.string().nullable().meta({ description: 'Null for an office that only reviews (it may state the parents’ facts)' }), on: z.string(), by: Person, ...Step })),
  reviews: z.array(z.object({ id: Id, route: z.enum(REVIEW_ROUTES), status: z.enum(['pending', 'approved', 'refused', 'closed']), decidedBy: Person, reason: z.string().nullable(), ...Step })),
  criteria: CriteriaStandingSchema.nullable().meta({ description: 'Today’s standing under the criteria in force (receiving and checking never check them)' }),
  recognition: z
    .object({
      recognisedOn: z.string(),
      recognisedBy: Person,
      categories: z.array(ProtectionCategory).meta({ description: 'Found, as of this month' }),
      categoryHistory: z.array(z.object({ fromMonth: z.string(), categories: z.array(ProtectionCategory) })),
      livingArrangement: z.enum(LIVING_ARRANGEMENTS),
      livingArrangementHistory: z.array(z.object({ fromMonth: z.string(), livingArrangement: z.enum(LIVING_ARRANGEMENTS) })),
      coverFrom: z.string(),
      lastMonth: z.string().meta({ description: 'The 18th birthday’s month, or the expected graduation while studying' }),
    })
    .nullable(),
  refusal: z.object({ refusedOn: z.string(), by: z.enum(['township', ...REVIEW_ROUTES]), decidedBy: Person, reason: z.string().nullable() }).nullable(),
  withdrawal: z.object({ withdrawnOn: z.string(), reason: z.string().nullable() }).nullable(),
  studying: z.object({ school: z.string(), stage: z.enum(STUDY_STAGES), expectedGraduation: z.string(), recordedOn: z.string() }).nullable(),
  exit: z.object({ reason: z.enum(EXIT_REASONS), eventOn: z.string().nullable(), fromMonth: z.string(), note: z.string().nullable(), recordedOn: z.string().nullable() }).nullable(),
  holds: z.array(
    z
      .object({ reason: z.enum(['bank_failure', 'exit_reported', 'manual', 'review_overdue', 'no_account']), note: z.string().nullable(), since: Timestamp.nullable() })
      .meta({ description: 'The holds a roll applies, in its order; no_account: payable without a bank account to pay' }),
  ),
  lastVerifiedOn: z.string().nullable(),
  months: z.array(PaymentMonthSchema).optional().meta({ description: 'GET …/cases/:id, for the township and civil affairs: the case’s basic-living months, paid, in a roll, due or held' }),
  reportedChanges: z.array(
    z.object({
      quarter: z.string(),
      reportedOn: z.string(),
      livingArrangement: z.enum(LIVING_ARRANGEMENTS).nullable(),
      categories: z.array(ProtectionCategory).nullable(),
      note: z.string().nullable(),
    }),
  ),
  nextVisitDue: z.string().nullable().meta({ description: 'A case in care: the latest visit (else the recognition) + the cadence of its categories (§9); null otherwise' }),
  visitOverdue: z.boolean().meta({ description: 'Today is past nextVisitDue' }),
  createdAt: Timestamp,
});
export type CaseView = z.infer<typeof CaseSchema>;
