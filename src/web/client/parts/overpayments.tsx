import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { chinaToday, formatMonthList, formatTimestamp, parseMoneyInput } from '../format.js';
import { useAction, usePagedList } from '../kit/data.js';
import { ActionForm, ConfirmButtons, TextField } from '../kit/form.js';
import { ListPage, type Column } from '../kit/list.js';
import { ErrorNotice } from '../kit/notices.js';
import { Money, Tag } from '../kit/values.js';
import type { OverpaymentBase, User } from '../types.js';
import { OVERPAYMENT_STATUS_NAMES } from '../words.js';

// 应退款 of any monthly programme: what was paid after an exit, and its recovery, the refund of
// what a family repaid beyond it, or its waiver (civil affairs). A waiver one officer asks for
// waits for another to confirm it (security.md §2); the overpayment stays open until then.

type Acting = { id: string; kind: 'recover' | 'refund' | 'waive' } | null;

/** Money that came in (追回) or went back (退还): amount, date and voucher. */
function MovementForm(props: { title: string; amount: string; run(body: { amount: string; on: string; voucherNo: string }): Promise<unknown>; onCancel(): void }) {
  const [amount, setAmount] = useState(props.amount);
  const [on, setOn] = useState(chinaToday());
  const [voucherNo, setVoucherNo] = useState('');
  const record = useAction(async () => {
    const parsed = parseMoneyInput(amount);
    if (!parsed) throw new ApiError(400, 'VALIDATION_FAILED', 'amount', [{ field: 'amount' }]);
    await props.run({ amount: parsed, on, voucherNo: voucherNo.trim() });
  });
  return (
    <ActionForm class="form inline" onSubmit={() => record.run()}>
      <TextField label={`${props.title}金额（元）`} name="amount" inputMode="decimal" value={amount} required onValue={setAmount} />
      <TextField label={`${props.title}日期`} type="date" name="on" value={on} max={chinaToday()} required onValue={setOn} />
      <TextField label="凭证号" name="voucherNo" value={voucherNo} maxLength={100} required onValue={setVoucherNo} />
      <ConfirmButtons label={`登记${props.title}`} running={record.running} onCancel={props.onCancel} />
      <ErrorNotice error={record.error} title="未能登记" />
    </ActionForm>
  );
}

/** The reason of a waiver asked for; another officer confirms it. */
function WaiverForm(props: { run(reason: string): Promise<unknown>; onCancel(): void }) {
  const [reason, setReason] = useState('');
  const ask = useAction(() => props.run(reason.trim()));
  return (
    <ActionForm class="form inline" onSubmit={() => ask.run()}>
      <TextField label="核销原因" hint="须由另一位经办人员确认后生效" name="reason" value={reason} maxLength={500} required wide onValue={setReason} />
      <ConfirmButtons label="申请核销" running={ask.running} onCancel={props.onCancel} />
      <ErrorNotice error={ask.error} title="未能申请核销" />
    </ActionForm>
  );
}

/** The pending waiver, and whose confirmation it waits for (the four-eyes message). */
function PendingWaiver(props: { overpayment: OverpaymentBase; user: User }) {
  const pending = props.overpayment.pendingWaiver;
  if (!pending) return null;
  return (
    <div class="muted" data-testid="pending-waiver">
      核销待确认：{pending.reason}（{pending.requestedBy.name} 于 {formatTimestamp(pending.requestedAt)} 提出
      {pending.requestedBy.id === props.user.id ? '，须由另一位经办人员确认' : ''}）
    </div>
  );
}

/** The row's actions for civil affairs: recover, ask for or confirm a waiver, or record a refund owed to the family. */
function OverpaymentActions(props: { overpayment: OverpaymentBase; path: string; user: User; acting: Acting; setActing(acting: Acting): void; onDone(): void }) {
  const { overpayment, acting, setActing } = props;
  const path = `${props.path}/${overpayment.id}`;
  const done = () => {
    setActing(null);
    props.onDone();
  };
  const confirmWaiver = useAction(async () => {
    await api.post(`${path}/waive/confirm`);
    props.onDone();
  });
  const mine = acting?.id === overpayment.id ? acting.kind : null;
  const cancel = () => setActing(null);
  if (mine === 'recover') return <MovementForm title="追回" amount={overpayment.remaining} run={(body) => api.post(`${path}/recoveries`, body).then(done)} onCancel={cancel} />;
  if (mine === 'refund') return <MovementForm title="退还" amount={overpayment.refundDue} run={(body) => api.post(`${path}/refunds`, body).then(done)} onCancel={cancel} />;
  if (mine === 'waive') return <WaiverForm run={(reason) => api.post(`${path}/waive`, { reason }).then(done)} onCancel={cancel} />;
  const open = overpayment.status === 'open' || overpayment.status === 'partially_recovered';
  const pending = overpayment.pendingWaiver;
  const confirmable = pending !== null && pending.requestedBy.id !== props.user.id;
  return (
    <div class="row-actions">
      {open ? (
        <>
          <button type="button" class="link" onClick={() => setActing({ id: overpayment.id, kind: 'recover' })}>
            登记追回
          </button>
          {confirmable ? (
            <button type="button" class="link" disabled={confirmWaiver.running} onClick={() => confirmWaiver.run()}>
              确认核销
            </button>
          ) : (
            <button type="button" class="link" onClick={() => setActing({ id: overpayment.id, kind: 'waive' })}>
              {pending ? '重新申请核销' : '申请核销'}
            </button>
          )}
        </>
      ) : null}
      {overpayment.status === 'refund_due' ? (
        <button type="button" class="link" onClick={() => setActing({ id: overpayment.id, kind: 'refund' })}>
          登记退还
        </button>
      ) : null}
      <ErrorNotice error={confirmWaiver.error} title="未能确认核销" />
    </div>
  );
}

/** The overpayments of a programme (`path`: its API list), its payee column the programme's. */
export function OverpaymentList<Row extends OverpaymentBase>(props: { title: string; path: string; payee: Column<Row>; user: User }) {
  const list = usePagedList<Row>(props.path, {});
  const [acting, setActing] = useState<Acting>(null);
  return (
    <ListPage
      title={props.title}
      list={list}
      empty="没有应退款。"
      testId="overpayments"
      columns={[
        props.payee,
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
              {overpayment.refundDue !== '0.00' ? (
                <div class="muted">
                  多收 <Money amount={overpayment.refundDue} /> 待退还家庭
                </div>
              ) : null}
              <PendingWaiver overpayment={overpayment} user={props.user} />
            </>
          ),
        },
        props.user.role === 'civil_affairs' && {
          cell: (overpayment) => <OverpaymentActions overpayment={overpayment} path={props.path} user={props.user} acting={acting} setActing={setActing} onDone={list.reload} />,
        },
      ]}
    />
  );
}
