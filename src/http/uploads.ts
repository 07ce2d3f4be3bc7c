import type { FastifyRequest } from 'fastify';
import { validationFailed } from './errors.js';
import type { App } from './types.js';

// Spreadsheet uploads: CSV (UTF-8 with or without a BOM, or GB18030 as Chinese Excel saves it) and
// XLSX. Either comes as the raw request body with its content type; the first row names the
// columns. Cells come back as trimmed strings, dates as YYYY-MM-DD. The reading itself is the
// shared reader of spreadsheet.ts, within its limits, in a worker thread.

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface UploadedRow {
  /** The row's number in the file as a spreadsheet shows it (the header is row 1). */
  fileRow: number;
  cells: Record<string, string>;
}

/**
 * Evidence files (POST /claims/:id/attachments) come as the raw body with the type the client
 * declares; the service tells the real type by the content, so octet-stream is taken too.
 */
export const EVIDENCE_UPLOAD_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/octet-stream'];

export function registerUploadParsers(app: App) {
  app.addContentTypeParser([CSV_TYPE, XLSX_TYPE, ...EVIDENCE_UPLOAD_TYPES], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
}

export function uploadKind(request: FastifyRequest): 'csv' | 'xlsx' | null {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === CSV_TYPE) return 'csv';
  if (type === XLSX_TYPE) return 'xlsx';
  return null;
}

function charsetOf(request: FastifyRequest): string | undefined {
  return /charset=([^;]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.trim().replace(/"/g, '');
}

/**
 * The rows of an uploaded CSV or XLSX body, read by the shared spreadsheet reader in a worker
 * thread within its limits (SPREADSHEET_LIMITS; `maxRows` lowers or raises the row limit for the
 * caller), each as the header's names to its cells.
 */
export async function readUploadedRows(request: FastifyRequest, options: { maxRows: number }): Promise<UploadedRow[]> {
  const kind = uploadKind(request);
  const body = request.body;
  if (!kind || !Buffer.isBuffer(body)) throw validationFailed('send JSON, a CSV file (text/csv) or an XLSX file');
  const { header, records } = await request.server.readSpreadsheet({ bytes: body, kind, charset: charsetOf(request), limits: { rows: options.maxRows } });
  if (header.length === 0 || header.every((name) => name === '')) throw validationFailed('the file has no header row');
  return withoutClosingTotals(
    records.map(({ fileRow, values }) => ({
      fileRow,
      cells: Object.fromEntries(header.map((name, index) => [name.trim(), values[index] ?? ''])),
    })),
  );
}

/** A total row's first filled cell: 合计 (as the service's own bank list ends), 总计, 小计. */
const TOTAL_LABEL = /^(合\s*计|总\s*计|小\s*计)[:：]?$/;

/**
 * The rows without the total rows that close the sheet. A file the service gave out (the bank
 * list, with its 合计 row) comes back with it, and clerks add one to what they type in Excel; a
 * total row is not data, so it is neither checked nor refused. Only rows after the last data row
 * are dropped: a "合计" between data rows is still read (and refused as what it is).
 */
export function withoutClosingTotals(rows: UploadedRow[]): UploadedRow[] {
  let end = rows.length;
  while (end > 0) {
    const first = Object.values(rows[end - 1]!.cells).find((value) => value.trim() !== '');
    if (first === undefined || !TOTAL_LABEL.test(first.trim())) break;
    end -= 1;
  }
  return rows.slice(0, end);
}

/**
 * Maps a row's cells onto fields by header aliases (Chinese or the API's field names); cells that
 * are empty are left out, as an omitted JSON field would be.
 */
export function mapColumns(cells: Record<string, string>, aliases: Record<string, readonly string[]>): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [field, names] of Object.entries(aliases)) {
    const name = [field, ...names].find((candidate) => candidate in cells);
    const value = name === undefined ? '' : cells[name]!;
    if (value !== '') mapped[field] = value;
  }
  return mapped;
}

/** Money as spreadsheets write it: "5,100.00", "¥5100", "5100" → "5100.00"-style input. */
export function spreadsheetMoney(value: string): string {
  return value.replace(/^[¥￥]/, '').replace(/,/g, '').trim();
}

export function requireColumns(rows: UploadedRow[], aliases: Record<string, readonly string[]>, required: string[]) {
  const headers = new Set(Object.keys(rows[0]?.cells ?? {}));
  if (rows.length === 0) return;
  const missing = required.filter((field) => ![field, ...(aliases[field] ?? [])].some((name) => headers.has(name)));
  if (missing.length > 0) {
    throw validationFailed(
      `the file lacks the columns: ${missing.map((field) => `${aliases[field]?.[0] ?? field} (${field})`).join(', ')}`,
      missing.map((field) => ({ field })),
    );
  }
}

/**
 * A date cell as YYYY-MM-DD. Excel keeps dates as day numbers counted from 1899-12-30; a date
 * typed into a cell formatted as text or number arrives as that number.
 */
export function spreadsheetDate(value: string): string {
  if (/^\d{5}(\.\d+)?$/.test(value)) {
    const days = Math.floor(Number(value));
    return new Date(Date.UTC(1899, 11, 30) + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  }
  return value.replace(/\//g, '-');
}
