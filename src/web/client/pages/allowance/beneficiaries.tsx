import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api.js';
import { chinaToday } from '../../format.js';
import { useAction, useAsync, usePagedList } from '../../kit/data.js';
import { ActionForm, ChildSearchForm, CodeOptions, Field, FormActions, TextField } from '../../kit/form.js';
import { idNumberMistake } from '../../idNumber.js';
import { ListPage, StatusFilters } from '../../kit/list.js';
import { Success } from '../../kit/notices.js';
import { Tag } from '../../kit/values.js';
import { PaidMonths } from '../../parts/allowance.js';
import { href } from '../../router.js';
import type { Beneficiary, Child, PageProps } from '../../types.js';
import { BENEFICIARY_STATUS_NAMES, CATEGORY_NAMES, HOLD_REASON_NAMES, label, TIER_NAMES } from '../../words.js';

// 关爱补贴对象: the list by status, and the report of a new one (残联 or civil affairs).

/** Whose ID number was typed: the child's name and certificate once all 18 characters are in, so a clerk sees a slip before reporting. */
function TypedChild(props: { idNumber: string; role: string }) {
  const typed = props.idNumber.trim().toUpperCase();
  const mistake = idNumberMistake(typed);
  const complete = /^\d{17}[\dX]$/.test(typed) && mistake === null;
  const found = useAsync(() => (complete ? api.get<{ items: Child[] }>('/children', { idNumber: typed }) : Promise.resolve(null)), [typed]);
  // A mistyped number is said to be mistyped as it is typed, not "not found" on submit.
  if (mistake) return <p class="error" data-testid="typed-child">{mistake}</p>;
  if (!complete) return null;
  if (found.loading) return <p class="muted">正在查找…</p>;
  const child = found.data?.items[0];
  if (!child) return <p class="warning" data-testid="typed-child">没有找到该身份证号的儿童：请先在“儿童”中登记（含残疾证号）。</p>;
  return (
    <p class="muted" data-testid="typed-child">
      儿童：<a href={href(`/children/${child.id}`)}>{child.name}</a>（{label(CATEGORY_NAMES, child.category)}，
      {child.certificateNo ? `残疾证号 ${child.certificateNo}` : props.role === 'reviewer' ? '未登记残疾证号，须先在儿童档案中补登残疾证' : '未登记残疾证号，请县残联先补登残疾证'}
      {child.closedAt ? '，档案已注销' : ''}）
    </p>
  );
}

function EnrolForm(props: { role: string; onEnrolled(beneficiary: Beneficiary): void }) {
  const [idNumber, setIdNumber] = useState('');
  const [tier, setTier] = useState('care');
  const [acceptedOn, setAcceptedOn] = useState(chinaToday());
  const [acceptedBy, setAcceptedBy] = useState('');
  const [community, setCommunity] = useState('');
  const [communityCode, setCommunityCode] = useState('');
  const [bank, setBank] = useState('');
  const [accountName, setAccountName] = useState('');
  const [accountNumber, setAccountNumber] = useState('');
  // A child already on the allowance: the record is named and linked, not "already exists".
  const [existing, setExisting] = useState<string | null>(null);
  const enrol = useAction(async () => {
    setExisting(null);
    const typed = idNumber.trim().toUpperCase();
    const mistake = idNumberMistake(typed);
    if (mistake) throw new ApiError(400, 'VALIDATION_FAILED', mistake, [{ field: 'idNumber', hint: mistake }]);
    const found = await api.get<{ items: Child[] }>('/children', { idNumber: typed });
    const child = found.items[0];
    if (!child) throw new ApiError(404, 'NOT_FOUND', 'no child of this ID number in scope', [{ hint: '没有找到该身份证号的儿童：请先由县残联登记（含残疾证号）。' }]);
    try {
      const created = await api.post<Beneficiary>('/allowance/beneficiaries', {
        childId: child.id,
        tier,
        acceptedOn,
        acceptedBy: acceptedBy.trim(),
        community: { name: community.trim(), code: communityCode.trim() || undefined },
        bankAccount: { bank: bank.trim(), accountName: accountName.trim(), accountNumber },
      });
      props.onEnrolled(created);
    } catch (error) {
      const id = error instanceof ApiError && error.code === 'ALREADY_EXISTS' ? (error.details[0] as { id?: string } | undefined)?.id : undefined;
      if (!id) throw error;
      setExisting(id);
    }
  });
  return (
    <ActionForm class="form" onSubmit={() => enrol.run()}>
      <h2>报送关爱补贴对象</h2>
      <p class="muted">持证残疾儿童，受理时未满 18 周岁；自受理当月起计发，至年满 18 周岁当月止。</p>
      <TextField label="儿童身份证号" name="idNumber" value={idNumber} maxLength={18} required onValue={setIdNumber} />
      <TypedChild idNumber={idNumber} role={props.role} />
      <Field label="补贴类型">
        <select name="tier" value={tier} onChange={(event) => setTier(event.currentTarget.value)}>
          <CodeOptions names={TIER_NAMES} />
        </select>
      </Field>
      <TextField label="受理日期" type="date" name="acceptedOn" value={acceptedOn} max={chinaToday()} required onValue={setAcceptedOn} />
      <TextField label="受理单位" name="acceptedBy" value={acceptedBy} placeholder="如 东城街道办事处" required onValue={setAcceptedBy} />
      <TextField label="村（社区）" name="community" value={community} required onValue={setCommunity} />
      <TextField label="村（社区）代码" hint="12 位统计用区划代码，可不填" name="communityCode" value={communityCode} inputMode="numeric" maxLength={12} onValue={setCommunityCode} />
      <TextField label="开户银行" name="bank" value={bank} required onValue={setBank} />
      <TextField label="户名" name="accountName" value={accountName} required onValue={setAccountName} />
      <TextField label="银行账号" hint="可带空格或短横线" name="accountNumber" value={accountNumber} inputMode="numeric" required onValue={setAccountNumber} />
      {existing ? (
        <p class="warning" role="alert" data-testid="existing-beneficiary">
          该儿童已有关爱补贴记录，无需重复报送：<a href={href(`/allowance/beneficiaries/${existing}`)}>查看该记录</a>
        </p>
      ) : null}
      <FormActions error={enrol.error} errorTitle="未能报送" running={enrol.running} label={enrol.running ? '正在提交…' : '报送'} />
    </ActionForm>
  );
}

const STATUS_FILTERS = [['', '全部'], ...Object.entries(BENEFICIARY_STATUS_NAMES)] as const;

export function BeneficiariesPage(props: PageProps) {
  const status = props.query.get('status') ?? '';
  const search = props.query.get('q') ?? '';
  const list = usePagedList<Beneficiary>('/allowance/beneficiaries', { status: status || undefined, q: search || undefined });
  const [enrolled, setEnrolled] = useState<Beneficiary | null>(null);
  const [showForm, setShowForm] = useState(false);
  const canEnrol = props.user.role === 'reviewer' || props.user.role === 'civil_affairs';
  return (
    <ListPage
      title="关爱补贴对象"
      list={list}
      empty={search ? `没有找到姓名含“${search}”、或身份证号（完整或后6位）为“${search}”的关爱补贴对象。` : '没有关爱补贴对象。'}
      columns={[
        { title: '姓名', cell: (beneficiary) => <a href={href(`/allowance/beneficiaries/${beneficiary.id}`)}>{beneficiary.childName}</a> },
        { title: '村（社区）', cell: (beneficiary) => beneficiary.community.name },
        { title: '补贴类型', cell: (beneficiary) => label(TIER_NAMES, beneficiary.tier) },
        { title: '起止月份', cell: (beneficiary) => <PaidMonths beneficiary={beneficiary} separator="—" /> },
        { title: '状态', cell: (beneficiary) => <Tag code={beneficiary.status} names={BENEFICIARY_STATUS_NAMES} /> },
        { title: '暂停', cell: (beneficiary) => beneficiary.holds.map((hold) => label(HOLD_REASON_NAMES, hold.reason)).join('、') || '—' },
      ]}
    >
      {canEnrol ? (
        showForm ? (
          <EnrolForm
            role={props.user.role}
            onEnrolled={(beneficiary) => {
              setEnrolled(beneficiary);
              setShowForm(false);
              list.reload();
            }}
          />
        ) : (
          <p>
            <button type="button" onClick={() => setShowForm(true)}>
              报送新对象
            </button>
          </p>
        )
      ) : null}
      {enrolled ? (
        <Success>
          已报送 {enrolled.childName}，待民政局审核。<a href={href(`/allowance/beneficiaries/${enrolled.id}`)}>查看</a>
        </Success>
      ) : null}
      <ChildSearchForm path="/allowance/beneficiaries" search={search} query={{ status: status || undefined }} check={idNumberMistake} />
      <StatusFilters options={STATUS_FILTERS} current={status} link={(code) => href('/allowance/beneficiaries', { status: code, q: search || undefined })} />
    </ListPage>
  );
}
