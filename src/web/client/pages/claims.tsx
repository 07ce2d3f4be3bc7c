import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { formatDate, formatPeriod, formatTimestamp } from '../format.js';
import { href, navigate } from '../router.js';
import type { Claim, PageProps } from '../types.js';
import { ActionForm, Breakdown, ChildName, DownloadButton, DueDate, ErrorNotice, Field, InstitutionName, InstitutionOptions, ListStatus, Loading, Money, Pager, serviceLabel, Success, Tag, useAction, useAsync, useInstitutions, usePagedList } from '../ui.js';
import { CLAIM_STATUS_NAMES, DEDUCTION_FIELDS, HISTORY_ACTION_NAMES, label } from '../words.js';
import { ReviewPanel } from './review.js';

const STATUS_FILTERS: [string, string][] = [
  ['', '全部'],
  ['submitted', '待审核'],
  ['returned', '已退回'],
  ['approved', '已批准'],
  ['batched', '已入批次'],
  ['paid', '已支付'],
  ['rejected', '已拒绝'],
  ['withdrawn', '已撤回'],
];

export function claimPeriod(claim: Pick<Claim, 'periodFrom' | 'periodTo' | 'serviceDate'>): string {
  return claim.serviceDate ? formatDate(claim.serviceDate) : formatPeriod(claim.periodFrom, claim.periodTo);
}

/** The filters of the claims list, kept in the address so that a filtered list can be bookmarked. */
const FILTER_KEYS = ['status', 'institutionId', 'child', 'externalRef', 'from', 'to'] as const;
type ClaimFilters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

function ClaimFilterForm(props: { filters: ClaimFilters; showInstitution: boolean }) {
  const [draft, setDraft] = useState<ClaimFilters>(props.filters);
  const institutions = useInstitutions();
  const set = (key: keyof ClaimFilters, value: string) => setDraft({ ...draft, [key]: value });
  return (
    <ActionForm class="form inline filters-form" onSubmit={() => navigate(href('/claims', { ...draft }).slice(1))}>
      {props.showInstitution ? (
        <Field label="机构">
          <select name="institutionId" value={draft.institutionId ?? ''} onChange={(event) => set('institutionId', event.currentTarget.value)}>
            <option value="">全部机构</option>
            <InstitutionOptions institutions={institutions.data} />
          </select>
        </Field>
      ) : null}
      <Field label="儿童">
        <input name="child" placeholder="姓名或身份证号片段" value={draft.child ?? ''} onInput={(event) => set('child', event.currentTarget.value)} />
      </Field>
      <Field label="结算申请号">
        <input name="externalRef" placeholder="全部或开头部分" value={draft.externalRef ?? ''} onInput={(event) => set('externalRef', event.currentTarget.value)} />
      </Field>
      <Field label="服务月份自">
        <input type="month" name="from" value={draft.from ?? ''} onInput={(event) => set('from', event.currentTarget.value)} />
      </Field>
      <Field label="至">
        <input type="month" name="to" value={draft.to ?? ''} onInput={(event) => set('to', event.currentTarget.value)} />
      </Field>
      <button type="submit" class="secondary">
        筛选
      </button>
      {FILTER_KEYS.some((key) => key !== 'status' && props.filters[key]) ? <a href={href('/claims', { status: props.filters.status })}>清除条件</a> : null}
    </ActionForm>
  );
}

export function ClaimsPage(props: PageProps) {
  const filters: ClaimFilters = Object.fromEntries(FILTER_KEYS.map((key) => [key, props.query.get(key)?.trim() || undefined]).filter(([, value]) => value));
  const status = filters.status ?? '';
  const list = usePagedList<Claim>('/claims', filters);
  const count = useAsync(() => api.get<{ count: number; approvedTotal: string }>('/claims/count', filters), [JSON.stringify(filters)]);
  const isReviewer = props.user.role === 'reviewer';
  const exportQuery = new URLSearchParams(Object.entries(filters) as [string, string][]).toString();
  return (
    <section>
      <h1>{isReviewer ? '全部申报' : '申报记录'}</h1>
      <nav class="filters" aria-label="按状态筛选">
        {STATUS_FILTERS.map(([code, name]) => (
          <a key={code} href={href('/claims', { ...filters, status: code })} class={code === status ? 'active' : undefined}>
            {name}
          </a>
        ))}
      </nav>
      <ClaimFilterForm key={JSON.stringify(filters)} filters={filters} showInstitution={isReviewer} />
      {count.data ? (
        <p class="list-count" data-testid="claim-count">
          共 {count.data.count} 笔{count.data.count > 0 ? <>，其中已批准金额合计 <Money amount={count.data.approvedTotal} /></> : null}
          {count.data.count > 0 ? (
            <DownloadButton path={`/claims/export.xlsx${exportQuery ? `?${exportQuery}` : ''}`} fallbackName="救助申报清单.xlsx">
              导出 Excel
            </DownloadButton>
          ) : null}
        </p>
      ) : null}
      {status === 'returned' && !isReviewer ? <p class="hint">以下申报被残联退回，请按退回原因修改后重新提交。</p> : null}
      <ListStatus list={list} empty="没有符合条件的申报。" />
      {list.items.length > 0 ? (
        <table class="list">
          <thead>
            <tr>
              <th>结算申请号</th>
              <th>儿童</th>
              {isReviewer ? <th>机构</th> : null}
              <th>救助项目</th>
              <th>服务期间</th>
              <th class="num">总费用</th>
              <th class="num">救助金额</th>
              <th>状态</th>
              <th>提交时间</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((claim) => (
              <tr key={claim.id}>
                <td>
                  <a href={href(`/claims/${claim.id}`)}>{claim.externalRef}</a>
                </td>
                <td>
                  <ChildName id={claim.childId} />
                </td>
                {isReviewer ? (
                  <td>
                    <InstitutionName id={claim.institutionId} />
                  </td>
                ) : null}
                <td>{serviceLabel(claim.service, claim.deviceKind)}</td>
                <td>{claimPeriod(claim)}</td>
                <td class="num">
                  <Money amount={claim.grossCost} />
                </td>
                <td class="num">
                  {claim.approvedAmount ? (
                    <Money amount={claim.approvedAmount} />
                  ) : claim.status === 'submitted' || claim.status === 'returned' ? (
                    // An estimate belongs to a claim still under review; a rejected or withdrawn one gets nothing.
                    <span class="muted" title="预计金额，以审核为准">
                      <Money amount={claim.estimate.subsidy} />（预计）
                    </span>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <Tag code={claim.status} names={CLAIM_STATUS_NAMES} />
                </td>
                <td>{formatTimestamp(claim.submittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager list={list} />
    </section>
  );
}

export function ClaimFacts(props: { claim: Claim; showInstitution: boolean }) {
  const { claim } = props;
  return (
    <dl class="facts">
      <dt>结算申请号</dt>
      <dd>{claim.externalRef}</dd>
      <dt>{claim.decidedOn ? '审核日期' : '办结期限'}</dt>
      <dd>
        {claim.decidedOn ? (
          <>
            {formatDate(claim.decidedOn)}（期限 {formatDate(claim.dueOn)}，{claim.decidedInTime ? '按时' : '超期'}）
          </>
        ) : claim.status === 'submitted' ? (
          <DueDate timing={claim} />
        ) : (
          '—'
        )}
      </dd>
      <dt>儿童</dt>
      <dd>
        <a href={href(`/children/${claim.childId}`)}>
          <ChildName id={claim.childId} />
        </a>
      </dd>
      {props.showInstitution ? (
        <>
          <dt>机构</dt>
          <dd>
            <InstitutionName id={claim.institutionId} />
          </dd>
        </>
      ) : null}
      <dt>救助项目</dt>
      <dd>
        {serviceLabel(claim.service, claim.deviceKind)}
        {claim.freeIssued ? '（免费配发）' : ''}
      </dd>
      <dt>服务期间</dt>
      <dd>
        {claimPeriod(claim)}
        {claim.months ? `（${claim.months} 个月）` : ''}
      </dd>
      <dt>总费用</dt>
      <dd>
        <Money amount={claim.grossCost} />
      </dd>
      {DEDUCTION_FIELDS.map(([name, title]) => (
        <Fragment key={name}>
          <dt>{title}</dt>
          <dd>
            <Money amount={claim.deductions[name]} />
          </dd>
        </Fragment>
      ))}
      <dt>扣除后余额</dt>
      <dd>
        <Money amount={claim.remainder} />
      </dd>
      <dt>机构自审人</dt>
      <dd>{claim.reviewedBy}</dd>
      <dt>状态</dt>
      <dd>
        <Tag code={claim.status} names={CLAIM_STATUS_NAMES} />
      </dd>
    </dl>
  );
}

export function ClaimHistory(props: { claim: Claim }) {
  return (
    <table class="history">
      <caption>办理记录</caption>
      <tbody>
        {props.claim.history.map((event, index) => (
          <tr key={index}>
            <td>{formatTimestamp(event.at)}</td>
            <td>{label(HISTORY_ACTION_NAMES, event.action)}</td>
            <td>{event.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A returned claim the institution leaves uncorrected would hold the child's months for ever: the
 * reviewer may reject it, saying why.
 */
function RejectReturned(props: { claimId: string; onDone(): void }) {
  const [reason, setReason] = useState('');
  const reject = useAction(async () => {
    if (!reason.trim()) throw new ApiError(400, 'VALIDATION_FAILED', 'reason', [{ field: 'reason' }]);
    await api.post(`/claims/${props.claimId}/reject`, { reason: reason.trim() });
    props.onDone();
  });
  return (
    <ActionForm class="form" onSubmit={() => reject.run()}>
      <Field label="机构未更正的，可拒绝此申报（释放其占用的月份）" wide>
        <textarea name="reason" rows={2} value={reason} placeholder="拒绝原因，如：退回后逾期未更正" onInput={(event) => setReason(event.currentTarget.value)} required />
      </Field>
      <ErrorNotice error={reject.error} title="未能拒绝" />
      <div class="actions">
        <button type="submit" class="danger" disabled={reject.running}>
          拒绝此申报
        </button>
      </div>
    </ActionForm>
  );
}

export function ClaimPage(props: PageProps) {
  const claim = useAsync(() => api.get<Claim>(`/claims/${props.params.id}`), [props.params.id]);
  const withdraw = useAction(async () => {
    if (!window.confirm('确定撤回这份申报吗？撤回后不能恢复，可用新的申请号重新申报。')) return;
    await api.post(`/claims/${props.params.id}/withdraw`);
    claim.reload();
  });
  const saved = props.query.get('saved');
  const isInstitution = props.user.role === 'institution';
  return (
    <section>
      <p>
        <a href={href('/claims')}>← 返回申报列表</a>
      </p>
      <h1>申报详情</h1>
      {saved === 'submitted' ? <Success>申报已提交，等待残联审核。</Success> : null}
      {saved === 'resubmitted' ? <Success>修改后的申报已重新提交，等待残联审核。</Success> : null}
      <Loading when={claim.loading} />
      <ErrorNotice error={claim.error} />
      {claim.data?.status === 'returned' ? (
        // The correction starts from the reason: it stands first, not only in the history below.
        <p class="warning" role="note" data-testid="return-reason">
          残联退回原因：<strong>{[...claim.data.history].reverse().find((event) => event.action === 'returned')?.note ?? '（未写明）'}</strong>
          {isInstitution ? '。请按此修改后重新提交。' : ''}
        </p>
      ) : null}
      {claim.data ? (
        <div class="two-columns">
          <div>
            <ClaimFacts claim={claim.data} showInstitution={!isInstitution} />
            {isInstitution && (claim.data.status === 'submitted' || claim.data.status === 'returned') ? (
              <p class="actions">
                {claim.data.status === 'returned' ? (
                  <a class="button" href={href(`/claims/${claim.data.id}/edit`)}>
                    修改并重新提交
                  </a>
                ) : null}
                <button type="button" class="secondary" disabled={withdraw.running} onClick={() => withdraw.run()}>
                  撤回申报
                </button>
              </p>
            ) : null}
            <ErrorNotice error={withdraw.error} />
            {props.user.role === 'reviewer' && claim.data.status === 'returned' ? <RejectReturned claimId={claim.data.id} onDone={() => claim.reload()} /> : null}
            {claim.data.batchId ? (
              <p>
                结算批次：<a href={href(`/batches/${claim.data.batchId}`)}>查看批次</a>
              </p>
            ) : null}
            <ClaimHistory claim={claim.data} />
          </div>
          <aside>
            {claim.data.settlement ? (
              <>
                <h2>审核结算结果</h2>
                <Breakdown preview={claim.data.settlement} approvedAmount={claim.data.settlement.approvedAmount} />
                {claim.data.settlement.note ? <p>审核说明：{claim.data.settlement.note}</p> : null}
              </>
            ) : props.user.role === 'reviewer' && claim.data.status === 'submitted' ? (
              <ReviewPanel claim={claim.data} onDone={() => navigate('/review')} />
            ) : claim.data.status === 'submitted' || claim.data.status === 'returned' ? (
              <>
                <h2>预计救助金额</h2>
                <p>
                  <Money amount={claim.data.estimate.subsidy} strong />
                  <span class="muted">（按提交时的使用情况估算，以审核批准为准）</span>
                </p>
              </>
            ) : null}
          </aside>
        </div>
      ) : null}
    </section>
  );
}
