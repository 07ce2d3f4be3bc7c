import { z } from 'zod';
import { CHECK_RESULTS, REPORT_INSTRUCTION, REPORT_STATUSES, VISIT_CHECKS } from '../domain/protectionVisitRule.js';
import { BooleanQuery, DateString, Id, PersonRef, Text, Timestamp } from '../http/schemas.js';

// The wire forms of visits (走访) and mandatory reports (强制报告), protection.md §9.

const CheckResult = z.enum(CHECK_RESULTS);
const Concern = z.enum(VISIT_CHECKS);

export const VisitChecksBody = z
  .object({
    guardianship: CheckResult.meta({ description: '监护情况' }),
    living: CheckResult.meta({ description: '生活状况' }),
    schooling: CheckResult.meta({ description: '就学情况' }),
    health: CheckResult.meta({ description: '健康状况' }),
    safety: CheckResult.meta({ description: '安全状况' }),
  })
  .strict()
  .meta({ description: 'Five checks, each ok, concern or danger; any danger raises a mandatory report' });

export const VisitBody = z
  .object({
    caseId: Id,
    visitedOn: DateString.meta({ description: 'The day of the visit: not after today (China date)', example: '2026-03-05' }),
    visitor: Text(50).meta({ description: 'Who visited (named in each visit)', example: '王芳' }),
    visitorRole: Text(20).default('儿童主任').meta({ description: 'The visitor’s role', example: '儿童主任' }),
    checks: VisitChecksBody,
    note: Text(2000).nullish().meta({ description: 'What the visitor saw (free text about the child: shown to the township and civil affairs only)' }),
  })
  .strict();
export type VisitBody = z.infer<typeof VisitBody>;

export const ReportBody = z
  .object({
    childId: Id,
    concerns: z
      .array(Concern)
      .min(1)
      .max(VISIT_CHECKS.length)
      .refine((concerns) => new Set(concerns).size === concerns.length, 'each concern once')
      .meta({ description: 'What is in danger: guardianship, living, schooling, health, safety' }),
    note: Text(2000).nullish(),
  })
  .strict();
export type ReportBody = z.infer<typeof ReportBody>;

export const PoliceBody = z
  .object({ at: z.iso.datetime({ offset: true }).meta({ description: 'When the police (110) were called, with its offset (2026-03-10T09:05:00+08:00); not in the future', example: '2026-03-10T09:05:00+08:00' }) })
  .strict();

export const AcknowledgeBody = z
  .object({
    actionTaken: Text(1000).meta({ example: '已报派出所，临时安置' }),
    policeNotified: z.boolean(),
  })
  .strict();
export type AcknowledgeBody = z.infer<typeof AcknowledgeBody>;

export const VisitListQuery = z
  .object({
    caseId: Id.optional(),
    from: DateString.optional().meta({ description: 'Visited on or after' }),
    to: DateString.optional().meta({ description: 'Visited on or before' }),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from is on or before to', path: ['to'] });
export type VisitListQuery = z.infer<typeof VisitListQuery>;

export const ReportListQuery = z.object({
  status: z.enum(REPORT_STATUSES).optional(),
  overdue: BooleanQuery.optional().meta({ description: 'true: open longer than the region’s reportAcknowledgeHours' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type ReportListQuery = z.infer<typeof ReportListQuery>;

export const ReportSchema = z.object({
  id: Id,
  childId: Id,
  childName: z.string(),
  caseId: Id.nullable(),
  caseNumber: z.string().nullable(),
  visitId: Id.nullable(),
  regionCode: z.string(),
  townshipCode: z.string().nullable(),
  townshipName: z.string().nullable(),
  concerns: z.array(Concern),
  note: z.string().nullable(),
  raisedAt: Timestamp,
  raisedBy: PersonRef,
  status: z.enum(REPORT_STATUSES),
  overdue: z.boolean().meta({ description: 'Open reportAcknowledgeHours (region setting, default 2) after raisedAt' }),
  acknowledgeBy: Timestamp.meta({ description: 'raisedAt + reportAcknowledgeHours' }),
  policeNotifiedAt: Timestamp.nullable(),
  policeRecordedBy: PersonRef.nullable(),
  actionTaken: z.string().nullable(),
  policeNotified: z.boolean().nullable(),
  acknowledgedBy: PersonRef.nullable(),
  acknowledgedAt: Timestamp.nullable(),
});
export type ReportView = z.infer<typeof ReportSchema>;

export const Instruction = z.literal(REPORT_INSTRUCTION).meta({ description: 'A child in danger is reported to the police at once, not after a review' });

export const RaisedReportSchema = ReportSchema.extend({ instruction: Instruction });

export const VisitSchema = z.object({
  id: Id,
  caseId: Id,
  caseNumber: z.string(),
  childId: Id,
  childName: z.string(),
  townshipCode: z.string(),
  visitedOn: z.string(),
  visitor: z.string(),
  visitorRole: z.string(),
  checks: z.object({ guardianship: CheckResult, living: CheckResult, schooling: CheckResult, health: CheckResult, safety: CheckResult }),
  note: z.string().nullable(),
  recordedBy: PersonRef,
  recordedAt: Timestamp,
  reportId: Id.nullable().meta({ description: 'The mandatory report a danger raised' }),
});
export type VisitView = z.infer<typeof VisitSchema>;

export const RecordedVisitSchema = VisitSchema.extend({
  report: ReportSchema.nullable(),
  instruction: Instruction.nullable().meta({ description: 'Set when a danger raised a report: call the police (110) at once' }),
  nextVisitDue: z.string().nullable().meta({ description: 'The case’s next visit after this one' }),
});

export const ReportCountsSchema = z.object({
  open: z.number().int(),
  overdue: z.number().int(),
  oldestOverdueRaisedAt: Timestamp.nullable(),
});
