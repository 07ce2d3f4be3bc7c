import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { chinaToday, formatMonth } from '../../format.js';
import { useAsync } from '../../kit/data.js';
import { Table } from '../../kit/list.js';
import { ErrorNotice, Loading } from '../../kit/notices.js';
import { Figure, Money } from '../../kit/values.js';
import { HeldAndOwed, YearField } from '../../parts/rolls.js';
import type { BasicLivingPayments, ByStandard } from '../../protectionTypes.js';
import { HOLD_NAMES, STANDARD_NAMES } from '../../protectionWords.js';
import type { PageProps } from '../../types.js';

// The year of the basic-living money for civil affairs and finance (GET /protection/stats
// `payments`, protection.md §10): the budget and what was paid by the bank's results, by month and
// by standard, arrears, who is held now and what is owed back.

const STANDARDS = Object.keys(STANDARD_NAMES) as (keyof ByStandard)[];

export function BasicLivingPaymentsPage(_props: PageProps) {
  const [year, setYear] = useState(Number(chinaToday().slice(0, 4)));
  const stats = useAsync(() => api.get<{ payments: BasicLivingPayments }>('/protection/stats', { year }), [year]);
  const payments = stats.data?.payments;
  return (
    <section>
      <h1>困境儿童基本生活费统计</h1>
      <YearField year={year} onYear={setYear} />
      <Loading when={stats.loading} />
      <ErrorNotice error={stats.error} />
      {payments ? (
        <>
          <div class="figures" data-testid="payments-budget">
            <Figure label="年度预算" value={payments.budget.budget === null ? '未设定' : <Money amount={payments.budget.budget} />} />
            <Figure label="已发放" value={<Money amount={payments.budget.paid} />}>
              <span class="muted">
                其中补发 <Money amount={payments.arrearsPaid} />
              </span>
            </Figure>
            <Figure label="结余" value={payments.budget.remaining === null ? '—' : <Money amount={payments.budget.remaining} />} />
          </div>
          <h2>按月发放（以银行回盘月份计）</h2>
          <Table
            testId="paid-by-month"
            rows={[...payments.paidByMonth, { month: '合计', total: payments.budget.paid, byStandard: payments.byStandard }]}
            rowKey={(row) => row.month}
            columns={[
              { title: '月份', cell: (row) => (row.month === '合计' ? '合计' : formatMonth(row.month)) },
              ...STANDARDS.map((key) => ({ title: STANDARD_NAMES[key], num: true, cell: (row: { byStandard: ByStandard }) => <Money amount={row.byStandard[key]} /> })),
              { title: '合计', num: true, cell: (row) => <Money amount={row.total} /> },
            ]}
          />
          <HeldAndOwed heldNow={payments.heldNow} reasons={HOLD_NAMES} overpayments={payments.overpayments} />
        </>
      ) : null}
    </section>
  );
}
