import { formatDate } from '../../format.js';
import { usePagedList } from '../../kit/data.js';
import { ListPage, StatusFilters } from '../../kit/list.js';
import { Tag } from '../../kit/values.js';
import type { ProtectionCase } from '../../protectionTypes.js';
import { CASE_STATUS_NAMES, PROTECTION_CATEGORY_NAMES, STEP_NAMES } from '../../protectionWords.js';
import { href } from '../../router.js';
import type { PageProps } from '../../types.js';
import { label } from '../../words.js';

// 困境儿童个案: the queues and the register. An open status lists by due date (the township's
// checking queue, the county's review queue); `pending` is the caller's office's reviews waiting
// (the 残联 and the departments); `overdue` keeps what waits past its due date.

const STATUS_TABS = [
  ['', '全部'],
  ['received', '待核查'],
  ['returned_to_township', '异议退回'],
  ['notice', '公示中'],
  ['county_review', '县级复核'],
  ['recognised', '已认定'],
  ['ended', '已满18周岁'],
  ['refused', '不予认定'],
  ['withdrawn', '已撤回'],
  ['exited', '已退出'],
] as const;

/** The due date of the step a case waits at, marked when it is past. */
export function CaseDue(props: { kase: Pick<ProtectionCase, 'dueOn' | 'overdue' | 'step'> }) {
  const { kase } = props;
  if (!kase.dueOn) return <>—</>;
  return (
    <span class="due-date">
      {label(STEP_NAMES, kase.step ?? '')} {formatDate(kase.dueOn)}
      {kase.overdue ? <span class="tag tag-overdue">逾期</span> : null}
    </span>
  );
}

export function ProtectionCasesPage(props: PageProps) {
  const status = props.query.get('status') ?? '';
  const pending = props.query.get('pending') === 'true';
  const overdue = props.query.get('overdue') === 'true';
  const role = props.user.role;
  const routed = role === 'reviewer' || role === 'department';
  const list = usePagedList<ProtectionCase>('/protection/cases', {
    status: status || undefined,
    pending: pending ? 'true' : undefined,
    overdue: overdue ? 'true' : undefined,
  });
  const link = (query: Record<string, string>) => href('/protection/cases', query);
  const title = pending ? '待复核的困境儿童个案' : status === 'received' ? '待核查（按办理时限）' : status === 'county_review' ? '县级复核（按办理时限）' : '困境儿童个案';
  return (
    <ListPage
      title={title}
      list={list}
      testId="cases"
      empty={pending ? '没有待您复核的个案。' : '没有符合条件的个案。'}
      rowClass={(kase) => (kase.overdue ? 'overdue' : undefined)}
      columns={[
        { title: '编号', cell: (kase) => <a href={href(`/protection/cases/${kase.id}`)}>{kase.number}</a> },
        { title: '姓名', cell: (kase) => kase.childName },
        { title: '乡镇（街道）/ 村（社区）', cell: (kase) => `${kase.townshipName} ${kase.villageName}` },
        { title: '申请类别', cell: (kase) => (kase.recognition?.categories ?? kase.categories).map((category) => label(PROTECTION_CATEGORY_NAMES, category)).join('、') },
        { title: '受理日期', cell: (kase) => formatDate(kase.receivedOn) },
        { title: '状态', cell: (kase) => <Tag code={kase.status} names={CASE_STATUS_NAMES} /> },
        { title: '办理时限', cell: (kase) => <CaseDue kase={kase} /> },
      ]}
    >
      {routed ? (
        <StatusFilters
          label="复核"
          options={[
            ['true', '待我复核'],
            ['', '全部转来的个案'],
          ]}
          current={pending ? 'true' : ''}
          link={(code) => link(code ? { pending: code } : {})}
        />
      ) : (
        <StatusFilters label="状态" options={STATUS_TABS} current={status} link={(code) => link(code ? { status: code } : {})} />
      )}
      <p>
        {overdue ? (
          <a href={link({ ...(status ? { status } : {}), ...(pending ? { pending: 'true' } : {}) })}>显示全部</a>
        ) : (
          <a href={link({ ...(status ? { status } : {}), ...(pending ? { pending: 'true' } : {}), overdue: 'true' })}>只看逾期</a>
        )}
        {role === 'township' || role === 'civil_affairs' ? (
          <>
            {' · '}
            <a href={href('/protection/intake')}>受理新申请</a>
          </>
        ) : null}
      </p>
    </ListPage>
  );
}
