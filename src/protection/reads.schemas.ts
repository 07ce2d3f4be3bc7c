import { z } from 'zod';
import { ChildSchema } from '../children/children.schemas.js';
import { PROTECTION_CATEGORIES, QUARTERLY_RESULTS } from '../domain/protectionVocabulary.js';
import { Id, MoneyOutput, RegionCode } from '../http/schemas.js';
import { CaseSchema, PaymentMonthSchema } from './cases.schemas.js';
import { BasicLivingPaymentsSchema } from './rolls.schemas.js';
import { ReportSchema, VisitSchema } from './visits.schemas.js';

// The wire forms of notices, a child's file and the statistics (protection.md §4.3, §7, §10).

export const NoticeListQuery = z.object({
  villageCode: z.string().regex(/^\d{12}$/).optional(),
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const NoticeSchema = z.object({
  id: Id,
  villageCode: z.string(),
  villageName: z.string(),
  townshipCode: z.string(),
  townshipName: z.string(),
  noticeFrom: z.string(),
  noticeTo: z.string().meta({ description: 'The N-th working day counted from noticeFrom itself' }),
  status: z.enum(['open', 'closed']),
  closeDueOn: z.string().meta({ description: 'The first working day after noticeTo' }),
  overdue: z.boolean(),
  closedOn: z.string().nullable(),
  caseIds: z.array(Id).meta({ description: 'The cases on it now' }),
  entries: z
    .array(z.object({ caseId: Id, number: z.string(), nameMasked: z.string(), categories: z.array(z.enum(PROTECTION_CATEGORIES)) }))
    .meta({ description: 'What the notice prints of each case: the masked name and the categories that may be posted' }),
});

export const ChildFileSchema = z.object({
  child: ChildSchema,
  cases: z.array(CaseSchema),
  visits: z.array(VisitSchema).meta({ description: 'Every visit (走访) of the child, newest first' }),
  reports: z.array(ReportSchema).meta({ description: 'Every mandatory report (强制报告) about the child, newest first' }),
  quarterlyUpdates: z.array(
    z.object({
      caseId: Id,
      quarter: z.string(),
      submittedOn: z.string(),
      result: z.enum(QUARTERLY_RESULTS),
      changes: z.record(z.string(), z.unknown()).nullable(),
      exit: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  payments: z
    .array(PaymentMonthSchema)
    .meta({ description: 'Basic-living money month by month (§8): paid or in a roll (with its number), else due or held up to this month' }),
});

const Timeliness = z.object({ decided: z.number().int(), decidedInTime: z.number().int(), overdueNow: z.number().int() });

export const ProtectionStatsQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  regionCode: RegionCode.optional().meta({ description: 'An admin names the region' }),
});

export const ProtectionStatsSchema = z.object({
  year: z.number().int(),
  regionCode: z.string(),
  on: z.string(),
  open: z.record(z.string(), z.number().int()),
  inCare: z.object({
    total: z.number().int(),
    byCategory: z.record(z.string(), z.number().int()),
    leftBehind: z.number().int(),
    hivAffected: z.number().int(),
    payable: z.number().int(),
  }),
  decided: z.object({ recognised: z.number().int(), refusedByTownship: z.number().int(), refusedByCounty: z.number().int(), withdrawn: z.number().int() }),
  exits: z.record(z.string(), z.number().int()),
  timeliness: z.object({ townshipCheck: Timeliness, noticeClose: Timeliness, countyReview: z.record(z.string(), Timeliness) }),
  quarterlyUpdates: z.object({ quarter: z.string(), expected: z.number().int(), submitted: z.number().int(), overdue: z.array(z.string()) }),
  visits: z.object({ recorded: z.number().int().meta({ description: 'Visits made in the year (by visitedOn)' }), overdueNow: z.number().int().meta({ description: 'Cases in care past nextVisitDue today' }) }),
  reports: z.object({ open: z.number().int(), overdue: z.number().int().meta({ description: 'Open past reportAcknowledgeHours' }) }),
  payments: BasicLivingPaymentsSchema.meta({ description: 'The basic-living rolls’ figures of the year, as GET /allowance/stats' }),
});
