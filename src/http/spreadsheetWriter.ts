import ExcelJS from 'exceljs';
import { asSpreadsheetText } from '../domain/spreadsheetCells.js';

// The one place the service's XLSX files are written: every workbook goes through workbookBytes,
// which writes every text cell of every sheet through asSpreadsheetText (a cell that could start a
// formula gets a leading '), so no writer can forget it. Numbers and dates stay as they are.

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
