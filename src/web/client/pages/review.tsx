import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { formatMoney, formatTimestamp, parseMoneyInput } from '../format.js';
import type { PageProps } from '../main.js';
import { href } from '../router.js';
import type { Claim, Preview } from '../types.js';
import { ActionForm, Breakdown, ChildName, Empty, EntitlementTable, ErrorNotice, Field, InstitutionName, Loading, Money, Pager, serviceLabel, Success, useAction, useAsync, usePagedList } from '../ui.js';
import { ClaimFacts, ClaimHistory, claimPeriod } from './claims.js';

// The reviewer's queue: claims waiting for review, oldest first (the API lists by id, and ids
// are time-ordered). Each shows what approval would pay now and what the child has used this year.

function previewBodyOf(claim: Claim) {
  return {
    childId: claim.childId,
    service: claim.service,
    deviceKind: claim.deviceKind ?? undefined,
    periodFrom: claim.periodFrom ?? undefined,
    periodTo: claim.periodTo ?? undefined,
    serviceDate: claim.serviceDate ?? undefined,
    freeIssued: claim.freeIssued || undefined,
    grossCost: claim.grossCost,
    deductions: claim.deductions,
  };
}

type Decision = 'approve' | 'adjust' | 'return' | 'reject';

const DECISION_DONE: Record<Decision, string> = {
  approve: '已批准',
  adjust: '已按核减后的金额批准',
  return: '已退回机构修改',
  reject: '已拒绝',
};

export function ReviewPanel(props: { claim: Claim; onDone(message: string): void }) {
  const { claim } = props;
  const preview = useAsync(() => api.post<Preview>('/settlements/preview', previewBodyOf(claim)), [claim.id]);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [amount, setAmount] = useState('');
  const [text, setText] = useState('');
  useEffect(() => {
    setDecision(null);
    setAmount('');
    setText('');
  }, [claim.id]);

  const act = useAction(async (chosen: Decision) => {
    if (chosen === 'approve') await api.post(`/claims/${claim.id}/approve`);
    if (chosen === 'adjust') {
      const parsed = parseMoneyInput(amount);
      if (!parsed) throw new ApiError(400, 'VALIDATION_FAILED', 'amount', [{ field: 'amount' }]);
      if (!text.trim()) throw new ApiError(400, 'VALIDATION_FAILED', 'note', [{ field: 'note' }]);
      await api.post(`/claims/${claim.id}/approve`, { amount: parsed, note: text.trim() });
    }
    if (chosen === 'return' || chosen === 'reject') {
      if (!text.trim()) throw new ApiError(400, 'VALIDATION_FAILED', 'reason', [{ field: 'reason' }]);
      if (chosen === 'return') await api.post(`/claims/${claim.id}/return`, { reason: text.trim() });
      else await api.post(`/claims/${claim.id}/reject`, { reason: text.trim() });
    }
    props.onDone(`${claim.externalRef}：${DECISION_DONE[chosen]}。`);
  });

  const year = Number((claim.periodTo ?? claim.serviceDate ?? '').slice(0, 4));
  return (
    <div class="review-panel">
      <h2>按现行标准的结算</h2>
      <Loading when={preview.loading} />
      <ErrorNotice error={preview.error} title="按现行标准该申报不能批准" />
      {preview.data ? <Breakdown preview={preview.data} /> : null}
      <EntitlementTable childId={claim.childId} year={year} />
      <div class="decisions" role="group" aria-label="审核决定">
        <button type="button" disabled={act.running || !preview.data} onClick={() => act.run('approve')}>
          批准 {preview.data ? formatMoney(preview.data.subsidy) : ''}
        </button>
        <button type="button" class="secondary" onClick={() => setDecision('adjust')}>
          核减金额
        </button>
        <button type="button" class="secondary" onClick={() => setDecision('return')}>
          退回修改
        </button>
        <button type="button" class="danger" onClick={() => setDecision('reject')}>
          拒绝
        </button>
      </div>
      {decision && decision !== 'approve' ? (
        <ActionForm class="form decision-form" onSubmit={() => act.run(decision)}>
          {decision === 'adjust' ? (
            <Field label="批准金额（元）" hint={preview.data ? `不能超过按标准可给予的 ${formatMoney(preview.data.subsidy)}` : undefined}>
              <input name="amount" inputMode="decimal" value={amount} onInput={(event) => setAmount(event.currentTarget.value)} required />
            </Field>
          ) : null}
          <Field label={decision === 'adjust' ? '核减说明（机构可见）' : decision === 'return' ? '退回原因（机构据此修改）' : '拒绝原因（机构可见）'} wide>
            <textarea name="reason" rows={3} value={text} onInput={(event) => setText(event.currentTarget.value)} required />
          </Field>
          <div class="actions">
            <button type="submit" class={decision === 'reject' ? 'danger' : undefined} disabled={act.running}>
              {decision === 'adjust' ? '按此金额批准' : decision === 'return' ? '确认退回' : '确认拒绝'}
            </button>
            <button type="button" class="link" onClick={() => setDecision(null)}>
              取消
            </button>
          </div>
        </ActionForm>
      ) : null}
      <ErrorNotice error={act.error} title="未能办理" />
    </div>
  );
}

export function ReviewQueuePage(_props: PageProps) {
  const list = usePagedList<Claim>('/claims', { status: 'submitted' });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const selected = list.items.find((claim) => claim.id === selectedId) ?? list.items[0] ?? null;
  return (
    <section>
      <h1>待审核申报</h1>
      <p class="muted">按提交先后排列，先提交的在前。</p>
      {done ? <Success>{done}</Success> : null}
      <Loading when={list.loading && list.items.length === 0} />
      <ErrorNotice error={list.error} />
      {!list.loading && list.items.length === 0 && !list.error ? <Empty>没有等待审核的申报。</Empty> : null}
      {list.items.length > 0 ? (
        <div class="queue">
          <div>
            <table class="list selectable">
              <thead>
                <tr>
                  <th>提交时间</th>
                  <th>儿童</th>
                  <th>机构</th>
                  <th>项目</th>
                  <th class="num">预计</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((claim) => (
                  <tr key={claim.id} class={claim.id === selected?.id ? 'selected' : undefined} onClick={() => setSelectedId(claim.id)}>
                    <td>
                      <a
                        href={href(`/claims/${claim.id}`)}
                        onClick={(event) => {
                          event.preventDefault();
                          setSelectedId(claim.id);
                        }}
                      >
                        {formatTimestamp(claim.submittedAt)}
                      </a>
                    </td>
                    <td>
                      <ChildName id={claim.childId} />
                    </td>
                    <td>
                      <InstitutionName id={claim.institutionId} />
                    </td>
                    <td>
                      {serviceLabel(claim.service, claim.deviceKind)} {claimPeriod(claim)}
                    </td>
                    <td class="num">
                      <Money amount={claim.estimate.subsidy} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager list={list} />
          </div>
          {selected ? (
            <article class="claim-review" data-testid="review-claim">
              <ClaimFacts claim={selected} showInstitution />
              <ReviewPanel
                claim={selected}
                onDone={(message) => {
                  setDone(message);
                  setSelectedId(null);
                  list.reload();
                }}
              />
              <ClaimHistory claim={selected} />
            </article>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
