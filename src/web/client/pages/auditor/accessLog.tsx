import { formatTimestamp } from '../../format.js';
import { usePagedList } from '../../kit/data.js';
import { ListPage } from '../../kit/list.js';
import type { AccessLogEntry, PageProps } from '../../types.js';
import { ACCESS_ACTION_NAMES, label, ROLE_NAMES } from '../../words.js';
import { DATE_FIELDS, useFilterForm } from './filters.js';

// The access log (访问日志, security.md §4), the auditor's: who looked at whom, newest first, with
// filters and a spreadsheet of what a filter finds.

export function AccessLogPage(_props: PageProps) {
  const filters = useFilterForm(
    [{ name: 'actorId', label: '人员编号' }, { name: 'entityType', label: '对象类型', placeholder: 'child、beneficiary、roll…' }, { name: 'entityId', label: '对象编号' }, ...DATE_FIELDS],
    '/access-log/export.xlsx',
    '访问日志.xlsx',
  );
  const list = usePagedList<AccessLogEntry>('/access-log', filters.query);
  return (
    <ListPage
      title="访问日志"
      list={list}
      empty="没有符合条件的访问记录。"
      columns={[
        { title: '时间', cell: (entry) => formatTimestamp(entry.at) },
        {
          title: '人员',
          cell: (entry) => (
            <>
              {entry.actorName ?? '—'}
              <br />
              <small class="muted">{entry.actorRole ? label(ROLE_NAMES, entry.actorRole) : ''}</small>
            </>
          ),
        },
        { title: '操作', cell: (entry) => label(ACCESS_ACTION_NAMES, entry.action) },
        {
          title: '对象',
          cell: (entry) => (
            <>
              {entry.entityType}
              <br />
              <small class="muted">{entry.entityId ?? ''}</small>
            </>
          ),
        },
        { title: '条件', cell: (entry) => (entry.filter ? <code class="wrap">{JSON.stringify(entry.filter)}</code> : '—') },
        { title: '地址', cell: (entry) => entry.clientAddress ?? '—' },
      ]}
    >
      <p class="muted">谁在何时查看、查询、下载或导出了哪份儿童档案、补贴对象、批次或名册。按身份证号查询时只记录其密钥散列值。</p>
      {filters.form}
    </ListPage>
  );
}
