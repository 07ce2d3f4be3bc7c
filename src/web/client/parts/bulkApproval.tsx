import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { addMoney, formatMoney } from '../format.js';
import { useAction } from '../kit/data.js';
import { ErrorNotice } from '../kit/notices.js';
import { Money } from '../kit/values.js';
import type { ApprovalResult, BulkApproval, Claim } from '../types.js';
import { errorMessage } from '../words.js';
import { AmountFlag, amountFlag } from './approvalCheck.js';
import { ChildName } from './names.js';

// Approving the claims ticked in the queue together (批量审核). Before anything is approved the
// service says what each claim would get now, in order (POST /claims/approve/preview: a claim an
// earlier one caps to 0.00 shows 0.00); zero and reduced amounts are flagged with the rule that
// binds, and the reviewer can leave any claim out (the others are computed again). The result then
// lists every claim with the amount it was approved at, or why it was not.

/** A claim of the block: whether the reviewer keeps it in, and what it gets (null while computed again). */
interface Row {
  claimId: string;
  included: boolean;
  result: ApprovalResult | null;
}

function ResultTable(props: { claims: Claim[]; rows: Row[]; onToggle?(claimId: string, on: boolean): void; testId: string }) {
  const byId = new Map(props.claims.map((claim) => [claim.id, claim]));
  return (
    <div class="table-scroll">
      <table class="list" data-testid={props.testId}>
        <thead>
          <tr>
            {props.onToggle ? <th class="check-cell">批准</th> : null}
            <th>结算申请号</th>
            <th>儿童</th>
            <th class="num">预计</th>
            <th class="num">{props.onToggle ? '本次批准金额' : '批准金额'}</th>
            <th>说明</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(({ claimId, included, result }) => {
            const claim = byId.get(claimId);
            const flagged = included && result?.status === 'approved' && amountFlag(result.approvedAmount, result.estimate, result.reasons);
            return (
              <tr key={claimId} class={flagged ? `flagged flagged-${flagged.kind}` : result?.status === 'refused' ? 'refused' : included ? undefined : 'left-out'}>
                {props.onToggle ? (
                  <td class="check-cell">
                    {result?.status === 'refused' ? null : (
                      <input type="checkbox" aria-label={`批准 ${claim?.externalRef ?? ''}`} checked={included} onChange={(event) => props.onToggle!(claimId, event.currentTarget.checked)} />
                    )}
                  </td>
                ) : null}
                <td>{claim?.externalRef ?? claimId}</td>
                <td>{claim ? <ChildName id={claim.childId} /> : '—'}</td>
                <td class="num">{claim ? <Money amount={claim.estimate.subsidy} /> : '—'}</td>
                <td class="num">{included && result?.status === 'approved' ? <Money amount={result.approvedAmount} strong /> : '—'}</td>
                <td>
                  {!included ? (
                    <span class="muted">本次不批准（留在待审核中）</span>
                  ) : result === null ? (
                    <span class="muted">正在计算…</span>
                  ) : result.status === 'approved' ? (
                    <AmountFlag amount={result.approvedAmount} estimate={result.estimate} reasons={result.reasons} />
                  ) : (
                    <span class="amount-flag amount-flag-refused">不能批准：{errorMessage(result.error.code)}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function BulkApprovalBar(props: { claims: Claim[]; onApproved(): void; onCancel(): void }) {
  const { claims } = props;
  const [checking, setChecking] = useState(false);
  // The claims the reviewer keeps in the block (all of those ticked, to begin with).
  const [included, setIncluded] = useState<ReadonlySet<string>>(new Set());
  const [preview, setPreview] = useState<BulkApproval | null>(null);
  const [outcome, setOutcome] = useState<BulkApproval | null>(null);
  const [outcomeClaims, setOutcomeClaims] = useState<Claim[]>([]);
  const estimated = addMoney(...claims.map((claim) => claim.estimate.subsidy));
  const order = claims.map((claim) => claim.id);

  // The amounts of those left in, computed again whenever the block changes (leaving one out gives
  // the child's later claims back what it would have used).
  const check = useAction(async (ids: string[]) => setPreview(ids.length > 0 ? await api.post<BulkApproval>('/claims/approve/preview', { claimIds: ids }) : null));
  const chosen = order.filter((id) => included.has(id));
  useEffect(() => {
    if (checking) void check.run(chosen);
  }, [checking, chosen.join()]);

  const approve = useAction(async () => {
    const result = await api.post<BulkApproval>('/claims/approve', { claimIds: chosen });
    setOutcomeClaims(claims);
    setOutcome(result);
    setChecking(false);
    props.onApproved();
  });

  if (outcome) {
    const flagged = outcome.results.filter((result) => result.status === 'approved' && amountFlag(result.approvedAmount, result.estimate, result.reasons)).length;
    return (
      <div class="bulk-bar bulk-outcome" data-testid="bulk-outcome" role="status">
        <p>
          <strong>
            已批准 {outcome.summary.approved} 条，合计 {formatMoney(outcome.summary.total)}
            {outcome.summary.refused > 0 ? `；${outcome.summary.refused} 条未能批准` : ''}
            {flagged > 0 ? `；其中 ${flagged} 条为零元或少于预计` : ''}。
          </strong>
          逐条结果：
        </p>
        <ResultTable claims={outcomeClaims} rows={outcome.results.map((result) => ({ claimId: result.claimId, included: true, result }))} testId="bulk-outcome-table" />
        <button type="button" class="secondary" onClick={() => setOutcome(null)}>
          关闭
        </button>
      </div>
    );
  }
  if (claims.length === 0) return null;
  const approvable = preview?.results.filter((result) => result.status === 'approved') ?? [];
  const flaggedNow = approvable.filter((result) => result.status === 'approved' && amountFlag(result.approvedAmount, result.estimate, result.reasons)).length;
  return (
    <div class="bulk-bar" data-testid="bulk-approval">
      <span>
        已选 {claims.length} 条，预计合计 <strong>{formatMoney(estimated)}</strong>
      </span>
      {checking ? (
        <div class="bulk-check" role="alertdialog" aria-label="批准前逐条核对">
          <p>
            按现行标准和儿童已用额度，逐条计算的批准金额如下（按所列顺序批准，前一条用去的额度后一条不能再用）。
            {flaggedNow > 0 ? <strong class="amount-flag amount-flag-zero">其中 {flaggedNow} 条为零元或少于预计，请逐条核对；不批准的请取消勾选。</strong> : null}
          </p>
          {check.running && !preview ? <p class="muted">正在计算…</p> : null}
          {preview || chosen.length === 0 ? (
            <ResultTable
              claims={claims}
              rows={order.map((id) => ({ claimId: id, included: included.has(id), result: preview?.results.find((result) => result.claimId === id) ?? null }))}
              onToggle={(id, on) => setIncluded(toggled(included, id, on))}
              testId="bulk-preview"
            />
          ) : null}
          <ErrorNotice error={check.error} title="未能计算" />
          <p class="actions">
            <button type="button" disabled={approve.running || check.running || approvable.length === 0} onClick={() => approve.run()}>
              {check.running ? '正在重新计算…' : `确认批准 ${approvable.length} 条，合计 ${formatMoney(preview?.summary.total ?? '0')}`}
            </button>
            <button type="button" class="link" onClick={() => setChecking(false)}>
              取消
            </button>
          </p>
        </div>
      ) : (
        <>
          <button
            type="button"
            onClick={() => {
              setIncluded(new Set(order));
              setPreview(null);
              setChecking(true);
            }}
          >
            批量批准（先逐条核对金额）
          </button>
          <button type="button" class="link" onClick={props.onCancel}>
            清除选择
          </button>
        </>
      )}
      <ErrorNotice error={approve.error} title="未能批量批准" />
    </div>
  );
}

function toggled(set: ReadonlySet<string>, id: string, on: boolean): ReadonlySet<string> {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}
