import ExcelJS from 'exceljs';

// The one spreadsheet writer for plain tables (the audit trail's and the access log's exports):
// a header row in bold, the columns at their widths, every value as text or a number as given.
// Documents with their own layout (a batch, a roll's bank list) keep their own files.

export interface SheetColumn<Row> {
  header: string;
  width: number;
  value: (row: Row) => string | number | null;
}

export interface SheetTable<Row> {
  /** The worksheet's name (at most 31 characters). */
  name: string;
  columns: SheetColumn<Row>[];
  rows: Iterable<Row>;
  /** Lines above the header (what the export holds, when it was made): kept as the sheet's first rows. */
  notes?: string[];
}

export async function renderTableXlsx<Row>(table: SheetTable<Row>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '残疾儿童康复救助结算服务';
  const sheet = workbook.addWorksheet(table.name.slice(0, 31));
  for (const note of table.notes ?? []) sheet.addRow([note]);
  const header = sheet.addRow(table.columns.map((column) => column.header));
  header.font = { bold: true };
  table.columns.forEach((column, index) => {
    sheet.getColumn(index + 1).width = column.width;
  });
  for (const row of table.rows) sheet.addRow(table.columns.map((column) => column.value(row)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
