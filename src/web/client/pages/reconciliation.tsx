import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { chinaToday, formatMonth, formatTimestamp } from '../format.js';
import { useAction, useAsync, usePagedList } from '../kit/data.js';
import { DownloadButton } from '../kit/download.js';
import { ActionForm, Field, FormActions, TextField } from '../kit/form.js';
import { BackLink, PagedTable, Table } from '../kit/list.js';
import { ErrorNotice, Loading } from '../kit/notices.js';
import { Figure, Money, Tag } from '../kit/values.js';
import { InstitutionName, InstitutionOptions, useInstitutions } from '../parts/names.js';
import { href, navigate } from '../router.js';
import type { PageProps, Reconciliation } from '../types.js';
import { CLAIM_STATUS_NAMES, label, RECONCILIATION_STATUS_NAMES } from '../words.js';

// Reconciliation (对账): the institution's own statement of what it was owed, compared with what
// was approved and paid. The report is stored by the service; its address is this page's.

export function ReconciliationPage(props: PageProps) {
  const year = chinaToday().slice(0, 4);
  const institutions = useInstitutions();
  const [institutionId, setInstitutionId] = useState(props.user.institutionId ?? '');
  const [from, setFrom] = useState(`${year}-01`);
  const [to, setTo] = useState(chinaToday().slice(0, 7));
  const [file, setFile] = useState<File | null>(null);
  const reconcile = useAction(async () => {
    if (!file) return;
    const report = await api.upload<Reconciliation>('/reconciliations', file, { institutionId, from, to });
    navigate(`/reconciliation/${report.id}`);
  });
  return (
    <section>
      <h1>对账</h1>
      <p>
        上传机构自己的台账（Excel 或 CSV，列名「结算申请号」「金额」），系统与批准、支付记录逐笔核对。台账中没有的已申报记录也会列出（已拒绝、已撤回的除外）。
      </p>
      <ActionForm class="form" onSubmit={() => reconcile.run()}>
        {props.user.role === 'reviewer' ? (
          <Field label="机构">
            <select name="institutionId" value={institutionId} onChange={(event) => setInstitutionId(event.currentTarget.value)} required>
              <option value="">请选择</option>
              <InstitutionOptions institutions={institutions.data} />
            </select>
          </Field>
        ) : null}
        <div class="row">
          <TextField label="服务月份从" type="month" name="from" value={from} required onValue={setFrom} />
          <TextField label="到" type="month" name="to" value={to} required onValue={setTo} />
        </div>
        <Field label="台账文件（.xlsx 或 .csv）">
          <input type="file" name="file" accept=".xlsx,.csv" onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)} required />
        </Field>
        <FormActions error={reconcile.error} errorTitle="未能对账" running={reconcile.running} disabled={!file || !institutionId} label={reconcile.running ? '正在核对…' : '上传并对账'} />
      </ActionForm>
      <PastReconciliations showInstitution={props.user.role === 'reviewer'} />
    </section>
  );
}

/** The reports made before, newest first, so that one can be opened and printed again. */
function PastReconciliations(props: { showInstitution: boolean }) {
  const list = usePagedList<Omit<Reconciliation, 'lines'> & { createdAt: string }>('/reconciliations', {});
  return (
    <>
      <h2>以往的对账</h2>
      <PagedTable
        list={list}
        empty="还没有对账记录。"
        testId="past-reconciliations"
        columns={[
          { title: '报告编号', cell: (report) => <a href={href(`/reconciliation/${report.id}`)}>{report.number}</a> },
          { title: '对账时间', cell: (report) => formatTimestamp(report.createdAt) },
          props.showInstitution && { title: '机构', cell: (report) => <InstitutionName id={report.institutionId ?? null} /> },
          {
            title: '服务月份',
            cell: (report) => (
              <>
                {formatMonth(report.from)} 至 {formatMonth(report.to)}
              </>
            ),
          },
          { title: '一致', num: true, cell: (report) => report.summary.matched },
          { title: '不一致', num: true, cell: (report) => report.summary.amountMismatch + report.summary.missingInSystem + report.summary.missingInStatement },
          { title: '台账合计', num: true, cell: (report) => <Money amount={report.summary.statementTotal} /> },
          { title: '批准合计', num: true, cell: (report) => <Money amount={report.summary.approvedTotal} /> },
        ]}
      />
    </>
  );
}

export function ReconciliationReportPage(props: PageProps) {
  const report = useAsync(() => api.get<Reconciliation>(`/reconciliations/${props.params.id}`), [props.params.id]);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const data = report.data;
  const lines = (data?.lines ?? []).filter((line) => !onlyProblems || line.status !== 'matched');
  return (
    <section>
      <BackLink to="/reconciliation" label="重新对账" />
      <h1>对账结果{data?.number ? ` ${data.number}` : ''}</h1>
      <Loading when={report.loading} />
      <ErrorNotice error={report.error} />
      {data ? (
        <>
          <p>
            服务月份 {formatMonth(data.from)} 至 {formatMonth(data.to)}
          </p>
          <div class="figures">
            <Figure label="一致" value={data.summary.matched} />
            <Figure label="金额不符" value={data.summary.amountMismatch} />
            <Figure label="系统中无此申报" value={data.summary.missingInSystem} />
            <Figure label="台账未列" value={data.summary.missingInStatement} />
            <Figure label="台账合计 / 批准合计 / 已支付">
              <span>
                <Money amount={data.summary.statementTotal} /> / <Money amount={data.summary.approvedTotal} /> / <Money amount={data.summary.paidTotal} />
              </span>
            </Figure>
          </div>
          <div class="actions">
            <DownloadButton path={`/reconciliations/${data.id}/pdf`} fallbackName={`对账报告-${data.number}.pdf`}>
              下载 PDF
            </DownloadButton>
            <DownloadButton path={`/reconciliations/${data.id}/xlsx`} fallbackName={`对账报告-${data.number}.xlsx`}>
              下载 Excel
            </DownloadButton>
            <label class="check">
              <input type="checkbox" checked={onlyProblems} onChange={(event) => setOnlyProblems(event.currentTarget.checked)} />
              只看不一致的
            </label>
          </div>
          <Table
            rows={lines}
            rowKey={(line) => `${line.externalRef}-${line.status}`}
            rowClass={(line) => (line.status === 'matched' ? undefined : 'refused')}
            columns={[
              { title: '结算申请号', cell: (line) => (line.claimId ? <a href={href(`/claims/${line.claimId}`)}>{line.externalRef}</a> : line.externalRef) },
              { title: '儿童', cell: (line) => line.childName ?? '—' },
              { title: '核对结果', cell: (line) => <Tag code={line.status} names={RECONCILIATION_STATUS_NAMES} /> },
              { title: '台账金额', num: true, cell: (line) => <Money amount={line.statementAmount} /> },
              { title: '批准金额', num: true, cell: (line) => <Money amount={line.approvedAmount} /> },
              { title: '申报状态', cell: (line) => label(CLAIM_STATUS_NAMES, line.claimStatus) },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}
