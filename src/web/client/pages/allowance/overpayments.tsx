import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api.js';
import { chinaToday, formatMonthList, parseMoneyInput } from '../../format.js';
import { useAction, usePagedList } from '../../kit/data.js';
import { ActionForm, TextField } from '../../kit/form.js';
import { ListPage } from '../../kit/list.js';
import { ErrorNotice } from '../../kit/notices.js';
import { Money, Tag } from '../../kit/values.js';
import { beneficiaryColumn } from '../../parts/allowance.js';
import type { Overpayment, PageProps } from '../../types.js';
import { OVERPAYMENT_STATUS_NAMES } from '../../words.js';

// 应退款: what was paid after an exit, and its recovery or waiver (civil affairs).

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
  const waive = useAction(async (id: string) => {
    const reason = window.prompt('核销原因');
    if (!reason) return;
    await api.post(`/allowance/overpayments/${id}/waive`, { reason });
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
        { title: '状态', cell: (overpayment) => <Tag code={overpayment.status} names={OVERPAYMENT_STATUS_NAMES} /> },
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
                <button type="button" class="link" onClick={() => waive.run(overpayment.id)}>
                  核销
                </button>
              </>
            ),
        },
      ]}
    >
      <ErrorNotice error={waive.error} />
    </ListPage>
  );
}
