import { api } from '../../api.js';
import { formatTimestamp } from '../../format.js';
import { usePagedList } from '../../kit/data.js';
import { fieldsOf, selectField, StepAction, textField } from '../../kit/form.js';
import { ListPage, StatusFilters } from '../../kit/list.js';
import { Tag } from '../../kit/values.js';
import { href } from '../../router.js';
import type { PageProps } from '../../types.js';
import type { Report } from '../../visitTypes.js';
import { REPORT_STATUS_NAMES, VISIT_CHECK_NAMES } from '../../visitWords.js';

// 强制报告: the reports of children in danger — raised by a visit's danger or by hand — with when the
// police were called; civil affairs acknowledges each with the action taken. One still open past
// the region's hours is overdue (marked here, and in the banner of every civil affairs screen).

const STATUS_TABS = [
  ['open', '待确认处理'],
  ['acknowledged', '已确认处理'],
  ['all', '全部'],
] as const;

export function ProtectionReportsPage(props: PageProps) {
  const status = props.query.get('status') ?? 'open';
  const overdue = props.query.get('overdue') === 'true';
  const civilAffairs = props.user.role === 'civil_affairs';
  const list = usePagedList<Report>('/protection/reports', { status: status === 'all' ? undefined : status, overdue: overdue ? 'true' : undefined });
  const link = (query: Record<string, string>) => href('/protection/reports', query);
  return (
    <ListPage
      title="强制报告"
      list={list}
      testId="reports"
      empty={status === 'open' ? '没有待确认处理的强制报告。' : '没有强制报告。'}
      rowClass={(report) => (report.overdue ? 'overdue' : undefined)}
      columns={[
        { title: '儿童', cell: (report) => (report.caseId ? <a href={href(`/protection/cases/${report.caseId}`)}>{report.childName}</a> : report.childName) },
        { title: '乡镇（街道）', wide: true, cell: (report) => report.townshipName ?? '—' },
        { title: '危险情况', cell: (report) => report.concerns.map((concern) => VISIT_CHECK_NAMES[concern] ?? concern).join('、') + (report.note ? `：${report.note}` : '') },
        { title: '报告时间', cell: (report) => `${formatTimestamp(report.raisedAt)}（${report.raisedBy.name}）` },
        { title: '报警时间', cell: (report) => formatTimestamp(report.policeNotifiedAt) },
        {
          title: '状态',
          cell: (report) => (
            <>
              <Tag code={report.status} names={REPORT_STATUS_NAMES} />
              {report.overdue ? <span class="tag tag-overdue">超时未处理</span> : null}
              {report.status === 'acknowledged' ? (
                <div class="hint">
                  {report.acknowledgedBy?.name} {formatTimestamp(report.acknowledgedAt)}：{report.actionTaken}
                </div>
              ) : (
                <div class="hint">应于 {formatTimestamp(report.acknowledgeBy)} 前确认</div>
              )}
            </>
          ),
        },
        {
          cell: (report) => (
            <>
              {!report.policeNotifiedAt ? (
                <StepAction
                  title="记录报警时间"
                  initial={{ at: localNow() }}
                  fields={textField('at', '报警时间', 'datetime-local')}
                  run={async (values) => {
                    await api.post(`/protection/reports/${report.id}/police`, { at: new Date(`${values.at}:00+08:00`).toISOString() });
                    list.reload();
                  }}
                />
              ) : null}
              {civilAffairs && report.status === 'open' ? (
                <StepAction
                  title="登记处理情况"
                  initial={{ policeNotified: report.policeNotifiedAt ? 'true' : 'false' }}
                  fields={fieldsOf(textField('actionTaken', '采取的措施'), selectField('policeNotified', '是否已报警', { true: '已报警', false: '未报警' }))}
                  run={async (values) => {
                    await api.post(`/protection/reports/${report.id}/acknowledge`, { actionTaken: values.actionTaken, policeNotified: values.policeNotified === 'true' });
                    list.reload();
                  }}
                />
              ) : null}
            </>
          ),
        },
      ]}
    >
      <StatusFilters label="状态" options={STATUS_TABS} current={status} link={(code) => link({ status: code, ...(overdue ? { overdue: 'true' } : {}) })} />
      <p>{overdue ? <a href={link({ status })}>显示全部</a> : <a href={link({ status, overdue: 'true' })}>只看超时未处理</a>}</p>
    </ListPage>
  );
}

/** Now in China time as a datetime-local input shows it (YYYY-MM-DDTHH:mm). */
function localNow(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16);
}
