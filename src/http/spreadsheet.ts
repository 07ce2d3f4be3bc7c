import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { AppError, validationFailed } from './errors.js';

// The one spreadsheet reader of the service: CSV (UTF-8 with or without a BOM, or GB18030 as
// Chinese Excel saves it) and XLSX, read within fixed limits. A file that passes a limit is refused
// as soon as it does, never after it has been read whole: a 1 MB XLSX can expand to gigabytes
// (deflate compresses repeated XML hundreds of times), and one process serves every user.
//
// XLSX is checked in two steps. First the zip's central directory: too many entries, or entries
// that declare more than the expanded-bytes limit, are refused before anything is inflated. Then
// every entry is inflated once, counting bytes, with yauzl stopping any entry that inflates beyond
// what it declared; only a file proven within the limit reaches exceljs's streaming reader, which
// stops at the first row past the row limit.

export interface SpreadsheetLimits {
  /** Data rows (the header not counted). */
  rows: number;
  /** Expanded bytes: the XLSX's entries inflated, together; a CSV's decoded text. */
  expandedBytes: number;
  /** Cells in one row. */
  cellsPerRow: number;
  /** Characters in one cell. */
  cellLength: number;
  /** Entries in an XLSX's zip. */
  zipEntries: number;
}

export const SPREADSHEET_LIMITS: SpreadsheetLimits = {
  rows: 5000,
  expandedBytes: 64 * 1024 * 1024,
  cellsPerRow: 200,
  cellLength: 2000,
  zipEntries: 1000,
};

/** An uploaded file as the reader takes it (plain data, so that a worker thread can take it). */
export interface SpreadsheetInput {
  bytes: Uint8Array;
  kind: 'csv' | 'xlsx';
  charset?: string | undefined;
  limits?: Partial<SpreadsheetLimits> | undefined;
}

export interface SheetRecords {
  header: string[];
  records: { fileRow: number; values: string[] }[];
}

const MIB = 1024 * 1024;
const tooManyRows = (limits: SpreadsheetLimits) => validationFailed(`the file has more than ${limits.rows.toLocaleString('en-US')} rows; at most ${limits.rows.toLocaleString('en-US')} are accepted in one upload: split it`);
const expandsTooFar = (limits: SpreadsheetLimits) => validationFailed(`the file expands beyond ${limits.expandedBytes / MIB} MB; a spreadsheet of ${limits.rows.toLocaleString('en-US')} rows is far smaller: split it or remove what is not data`);

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), GB18030 otherwise or when declared. */
export function decodeCsv(bytes: Uint8Array, declaredCharset: string | undefined): string {
  const charset = declaredCharset?.toLowerCase();
  if (charset === 'gb18030' || charset === 'gbk' || charset === 'gb2312') return new TextDecoder('gb18030').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Keeps a row within the limits; `rowNumber` is the row as a spreadsheet shows it. */
function checkRow(values: string[], rowNumber: number, limits: SpreadsheetLimits) {
  if (values.length > limits.cellsPerRow) throw validationFailed(`row ${rowNumber} has ${values.length} cells; at most ${limits.cellsPerRow} are read`);
  const long = values.findIndex((value) => value.length > limits.cellLength);
  if (long >= 0) throw validationFailed(`row ${rowNumber}, column ${long + 1} holds more than ${limits.cellLength} characters`);
}

async function readCsv(bytes: Uint8Array, charset: string | undefined, limits: SpreadsheetLimits): Promise<SheetRecords> {
  if (bytes.length > limits.expandedBytes) throw expandsTooFar(limits);
  const text = decodeCsv(bytes, charset);
  const parser = parse(text, {
    bom: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: false,
    // A field longer than this is refused while it is read.
    max_record_size: limits.cellLength * limits.cellsPerRow,
  });
  let header: string[] | null = null;
  const records: SheetRecords['records'] = [];
  let fileRow = 0;
  try {
    for await (const values of parser as AsyncIterable<string[]>) {
      fileRow += 1;
      checkRow(values, fileRow, limits);
      if (!header) header = values;
      else {
        if (records.length >= limits.rows) throw tooManyRows(limits);
        records.push({ fileRow, values });
      }
    }
  } catch (error) {
    parser.destroy();
    if (error instanceof AppError) throw error;
    throw validationFailed(`the CSV file cannot be read: ${(error as Error).message}`);
  }
  return { header: header ?? [], records };
}

/**
 * The zip checked without trusting it: the central directory first (entries and their declared
 * sizes), then each entry inflated once with its bytes counted, stopping at the limit.
 */
async function checkZip(bytes: Uint8Array, limits: SpreadsheetLimits): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (error, opened) =>
      error || !opened ? reject(validationFailed('the XLSX file cannot be read (it is not a zip archive)')) : resolve(opened),
    ),
  );
  try {
    if (zip.entryCount > limits.zipEntries) throw validationFailed(`the XLSX file holds ${zip.entryCount} parts; a spreadsheet has far fewer`);
    const entries: yauzl.Entry[] = [];
    let declared = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        declared += entry.uncompressedSize;
        if (entry.uncompressedSize > limits.expandedBytes || declared > limits.expandedBytes) return reject(expandsTooFar(limits));
        entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', () => reject(validationFailed('the XLSX file cannot be read (its zip directory is damaged)')));
      zip.readEntry();
    });
    let inflated = 0;
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (error, opened) => (error || !opened ? reject(validationFailed('the XLSX file cannot be read (a part is damaged)')) : resolve(opened))),
      );
      try {
        for await (const chunk of stream) {
          inflated += (chunk as Buffer).length;
          if (inflated > limits.expandedBytes) throw expandsTooFar(limits);
        }
      } catch (error) {
        stream.destroy();
        if (error instanceof AppError) throw error;
        // yauzl stops a part that inflates to more than its declared size.
        throw /too many bytes|declared|size/i.test((error as Error).message) ? expandsTooFar(limits) : validationFailed('the XLSX file cannot be read (a part is damaged)');
      }
    }
  } finally {
    zip.close();
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

async function readXlsx(bytes: Uint8Array, limits: SpreadsheetLimits): Promise<SheetRecords> {
  await checkZip(bytes, limits);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let header: string[] = [];
  const records: SheetRecords['records'] = [];
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const values: string[] = [];
        const cellCount = (row as ExcelJS.Row).cellCount;
        if (cellCount > limits.cellsPerRow) throw validationFailed(`row ${row.number} has ${cellCount} cells; at most ${limits.cellsPerRow} are read`);
        for (let column = 1; column <= cellCount; column++) values.push(cellText(row.getCell(column).value).trim());
        checkRow(values, row.number, limits);
        if (values.every((value) => value === '')) continue;
        if (header.length === 0) header = values;
        else {
          if (records.length >= limits.rows) throw tooManyRows(limits);
          records.push({ fileRow: row.number, values });
        }
      }
      // The first worksheet only.
      break;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw validationFailed('the XLSX file cannot be read');
  }
  return { header, records };
}

/** Reads a spreadsheet's header and rows within the limits; any limit passed → 400 at once. */
export async function readSpreadsheet(
  bytes: Uint8Array,
  kind: 'csv' | 'xlsx',
  options: { charset?: string | undefined; limits?: Partial<SpreadsheetLimits> } = {},
): Promise<SheetRecords> {
  const limits = { ...SPREADSHEET_LIMITS, ...options.limits };
  return kind === 'csv' ? readCsv(bytes, options.charset, limits) : readXlsx(bytes, limits);
}
