import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { formatTimestamp } from '../../format.js';
import { useAction, usePagedList } from '../../kit/data.js';
import { ListPage } from '../../kit/list.js';
import { ErrorNotice, Success } from '../../kit/notices.js';
import type { AuditEvent, AuditVerification, PageProps } from '../../types.js';
import { label, ROLE_NAMES } from '../../words.js';
import { DATE_FIELDS, useFilterForm } from './filters.js';

// The auditor's view of the whole audit trail (审计管理员, security.md §3), with filters, a
// spreadsheet of what a filter finds, and the sealed chain checked on request. The auditor changes
// nothing and reads no child's file.

function VerifyChain() {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const verify = useAction(async () => setResult(await api.get<AuditVerification>('/audit/verify')));
  return (
    <div class="card">
      <button type="button" disabled={verify.running} onClick={() => verify.run()}>
        {verify.running ? '正在校验…' : '校验审计日志封存链'}
      </button>
      <ErrorNotice error={verify.error} />
      {result ? (
        result.ok ? (
          <Success>
            完好：已封存 {result.sealed} 条，逐条与封存时一致，无删除、无插队。{result.pending > 0 ? `另有 ${result.pending} 条新记录待封存（一分钟内完成）。` : ''}
          </Success>
        ) : (
          <p class="error" role="alert" data-testid="chain-broken">
            审计日志已被改动：{result.problem?.message}
          </p>
        )
      ) : null}
    </div>
  );
}

export function AuditTrailPage(_props: PageProps) {
  const filters = useFilterForm(
    [
      { name: 'entityType', label: '对象类型', placeholder: 'claim、batch、user…' },
      { name: 'entityId', label: '对象编号' },
      { name: 'action', label: '操作', placeholder: 'batch.issued…' },
      { name: 'actorId', label: '人员编号' },
      { name: 'regionCode', label: '地区代码', maxLength: 6 },
      ...DATE_FIELDS,
    ],
    '/audit/export.xlsx',
    '审计日志.xlsx',
  );
  const list = usePagedList<AuditEvent>('/audit', filters.query);
  return (
    <ListPage
      title="审计日志"
      list={list}
      empty="没有符合条件的审计记录。"
      columns={[
        { title: '时间', cell: (event) => formatTimestamp(event.at) },
        { title: '操作', cell: (event) => event.action },
        {
          title: '对象',
          cell: (event) => (
            <>
              {event.entityType}
              <br />
              <small class="muted">{event.entityId}</small>
            </>
          ),
        },
        { title: '地区', cell: (event) => event.regionCode ?? '—' },
        {
          title: '人员',
          cell: (event) => (
            <>
              {event.actorRole ? label(ROLE_NAMES, event.actorRole) : '系统'}
              <br />
              <small class="muted">{event.actorId ?? ''}</small>
            </>
          ),
        },
        { title: '内容', cell: (event) => <code class="wrap">{JSON.stringify(event.data)}</code> },
      ]}
    >
      <VerifyChain />
      {filters.form}
    </ListPage>
  );
}
