import { api } from '../api.js';
import { formatMoney } from '../format.js';
import { useAsync } from '../kit/data.js';
import { Empty, ErrorNotice, Loading } from '../kit/notices.js';
import { Money } from '../kit/values.js';
import type { AppliedLimit, Entitlements, Preview } from '../types.js';
import { DEVICE_KIND_NAMES, label, LIMIT_NAMES, REASON_NAMES, SERVICE_NAMES, STEP_NAMES } from '../words.js';

// What a settlement comes to and what a child has left: the breakdown of a preview or an approval,
// and the entitlements of a year.

export function serviceLabel(service: string, deviceKind?: string | null): string {
  const name = label(SERVICE_NAMES, service);
  return deviceKind ? `${name}（${label(DEVICE_KIND_NAMES, deviceKind)}）` : name;
}

function limitText(limit: AppliedLimit): string {
  const name = label(LIMIT_NAMES, limit.code);
  if (limit.code === 'MONTHLY_LIMIT') return `${name} ${formatMoney(limit.limit)} × ${limit.months} 个月`;
  if (limit.used !== null) return `${name} ${formatMoney(limit.limit)}，已使用 ${formatMoney(limit.used)}`;
  return `${name} ${formatMoney(limit.limit)}`;
}

/** How a settlement is reached: each deduction, each limit (the binding one marked), the subsidy. */
export function Breakdown(props: { preview: Preview; approvedAmount?: string | null }) {
  const { preview } = props;
  return (
    <div class="breakdown">
      <table>
        <caption>结算计算过程</caption>
        <thead>
          <tr>
            <th>项目</th>
            <th class="num">金额</th>
            <th class="num">余额</th>
          </tr>
        </thead>
        <tbody>
          {preview.steps.map((step, index) => (
            <tr key={index} class={step.label === 'cap' ? 'cap-row' : undefined}>
              <td>{label(STEP_NAMES, step.label)}</td>
              <td class="num">
                <Money amount={step.amount} />
              </td>
              <td class="num">
                <Money amount={step.balance} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.limits && preview.limits.length > 0 ? (
        <ul class="limits">
          {preview.limits.map((limit) => (
            <li key={limit.code} class={limit.binding ? 'binding' : undefined}>
              {limitText(limit)}：本次最多 <Money amount={limit.figure} />
              {limit.binding ? <strong class="binding-mark">← 起限制作用</strong> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <p class="subsidy">
        应付救助金额 <Money amount={props.approvedAmount ?? preview.subsidy} strong />
        {preview.reasons.length > 0 ? <span class="reasons">（{preview.reasons.map((reason) => label(REASON_NAMES, reason)).join('；')}）</span> : null}
      </p>
    </div>
  );
}

/** What a child has used and has left this year, per service. */
export function EntitlementTable(props: { childId: string; year: number }) {
  const entitlements = useAsync(() => api.get<Entitlements>(`/children/${props.childId}/entitlements`, { year: props.year }), [props.childId, props.year]);
  if (entitlements.loading) return <Loading when />;
  if (entitlements.error) return <ErrorNotice error={entitlements.error} />;
  const items = entitlements.data?.items ?? [];
  if (items.length === 0) return <Empty>{props.year} 年该儿童的残疾类别没有可享受的救助项目。</Empty>;
  return (
    <table class="entitlements">
      <caption>{props.year} 年救助额度使用情况</caption>
      <thead>
        <tr>
          <th>救助项目</th>
          <th class="num">标准</th>
          <th class="num">已使用</th>
          <th class="num">待审核</th>
          <th class="num">剩余</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.service}-${item.deviceKind ?? ''}`}>
            <td>{serviceLabel(item.service, item.deviceKind)}</td>
            <td class="num standard">
              {item.oncePerChildLimit ? (
                <>
                  <Money amount={item.oncePerChildLimit} />（一次性）
                </>
              ) : (
                <>
                  <Money amount={item.annualLimit} />
                  /年
                  {/* The monthly cap on a line of its own: the table fits beside a form at 1280 px. */}
                  {item.monthlyLimit ? (
                    <span class="per-month">
                      <Money amount={item.monthlyLimit} />
                      /月
                    </span>
                  ) : null}
                </>
              )}
            </td>
            <td class="num">
              <Money amount={item.oncePerChildLimit ? item.usedEver : item.usedThisYear} />
            </td>
            <td class="num">
              <Money amount={item.pending} />
            </td>
            <td class="num">
              <Money amount={item.remaining} strong />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
