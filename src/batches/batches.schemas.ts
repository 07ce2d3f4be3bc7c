import { z } from 'zod';
import { DateString, Id, MoneyInput, MoneyOutput, Text, Timestamp } from '../http/schemas.js';

export const BATCH_STATUS_VALUES = ['draft', 'issued', 'paid', 'cancelled'] as const;

export const CreateBatchesBody = z
  .object({
    institutionId: Id.optional().meta({ description: 'Only this institution; otherwise one batch per institution' }),
    approvedThrough: DateString.optional().meta({ description: 'Claims approved on or before this day (China time); default now' }),
  })
  .strict()
  .nullish();

export const PaymentBody = z
  .object({
    voucherNo: Text(64).meta({ description: 'The finance bureau’s payment voucher number' }),
    paidAt: DateString.meta({ description: 'The day the money was paid' }),
    amount: MoneyInput.meta({ description: 'Must equal the batch total' }),
  })
  .strict();

export const BatchSummarySchema = z.object({
  id: Id,
  number: z.string(),
  regionCode: z.string(),
  institutionId: Id,
  institutionName: z.string(),
  status: z.enum(BATCH_STATUS_VALUES),
  approvedThrough: z.string(),
  claimCount: z.number().int(),
  total: MoneyOutput,
  totalInWords: z.string(),
  sha256: z.string().nullable(),
  createdAt: Timestamp,
  issuedAt: Timestamp.nullable(),
  paidAt: z.string().nullable(),
  voucherNo: z.string().nullable(),
  builtBy: z.object({ id: Id, name: z.string() }).meta({ description: 'The reviewer who built the batch (经办人)' }),
  issuedBy: z
    .object({ id: Id, name: z.string() })
    .nullable()
    .meta({ description: 'The reviewer who issued it (审核人): another than the builder (security.md §2)' }),
});

export const BatchLineSchema = z.object({
  lineNo: z.number().int(),
  claimId: Id,
  externalRef: z.string(),
  childName: z.string(),
  idNumberMasked: z.string(),
  category: z.string(),
  service: z.string(),
  deviceKind: z.string().nullable(),
  period: z.string(),
  grossCost: MoneyOutput,
  deductionsTotal: MoneyOutput,
  remainder: MoneyOutput,
  approvedAmount: MoneyOutput,
});

/** A batch without its lines: what issue, cancel and payment answer (a batch may have 100,000). */
export const BatchStateSchema = BatchSummarySchema.extend({
  payee: z.object({ code: z.string(), name: z.string(), bank: z.string(), accountName: z.string(), accountNumber: z.string() }),
  pdfSha256: z.string().nullable().meta({ description: 'SHA-256 of the stored PDF file' }),
});

export const BatchSchema = BatchStateSchema.extend({ lines: z.array(BatchLineSchema) });

const CreatedBatchSchema = BatchSummarySchema.pick({ id: true, number: true, regionCode: true, institutionId: true, status: true, claimCount: true, total: true });

export const CreatedBatchesSchema = z.object({
  batches: z.array(CreatedBatchSchema),
  existingDrafts: z
    .array(CreatedBatchSchema)
    .meta({ description: 'Drafts of the region (of the institution asked for) made before and not yet issued or cancelled: the claims already in them are not batched again' }),
});

export const BatchListQuery = z.object({
  status: z.enum(BATCH_STATUS_VALUES).optional(),
  institutionId: Id.optional(),
  paidFrom: DateString.optional().meta({ description: 'Paid on or after this date' }),
  paidTo: DateString.optional().meta({ description: 'Paid on or before this date' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type BatchListQuery = z.infer<typeof BatchListQuery>;

export const BatchExportQuery = BatchListQuery.omit({ limit: true, cursor: true });
export type BatchExportQuery = z.infer<typeof BatchExportQuery>;
