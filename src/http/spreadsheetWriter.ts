import ExcelJS from 'exceljs';
import { Decimal } from 'decimal.js';
import { asSpreadsheetText } from '../domain/spreadsheetCells.js';

// The one way the service writes its XLSX files (the reader is spreadsheet.ts): a workbook with
// the service as its creator, sheets of rows under a bold header, sheets of facts (label, value),
// and the bytes. Money stays an exact string everywhere else and becomes a spreadsheet number only
// here, at the edge, with two decimals shown, so that a clerk's Excel adds it up. Every workbook's
// bytes come from workbookBytes, which writes every text cell of every sheet through
// asSpreadsheetText (a cell that could start a formula gets a leading '), so no writer can forget
// it; numbers and dates stay as they are.

const MONEY_FORMAT = '#,##0.00';

export function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '残疾儿童康复救助结算服务';
  return workbook;
}

export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  workbook.eachSheet((sheet) => {
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const value = cell.value;
        if (typeof value === 'string') {
          const written = asSpreadsheetText(value);
          if (written !== value) cell.value = written;
        } else if (value && typeof value === 'object' && 'richText' in value && value.richText.length > 0) {
          const [first, ...rest] = value.richText;
          cell.value = { richText: [{ ...first!, text: asSpreadsheetText(first!.text) }, ...rest] };
        }
      });
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** An exact amount ("1700.50") as a spreadsheet number; null stays an empty cell. */
export function spreadsheetNumber(amount: string | null): number | null {
  return amount === null ? null : new Decimal(amount).toNumber();
}

export interface SheetColumn<Row> {
  header: string;
  key: Extract<keyof Row, string>;
  width: number;
  /** An amount of money: written from its exact string as a number shown with two decimals. */
  money?: boolean;
  /** Any other number format of the column ('@' keeps a long digit string as text). */
  numFmt?: string;
}

type Cells<Row> = { [Key in keyof Row]?: unknown };

/**
 * A sheet of rows under a bold header row, and a bold total row last when given. The money
 * columns' values are exact strings (or null), made numbers here.
 */
export function addRowsSheet<Row>(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly SheetColumn<Row>[],
  rows: Iterable<Cells<Row>>,
  options: { total?: Cells<Row>; freezeHeader?: boolean } = {},
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name);
  sheet.columns = columns.map((column) => {
    const numFmt = column.money ? MONEY_FORMAT : column.numFmt;
    return { header: column.header, key: column.key, width: column.width, ...(numFmt ? { style: { numFmt } } : {}) };
  });
  sheet.getRow(1).font = { bold: true };
  const moneyKeys = columns.filter((column) => column.money).map((column) => column.key);
  const cellsOf = (row: Cells<Row>) => {
    const cells: Record<string, unknown> = { ...row };
    for (const key of moneyKeys) if (typeof cells[key] === 'string') cells[key] = spreadsheetNumber(cells[key] as string);
    return cells;
  };
  for (const row of rows) sheet.addRow(cellsOf(row));
  if (options.total) sheet.addRow(cellsOf(options.total)).font = { bold: true };
  if (options.freezeHeader) sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return sheet;
}

/** A fact of a facts sheet: its label, its value, and whether the value is an amount of money. */
export type SheetFact = readonly [label: string, value: string | number | null, kind?: 'money'];

/** A sheet of facts, one a row (label, value) without a header: what a document is about. */
export function addFactsSheet(workbook: ExcelJS.Workbook, name: string, widths: readonly [label: number, value: number], facts: readonly SheetFact[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name);
  sheet.columns = [
    { key: 'label', width: widths[0] },
    { key: 'value', width: widths[1] },
  ];
  for (const [label, value, kind] of facts) {
    const row = sheet.addRow({ label, value: kind === 'money' && typeof value === 'string' ? spreadsheetNumber(value) : value });
    if (kind === 'money') row.getCell('value').numFmt = MONEY_FORMAT;
  }
  return sheet;
}
