import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Database, Transaction } from '../db/client.js';
import { AppError, validationFailed } from './errors.js';
import { readUploadedRows, requireColumns, uploadKind, type UploadedRow } from './uploads.js';
import { issueDetails, parseOrThrow } from './validation.js';

// Bulk intake: many rows, each checked exactly as a single request would be, each answered.
// Per-row mode keeps every good row whatever the others meet; atomic mode runs every row in one
// transaction (a savepoint per row or chunk, so a refused row does not end the others' checks) and
// keeps nothing unless every row passed, naming every refused row either way. A programme that
// can check many rows at once (claims) gives a `chunk` handler: its rows then go BULK_CHUNK_ROWS to
// a transaction, read and written a few statements a chunk instead of a dozen a row.

export const MAX_BULK_ROWS = 5000;

export type BulkStatus = 'created' | 'existing' | 'refused';

export interface BulkRowResult {
  row: number;
  /** For uploads: the row's number in the file as a spreadsheet shows it (the header is row 1). */
  fileRow?: number | undefined;
  status: BulkStatus;
  id: string | null;
  error: { code: string; message: string; details: unknown[] } | null;
  /** For a refused row of an uploaded file: its cells as the file had them, to give back to fix. */
  cells?: Record<string, string> | undefined;
}

export const BulkResultSchema = z.object({
  summary: z.object({ created: z.number().int(), existing: z.number().int(), refused: z.number().int() }),
  results: z.array(
    z.object({
      row: z.number().int(),
      fileRow: z.number().int().optional(),
      status: z.enum(['created', 'existing', 'refused']),
      claimId: z.string().nullable().optional(),
      childId: z.string().nullable().optional(),
      error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()) }).nullable(),
      reference: z.string().nullable().optional().meta({ description: 'What names the row to a person: its 结算申请号, or the ID number' }),
      cells: z.record(z.string(), z.string()).optional().meta({ description: 'A refused row of an uploaded file, as the file had it (to download, fix and upload again)' }),
    }),
  ),
});

export interface BulkRow {
  row: number;
  fileRow?: number | undefined;
  value: unknown;
  /** An uploaded row's cells as the file had them. */
  cells?: Record<string, string> | undefined;
}

export interface BulkHandlers<T> {
  schema: z.ZodType<T>;
  /** One row on its own (per-row mode): its own transaction and conflict handling. */
  one(value: T): Promise<{ created: boolean; id: string }>;
  /** One row inside the caller's transaction (atomic mode). */
  within(tx: Transaction, value: T): Promise<{ created: boolean; id: string }>;
  /** Turns a database conflict of a row into its refusal, or undefined to let it escape. */
  refusalOf(error: unknown): AppError | undefined;
  /**
   * Many rows inside the caller's transaction, answered as if run one after another by `within`
   * (a refusal being the row's answer), but read and written a few statements for the lot. When
   * it fails on a conflict with another request, the chunk is undone and its rows run one by one.
   */
  chunk?(tx: Transaction, values: T[]): Promise<({ created: boolean; id: string } | AppError)[]>;
}

/** Rows run together by a `chunk` handler: large enough to share the reads, small enough for one statement's parameters. */
export const BULK_CHUNK_ROWS = 500;

class AtomicRollback extends Error {
  constructor(readonly results: BulkRowResult[]) {
    super('atomic bulk refused');
  }
}

function refused(row: BulkRow, error: AppError): BulkRowResult {
  return { row: row.row, fileRow: row.fileRow, status: 'refused', id: null, error: { code: error.code, message: error.message, details: error.details }, cells: row.cells };
}

function validated<T>(handlers: BulkHandlers<T>, row: BulkRow): { ok: true; value: T } | { ok: false; result: BulkRowResult } {
  const parsed = handlers.schema.safeParse(row.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const details = issueDetails(parsed.error);
  const message = details.map((detail) => (detail.field ? `${detail.field}: ${detail.message}` : detail.message)).join('; ');
  return { ok: false, result: refused(row, new AppError('VALIDATION_FAILED', message, details)) };
}

export async function runBulk<T>(db: Database, rows: BulkRow[], atomic: boolean, handlers: BulkHandlers<T>): Promise<BulkRowResult[]> {
  const toRefusal = (error: unknown) => (error instanceof AppError ? error : handlers.refusalOf(error));

  /** One row: checked, then run; a refusal is the row's answer, anything else escapes. */
  const runRow = async (row: BulkRow, run: (value: T) => Promise<{ created: boolean; id: string }>): Promise<BulkRowResult> => {
    const checked = validated(handlers, row);
    if (!checked.ok) return checked.result;
    try {
      const outcome = await run(checked.value);
      return { row: row.row, fileRow: row.fileRow, status: outcome.created ? 'created' : 'existing', id: outcome.id, error: null };
    } catch (error) {
      const refusal = toRefusal(error);
      if (!refusal) throw error;
      return refused(row, refusal);
    }
  };

  /**
   * A chunk of rows through `handlers.chunk`, in a transaction (or savepoint) opened by `open`; on
   * a conflict with another request, undone and run row by row through `single`.
   */
  const runChunk = async (
    slice: BulkRow[],
    open: (work: (tx: Transaction) => Promise<({ created: boolean; id: string } | AppError)[]>) => Promise<({ created: boolean; id: string } | AppError)[]>,
    single: (value: T) => Promise<{ created: boolean; id: string }>,
  ): Promise<BulkRowResult[]> => {
    const checked = slice.map((row) => ({ row, checked: validated(handlers, row) }));
    const valid = checked.flatMap((item) => (item.checked.ok ? [{ row: item.row, value: item.checked.value }] : []));
    let outcomes: ({ created: boolean; id: string } | AppError)[] | null = null;
    try {
      outcomes = valid.length ? await open((tx) => handlers.chunk!(tx, valid.map((item) => item.value))) : [];
    } catch (error) {
      if (!handlers.refusalOf(error)) throw error;
    }
    if (outcomes === null) {
      const results: BulkRowResult[] = [];
      for (const { row } of checked) results.push(await runRow(row, single));
      return results;
    }
    const byRow = new Map(valid.map((item, index) => [item.row, outcomes![index]!]));
    return checked.map(({ row, checked: result }) => {
      if (!result.ok) return result.result;
      const outcome = byRow.get(row)!;
      if (outcome instanceof AppError) return refused(row, outcome);
      return { row: row.row, fileRow: row.fileRow, status: outcome.created ? 'created' : 'existing', id: outcome.id, error: null };
    });
  };

  const slices: BulkRow[][] = [];
  for (let start = 0; start < rows.length; start += BULK_CHUNK_ROWS) slices.push(rows.slice(start, start + BULK_CHUNK_ROWS));

  if (!atomic) {
    const results: BulkRowResult[] = [];
    if (handlers.chunk) {
      // Each chunk commits on its own: a good row is kept whatever the other chunks meet.
      for (const slice of slices) results.push(...(await runChunk(slice, (work) => db.transaction(work), handlers.one)));
    } else {
      for (const row of rows) results.push(await runRow(row, handlers.one));
    }
    return results;
  }

  try {
    return await db.transaction(async (tx) => {
      const results: BulkRowResult[] = [];
      const inSavepoint = (value: T) => tx.transaction((savepoint) => handlers.within(savepoint as Transaction, value));
      if (handlers.chunk) {
        for (const slice of slices) results.push(...(await runChunk(slice, (work) => tx.transaction((savepoint) => work(savepoint as Transaction)), inSavepoint)));
      } else {
        for (const row of rows) results.push(await runRow(row, inSavepoint));
      }
      if (results.some((result) => result.status === 'refused')) throw new AtomicRollback(results);
      return results;
    });
  } catch (error) {
    if (!(error instanceof AtomicRollback)) throw error;
    const refusedRows = error.results.filter((result) => result.status === 'refused');
    throw new AppError(
      'BULK_REFUSED',
      `${refusedRows.length} of ${rows.length} rows were refused; the upload is atomic, so nothing was stored`,
      refusedRows.map(({ row, fileRow, error: rowError, cells }) => ({ row, ...(fileRow ? { fileRow } : {}), error: rowError, ...(cells ? { cells } : {}) })),
    );
  }
}

export function summarise(results: BulkRowResult[]) {
  return {
    created: results.filter((result) => result.status === 'created').length,
    existing: results.filter((result) => result.status === 'existing').length,
    refused: results.filter((result) => result.status === 'refused').length,
  };
}

/** The JSON form of a bulk request. */
export const bulkBody = <T extends z.ZodType>(row: T) =>
  z
    .object({
      rows: z.array(z.unknown()).min(1).max(MAX_BULK_ROWS, `at most ${MAX_BULK_ROWS} rows in one request; split the file`).meta({ description: 'Each row as the single-item endpoint takes it' }),
      atomic: z.boolean().default(false).meta({ description: 'true: all rows or none' }),
    })
    .strict()
    .meta({ description: `Rows as ${row.description ?? 'the single-item body'}` });

/**
 * The rows of a bulk request: JSON {"rows", "atomic"}, or an uploaded file in the given column
 * layout with ?atomic=true|false.
 */
export async function bulkRequestRows(
  request: FastifyRequest,
  layout: {
    rowSchema: z.ZodType;
    columns: Record<string, readonly string[]>;
    requiredColumns: string[];
    bodyOfRow: (row: UploadedRow) => Record<string, unknown>;
  },
): Promise<{ rows: BulkRow[]; atomic: boolean }> {
  if (uploadKind(request)) {
    const uploaded = await readUploadedRows(request, { maxRows: MAX_BULK_ROWS });
    if (uploaded.length === 0) throw validationFailed('the file has a header but no rows');
    requireColumns(uploaded, layout.columns, layout.requiredColumns);
    const atomic = (request.query as { atomic?: string } | undefined)?.atomic === 'true';
    return { rows: uploaded.map((row, index) => ({ row: index + 1, fileRow: row.fileRow, value: layout.bodyOfRow(row), cells: row.cells })), atomic };
  }
  const body = parseOrThrow(bulkBody(layout.rowSchema), request.body);
  return { rows: body.rows.map((value, index) => ({ row: index + 1, value })), atomic: body.atomic };
}

export const BulkQuery = z.object({ atomic: z.enum(['true', 'false']).optional().meta({ description: 'For uploaded files: true for all rows or none' }) });
