import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { chinaToday, formatMonth, formatTimestamp } from '../format.js';
import { href, navigate } from '../router.js';
import type { PageProps, Reconciliation } from '../types.js';
import { ActionForm, DownloadButton, ErrorNotice, Field, InstitutionName, InstitutionOptions, ListStatus, Loading, Money, Pager, Tag, useAction, useAsync, useInstitutions, usePagedList } from '../ui.js';
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
          <Field label="服务月份从">
            <input type="month" name="from" value={from} onInput={(event) => setFrom(event.currentTarget.value)} required />
          </Field>
          <Field label="到">
            <input type="month" name="to" value={to} onInput={(event) => setTo(event.currentTarget.value)} required />
          </Field>
        </div>
        <Field label="台账文件（.xlsx 或 .csv）">
          <input type="file" name="file" accept=".xlsx,.csv" onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)} required />
        </Field>
        <ErrorNotice error={reconcile.error} title="未能对账" />
        <div class="actions">
          <button type="submit" disabled={!file || !institutionId || reconcile.running}>
            {reconcile.running ? '正在核对…' : '上传并对账'}
          </button>
        </div>
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
      <ListStatus list={list} empty="还没有对账记录。" />
      {list.items.length > 0 ? (
        <table class="list" data-testid="past-reconciliations">
          <thead>
            <tr>
              <th>对账时间</th>
              {props.showInstitution ? <th>机构</th> : null}
              <th>服务月份</th>
              <th class="num">一致</th>
              <th class="num">不一致</th>
              <th class="num">台账合计</th>
              <th class="num">批准合计</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((report) => (
              <tr key={report.id}>
                <td>
                  <a href={href(`/reconciliation/${report.id}`)}>{formatTimestamp(report.createdAt)}</a>
                </td>
                {props.showInstitution ? (
                  <td>
                    <InstitutionName id={report.institutionId ?? null} />
                  </td>
                ) : null}
                <td>
                  {formatMonth(report.from)} 至 {formatMonth(report.to)}
                </td>
                <td class="num">{report.summary.matched}</td>
                <td class="num">{report.summary.amountMismatch + report.summary.missingInSystem + report.summary.missingInStatement}</td>
                <td class="num">
                  <Money amount={report.summary.statementTotal} />
                </td>
                <td class="num">
                  <Money amount={report.summary.approvedTotal} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager list={list} />
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
      <p>
        <a href={href('/reconciliation')}>← 重新对账</a>
      </p>
      <h1>对账结果</h1>
      <Loading when={report.loading} />
      <ErrorNotice error={report.error} />
      {data ? (
        <>
          <p>
            服务月份 {formatMonth(data.from)} 至 {formatMonth(data.to)}
          </p>
          <div class="figures">
            <div class="figure">
              <span class="figure-label">一致</span>
              <strong>{data.summary.matched}</strong>
            </div>
            <div class="figure">
              <span class="figure-label">金额不符</span>
              <strong>{data.summary.amountMismatch}</strong>
            </div>
            <div class="figure">
              <span class="figure-label">系统中无此申报</span>
              <strong>{data.summary.missingInSystem}</strong>
            </div>
            <div class="figure">
              <span class="figure-label">台账未列</span>
              <strong>{data.summary.missingInStatement}</strong>
            </div>
            <div class="figure">
              <span class="figure-label">台账合计 / 批准合计 / 已支付</span>
              <span>
                <Money amount={data.summary.statementTotal} /> / <Money amount={data.summary.approvedTotal} /> / <Money amount={data.summary.paidTotal} />
              </span>
            </div>
          </div>
          <div class="actions">
            <DownloadButton path={`/reconciliations/${data.id}/pdf`} fallbackName="对账结果.pdf">
              下载 PDF
            </DownloadButton>
            <DownloadButton path={`/reconciliations/${data.id}/xlsx`} fallbackName="对账结果.xlsx">
              下载 Excel
            </DownloadButton>
            <label class="check">
              <input type="checkbox" checked={onlyProblems} onChange={(event) => setOnlyProblems(event.currentTarget.checked)} />
              只看不一致的
            </label>
          </div>
          <table class="list">
            <thead>
              <tr>
                <th>结算申请号</th>
                <th>核对结果</th>
                <th class="num">台账金额</th>
                <th class="num">批准金额</th>
                <th>申报状态</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={`${line.externalRef}-${line.status}`} class={line.status === 'matched' ? undefined : 'refused'}>
                  <td>{line.claimId ? <a href={href(`/claims/${line.claimId}`)}>{line.externalRef}</a> : line.externalRef}</td>
                  <td>
                    <Tag code={line.status} names={RECONCILIATION_STATUS_NAMES} />
                  </td>
                  <td class="num">
                    <Money amount={line.statementAmount} />
                  </td>
                  <td class="num">
                    <Money amount={line.approvedAmount} />
                  </td>
                  <td>{label(CLAIM_STATUS_NAMES, line.claimStatus)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
