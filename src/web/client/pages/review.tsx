import { useState } from 'preact/hooks';
import { chinaToday, formatDate, formatTimestamp } from '../format.js';
import { usePagedList } from '../kit/data.js';
import { Pager } from '../kit/list.js';
import { Empty, ErrorNotice, Loading, Success } from '../kit/notices.js';
import { DueDate, Money } from '../kit/values.js';
import { ClaimFacts, ClaimHistory, claimPeriod } from '../parts/claim.js';
import { ChildName } from '../parts/names.js';
import { BulkApprovalBar } from '../parts/bulkApproval.js';
import { ReviewPanel } from '../parts/reviewPanel.js';
import { serviceLabel } from '../parts/settlement.js';
import { href } from '../router.js';
import type { Claim, PageProps } from '../types.js';

// The reviewer's queue: claims waiting for review by due date, the earliest first (the API lists
// submitted claims by the time of their latest submission, which within a region is the order of
// due dates). Each shows what approval would pay now and what the child has used this year; ticked
// claims can be approved together.

/** Whole days from a China date to today (China): how long a claim has waited. */
function daysSince(date: string): number {
  return Math.max(0, Math.round((Date.parse(`${chinaToday()}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000));
}

export function ReviewQueuePage(_props: PageProps) {
  const [onlyOverdue, setOnlyOverdue] = useState(false);
  const list = usePagedList<Claim>('/claims', { status: 'submitted', overdue: onlyOverdue ? 'true' : undefined });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [done, setDone] = useState<string | null>(null);
  const selected = list.items.find((claim) => claim.id === selectedId) ?? list.items[0] ?? null;
  const tickedClaims = list.items.filter((claim) => ticked.has(claim.id));
  const toggle = (id: string, on: boolean) => setTicked((current) => {
    const next = new Set(current);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  });
  const allTicked = list.items.length > 0 && list.items.every((claim) => ticked.has(claim.id));
  return (
    <section>
      <h1>待审核申报</h1>
      <p class="muted">按办结期限排列，最早到期的在前；期限是提交（或退回后重新提交）后的第 5 个工作日，地区另有规定的从其规定。</p>
      <label class="check">
        <input type="checkbox" name="onlyOverdue" checked={onlyOverdue} onChange={(event) => setOnlyOverdue(event.currentTarget.checked)} />
        只看逾期
      </label>
      {done ? <Success>{done}</Success> : null}
      <BulkApprovalBar
        claims={tickedClaims}
        onCancel={() => setTicked(new Set())}
        onApproved={() => {
          setDone(null);
          setTicked(new Set());
          setSelectedId(null);
          list.reload();
        }}
      />
      <Loading when={list.loading && list.items.length === 0} />
      <ErrorNotice error={list.error} />
      {!list.loading && list.items.length === 0 && !list.error ? <Empty>{onlyOverdue ? '没有逾期的申报。' : '没有等待审核的申报。'}</Empty> : null}
      {list.items.length > 0 ? (
        <div class="queue">
          <div class="queue-list">
            <table class="list selectable">
              <thead>
                <tr>
                  <th class="check-cell">
                    <input
                      type="checkbox"
                      aria-label="选择本页全部"
                      checked={allTicked}
                      onChange={(event) => setTicked(event.currentTarget.checked ? new Set(list.items.map((claim) => claim.id)) : new Set())}
                    />
                  </th>
                  <th>结算申请号</th>
                  <th>儿童</th>
                  <th>项目</th>
                  <th class="num">预计</th>
                  <th class="num">已等</th>
                  <th>办结期限</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((claim) => (
                  <tr key={claim.id} class={claim.id === selected?.id ? 'selected' : undefined} onClick={() => setSelectedId(claim.id)}>
                    <td class="check-cell" onClick={(event) => event.stopPropagation()}>
                      <input type="checkbox" aria-label={`选择 ${claim.externalRef}`} checked={ticked.has(claim.id)} onChange={(event) => toggle(claim.id, event.currentTarget.checked)} />
                    </td>
                    <td class="cut" title={claim.externalRef}>
                      <a
                        href={href(`/claims/${claim.id}`)}
                        onClick={(event) => {
                          event.preventDefault();
                          setSelectedId(claim.id);
                        }}
                      >
                        {claim.externalRef}
                      </a>
                    </td>
                    <td class="cut">
                      <ChildName id={claim.childId} />
                    </td>
                    <td class="two-lines cut" title={serviceLabel(claim.service, claim.deviceKind)}>
                      {serviceLabel(claim.service, claim.deviceKind)}
                      <br />
                      <span class="muted">{claimPeriod(claim)}</span>
                    </td>
                    <td class="num">
                      <Money amount={claim.estimate.subsidy} />
                    </td>
                    <td class="num" data-testid="waiting-days">
                      {daysSince(claim.receivedOn)} 天
                    </td>
                    <td>
                      <DueDate timing={claim} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager list={list} />
          </div>
          {selected ? (
            <article class="claim-review" data-testid="review-claim">
              <h2>
                {selected.externalRef}
                <span class="muted">
                  　提交于 {formatTimestamp(selected.submittedAt)}，应于 {formatDate(selected.dueOn)} 前审核
                  {selected.overdue ? '（已逾期）' : ''}
                </span>
              </h2>
              <ReviewPanel
                claim={selected}
                onDone={(message) => {
                  setDone(message);
                  setSelectedId(null);
                  list.reload();
                }}
              />
              <ClaimFacts claim={selected} showInstitution />
              <ClaimHistory claim={selected} />
            </article>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
