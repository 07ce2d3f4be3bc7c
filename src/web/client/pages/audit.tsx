import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatTimestamp } from '../format.js';
import type { AccessLogEntry, AuditEvent, AuditVerification, PageProps } from '../types.js';
import { ActionForm, DownloadButton, ErrorNotice, Field, ListStatus, Pager, Success, useAction, usePagedList } from '../ui.js';
import { ACCESS_ACTION_NAMES, label, ROLE_NAMES } from '../words.js';

// The auditor's pages (审计管理员, security.md §3): the whole audit trail and the access log, with
// filters and a spreadsheet of what a filter finds, and the sealed chain checked on request. The
// auditor changes nothing and reads no child's file.

/** The filters both lists share, kept in the page until 查询 is pressed. */
function useFilters<T extends Record<string, string>>(initial: T) {
  const [draft, setDraft] = useState(initial);
  const [applied, setApplied] = useState(initial);
  const query = Object.fromEntries(Object.entries(applied).filter(([, value]) => value.trim() !== '').map(([key, value]) => [key, value.trim()]));
  const exportQuery = new URLSearchParams(query).toString();
  return { draft, set: (changes: Partial<T>) => setDraft({ ...draft, ...changes }), apply: () => setApplied(draft), query, exportQuery };
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
  const filters = useFilters({ entityType: '', entityId: '', action: '', actorId: '', regionCode: '', from: '', to: '' });
  const list = usePagedList<AuditEvent>('/audit', filters.query);
  const { draft, set } = filters;
  return (
    <section>
      <h1>审计日志</h1>
      <VerifyChain />
      <ActionForm class="filters form" onSubmit={() => filters.apply()}>
        <Field label="对象类型">
          <input name="entityType" value={draft.entityType} placeholder="claim、batch、user…" onInput={(event) => set({ entityType: event.currentTarget.value })} />
        </Field>
        <Field label="对象编号">
          <input name="entityId" value={draft.entityId} onInput={(event) => set({ entityId: event.currentTarget.value })} />
        </Field>
        <Field label="操作">
          <input name="action" value={draft.action} placeholder="batch.issued…" onInput={(event) => set({ action: event.currentTarget.value })} />
        </Field>
        <Field label="人员编号">
          <input name="actorId" value={draft.actorId} onInput={(event) => set({ actorId: event.currentTarget.value })} />
        </Field>
        <Field label="地区代码">
          <input name="regionCode" value={draft.regionCode} maxLength={6} onInput={(event) => set({ regionCode: event.currentTarget.value })} />
        </Field>
        <Field label="从">
          <input type="date" name="from" value={draft.from} onInput={(event) => set({ from: event.currentTarget.value })} />
        </Field>
        <Field label="至">
          <input type="date" name="to" value={draft.to} onInput={(event) => set({ to: event.currentTarget.value })} />
        </Field>
        <button type="submit">查询</button>
        <DownloadButton path={`/audit/export.xlsx?${filters.exportQuery}`} fallbackName="审计日志.xlsx">
          导出 Excel
        </DownloadButton>
      </ActionForm>
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
  const filters = useFilters({ actorId: '', entityType: '', entityId: '', from: '', to: '' });
  const list = usePagedList<AccessLogEntry>('/access-log', filters.query);
  const { draft, set } = filters;
  return (
    <section>
      <h1>访问日志</h1>
      <p class="muted">谁在何时查看、查询、下载或导出了哪份儿童档案、补贴对象、批次或名册。按身份证号查询时只记录其密钥散列值。</p>
      <ActionForm class="filters form" onSubmit={() => filters.apply()}>
        <Field label="人员编号">
          <input name="actorId" value={draft.actorId} onInput={(event) => set({ actorId: event.currentTarget.value })} />
        </Field>
        <Field label="对象类型">
          <input name="entityType" value={draft.entityType} placeholder="child、beneficiary、roll…" onInput={(event) => set({ entityType: event.currentTarget.value })} />
        </Field>
        <Field label="对象编号">
          <input name="entityId" value={draft.entityId} onInput={(event) => set({ entityId: event.currentTarget.value })} />
        </Field>
        <Field label="从">
          <input type="date" name="from" value={draft.from} onInput={(event) => set({ from: event.currentTarget.value })} />
        </Field>
        <Field label="至">
          <input type="date" name="to" value={draft.to} onInput={(event) => set({ to: event.currentTarget.value })} />
        </Field>
        <button type="submit">查询</button>
        <DownloadButton path={`/access-log/export.xlsx?${filters.exportQuery}`} fallbackName="访问日志.xlsx">
          导出 Excel
        </DownloadButton>
      </ActionForm>
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
