import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { chinaToday, formatDate, formatMonth } from '../../format.js';
import { useAction, usePagedList } from '../../kit/data.js';
import { ActionForm, TextField } from '../../kit/form.js';
import { ListPage } from '../../kit/list.js';
import { ErrorNotice } from '../../kit/notices.js';
import { Money, Tag } from '../../kit/values.js';
import { href, navigate } from '../../router.js';
import type { PageProps, Roll } from '../../types.js';
import { ROLL_STATUS_NAMES } from '../../words.js';

// The monthly rolls of the care allowance, newest first, and the building of this month's.

export function RollsPage(props: PageProps) {
  const list = usePagedList<Roll>('/allowance/rolls', {});
  const [month, setMonth] = useState(chinaToday().slice(0, 7));
  const build = useAction(async () => {
    const roll = await api.post<Roll>('/allowance/rolls', { month });
    navigate(`/allowance/rolls/${roll.id}`);
  });
  return (
    <ListPage
      title="关爱补贴发放名册"
      list={list}
      empty="还没有名册。"
      // The API lists rolls oldest first; people look for the latest.
      order={(rolls) => [...rolls].reverse()}
      columns={[
        { title: '名册编号', cell: (roll) => <a href={href(`/allowance/rolls/${roll.id}`)}>{roll.number}</a> },
        { title: '月份', cell: (roll) => formatMonth(roll.month) },
        { title: '人数', num: true, cell: (roll) => roll.beneficiaryCount },
        { title: '合计', num: true, cell: (roll) => <Money amount={roll.total} /> },
        { title: '状态', cell: (roll) => <Tag code={roll.status} names={ROLL_STATUS_NAMES} /> },
        { title: '公示期', cell: (roll) => (roll.noticeFrom ? `${formatDate(roll.noticeFrom)} 至 ${formatDate(roll.noticeTo)}` : '—') },
      ]}
    >
      {props.user.role === 'civil_affairs' ? (
        <ActionForm class="form inline" onSubmit={() => build.run()}>
          <TextField label="发放月份" type="month" name="month" value={month} max={chinaToday().slice(0, 7)} required onValue={setMonth} />
          <button type="submit" disabled={build.running}>
            {build.running ? '正在生成…' : '生成名册'}
          </button>
          <ErrorNotice error={build.error} title="未能生成名册" />
        </ActionForm>
      ) : null}
    </ListPage>
  );
}
