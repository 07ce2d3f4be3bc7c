import { z } from 'zod';
import { MAX_BULK_ROWS } from './bulk.js';
import { addRowsSheet, newWorkbook, workbookBytes } from './spreadsheetWriter.js';

// The refused rows of an upload given back to the clerk to correct and upload again: the row as the
// file had it, with the reason in a last column, every cell written as text (an 18-digit ID number
// or a bank account stays its digits in Excel, never 5.11702E+17), as the bank list is written.

export const RefusedRowsBody = z
  .object({
    columns: z.array(z.string().max(200)).min(1).max(201).meta({ description: 'The header: the file’s own columns, then the reason' }),
    rows: z.array(z.array(z.string().max(2000)).max(201)).max(MAX_BULK_ROWS),
  })
  .strict();
export type RefusedRowsBody = z.infer<typeof RefusedRowsBody>;

export async function refusedRowsXlsx(body: RefusedRowsBody): Promise<Buffer> {
  const workbook = newWorkbook();
  const columns = body.columns.map((header, index) => ({
    header,
    key: `c${index}` as const,
    // Wide enough for an ID number; the reason column wider.
    width: index === body.columns.length - 1 ? 60 : Math.min(40, Math.max(12, header.length * 2 + 4)),
    numFmt: '@',
  }));
  const rows = body.rows.map((cells) => Object.fromEntries(cells.map((value, index) => [`c${index}`, value])));
  addRowsSheet<Record<string, string>>(workbook, '未受理的行', columns, rows, { freezeHeader: true });
  return workbookBytes(workbook);
}
