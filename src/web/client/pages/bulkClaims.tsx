import { useState } from 'preact/hooks';
import { api, ApiError, saveBlob } from '../api.js';
import { href } from '../router.js';
import type { BulkResult, PageProps } from '../types.js';
import { useAction } from '../kit/data.js';
import { DownloadButton } from '../kit/download.js';
import { ActionForm, Field } from '../kit/form.js';
import { Table } from '../kit/list.js';
import { ErrorNotice, Success } from '../kit/notices.js';
import { DEVICE_KIND_NAMES, errorMessage, fieldName, SERVICE_NAMES } from '../words.js';

const RESULT_NAMES: Record<string, string> = { created: '已申报', existing: '此前已申报（未重复）', refused: '未受理' };

/** The rows a refused atomic upload names (422 BULK_REFUSED lists every refused row in its details). */
function refusedRowsOf(error: unknown): BulkResult['results'] {
  if (!(error instanceof ApiError) || error.code !== 'BULK_REFUSED') return [];
  return (error.details as BulkResult['results']).map((detail) => ({ ...detail, status: 'refused' }));
}

/** What may be written in a column with a closed list of values: said when a row gets it wrong. */
const ACCEPTED_VALUES: Record<string, string> = {
  service: Object.values(SERVICE_NAMES).join('、'),
  deviceKind: Object.values(DEVICE_KIND_NAMES).join('、'),
};

/** Why a row was refused: for each column at fault, what to write there; else the refusal in words. */
export function rowProblem(result: BulkResult['results'][number]): string {
  if (!result.error) return '';
  const fields = (result.error.details as { field?: string; hint?: string }[])
    .map((detail) => {
      const name = fieldName(detail?.field);
      if (!name) return null;
      const accepted = detail?.field ? ACCEPTED_VALUES[detail.field] : undefined;
      return `「${name}」${detail.hint ? `：${detail.hint}` : ''}${accepted ? `（可填：${accepted}）` : ''}`;
    })
    .filter(Boolean)
    .join('；');
  return fields || errorMessage(result.error.code);
}

/**
 * The refused rows of an uploaded file, as the file had them, with the reason in a last column: an
 * XLSX of text cells (the service writes it, as it writes every spreadsheet), so that ID numbers
 * stay their 18 characters in Excel, to correct and upload again.
 */
function refusedSheet(rows: BulkResult['results']): { columns: string[]; rows: string[][] } {
  const refusedRows = rows.filter((row) => row.status === 'refused' && row.cells);
  const headers = [...new Set(refusedRows.flatMap((row) => Object.keys(row.cells!)))];
  return { columns: [...headers, '未受理原因'], rows: refusedRows.map((row) => [...headers.map((header) => row.cells![header] ?? ''), rowProblem(row)]) };
}

export function BulkClaimsPage(_props: PageProps) {
  const [file, setFile] = useState<File | null>(null);
  const [atomic, setAtomic] = useState(false);
  const [result, setResult] = useState<BulkResult | null>(null);
  const upload = useAction(async () => {
    if (!file) return;
    setResult(null);
    setResult(await api.upload<BulkResult>('/claims/bulk', file, { atomic }));
  });
  const refusedRows = refusedRowsOf(upload.error);
  const rows = result?.results ?? refusedRows;
  const refusedDownload = useAction(async () => {
    const blob = await api.postForFile('/claims/bulk/refused.xlsx', refusedSheet(rows));
    saveBlob(blob, `未受理的行-${file?.name.replace(/\.(xlsx|csv)$/i, '') ?? '申报'}.xlsx`);
  });
  return (
    <section>
      <h1>批量导入申报</h1>
      <p>
        按模板填写 Excel 或 CSV 文件（每个文件最多 5000 行），每行检查方式与单笔申报相同。同一结算申请号重复上传不会重复申报。
      </p>
      <p>
        <DownloadButton path="/claims/template.xlsx" fallbackName="救助申报导入模板.xlsx">
          下载 Excel 模板
        </DownloadButton>
      </p>
      <ActionForm class="form" onSubmit={() => upload.run()}>
        <Field label="申报文件（.xlsx 或 .csv）">
          <input type="file" name="file" accept=".xlsx,.csv" onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)} required />
        </Field>
        <label class="check">
          <input type="checkbox" name="atomic" checked={atomic} onChange={(event) => setAtomic(event.currentTarget.checked)} />
          全部通过才导入（有一行不通过则整个文件都不导入）
        </label>
        <div class="actions">
          <button type="submit" disabled={!file || upload.running}>
            {upload.running ? '正在导入，请稍候…' : '上传并导入'}
          </button>
        </div>
      </ActionForm>
      <ErrorNotice error={upload.error} title="导入未完成" />
      {result && result.summary.refused === 0 ? (
        <Success>
          导入完成：新申报 {result.summary.created} 行，此前已申报 {result.summary.existing} 行。
        </Success>
      ) : null}
      {result && result.summary.refused > 0 ? (
        // Not "done" in green: some rows were not taken, and the clerk has work left.
        <div class="warning" role="status" data-testid="bulk-partly">
          <p>
            <strong>
              部分未导入：{result.summary.refused} 行未受理
            </strong>
            ；新申报 {result.summary.created} 行，此前已申报 {result.summary.existing} 行。未受理的行请按原因修改后重新上传（已受理的行不会重复申报）。
          </p>
        </div>
      ) : null}
      {rows.some((row) => row.status === 'refused' && row.cells) ? (
        <p>
          <button type="button" class="secondary" disabled={refusedDownload.running} onClick={() => refusedDownload.run()}>
            下载未受理的行（Excel，含原因，修改后可重新上传）
          </button>
          <ErrorNotice error={refusedDownload.error} title="未能下载" />
        </p>
      ) : null}
      {rows.length > 0 ? (
        <Table
          testId="bulk-results"
          rows={rows}
          rowKey={(row) => row.row}
          rowClass={(row) => (row.status === 'refused' ? 'refused' : undefined)}
          columns={[
            { title: '文件行号', cell: (row) => row.fileRow ?? row.row },
            { title: '结算申请号', cell: (row) => row.reference ?? '—' },
            { title: '结果', cell: (row) => RESULT_NAMES[row.status] ?? row.status },
            { title: '说明', cell: (row) => (row.claimId ? <a href={href(`/claims/${row.claimId}`)}>查看申报</a> : rowProblem(row)) },
          ]}
        />
      ) : null}
    </section>
  );
}
