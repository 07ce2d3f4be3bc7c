import { z } from 'zod';
import { isValidDate, isValidMonth } from '../domain/calendar.js';
import { MONEY_INPUT_PATTERN } from '../domain/money.js';

// Schemas shared by every feature: one zod schema gives validation, types and OpenAPI.

export const MoneyInput = z
  .string()
  .regex(MONEY_INPUT_PATTERN, 'money is a string of yuan with at most 2 decimals, e.g. "1700.50"')
  .meta({ description: 'Yuan as a decimal string, at most 2 decimals', example: '1700.50' });

export const MoneyOutput = z.string().meta({ description: 'Yuan with exactly 2 decimals', example: '1700.50' });

export const DateString = z
  .string()
  .refine(isValidDate, 'a calendar date YYYY-MM-DD')
  .meta({ description: 'Date YYYY-MM-DD', example: '2026-05-10' });

export const MonthString = z
  .string()
  .refine(isValidMonth, 'a calendar month YYYY-MM')
  .meta({ description: 'Month YYYY-MM', example: '2026-01' });

export const RegionCode = z
  .string()
  .regex(/^\d{6}$/, 'a 6-digit administrative division code (行政区划代码)')
  .meta({ example: '511702' });

export const Id = z.uuid();

/** A user named in an answer: who asked for, built, confirmed or issued something. */
export const PersonRef = z.object({ id: Id, name: z.string() });

/** Path parameter `:id`. A value that is not a UUID answers 404, like any unknown id. */
export const IdParams = z.object({ id: Id });

/** Free text typed by a person: trimmed, not empty, bounded. */
export const Text = (maxLength = 200) => z.string().trim().min(1).max(maxLength);

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.unknown()),
  }),
});

/** The error answers every route may give; routes add their own success schemas. */
export const errorResponses = {
  400: ErrorEnvelopeSchema,
  401: ErrorEnvelopeSchema,
  403: ErrorEnvelopeSchema,
  404: ErrorEnvelopeSchema,
} as const;

export const Timestamp = z.iso.datetime().meta({ description: 'ISO-8601 UTC timestamp' });

export const iso = (instant: Date): string => instant.toISOString();
export const isoOrNull = (instant: Date | null): string | null => (instant ? instant.toISOString() : null);

/** A file answer (PDF, spreadsheet): sent as bytes, never serialised as JSON. */
export const BinaryFile = z.any().meta({ description: 'The file’s bytes', format: 'binary' });

/** A yes/no query parameter, `true` or `false`, kept as the string (a transform has no OpenAPI form). */
export const BooleanQuery = z.enum(['true', 'false']);

/** The review deadline of a piece of work a reviewer decides (applications, claims). */
export const TimingFields = {
  receivedOn: z.string().meta({ description: 'China date of receipt (受理日期), or of the latest (re)submission' }),
  dueOn: z.string().meta({ description: 'The N-th working day after receipt (N = the region’s reviewWorkingDays, default 5)' }),
  overdue: z.boolean().meta({ description: 'Waiting for a decision after dueOn' }),
  decidedOn: z.string().nullable().meta({ description: 'China date of the reviewer’s decision' }),
  decidedInTime: z.boolean().nullable().meta({ description: 'decidedOn on or before dueOn' }),
};
