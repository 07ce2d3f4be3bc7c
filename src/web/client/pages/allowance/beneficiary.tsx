import { api } from '../../api.js';
import { chinaToday, formatDate, formatMonth, formatTimestamp } from '../../format.js';
import { useAsync } from '../../kit/data.js';
import { fieldsOf, selectField, StepAction, textField } from '../../kit/form.js';
import { Table } from '../../kit/list.js';
import { Empty, RecordPending } from '../../kit/notices.js';
import { BankAccount, Money, Tag } from '../../kit/values.js';
import { PaidMonths } from '../../parts/allowance.js';
import { href } from '../../router.js';
import type { Beneficiary, PageProps } from '../../types.js';
import { BENEFICIARY_STATUS_NAMES, EXIT_REASON_NAMES, HOLD_REASON_NAMES, label, MONTH_STATUS_NAMES, TIER_NAMES } from '../../words.js';

// One beneficiary of the care allowance: the record, its holds, the actions of civil affairs
// (approve what another enrolled, verify, change tier, hold and release, exit; verify, hold and
// release also on an ended or exited record while it has months due) and of the reviewer and civil
// affairs (ask for a new bank account; confirm one another asked for: security.md §2), and what
// each month was or will be paid.

export function BeneficiaryPage(props: PageProps) {
  const id = props.params.id!;
  const beneficiary = useAsync(() => api.get<Beneficiary>(`/allowance/beneficiaries/${id}`), [id]);
  const role = props.user.role;
  const b = beneficiary.data;
  if (!b) return <RecordPending record={beneficiary} />;
  // Each action names its own route, so that the console's calls can be checked against the API.
  const done = (call: Promise<unknown>) => call.then(beneficiary.reload);
  const civil = role === 'civil_affairs';
  return (
    <section>
      <h1>
        {b.childName} <Tag code={b.status} names={BENEFICIARY_STATUS_NAMES} />
      </h1>
      <dl class="facts">
        <dt>补贴类型</dt>
        <dd>{b.tiers.map((change) => `${formatMonth(change.fromMonth)}起 ${label(TIER_NAMES, change.tier)}`).join('；')}</dd>
        <dt>受理</dt>
        <dd>
          {formatDate(b.acceptedOn)} {b.acceptedBy}
        </dd>
        <dt>村（社区）</dt>
        <dd>
          {b.community.name}
          {b.community.code ? `（${b.community.code}）` : ''}
        </dd>
        <dt>发放期间</dt>
        <dd data-testid="paid-period">
          <PaidMonths beneficiary={b} separator=" 至 " />
          {b.exit ? '（退出前一月）' : '（年满 18 周岁当月）'}
        </dd>
        <dt>报送人</dt>
        <dd>{b.enrolledBy.name}</dd>
        <dt>收款账户</dt>
        <dd data-testid="bank-account">
          <BankAccount account={b.bankAccount} />
        </dd>
        {b.pendingBankAccount ? (
          <>
            <dt>待确认的新账户</dt>
            <dd data-testid="pending-account">
              <BankAccount account={b.pendingBankAccount} />（{b.pendingBankAccount.requestedBy.name} 于 {formatTimestamp(b.pendingBankAccount.requestedAt)} 提出）
              <p class="muted">
                {b.pendingBankAccount.requestedBy.id === props.user.id
                  ? '这项变更由您提出，须由残联或民政局另一位同事确认后生效；确认前仍付原账户。'
                  : '确认后生效：正在公示或待公示的名册随之改付新账户；确认前仍付原账户。'}
              </p>
            </dd>
          </>
        ) : null}
        <dt>最近复核</dt>
        <dd>{b.lastVerifiedOn ? formatDate(b.lastVerifiedOn) : '—'}</dd>
        {b.exit ? (
          <>
            <dt>退出</dt>
            <dd>
              {formatMonth(b.exit.fromMonth)}起，{label(EXIT_REASON_NAMES, b.exit.reason)}
              {b.exit.note ? `（${b.exit.note}）` : ''}
            </dd>
          </>
        ) : null}
        {b.rejectionReason ? (
          <>
            <dt>未通过原因</dt>
            <dd>{b.rejectionReason}</dd>
          </>
        ) : null}
      </dl>
      {b.holds.length > 0 ? (
        <p class="error" role="note" data-testid="holds">
          暂停发放：{b.holds.map((hold) => `${label(HOLD_REASON_NAMES, hold.reason)}${hold.note ? `（${hold.note}）` : ''}`).join('；')}
        </p>
      ) : null}
      <div class="actions wrap">
        {civil && b.status === 'pending' ? (
          <>
            {b.enrolledBy.id === props.user.id ? (
              <span class="muted" data-testid="second-officer">本对象由您报送，须由民政局另一位经办人员审核通过。</span>
            ) : (
              <StepAction title="审核通过" run={() => done(api.post(`/allowance/beneficiaries/${id}/approve`))} />
            )}
            <StepAction title="不予通过" danger fields={textField('reason', '原因')} run={(values) => done(api.post(`/allowance/beneficiaries/${id}/reject`, { reason: values.reason }))} />
          </>
        ) : null}
        {(civil || role === 'reviewer') && b.status !== 'rejected' ? (
          <StepAction
            title="更改收款账户"
            initial={{ bank: b.bankAccount.bank, accountName: b.bankAccount.accountName, accountNumber: '' }}
            fields={fieldsOf(textField('bank', '开户银行'), textField('accountName', '户名'), textField('accountNumber', '新银行账号'))}
            run={(values) => done(api.put(`/allowance/beneficiaries/${id}/bank-account`, values))}
          />
        ) : null}
        {(civil || role === 'reviewer') && b.pendingBankAccount && b.pendingBankAccount.requestedBy.id !== props.user.id && b.status !== 'rejected' ? (
          <StepAction title="新账户生效" run={() => done(api.post(`/allowance/beneficiaries/${id}/bank-account/confirm`))} />
        ) : null}
        {civil && (b.status === 'active' || b.months.some((month) => month.status === 'due' || month.status === 'held')) ? (
          <>
            <StepAction title="复核" initial={{ on: chinaToday() }} fields={textField('on', '复核日期', 'date')} run={(values) => done(api.post(`/allowance/beneficiaries/${id}/verify`, { on: values.on }))} />
            {b.holds.some((hold) => hold.reason === 'manual' || hold.reason === 'objection') ? (
              <StepAction title="恢复发放" run={() => done(api.post(`/allowance/beneficiaries/${id}/release`))} />
            ) : (
              <StepAction title="暂停发放" fields={textField('reason', '原因')} run={(values) => done(api.post(`/allowance/beneficiaries/${id}/hold`, { reason: values.reason }))} />
            )}
          </>
        ) : null}
        {civil && b.status === 'active' ? (
          <>
            <StepAction
              title="变更补贴类型"
              initial={{ tier: b.tier === 'care' ? 'nursing_supplement' : 'care', fromMonth: chinaToday().slice(0, 7) }}
              fields={fieldsOf(selectField('tier', '补贴类型', TIER_NAMES), textField('fromMonth', '自月份起', 'month'))}
              run={(values) => done(api.post(`/allowance/beneficiaries/${id}/tier`, values))}
            />
            <StepAction
              title="退出"
              danger
              initial={{ reason: 'moved_out', fromMonth: chinaToday().slice(0, 7) }}
              fields={fieldsOf(selectField('reason', '退出原因', EXIT_REASON_NAMES), textField('fromMonth', '自月份起停发', 'month'))}
              run={(values) => done(api.post(`/allowance/beneficiaries/${id}/exit`, values))}
            />
          </>
        ) : null}
      </div>
      <h2>逐月情况</h2>
      {b.months.length === 0 ? (
        <Empty>没有应发月份。</Empty>
      ) : (
        <Table
          rows={b.months}
          rowKey={(month) => month.month}
          columns={[
            { title: '月份', cell: (month) => formatMonth(month.month) },
            { title: '情况', cell: (month) => label(MONTH_STATUS_NAMES, month.status) },
            { title: '金额', num: true, cell: (month) => <Money amount={month.amount} /> },
            { title: '名册', cell: (month) => (month.rollId ? <a href={href(`/allowance/rolls/${month.rollId}`)}>{month.rollNumber}</a> : '—') },
          ]}
        />
      )}
    </section>
  );
}
