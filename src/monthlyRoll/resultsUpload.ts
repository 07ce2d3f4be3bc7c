import type { FastifyRequest } from 'fastify';
import { validationFailed } from '../http/errors.js';
import { mapColumns, readUploadedRows, requireColumns, uploadKind } from '../http/uploads.js';

// The bank's results of a roll as the bank returns them: JSON {"results": [...]}, or its return
// file as CSV or XLSX with columns 序号, 结果 (成功 / 失败), 失败原因, and 金额 and 户名 when the bank
// echoes them (checked against the roll: a file of another roll is refused whole). Every row at fault is named,
// with its column and what to write there. One reader for every programme's rolls.

const RESULT_COLUMNS = { transferNo: ['序号'], result: ['结果', '状态'], reason: ['失败原因', '原因', '备注'], amount: ['金额'], accountName: ['户名'] } as const;
const RESULT_WORDS: Record<string, 'paid' | 'failed'> = { 成功: 'paid', 失败: 'failed', paid: 'paid', failed: 'failed' };
const MAX_RESULT_ROWS = 100_000;

export const RESULTS_DESCRIPTION =
  'JSON {"results": [{"transferNo", "status": "paid|failed", "reason"}]}, or the bank’s return file as text/csv or XLSX ' + 'with columns 序号, 结果 (成功 / 失败), 失败原因, and 金额 and 户名 when the bank echoes them (a line that differs from the transfer refuses the whole file).';

/** The results body of the request: the JSON as sent, or the return file's rows as that JSON. */
export async function resultsBodyOf(request: FastifyRequest): Promise<unknown> {
  if (!uploadKind(request)) return request.body;
  const rows = await readUploadedRows(request, { maxRows: MAX_RESULT_ROWS });
  requireColumns(rows, RESULT_COLUMNS, ['transferNo', 'result']);
  const problems: { row: number; field: string; hint: string }[] = [];
  const results = rows.map((row) => {
    const cells = mapColumns(row.cells, RESULT_COLUMNS);
    const status = RESULT_WORDS[cells.result ?? ''];
    if (!/^\d+$/.test(cells.transferNo ?? '')) problems.push({ row: row.fileRow, field: 'transferNo', hint: `应为代发清单中的序号（整数），现为“${cells.transferNo ?? ''}”` });
    if (!status) problems.push({ row: row.fileRow, field: 'result', hint: `应填“成功”或“失败”，现为“${cells.result ?? ''}”` });
    const amount = cells.amount ? cells.amount.replaceAll(',', '') : null;
    if (amount !== null && !/^\d{1,12}(\.\d{1,2})?$/.test(amount)) problems.push({ row: row.fileRow, field: 'amount', hint: `金额应为数字，最多两位小数，现为“${cells.amount}”` });
    return { transferNo: Number(cells.transferNo), status, reason: cells.reason ?? null, amount, accountName: cells.accountName ?? null };
  });
  if (problems.length > 0) {
    throw validationFailed(`rows ${[...new Set(problems.map((problem) => problem.row))].join(', ')}: 序号 is a transfer number and 结果 is 成功 or 失败`, problems);
  }
  return { results };
}
