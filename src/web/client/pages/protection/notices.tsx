import { api } from '../../api.js';
import { formatDate } from '../../format.js';
import { useAction, usePagedList } from '../../kit/data.js';
import { DownloadButton } from '../../kit/download.js';
import { ListPage, StatusFilters } from '../../kit/list.js';
import { ErrorNotice } from '../../kit/notices.js';
import { Tag } from '../../kit/values.js';
import type { ProtectionNotice } from '../../protectionTypes.js';
import { PROTECTION_CATEGORY_NAMES } from '../../protectionWords.js';
import { href } from '../../router.js';
import type { PageProps } from '../../types.js';
import { label } from '../../words.js';

// 村级公示: each village's list for its period, the paper to post (masked names, the categories
// that may be posted, nothing else), and closing it after the period, which sends every case still
// on it to the county.

const NOTICE_STATUS_NAMES: Record<string, string> = { open: '公示中', closed: '已结束' };

function CloseButton(props: { notice: ProtectionNotice; onClosed(): void }) {
  const close = useAction(async () => {
    await api.post(`/protection/notices/${props.notice.id}/close`);
    props.onClosed();
  });
  return (
    <span>
      <button type="button" class="secondary" disabled={close.running} onClick={() => close.run()}>
        结束公示，报县复核
      </button>
      <ErrorNotice error={close.error} title="未能结束公示" />
    </span>
  );
}

export function ProtectionNoticesPage(props: PageProps) {
  // Open notices first; `all` shows every one.
  const chosen = props.query.get('status') ?? 'open';
  const status = chosen === 'all' ? '' : chosen;
  const list = usePagedList<ProtectionNotice>('/protection/notices', { status: status || undefined });
  return (
    <ListPage
      title="村级公示"
      list={list}
      testId="notices"
      empty="没有公示。"
      rowClass={(notice) => (notice.overdue ? 'overdue' : undefined)}
      columns={[
        { title: '村（社区）', cell: (notice) => `${notice.townshipName} ${notice.villageName}` },
        { title: '公示期', cell: (notice) => `${formatDate(notice.noticeFrom)}—${formatDate(notice.noticeTo)}` },
        {
          // On a phone the names are one tap away (the notice's cases); the status and actions stay in view.
          title: '公示对象',
          wide: true,
          cell: (notice) =>
            notice.entries.length === 0
              ? '（无）'
              : notice.entries.map((entry) => (
                  <div key={entry.caseId}>
                    <a href={href(`/protection/cases/${entry.caseId}`)}>{entry.nameMasked}</a> {entry.categories.map((category) => label(PROTECTION_CATEGORY_NAMES, category)).join('、')}
                  </div>
                )),
        },
        {
          title: '状态',
          cell: (notice) => (
            <>
              <Tag code={notice.status} names={NOTICE_STATUS_NAMES} />
              {notice.status === 'open' ? ` 应于 ${formatDate(notice.closeDueOn)} 结束` : ` ${formatDate(notice.closedOn)} 结束`}
              {notice.overdue ? <span class="tag tag-overdue">逾期</span> : null}
            </>
          ),
        },
        {
          cell: (notice) => (
            <div class="actions wrap">
              <DownloadButton path={`/protection/notices/${notice.id}/notice.pdf`} fallbackName="困境儿童分类认定公示.pdf">
                公示表
              </DownloadButton>
              {notice.status === 'open' ? <CloseButton notice={notice} onClosed={() => list.reload()} /> : null}
            </div>
          ),
        },
      ]}
    >
      <StatusFilters
        label="状态"
        options={[
          ['open', '公示中'],
          ['closed', '已结束'],
          ['', '全部'],
        ]}
        current={status}
        link={(code) => href('/protection/notices', { status: code || 'all' })}
      />
    </ListPage>
  );
}
