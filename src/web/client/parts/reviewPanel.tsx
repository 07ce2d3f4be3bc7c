import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { formatMoney, parseMoneyInput } from '../format.js';
import type { Claim, Preview } from '../types.js';
import { useAction, useAsync } from '../kit/data.js';
import { ActionForm, ConfirmButtons, Field, TextField } from '../kit/form.js';
import { ErrorNotice, Loading } from '../kit/notices.js';
import { AmountFlag, amountFlag, bindingRules } from './approvalCheck.js';
import { EvidencePanel } from './evidence.js';
import { Breakdown, EntitlementTable } from './settlement.js';

// A reviewer's decision on one claim, on the claim page and beside the review queue: what approval
// would pay now and what the child has used this year, then approve, approve less with a note,
// return or reject.

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
    if (chosen === 'approve') {
      // The amount approved is computed again under the child's lock: said as it came out.
      const approved = await api.post<Claim>(`/claims/${claim.id}/approve`);
      const flag = approved.settlement ? amountFlag(approved.settlement.approvedAmount, claim.estimate.subsidy, approved.settlement.reasons) : null;
      props.onDone(`${claim.externalRef}：已批准 ${formatMoney(approved.approvedAmount)}${flag ? `（${flag.text}）` : ''}。`);
      return;
    }
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
  const missing = claim.evidenceMissing;
  return (
    <div class="review-panel">
      {/* The decision comes first, in view without scrolling; the figures it rests on follow. */}
      <div class="decisions" role="group" aria-label="审核决定">
        <button type="button" disabled={act.running || !preview.data || missing.length > 0} title={missing.length > 0 ? '缺少佐证材料，补齐后方可批准' : undefined} onClick={() => setDecision('approve')}>
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
      {decision === 'approve' && preview.data ? (
        // The confirm step says what will be paid, and flags a zero or reduced amount with its rule.
        <div class="form decision-form confirm" role="alertdialog" aria-label="确认批准" data-testid="approve-confirm">
          <p>
            按现行标准和该儿童已用额度，将批准 <strong>{formatMoney(preview.data.subsidy)}</strong>
            {bindingRules(preview.data.reasons) ? `（${bindingRules(preview.data.reasons)}）` : ''}。
          </p>
          <AmountFlag amount={preview.data.subsidy} estimate={claim.estimate.subsidy} reasons={preview.data.reasons} />
          <div class="actions">
            <ConfirmButtons label={`确认批准 ${formatMoney(preview.data.subsidy)}`} running={act.running} onConfirm={() => act.run('approve')} onCancel={() => setDecision(null)} />
          </div>
        </div>
      ) : null}
      {decision && decision !== 'approve' ? (
        <ActionForm class="form decision-form" onSubmit={() => act.run(decision)}>
          {decision === 'adjust' ? (
            <TextField label="批准金额（元）" hint={preview.data ? `不能超过按标准可给予的 ${formatMoney(preview.data.subsidy)}` : undefined} name="amount" inputMode="decimal" value={amount} required onValue={setAmount} />
          ) : null}
          <Field label={decision === 'adjust' ? '核减说明（机构可见）' : decision === 'return' ? '退回原因（机构据此修改）' : '拒绝原因（机构可见）'} wide>
            <textarea name="reason" rows={3} value={text} onInput={(event) => setText(event.currentTarget.value)} required />
          </Field>
          <div class="actions">
            <ConfirmButtons
              label={decision === 'adjust' ? '按此金额批准' : decision === 'return' ? '确认退回' : '确认拒绝'}
              danger={decision === 'reject'}
              running={act.running}
              onCancel={() => setDecision(null)}
            />
          </div>
        </ActionForm>
      ) : null}
      <ErrorNotice error={act.error} title="未能办理" />
      <EvidencePanel claimId={claim.id} canChange={false} forInstitution={false} />
      <h2>按现行标准的结算</h2>
      <Loading when={preview.loading} />
      <ErrorNotice error={preview.error} title="按现行标准该申报不能批准" />
      {preview.data ? <Breakdown preview={preview.data} /> : null}
      <EntitlementTable childId={claim.childId} year={year} />
    </div>
  );
}
