import { Decimal } from 'decimal.js';
import { csvText } from '../src/domain/spreadsheetCells.js';
import { newWorkbook, workbookBytes } from '../src/http/spreadsheetWriter.js';
import { monthsLabel } from './allowanceWords.js';

// 代发清单: the bank transfer list of an issued roll, one row per transfer and a last row with the
// count and total, as XLSX and as CSV (UTF-8 with a BOM, so that Excel reads the Chinese). A bank's
// batch import reads it as data: account numbers are plain digits in the CSV (a formula such as
// ="6214…" would be read literally) and text cells in the XLSX (so that Excel shows every digit),
// and any cell that could start a formula gets a leading ' (src/domain/spreadsheetCells.ts).

export interface BankListTransfer {
  transferNo: number;
  accountName: string;
  accountNumber: string;
  bank: string;
  amount: string;
  months: readonly string[];
}

export interface BankList {
  number: string;
  transfers: readonly BankListTransfer[];
  total: string;
}

export const BANK_LIST_HEADERS = ['序号', '户名', '账号', '开户行', '金额', '摘要'] as const;

/** 摘要: "2025年9月至12月残疾儿童关爱补贴". */
export function transferMemo(months: readonly string[]): string {
  return `${monthsLabel(months)}残疾儿童关爱补贴`;
}

function totalRow(list: BankList): string[] {
  return ['合计', `${list.transfers.length} 笔`, '', '', list.total, ''];
}

export async function renderBankListXlsx(list: BankList): Promise<Buffer> {
  const workbook = newWorkbook();
  const sheet = workbook.addWorksheet('代发清单');
  sheet.columns = [
    { header: BANK_LIST_HEADERS[0], key: 'transferNo', width: 6 },
    { header: BANK_LIST_HEADERS[1], key: 'accountName', width: 12 },
    { header: BANK_LIST_HEADERS[2], key: 'accountNumber', width: 24, style: { numFmt: '@' } },
    { header: BANK_LIST_HEADERS[3], key: 'bank', width: 24 },
    { header: BANK_LIST_HEADERS[4], key: 'amount', width: 12, style: { numFmt: '0.00' } },
    { header: BANK_LIST_HEADERS[5], key: 'memo', width: 34 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const transfer of list.transfers) {
    sheet.addRow({
      transferNo: transfer.transferNo,
      accountName: transfer.accountName,
      // A string value is written as a text cell: every digit stays.
      accountNumber: transfer.accountNumber,
      bank: transfer.bank,
      amount: new Decimal(transfer.amount).toNumber(),
      memo: transferMemo(transfer.months),
    });
  }
  const [label, count] = totalRow(list);
  const last = sheet.addRow({ transferNo: label, accountName: count, amount: new Decimal(list.total).toNumber() });
  last.font = { bold: true };
  return workbookBytes(workbook);
}

export function renderBankListCsv(list: BankList): Buffer {
  const rows = [
    [...BANK_LIST_HEADERS],
    ...list.transfers.map((transfer) => [String(transfer.transferNo), transfer.accountName, transfer.accountNumber, transfer.bank, transfer.amount, transferMemo(transfer.months)]),
    totalRow(list),
  ];
  return Buffer.from(csvText(rows), 'utf8');
}
