import { csvText } from '../src/domain/spreadsheetCells.js';
import { addRowsSheet, newWorkbook, workbookBytes } from '../src/http/spreadsheetWriter.js';

// 代发清单: the bank transfer list of an issued roll (any monthly programme's), one row per transfer and a last row with the
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
  /** 摘要: what the payment is for, in the programme's words (never a category of the child). */
  memo: string;
}

export interface BankList {
  number: string;
  transfers: readonly BankListTransfer[];
  total: string;
}

export const BANK_LIST_HEADERS = ['序号', '户名', '账号', '开户行', '金额', '摘要'] as const;

function totalRow(list: BankList): string[] {
  return ['合计', `${list.transfers.length} 笔`, '', '', list.total, ''];
}

type BankListSheetRow = Omit<BankListTransfer, 'transferNo'> & { transferNo: number | string };

export async function renderBankListXlsx(list: BankList): Promise<Buffer> {
  const workbook = newWorkbook();
  const [label, count] = totalRow(list);
  addRowsSheet<BankListSheetRow>(
    workbook,
    '代发清单',
    [
      { header: BANK_LIST_HEADERS[0], key: 'transferNo', width: 6 },
      { header: BANK_LIST_HEADERS[1], key: 'accountName', width: 12 },
      // A string value under the text format is a text cell: every digit stays.
      { header: BANK_LIST_HEADERS[2], key: 'accountNumber', width: 24, numFmt: '@' },
      { header: BANK_LIST_HEADERS[3], key: 'bank', width: 24 },
      { header: BANK_LIST_HEADERS[4], key: 'amount', width: 12, money: true },
      { header: BANK_LIST_HEADERS[5], key: 'memo', width: 34 },
    ],
    list.transfers,
    { total: { transferNo: label, accountName: count, amount: list.total } },
  );
  return workbookBytes(workbook);
}

export function renderBankListCsv(list: BankList): Buffer {
  const rows = [
    [...BANK_LIST_HEADERS],
    ...list.transfers.map((transfer) => [String(transfer.transferNo), transfer.accountName, transfer.accountNumber, transfer.bank, transfer.amount, transfer.memo]),
    totalRow(list),
  ];
  return Buffer.from(csvText(rows), 'utf8');
}
