import ExcelJS from 'exceljs';
import { Decimal } from 'decimal.js';
import { monthsLabel } from './allowanceWords.js';

// 代发清单: the bank transfer list of an issued roll, one row per transfer and a last row with the
// count and total, as XLSX and as CSV (UTF-8 with a BOM, so that Excel reads the Chinese). Account
// numbers stay text so that Excel shows every digit: a text cell in the XLSX, and in the CSV the
// formula form ="6214…" that Excel shows as the digits (a bare 19-digit number would become
// 6.21467E+18 and lose its last digits).

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
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '残疾儿童康复救助结算服务';
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
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function renderBankListCsv(list: BankList): Buffer {
  const lines = [BANK_LIST_HEADERS.join(',')];
  for (const transfer of list.transfers) {
    lines.push(
      [String(transfer.transferNo), csvCell(transfer.accountName), csvCell(`="${transfer.accountNumber}"`), csvCell(transfer.bank), transfer.amount, csvCell(transferMemo(transfer.months))].join(','),
    );
  }
  lines.push(totalRow(list).map(csvCell).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}
