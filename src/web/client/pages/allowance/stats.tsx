import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { chinaToday } from '../../format.js';
import { useAsync } from '../../kit/data.js';
import { Table } from '../../kit/list.js';
import { ErrorNotice, Loading } from '../../kit/notices.js';
import { Money } from '../../kit/values.js';
import { HeldAndOwed, YearField } from '../../parts/rolls.js';
import type { AllowanceStats, PageProps } from '../../types.js';
import { HOLD_REASON_NAMES } from '../../words.js';

// The year of the care allowance for civil affairs and finance: each fund's budget and what was
// paid, who is on the rolls, who is held, what is owed back.

export function AllowanceStatsPage(_props: PageProps) {
  const [year, setYear] = useState(Number(chinaToday().slice(0, 4)));
  const stats = useAsync(() => api.get<AllowanceStats>('/allowance/stats', { year }), [year]);
  const data = stats.data;
  return (
    <section>
      <h1>关爱补贴统计</h1>
      <YearField year={year} onYear={setYear} />
      <Loading when={stats.loading} />
      <ErrorNotice error={stats.error} />
      {data ? (
        <>
          <Table
            testId="funds"
            rows={[
              ['关爱补贴（县本级财政）', data.funds.county],
              ['护理补贴提标（困难群众资金）', data.funds.hardship],
            ] as const}
            rowKey={([name]) => name}
            columns={[
              { title: '资金', cell: ([name]) => name },
              { title: '年度预算', num: true, cell: ([, fund]) => (fund.budget === null ? '未设定' : <Money amount={fund.budget} />) },
              { title: '已发放', num: true, cell: ([, fund]) => <Money amount={fund.paid} /> },
              { title: '结余', num: true, cell: ([, fund]) => (fund.remaining === null ? '—' : <Money amount={fund.remaining} />) },
            ]}
          />
          <p>
            在册对象：关爱补贴 {data.active.care} 人，护理补贴提标 {data.active.nursingSupplement} 人；其中补发 <Money amount={data.arrearsPaid} />。
          </p>
          <HeldAndOwed heldNow={data.heldNow} reasons={HOLD_REASON_NAMES} overpayments={data.overpayments} />
        </>
      ) : null}
    </section>
  );
}
