import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { formatTimestamp } from '../format.js';
import { useAction, useAsync, usePagedList } from '../kit/data.js';
import { DownloadButton } from '../kit/download.js';
import { ActionForm, Field, TextField } from '../kit/form.js';
import { BackLink, ListPage, StatusFilters } from '../kit/list.js';
import { ErrorNotice, Loading, Success } from '../kit/notices.js';
import { Money } from '../kit/values.js';
import { ClaimFacts, ClaimHistory, claimPeriodColumn, claimRefColumn, claimStatusColumn } from '../parts/claim.js';
import { ChildName, InstitutionName, InstitutionOptions, useInstitutions } from '../parts/names.js';
import { EvidencePanel } from '../parts/evidence.js';
import { ReviewPanel } from '../parts/reviewPanel.js';
import { Breakdown, serviceLabel } from '../parts/settlement.js';
import { href, navigate } from '../router.js';
import type { Claim, PageProps } from '../types.js';

const STATUS_FILTERS = [
  ['', '全部'],
  ['submitted', '待审核'],
  ['returned', '已退回'],
  ['approved', '已批准'],
  ['batched', '已入批次'],
  ['paid', '已支付'],
  ['rejected', '已拒绝'],
  ['withdrawn', '已撤回'],
] as const;

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
      <TextField label="儿童" name="child" placeholder="姓名或身份证号片段" value={draft.child ?? ''} onValue={(value) => set('child', value)} />
      <TextField label="结算申请号" name="externalRef" placeholder="全部或开头部分" value={draft.externalRef ?? ''} onValue={(value) => set('externalRef', value)} />
      <TextField label="服务月份自" type="month" name="from" value={draft.from ?? ''} onValue={(value) => set('from', value)} />
      <TextField label="至" type="month" name="to" value={draft.to ?? ''} onValue={(value) => set('to', value)} />
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
    <ListPage
      title={isReviewer ? '全部申报' : '申报记录'}
      list={list}
      empty="没有符合条件的申报。"
      columns={[
        claimRefColumn,
        { title: '儿童', cell: (claim) => <ChildName id={claim.childId} /> },
        isReviewer && { title: '机构', cell: (claim) => <InstitutionName id={claim.institutionId} /> },
        { title: '救助项目', cell: (claim) => serviceLabel(claim.service, claim.deviceKind) },
        claimPeriodColumn,
        { title: '总费用', num: true, cell: (claim) => <Money amount={claim.grossCost} /> },
        { title: '救助金额', num: true, cell: (claim) => <ClaimAmount claim={claim} /> },
        claimStatusColumn,
        { title: '提交时间', cell: (claim) => formatTimestamp(claim.submittedAt) },
      ]}
    >
      <StatusFilters label="按状态筛选" options={STATUS_FILTERS} current={status} link={(code) => href('/claims', { ...filters, status: code })} />
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
    </ListPage>
  );
}

/** The approved amount; while under review the estimate, marked as one; nothing for a claim refused or withdrawn. */
function ClaimAmount(props: { claim: Claim }) {
  const { claim } = props;
  if (claim.approvedAmount) return <Money amount={claim.approvedAmount} />;
  if (claim.status !== 'submitted' && claim.status !== 'returned') return <>—</>;
  return (
    <span class="muted" title="预计金额，以审核为准">
      <Money amount={claim.estimate.subsidy} />（预计）
    </span>
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
      <BackLink to="/claims" label="返回申报列表" />
      <h1>申报详情</h1>
      {saved === 'submitted' ? <Success>申报已提交，等待残联审核。</Success> : null}
      {saved === 'resubmitted' ? <Success>修改后的申报已重新提交，等待残联审核。</Success> : null}
      {props.query.get('evidenceFailed') ? (
        <p class="error" role="alert">
          有 {props.query.get('evidenceFailed')} 个佐证材料未能上传，请在下方“佐证材料”中重新上传。
        </p>
      ) : null}
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
            {/* A reviewer deciding the claim sees its files in the decision panel. */}
            {isInstitution || (props.user.role === 'reviewer' && claim.data.status !== 'submitted') ? (
              <EvidencePanel
                claimId={claim.data.id}
                canChange={isInstitution && (claim.data.status === 'submitted' || claim.data.status === 'returned')}
                forInstitution={isInstitution}
                onChange={() => claim.reload()}
              />
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
