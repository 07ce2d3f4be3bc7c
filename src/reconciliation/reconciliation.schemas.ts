import { z } from 'zod';
import { Id, ListQuery, MoneyInput, MoneyOutput, MonthString, Timestamp } from '../http/schemas.js';

export const StatementLine = z.object({ externalRef: z.string().trim().min(1).max(100), amount: MoneyInput }).strict();

export const CreateReconciliationBody = z
  .object({
    institutionId: Id,
    from: MonthString,
    to: MonthString,
    lines: z.array(StatementLine).max(20000),
  })
  .strict()
  .superRefine((body, issues) => {
    if (body.to < body.from) issues.addIssue({ code: 'custom', path: ['to'], message: 'to is before from' });
    const seen = new Map<string, number>();
    body.lines.forEach((line, index) => {
      const first = seen.get(line.externalRef);
      if (first !== undefined) {
        issues.addIssue({ code: 'custom', path: ['lines', index, 'externalRef'], message: `${line.externalRef} is listed twice (lines ${first + 1} and ${index + 1})` });
      } else seen.set(line.externalRef, index);
    });
  });
export type CreateReconciliationBody = z.infer<typeof CreateReconciliationBody>;

/** For an uploaded statement, the rest of the request travels in the query string. */
export const ReconciliationUploadQuery = z.object({ institutionId: Id, from: MonthString, to: MonthString });

export const LINE_STATUSES = ['matched', 'amount_mismatch', 'missing_in_system', 'missing_in_statement'] as const;

export const ReconciliationSchema = z.object({
  id: Id,
  number: z.string().meta({ description: '<region>-DZ-<year>-<seq>: the institution’s region, seq from 1 each year', example: '511702-DZ-2026-3' }),
  institutionId: Id,
  from: z.string(),
  to: z.string(),
  regionCode: z.string().nullable().meta({ description: 'Set when a reviewer reconciled: only that region’s claims were compared' }),
  createdAt: Timestamp,
  createdBy: Id,
  summary: z.object({
    matched: z.number().int(),
    amountMismatch: z.number().int(),
    missingInSystem: z.number().int(),
    missingInStatement: z.number().int(),
    statementTotal: MoneyOutput,
    approvedTotal: MoneyOutput,
    paidTotal: MoneyOutput,
  }),
  lines: z.array(
    z.object({
      externalRef: z.string(),
      status: z.enum(LINE_STATUSES),
      statementAmount: MoneyOutput.nullable(),
      approvedAmount: MoneyOutput.nullable(),
      claimStatus: z.string().nullable(),
      claimId: Id.nullable(),
      childName: z.string().nullable().meta({ description: 'The child of the claim; null for a line the system has no claim of' }),
    }),
  ),
});

export const ReconciliationSummarySchema = ReconciliationSchema.omit({ lines: true });
export const ReconciliationListQuery = ListQuery.extend({ institutionId: Id.optional() });
