import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { chinaToday, formatDate, formatMoney } from '../format.js';
import { href } from '../router.js';
import type { PageProps, Stats } from '../types.js';
import { useAsync } from '../kit/data.js';
import { Table } from '../kit/list.js';
import { ErrorNotice, Loading } from '../kit/notices.js';
import { Figure, Money } from '../kit/values.js';
import { RegionName } from '../parts/names.js';
import { label, SERVICE_NAMES } from '../words.js';

const MONTHS = Array.from({ length: 12 }, (_, index) => String(index + 1).padStart(2, '0'));

/** An axis top at 1, 2 or 5 times a power of ten, at or above the largest bar. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value)!;
}

/** A short figure for a bar or an axis: 17000 → 1.7万; below ten thousand in yuan. */
function shortYuan(value: number): string {
  if (value >= 10_000) return `${Number((value / 10_000).toFixed(value >= 100_000 ? 0 : 1))}万`;
  return String(Math.round(value));
}

/**
 * Monthly approved and paid totals as grouped bars, with a scale and each bar's figure on it. The
 * heights and the short figures are the only place the console turns money into a number: a pixel
 * or a rounded 1.7万 needs no exactness; the exact sums are in the table below and in each bar's title.
 */
function MonthlyChart(props: { stats: Stats }) {
  const { stats } = props;
  const approved = new Map(stats.approved.byMonth.map((entry) => [entry.month.slice(5, 7), entry.total]));
  const paid = new Map(stats.paid.byMonth.map((entry) => [entry.month.slice(5, 7), entry.total]));
  const ceiling = niceCeiling(Math.max(1, ...[...approved.values(), ...paid.values()].map(Number)));
  const width = 960;
  const height = 300;
  const top = 24;
  const bottom = 30;
  const left = 56;
  const slot = (width - left) / 12;
  const barWidth = slot * 0.34;
  const plot = height - top - bottom;
  const scale = (amount: string | undefined) => (Number(amount ?? '0') / ceiling) * plot;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * ceiling);
  const figure = (x: number, amount: string | undefined, kind: string) => {
    if (!amount || Number(amount) === 0) return null;
    return (
      <text x={x + barWidth / 2} y={height - bottom - scale(amount) - 4} class={`bar-figure ${kind}`} text-anchor="middle">
        {shortYuan(Number(amount))}
      </text>
    );
  };
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${stats.year} 年每月批准与支付金额`} data-testid="monthly-chart">
        {ticks.map((tick) => {
          const y = height - bottom - (tick / ceiling) * plot;
          return (
            <g key={tick}>
              <line x1={left} x2={width} y1={y} y2={y} class={tick === 0 ? 'axis' : 'grid'} />
              <text x={left - 6} y={y + 4} class="axis-label" text-anchor="end">
                {shortYuan(tick)}
              </text>
            </g>
          );
        })}
        <text x={4} y={12} class="axis-label">
          元
        </text>
        {MONTHS.map((month, index) => {
          const x = left + index * slot + slot * 0.14;
          const approvedHeight = scale(approved.get(month));
          const paidHeight = scale(paid.get(month));
          return (
            <g key={month}>
              <rect x={x} y={height - bottom - approvedHeight} width={barWidth} height={approvedHeight} class="bar-approved">
                <title>{`${Number(month)}月批准 ${formatMoney(approved.get(month) ?? '0.00')}`}</title>
              </rect>
              {figure(x, approved.get(month), 'approved')}
              <rect x={x + barWidth + 2} y={height - bottom - paidHeight} width={barWidth} height={paidHeight} class="bar-paid">
                <title>{`${Number(month)}月支付 ${formatMoney(paid.get(month) ?? '0.00')}`}</title>
              </rect>
              {figure(x + barWidth + 2, paid.get(month), 'paid')}
              <text x={x + barWidth} y={height - 10} class="axis-label" text-anchor="middle">
                {Number(month)}月
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="swatch swatch-approved" /> 批准金额（按批准月份） <span class="swatch swatch-paid" /> 支付金额（按支付月份）
      </figcaption>
    </figure>
  );
}

/**
 * Decided in the year, of them on or before the due date (the share as a percentage with one
 * decimal, computed on whole counts), and waiting past the due date now.
 */
function TimelinessFigure(props: { title: string; figures: Stats['timeliness']['claims']; overdueLink: string }) {
  const { decided, decidedInTime, overdueNow } = props.figures;
  const share = decided === 0 ? '—' : `${((decidedInTime / decided) * 100).toFixed(1)}%`;
  return (
    <Figure label={`${props.title}按时办结`} value={share}>
      <span>
        本年办结 {decided} 件，按时 {decidedInTime} 件；
        {overdueNow > 0 ? <a href={props.overdueLink}>现逾期未办 {overdueNow} 件</a> : '现无逾期未办'}
      </span>
    </Figure>
  );
}

export function DashboardPage(props: PageProps) {
  const [year, setYear] = useState(Number(props.query.get('year') ?? chinaToday().slice(0, 4)));
  const stats = useAsync(() => api.get<Stats>('/stats', { year }), [year]);
  const data = stats.data;
  return (
    <section>
      <h1>救助统计 {year} 年</h1>
      <div class="year-picker">
        <button type="button" class="link" onClick={() => setYear(year - 1)}>
          ← {year - 1} 年
        </button>
        <button type="button" class="link" onClick={() => setYear(year + 1)}>
          {year + 1} 年 →
        </button>
      </div>
      <Loading when={stats.loading && !data} />
      <ErrorNotice error={stats.error} />
      {data ? (
        <>
          <div class="figures">
            <Figure label="已救助儿童" value={data.children.aided}>
              <span>
                目标 {data.children.target} 人{data.children.targetIsDefault ? '（默认）' : ''}，完成 {data.children.percentOfTarget}%
              </span>
            </Figure>
            <Figure label="本年批准金额" value={formatMoney(data.approved.total)} />
            <Figure label="本年支付金额" value={formatMoney(data.paid.total)}>
              <span data-testid="budget">
                {data.budget.budget === null ? '未设定年度预算' : `预算 ${formatMoney(data.budget.budget)}，结余 ${formatMoney(data.budget.remaining)}`}
              </span>
            </Figure>
            <Figure label="待审核申报" link={href('/review')} value={data.waitingForReview.count}>
              <span>
                预计 {formatMoney(data.waitingForReview.total)}
                {data.waitingForReview.oldestDays !== null ? `，最久已等 ${data.waitingForReview.oldestDays} 天` : ''}
              </span>
            </Figure>
            <Figure label="待支付批次" link={href('/batches', { status: 'issued' })} value={data.batchesWaitingForPayment.count}>
              <span>
                合计 {formatMoney(data.batchesWaitingForPayment.total)}
                {data.batchesWaitingForPayment.oldestDays !== null ? `，最久已等 ${data.batchesWaitingForPayment.oldestDays} 天` : ''}
              </span>
            </Figure>
          </div>
          <h2>办理时限</h2>
          <div class="timeliness" data-testid="timeliness">
            <TimelinessFigure title="救助申请审批" figures={data.timeliness.applications} overdueLink={href('/applications', { status: 'overdue' })} />
            <TimelinessFigure title="结算申报审核" figures={data.timeliness.claims} overdueLink={href('/review')} />
          </div>
          <h2>每月批准与支付</h2>
          <MonthlyChart stats={data} />
          <h2>按救助项目</h2>
          <Table
            rows={Object.keys(SERVICE_NAMES)}
            rowKey={(service) => service}
            columns={[
              { title: '救助项目', cell: (service) => label(SERVICE_NAMES, service) },
              { title: '批准金额', num: true, cell: (service) => <Money amount={data.approved.byService.find((entry) => entry.service === service)?.total ?? '0.00'} /> },
              { title: '支付金额', num: true, cell: (service) => <Money amount={data.paid.byService.find((entry) => entry.service === service)?.total ?? '0.00'} /> },
            ]}
          />
          <p class="muted">
            数据截至 {formatDate(data.asOf)}，地区 <RegionName code={data.regionCode} withCode />。
          </p>
        </>
      ) : null}
    </section>
  );
}
