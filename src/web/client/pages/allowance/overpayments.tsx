import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api.js';
import { chinaToday, formatMonthList, formatTimestamp, parseMoneyInput } from '../../format.js';
import { useAction, usePagedList } from '../../kit/data.js';
import { ActionForm, TextField } from '../../kit/form.js';
import { ListPage } from '../../kit/list.js';
import { ErrorNotice } from '../../kit/notices.js';
import { Money, Tag } from '../../kit/values.js';
import { beneficiaryColumn } from '../../parts/allowance.js';
import type { Overpayment, PageProps } from '../../types.js';
import { OVERPAYMENT_STATUS_NAMES } from '../../words.js';

// 应退款: what was paid after an exit, and its recovery or waiver (civil affairs): a waiver one officer
// asks for waits for another to confirm it, and the overpayment stays open until then.

function RecoveryForm(props: { overpayment: Overpayment; onDone(): void }) {
  const [amount, setAmount] = useState(props.overpayment.remaining);
  const [on, setOn] = useState(chinaToday());
  const [voucherNo, setVoucherNo] = useState('');
  const recover = useAction(async () => {
    const parsed = parseMoneyInput(amount);
    if (!parsed) throw new ApiError(400, 'VALIDATION_FAILED', 'amount', [{ field: 'amount' }]);
    await api.post(`/allowance/overpayments/${props.overpayment.id}/recoveries`, { amount: parsed, on, voucherNo: voucherNo.trim() });
    props.onDone();
  });
  return (
    <ActionForm class="form inline" onSubmit={() => recover.run()}>
      <TextField label="追回金额（元）" name="amount" inputMode="decimal" value={amount} required onValue={setAmount} />
      <TextField label="追回日期" type="date" name="on" value={on} required onValue={setOn} />
      <TextField label="凭证号" name="voucherNo" value={voucherNo} required onValue={setVoucherNo} />
      <button type="submit" disabled={recover.running}>
        登记追回
      </button>
      <ErrorNotice error={recover.error} title="未能登记" />
    </ActionForm>
  );
}

export function OverpaymentsPage(props: PageProps) {
  const list = usePagedList<Overpayment>('/allowance/overpayments', {});
  const [recovering, setRecovering] = useState<string | null>(null);
  // A waiver is asked for by one officer and confirmed by another (security.md §2).
  const waive = useAction(async (id: string) => {
    const reason = window.prompt('核销原因（须由另一位经办人员确认后生效）');
    if (!reason) return;
    await api.post(`/allowance/overpayments/${id}/waive`, { reason });
    list.reload();
  });
  const confirmWaiver = useAction(async (id: string) => {
    await api.post(`/allowance/overpayments/${id}/waive/confirm`);
    list.reload();
  });
  return (
    <ListPage
      title="应退款（退出后多发）"
      list={list}
      empty="没有应退款。"
      columns={[
        beneficiaryColumn(),
        { title: '月份', cell: (overpayment) => formatMonthList(overpayment.months) },
        { title: '应退', num: true, cell: (overpayment) => <Money amount={overpayment.amount} /> },
        { title: '已追回', num: true, cell: (overpayment) => <Money amount={overpayment.recovered} /> },
        { title: '尚欠', num: true, cell: (overpayment) => <Money amount={overpayment.remaining} /> },
        {
          title: '状态',
          cell: (overpayment) => (
            <>
              <Tag code={overpayment.status} names={OVERPAYMENT_STATUS_NAMES} />
              {overpayment.waiveReason ? `（${overpayment.waiveReason}）` : ''}
              {overpayment.pendingWaiver ? (
                <div class="muted" data-testid="pending-waiver">
                  核销待确认：{overpayment.pendingWaiver.reason}（{overpayment.pendingWaiver.requestedBy.name} 于 {formatTimestamp(overpayment.pendingWaiver.requestedAt)} 提出
                  {overpayment.pendingWaiver.requestedBy.id === props.user.id ? '，须由另一位经办人员确认' : ''}）
                </div>
              ) : null}
            </>
          ),
        },
        props.user.role === 'civil_affairs' && {
          cell: (overpayment) =>
            overpayment.status !== 'open' && overpayment.status !== 'partially_recovered' ? null : recovering === overpayment.id ? (
              <RecoveryForm
                overpayment={overpayment}
                onDone={() => {
                  setRecovering(null);
                  list.reload();
                }}
              />
            ) : (
              <>
                <button type="button" class="link" onClick={() => setRecovering(overpayment.id)}>
                  登记追回
                </button>
                {overpayment.pendingWaiver && overpayment.pendingWaiver.requestedBy.id !== props.user.id ? (
                  <button type="button" class="link" disabled={confirmWaiver.running} onClick={() => confirmWaiver.run(overpayment.id)}>
                    确认核销
                  </button>
                ) : (
                  <button type="button" class="link" onClick={() => waive.run(overpayment.id)}>
                    {overpayment.pendingWaiver ? '重新申请核销' : '申请核销'}
                  </button>
                )}
              </>
            ),
        },
      ]}
    >
      <ErrorNotice error={waive.error} />
      <ErrorNotice error={confirmWaiver.error} title="未能确认核销" />
    </ListPage>
  );
}
