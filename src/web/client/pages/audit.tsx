import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatTimestamp } from '../format.js';
import type { AccessLogEntry, AuditEvent, AuditVerification, PageProps } from '../types.js';
import { ActionForm, DownloadButton, ErrorNotice, Field, ListStatus, Pager, Success, useAction, usePagedList } from '../ui.js';
import { ACCESS_ACTION_NAMES, label, ROLE_NAMES } from '../words.js';

// The auditor's pages (审计管理员, security.md §3): the whole audit trail and the access log, with
// filters and a spreadsheet of what a filter finds, and the sealed chain checked on request. The
// auditor changes nothing and reads no child's file.

interface FilterField {
  name: string;
  label: string;
  placeholder?: string;
  type?: 'date';
  maxLength?: number;
}

/** A day range, shared by both lists. */
const DATE_FIELDS: FilterField[] = [
  { name: 'from', label: '从', type: 'date' },
  { name: 'to', label: '至', type: 'date' },
];

/**
 * A list's filter form: the fields, 查询 (the list shows what the fields say once pressed) and 导出
 * Excel of what the applied filter finds.
 */
function useFilterForm(fields: FilterField[], exportPath: string, exportName: string) {
  const empty = Object.fromEntries(fields.map((field) => [field.name, '']));
  const [draft, setDraft] = useState<Record<string, string>>(empty);
  const [applied, setApplied] = useState<Record<string, string>>(empty);
  const query = Object.fromEntries(Object.entries(applied).filter(([, value]) => value.trim() !== '').map(([key, value]) => [key, value.trim()]));
  const form = (
    <ActionForm class="filters form" onSubmit={() => setApplied(draft)}>
      {fields.map((field) => (
        <Field key={field.name} label={field.label}>
          <input
            name={field.name}
            type={field.type ?? 'text'}
            value={draft[field.name]}
            placeholder={field.placeholder}
            maxLength={field.maxLength}
            onInput={(event) => setDraft({ ...draft, [field.name]: event.currentTarget.value })}
          />
        </Field>
      ))}
      <button type="submit">查询</button>
      <DownloadButton path={`${exportPath}?${new URLSearchParams(query).toString()}`} fallbackName={exportName}>
        导出 Excel
      </DownloadButton>
    </ActionForm>
  );
  return { query, form };
}

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
    <section>
      <h1>审计日志</h1>
      <VerifyChain />
      {filters.form}
      <ListStatus list={list} empty="没有符合条件的审计记录。" />
      {list.items.length > 0 ? (
        <div class="scrolls">
          <table>
            <thead>
              <tr>
                <th>时间</th>
                <th>操作</th>
                <th>对象</th>
                <th>地区</th>
                <th>人员</th>
                <th>内容</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((event) => (
                <tr key={event.id}>
                  <td>{formatTimestamp(event.at)}</td>
                  <td>{event.action}</td>
                  <td>
                    {event.entityType}
                    <br />
                    <small class="muted">{event.entityId}</small>
                  </td>
                  <td>{event.regionCode ?? '—'}</td>
                  <td>
                    {event.actorRole ? label(ROLE_NAMES, event.actorRole) : '系统'}
                    <br />
                    <small class="muted">{event.actorId ?? ''}</small>
                  </td>
                  <td>
                    <code class="wrap">{JSON.stringify(event.data)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager list={list} />
    </section>
  );
}

export function AccessLogPage(_props: PageProps) {
  const filters = useFilterForm(
    [{ name: 'actorId', label: '人员编号' }, { name: 'entityType', label: '对象类型', placeholder: 'child、beneficiary、roll…' }, { name: 'entityId', label: '对象编号' }, ...DATE_FIELDS],
    '/access-log/export.xlsx',
    '访问日志.xlsx',
  );
  const list = usePagedList<AccessLogEntry>('/access-log', filters.query);
  return (
    <section>
      <h1>访问日志</h1>
      <p class="muted">谁在何时查看、查询、下载或导出了哪份儿童档案、补贴对象、批次或名册。按身份证号查询时只记录其密钥散列值。</p>
      {filters.form}
      <ListStatus list={list} empty="没有符合条件的访问记录。" />
      {list.items.length > 0 ? (
        <div class="scrolls">
          <table>
            <thead>
              <tr>
                <th>时间</th>
                <th>人员</th>
                <th>操作</th>
                <th>对象</th>
                <th>条件</th>
                <th>地址</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatTimestamp(entry.at)}</td>
                  <td>
                    {entry.actorName ?? '—'}
                    <br />
                    <small class="muted">{entry.actorRole ? label(ROLE_NAMES, entry.actorRole) : ''}</small>
                  </td>
                  <td>{label(ACCESS_ACTION_NAMES, entry.action)}</td>
                  <td>
                    {entry.entityType}
                    <br />
                    <small class="muted">{entry.entityId ?? ''}</small>
                  </td>
                  <td>{entry.filter ? <code class="wrap">{JSON.stringify(entry.filter)}</code> : '—'}</td>
                  <td>{entry.clientAddress ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager list={list} />
    </section>
  );
}
