import { AppError } from '../http/errors.js';
import { readSpreadsheet, type SheetRecords, type SpreadsheetInput } from '../http/spreadsheet.js';
import { renderBatchPdf, type BatchDocument, type BatchDocumentLine } from '../../reports/batchStatement.js';
import { renderReconciliationPdf, type ReconciliationDocument } from '../../reports/reconciliationReport.js';
import { renderAllowanceNotice, type AllowanceNoticeDocument } from '../../reports/allowanceNotice.js';
import { renderRollSummary, type RollSummaryDocument } from '../../reports/monthlyRollSummary.js';
import { renderProtectionNotice, type ProtectionNoticeDocument } from '../../reports/protectionNotice.js';
import { renderRefusalLetter, type RefusalLetterDocument } from '../../reports/protectionRefusalLetter.js';
import { renderChildFile, type ChildFileDocument } from '../../reports/protectionChildFile.js';
import { renderBankListCsv, renderBankListXlsx, type BankList } from '../../reports/bankTransferList.js';

// The heavy work the request thread hands to a worker thread: laying out PDFs and reading
// uploaded spreadsheets. Inputs and outputs are plain data (they cross a thread boundary); a
// refusal (an AppError) comes back as data too, because an error loses its class on the way.

export interface Tasks {
  batchPdf: { input: Omit<BatchDocument, 'lines'> & { lines: BatchDocumentLine[] }; output: Uint8Array };
  reconciliationPdf: { input: ReconciliationDocument; output: Uint8Array };
  /**
   * The notice and the bank list of a roll travel as JSON text: a province's roll is tens of
   * thousands of transfers, and one string crosses to the worker far faster than as many objects.
   */
  allowanceNoticePdf: { input: { json: string }; output: Uint8Array };
  rollSummaryPdf: { input: RollSummaryDocument; output: Uint8Array };
  protectionNoticePdf: { input: ProtectionNoticeDocument; output: Uint8Array };
  protectionRefusalLetterPdf: { input: RefusalLetterDocument; output: Uint8Array };
  protectionChildFilePdf: { input: ChildFileDocument; output: Uint8Array };
  bankList: { input: { json: string; kind: 'xlsx' | 'csv' }; output: Uint8Array };
  readSpreadsheet: { input: SpreadsheetInput; output: SheetRecords };
  /** Loads what the tasks need (pdfkit, the CJK font, the reader) by laying out a one-line PDF. */
  warmUp: { input: Record<string, never>; output: number };
}

export type TaskKind = keyof Tasks;
export interface Task<K extends TaskKind = TaskKind> {
  kind: K;
  input: Tasks[K]['input'];
}
export type TaskResult<K extends TaskKind = TaskKind> =
  | { ok: true; output: Tasks[K]['output'] }
  | { ok: false; refusal: { code: AppError['code']; message: string; details: unknown[] } };

async function perform(task: Task): Promise<Tasks[TaskKind]['output']> {
  switch (task.kind) {
    case 'batchPdf': {
      const input = task.input as Tasks['batchPdf']['input'];
      return renderBatchPdf({ ...input, issuedAt: new Date(input.issuedAt) });
    }
    case 'reconciliationPdf':
      return renderReconciliationPdf(task.input as Tasks['reconciliationPdf']['input']);
    case 'allowanceNoticePdf': {
      const notice = JSON.parse((task.input as Tasks['allowanceNoticePdf']['input']).json) as AllowanceNoticeDocument;
      return renderAllowanceNotice({ ...notice, createdAt: new Date(notice.createdAt) });
    }
    case 'rollSummaryPdf': {
      const input = task.input as Tasks['rollSummaryPdf']['input'];
      return renderRollSummary({ ...input, issuedAt: new Date(input.issuedAt) });
    }
    case 'protectionNoticePdf':
      return renderProtectionNotice(task.input as Tasks['protectionNoticePdf']['input']);
    case 'protectionRefusalLetterPdf':
      return renderRefusalLetter(task.input as Tasks['protectionRefusalLetterPdf']['input']);
    case 'protectionChildFilePdf':
      return renderChildFile(task.input as Tasks['protectionChildFilePdf']['input']);
    case 'bankList': {
      const input = task.input as Tasks['bankList']['input'];
      const list = JSON.parse(input.json) as BankList;
      return input.kind === 'xlsx' ? renderBankListXlsx(list) : renderBankListCsv(list);
    }
    case 'warmUp':
      return (
        await renderReconciliationPdf({
          id: 'warm-up',
          number: '000000-DZ-2000-1',
          issuer: '预热',
          institutionName: '预热',
          from: '2000-01',
          to: '2000-01',
          regionCode: null,
          createdAt: new Date(0).toISOString(),
          summary: { matched: 0, amountMismatch: 0, missingInSystem: 0, missingInStatement: 0, statementTotal: '0.00', approvedTotal: '0.00', paidTotal: '0.00' },
          lines: [{ externalRef: '预热', childName: '预热', status: 'matched', statementAmount: '0.00', approvedAmount: '0.00', claimStatus: 'approved' }],
        })
      ).length;
    case 'readSpreadsheet': {
      const input = task.input as Tasks['readSpreadsheet']['input'];
      return readSpreadsheet(input.bytes, input.kind, { charset: input.charset, limits: input.limits });
    }
  }
}

/** Runs one task, in whichever thread calls it; refusals become data, anything else is thrown. */
export async function runTask(task: Task): Promise<TaskResult> {
  try {
    return { ok: true, output: await perform(task) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, refusal: { code: error.code, message: error.message, details: error.details } };
    throw error;
  }
}
