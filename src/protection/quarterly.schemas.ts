import { z } from 'zod';
import { Guardian } from '../children/children.schemas.js';
import { isValidQuarter } from '../domain/protectionQuarterRule.js';
import { EXIT_REASONS, LIVING_ARRANGEMENTS, PROTECTION_CATEGORIES, QUARTERLY_RESULTS } from '../domain/protectionVocabulary.js';
import { DateString, Id, MonthString, Text, Timestamp } from '../http/schemas.js';

// The quarterly update (季度更新, protection.md §6): one per township and quarter, a line for every
// case of the township recognised when it is submitted.

export const Quarter = z.string().refine(isValidQuarter, 'a quarter YYYY-Qn, e.g. 2026-Q1').meta({ example: '2026-Q1' });

const Changes = z
  .object({
    guardian: Guardian.nullish().meta({ description: 'Applies to the child at once' }),
    livingArrangement: z.enum(LIVING_ARRANGEMENTS).nullish().meta({ description: 'Reported for civil affairs to apply' }),
    categories: z.array(z.enum(PROTECTION_CATEGORIES)).min(1).nullish().meta({ description: 'Reported for civil affairs to apply' }),
    note: Text(500).nullish(),
  })
  .strict();

const Exit = z
  .object({ reason: z.enum(EXIT_REASONS), eventOn: DateString, fromMonth: MonthString.optional(), note: Text(500).nullish() })
  .strict();

const Line = z
  .object({
    caseId: Id,
    result: z.enum(QUARTERLY_RESULTS),
    changes: Changes.nullish(),
    exit: Exit.nullish(),
  })
  .strict()
  .superRefine((line, issues) => {
    if (line.result === 'changed' && !line.changes) issues.addIssue({ code: 'custom', path: ['changes'], message: 'a changed line says what changed' });
    if (line.result !== 'changed' && line.changes) issues.addIssue({ code: 'custom', path: ['changes'], message: 'changes go with result changed' });
    if (line.result === 'exited' && !line.exit) issues.addIssue({ code: 'custom', path: ['exit'], message: 'an exited line says why and when (exit)' });
    if (line.result !== 'exited' && line.exit) issues.addIssue({ code: 'custom', path: ['exit'], message: 'exit goes with result exited' });
  });

export const QuarterlyUpdateBody = z.object({ quarter: Quarter, lines: z.array(Line).max(5000) }).strict();
export type QuarterlyUpdateBody = z.infer<typeof QuarterlyUpdateBody>;

export const QuarterQuery = z.object({ quarter: Quarter.optional().meta({ description: 'Default: the latest quarter whose last month has begun' }) });

export const QuarterlyStatusSchema = z.object({
  townshipCode: z.string(),
  townshipName: z.string(),
  status: z.enum(['not_yet_due', 'due', 'submitted', 'overdue']),
  submittedOn: z.string().nullable(),
  late: z.boolean(),
  id: Id.nullable(),
  expected: z.boolean().meta({ description: 'The township has a case in care on the quarter’s last day (or today, if earlier)' }),
  casesInCare: z.number().int(),
});

export const QuarterlyUpdateSchema = z.object({
  id: Id,
  quarter: z.string(),
  townshipCode: z.string(),
  townshipName: z.string(),
  submittedOn: z.string(),
  submittedBy: z.object({ id: Id, name: z.string() }),
  late: z.boolean(),
  lines: z.array(
    z.object({
      caseId: Id,
      number: z.string(),
      childName: z.string(),
      result: z.enum(QUARTERLY_RESULTS),
      changes: z.record(z.string(), z.unknown()).nullable().meta({ description: 'As reported; the guardian’s phone masked' }),
      exit: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  createdAt: Timestamp,
});
