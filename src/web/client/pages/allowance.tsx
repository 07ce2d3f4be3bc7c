import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { chinaToday, formatDate, formatMonth, formatTimestamp, parseMoneyInput } from '../format.js';
import { href, navigate } from '../router.js';
import type { AllowanceStats, Beneficiary, Child, Overpayment, PageProps, Roll } from '../types.js';
import { ActionForm, CodeOptions, DownloadButton, Empty, ErrorNotice, Field, ListStatus, Loading, Money, Pager, Success, Tag, useAction, useAsync, usePagedList } from '../ui.js';
import {
  BENEFICIARY_STATUS_NAMES,
  EXIT_REASON_NAMES,
  HOLD_REASON_NAMES,
  label,
  MONTH_STATUS_NAMES,
  OVERPAYMENT_STATUS_NAMES,
  ROLL_STATUS_NAMES,
  TIER_NAMES,
  TRANSFER_STATUS_NAMES,
} from '../words.js';

// The care allowance (关爱补贴): the 残联 reviewer reports certified children and corrects bank
// accounts; civil affairs approves, manages holds and exits, and runs the monthly roll with its
// public notice; finance downloads the bank list and records the bank's results.

const months = (list: string[]) => (list.length === 0 ? '—' : list.length === 1 ? formatMonth(list[0]) : `${formatMonth(list[0])}至${formatMonth(list.at(-1))}（${list.length} 个月）`);

/** The last month a record pays: the month before its exit's fromMonth (the first month not paid), else the 18th-birthday month. */
function paidUntil(b: Beneficiary): string {
  if (!b.exit) return b.lastMonth;
  const index = Number(b.exit.fromMonth.slice(0, 4)) * 12 + Number(b.exit.fromMonth.slice(5, 7)) - 2;
  const before = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  return before < b.lastMonth ? before : b.lastMonth;
}

function EnrolForm(props: { onEnrolled(beneficiary: Beneficiary): void }) {
  const [idNumber, setIdNumber] = useState('');
  const [tier, setTier] = useState('care');
  const [acceptedOn, setAcceptedOn] = useState(chinaToday());
  const [acceptedBy, setAcceptedBy] = useState('');
  const [community, setCommunity] = useState('');
  const [communityCode, setCommunityCode] = useState('');
  const [bank, setBank] = useState('');
  const [accountName, setAccountName] = useState('');
  const [accountNumber, setAccountNumber] = useState('');
  const enrol = useAction(async () => {
    const found = await api.get<{ items: Child[] }>('/children', { idNumber: idNumber.trim().toUpperCase() });
    const child = found.items[0];
    if (!child) throw new ApiError(404, 'NOT_FOUND', '没有找到该身份证号的儿童：请先在“儿童”中登记（含残疾证号）。');
    const created = await api.post<Beneficiary>('/allowance/beneficiaries', {
      childId: child.id,
      tier,
      acceptedOn,
      acceptedBy: acceptedBy.trim(),
      community: { name: community.trim(), code: communityCode.trim() || undefined },
      bankAccount: { bank: bank.trim(), accountName: accountName.trim(), accountNumber },
    });
    props.onEnrolled(created);
  });
  return (
    <ActionForm class="form" onSubmit={() => enrol.run()}>
      <h2>报送关爱补贴对象</h2>
      <p class="muted">持证残疾儿童，受理时未满 18 周岁；自受理当月起计发，至年满 18 周岁当月止。</p>
      <Field label="儿童身份证号">
        <input name="idNumber" value={idNumber} maxLength={18} onInput={(event) => setIdNumber(event.currentTarget.value)} required />
      </Field>
      <Field label="补贴类型">
        <select name="tier" value={tier} onChange={(event) => setTier(event.currentTarget.value)}>
          <CodeOptions names={TIER_NAMES} />
        </select>
      </Field>
      <Field label="受理日期">
        <input type="date" name="acceptedOn" value={acceptedOn} max={chinaToday()} onInput={(event) => setAcceptedOn(event.currentTarget.value)} required />
      </Field>
      <Field label="受理单位">
        <input name="acceptedBy" value={acceptedBy} placeholder="如 东城街道办事处" onInput={(event) => setAcceptedBy(event.currentTarget.value)} required />
      </Field>
      <Field label="村（社区）">
        <input name="community" value={community} onInput={(event) => setCommunity(event.currentTarget.value)} required />
      </Field>
      <Field label="村（社区）代码" hint="12 位统计用区划代码，可不填">
        <input name="communityCode" value={communityCode} inputMode="numeric" maxLength={12} onInput={(event) => setCommunityCode(event.currentTarget.value)} />
      </Field>
      <Field label="开户银行">
        <input name="bank" value={bank} onInput={(event) => setBank(event.currentTarget.value)} required />
      </Field>
      <Field label="户名">
        <input name="accountName" value={accountName} onInput={(event) => setAccountName(event.currentTarget.value)} required />
      </Field>
      <Field label="银行账号" hint="可带空格或短横线">
        <input name="accountNumber" value={accountNumber} inputMode="numeric" onInput={(event) => setAccountNumber(event.currentTarget.value)} required />
      </Field>
      <ErrorNotice error={enrol.error} title="未能报送" />
      <div class="actions">
        <button type="submit" disabled={enrol.running}>
          {enrol.running ? '正在提交…' : '报送'}
        </button>
      </div>
    </ActionForm>
  );
}

export function BeneficiariesPage(props: PageProps) {
  const status = props.query.get('status') ?? '';
  const list = usePagedList<Beneficiary>('/allowance/beneficiaries', { status: status || undefined });
  const [enrolled, setEnrolled] = useState<Beneficiary | null>(null);
  const [showForm, setShowForm] = useState(false);
  const canEnrol = props.user.role === 'reviewer' || props.user.role === 'civil_affairs';
  return (
    <section>
      <h1>关爱补贴对象</h1>
      {canEnrol ? (
        showForm ? (
          <EnrolForm
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
      <nav class="filters">
        {[['', '全部'], ...Object.entries(BENEFICIARY_STATUS_NAMES)].map(([code, name]) => (
          <a key={code} href={href('/allowance/beneficiaries', { status: code })} class={code === status ? 'active' : undefined}>
            {name}
          </a>
        ))}
      </nav>
      <ListStatus list={list} empty="没有关爱补贴对象。" />
      {list.items.length > 0 ? (
        <table class="list">
          <thead>
            <tr>
              <th>姓名</th>
              <th>村（社区）</th>
              <th>补贴类型</th>
              <th>起止月份</th>
              <th>状态</th>
              <th>暂停</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((beneficiary) => (
              <tr key={beneficiary.id}>
                <td>
                  <a href={href(`/allowance/beneficiaries/${beneficiary.id}`)}>{beneficiary.childName}</a>
                </td>
                <td>{beneficiary.community.name}</td>
                <td>{label(TIER_NAMES, beneficiary.tier)}</td>
                <td>
                  {paidUntil(beneficiary) < beneficiary.startMonth ? '—' : `${formatMonth(beneficiary.startMonth)}—${formatMonth(paidUntil(beneficiary))}`}
                </td>
                <td>
                  <Tag code={beneficiary.status} names={BENEFICIARY_STATUS_NAMES} />
                </td>
                <td>{beneficiary.holds.map((hold) => label(HOLD_REASON_NAMES, hold.reason)).join('、') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager list={list} />
    </section>
  );
}

/** One small form per action on a beneficiary: a button that opens its fields, then confirms. */
function BeneficiaryAction(props: { title: string; fields?: FieldsOf; run(values: Record<string, string>): Promise<unknown>; initial?: Record<string, string>; danger?: boolean }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>(props.initial ?? {});
  const action = useAction(async () => {
    await props.run(values);
    setOpen(false);
  });
  if (!open) {
    return (
      <button type="button" class={props.danger ? 'secondary danger' : 'secondary'} onClick={() => setOpen(true)}>
        {props.title}
      </button>
    );
  }
  return (
    <ActionForm class="form inline" onSubmit={() => action.run()}>
      {props.fields?.((name, value) => setValues((current) => ({ ...current, [name]: value })), values)}
      <button type="submit" disabled={action.running}>
        确认{props.title}
      </button>
      <button type="button" class="link" onClick={() => setOpen(false)}>
        取消
      </button>
      <ErrorNotice error={action.error} title={`未能${props.title}`} />
    </ActionForm>
  );
}

type FieldsOf = (set: (name: string, value: string) => void, values: Record<string, string>) => preact.ComponentChildren;

const textField =
  (name: string, title: string, type = 'text'): FieldsOf =>
  (set, values) => (
    <Field label={title}>
      <input name={name} type={type} value={values[name] ?? ''} onInput={(event) => set(name, event.currentTarget.value)} required />
    </Field>
  );

const selectField =
  (name: string, title: string, names: Record<string, string>): FieldsOf =>
  (set, values) => (
    <Field label={title}>
      <select name={name} value={values[name]} onChange={(event) => set(name, event.currentTarget.value)}>
        <CodeOptions names={names} />
      </select>
    </Field>
  );

/** Several fields in one action form, in order. */
const fieldsOf =
  (...fields: FieldsOf[]): FieldsOf =>
  (set, values) => (
    <>
      {fields.map((field, index) => (
        <Fragment key={index}>{field(set, values)}</Fragment>
      ))}
    </>
  );

export function BeneficiaryPage(props: PageProps) {
  const id = props.params.id!;
  const [version, setVersion] = useState(0);
  const beneficiary = useAsync(() => api.get<Beneficiary>(`/allowance/beneficiaries/${id}`), [id, version]);
  const reload = () => setVersion((value) => value + 1);
  const role = props.user.role;
  const b = beneficiary.data;
  if (!b) return <section>{beneficiary.loading ? <Loading when /> : <ErrorNotice error={beneficiary.error} />}</section>;
  // Each action names its own route, so that the console's calls can be checked against the API.
  const done = (call: Promise<unknown>) => call.then(reload);
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
          {formatMonth(b.startMonth)} 至 {formatMonth(paidUntil(b))}
          {b.exit ? '（退出前一月）' : '（年满 18 周岁当月）'}
        </dd>
        <dt>收款账户</dt>
        <dd data-testid="bank-account">
          {b.bankAccount.bank} {b.bankAccount.accountName} {b.bankAccount.accountNumber}
        </dd>
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
            <BeneficiaryAction title="审核通过" run={() => done(api.post(`/allowance/beneficiaries/${id}/approve`))} />
            <BeneficiaryAction title="不予通过" danger fields={textField('reason', '原因')} run={(values) => done(api.post(`/allowance/beneficiaries/${id}/reject`, { reason: values.reason }))} />
          </>
        ) : null}
        {(civil || role === 'reviewer') && b.status !== 'rejected' ? (
          <BeneficiaryAction
            title="更改收款账户"
            initial={{ bank: b.bankAccount.bank, accountName: b.bankAccount.accountName, accountNumber: '' }}
            fields={fieldsOf(textField('bank', '开户银行'), textField('accountName', '户名'), textField('accountNumber', '新银行账号'))}
            run={(values) => done(api.put(`/allowance/beneficiaries/${id}/bank-account`, values))}
          />
        ) : null}
        {civil && (b.status === 'active' || b.months.some((month) => month.status === 'due' || month.status === 'held')) ? (
          <>
            <BeneficiaryAction title="复核" initial={{ on: chinaToday() }} fields={textField('on', '复核日期', 'date')} run={(values) => done(api.post(`/allowance/beneficiaries/${id}/verify`, { on: values.on }))} />
            {b.holds.some((hold) => hold.reason === 'manual' || hold.reason === 'objection') ? (
              <BeneficiaryAction title="恢复发放" run={() => done(api.post(`/allowance/beneficiaries/${id}/release`))} />
            ) : (
              <BeneficiaryAction title="暂停发放" fields={textField('reason', '原因')} run={(values) => done(api.post(`/allowance/beneficiaries/${id}/hold`, { reason: values.reason }))} />
            )}
          </>
        ) : null}
        {civil && b.status === 'active' ? (
          <>
            <BeneficiaryAction
              title="变更补贴类型"
              initial={{ tier: b.tier === 'care' ? 'nursing_supplement' : 'care', fromMonth: chinaToday().slice(0, 7) }}
              fields={fieldsOf(selectField('tier', '补贴类型', TIER_NAMES), textField('fromMonth', '自月份起', 'month'))}
              run={(values) => done(api.post(`/allowance/beneficiaries/${id}/tier`, values))}
            />
            <BeneficiaryAction
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
        <table class="list">
          <thead>
            <tr>
              <th>月份</th>
              <th>情况</th>
              <th class="num">金额</th>
              <th>名册</th>
            </tr>
          </thead>
          <tbody>
            {b.months.map((month) => (
              <tr key={month.month}>
                <td>{formatMonth(month.month)}</td>
                <td>{label(MONTH_STATUS_NAMES, month.status)}</td>
                <td class="num">
                  <Money amount={month.amount} />
                </td>
                <td>{month.rollId ? <a href={href(`/allowance/rolls/${month.rollId}`)}>{month.rollNumber}</a> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function RollsPage(props: PageProps) {
  const list = usePagedList<Roll>('/allowance/rolls', {});
  const [month, setMonth] = useState(chinaToday().slice(0, 7));
  const build = useAction(async () => {
    const roll = await api.post<Roll>('/allowance/rolls', { month });
    navigate(`/allowance/rolls/${roll.id}`);
  });
  return (
    <section>
      <h1>关爱补贴发放名册</h1>
      {props.user.role === 'civil_affairs' ? (
        <ActionForm class="form inline" onSubmit={() => build.run()}>
          <Field label="发放月份">
            <input type="month" name="month" value={month} max={chinaToday().slice(0, 7)} onInput={(event) => setMonth(event.currentTarget.value)} required />
          </Field>
          <button type="submit" disabled={build.running}>
            {build.running ? '正在生成…' : '生成名册'}
          </button>
          <ErrorNotice error={build.error} title="未能生成名册" />
        </ActionForm>
      ) : null}
      <ListStatus list={list} empty="还没有名册。" />
      {list.items.length > 0 ? (
        <table class="list">
          <thead>
            <tr>
              <th>名册编号</th>
              <th>月份</th>
              <th class="num">人数</th>
              <th class="num">合计</th>
              <th>状态</th>
              <th>公示期</th>
            </tr>
          </thead>
          <tbody>
            {[...list.items].reverse().map((roll) => (
              <tr key={roll.id}>
                <td>
                  <a href={href(`/allowance/rolls/${roll.id}`)}>{roll.number}</a>
                </td>
                <td>{formatMonth(roll.month)}</td>
                <td class="num">{roll.beneficiaryCount}</td>
                <td class="num">
                  <Money amount={roll.total} />
                </td>
                <td>
                  <Tag code={roll.status} names={ROLL_STATUS_NAMES} />
                </td>
                <td>{roll.noticeFrom ? `${formatDate(roll.noticeFrom)} 至 ${formatDate(roll.noticeTo)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager list={list} />
    </section>
  );
}

function ResultsUpload(props: { rollId: string; onRecorded(): void }) {
  const [file, setFile] = useState<File | null>(null);
  const upload = useAction(async () => {
    if (!file) return;
    await api.upload(`/allowance/rolls/${props.rollId}/results`, file);
    props.onRecorded();
  });
  return (
    <ActionForm class="form inline" onSubmit={() => upload.run()}>
      <Field label="银行回盘文件" hint="Excel 或 CSV：序号、结果（成功/失败）、失败原因">
        <input type="file" name="results" accept=".xlsx,.csv" onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)} required />
      </Field>
      <button type="submit" disabled={upload.running || !file}>
        {upload.running ? '正在登记…' : '登记转账结果'}
      </button>
      <ErrorNotice error={upload.error} title="转账结果未登记" />
    </ActionForm>
  );
}

export function RollPage(props: PageProps) {
  const id = props.params.id!;
  const [version, setVersion] = useState(0);
  const loaded = useAsync(() => api.get<Roll>(`/allowance/rolls/${id}`), [id, version]);
  const reload = () => setVersion((value) => value + 1);
  const [from, setFrom] = useState(chinaToday());
  const [objecting, setObjecting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const act = useAction(async (call: () => Promise<unknown>) => {
    await call();
    setObjecting(null);
    setReason('');
    reload();
  });
  const roll = loaded.data;
  if (!roll) return <section>{loaded.loading ? <Loading when /> : <ErrorNotice error={loaded.error} />}</section>;
  const role = props.user.role;
  const civil = role === 'civil_affairs';
  const open = roll.status === 'draft' || roll.status === 'published';
  const issued = roll.status === 'issued' || roll.status === 'settled';
  const noticeOver = roll.noticeTo !== null && chinaToday() > roll.noticeTo;
  return (
    <section>
      <h1>
        {roll.number} <Tag code={roll.status} names={ROLL_STATUS_NAMES} />
      </h1>
      <dl class="facts">
        <dt>发放月份</dt>
        <dd>{formatMonth(roll.month)}</dd>
        <dt>人数 / 月数</dt>
        <dd>
          {roll.beneficiaryCount} 人 / {roll.entryCount} 个月
        </dd>
        <dt>合计</dt>
        <dd data-testid="roll-total">
          <Money amount={roll.total} strong />（{roll.totalInWords}）
        </dd>
        <dt>其中</dt>
        <dd>
          关爱补贴（县本级财政）<Money amount={roll.byFund.county} />，护理补贴提标（困难群众资金）<Money amount={roll.byFund.hardship} />，补发 <Money amount={roll.arrearsTotal} />
        </dd>
        <dt>公示期</dt>
        <dd>{roll.noticeFrom ? `${formatDate(roll.noticeFrom)} 至 ${formatDate(roll.noticeTo)}` : '尚未公示'}</dd>
        {roll.sha256 ? (
          <>
            <dt>交付财政</dt>
            <dd>
              {formatTimestamp(roll.issuedAt)}，内容 SHA-256 <code class="hash">{roll.sha256}</code>
            </dd>
          </>
        ) : null}
      </dl>
      <div class="actions wrap">
        {roll.status !== 'draft' && roll.status !== 'cancelled' ? (
          <DownloadButton path={`/allowance/rolls/${id}/notice.pdf`} fallbackName={`${roll.number}-公示.pdf`}>
            下载公示（PDF）
          </DownloadButton>
        ) : null}
        {issued ? (
          <DownloadButton path={`/allowance/rolls/${id}/pdf`} fallbackName={`${roll.number}.pdf`}>
            下载发放汇总表（PDF）
          </DownloadButton>
        ) : null}
        {issued && role !== 'reviewer' ? (
          <>
            <DownloadButton path={`/allowance/rolls/${id}/bank.xlsx`} fallbackName={`${roll.number}-代发清单.xlsx`}>
              下载代发清单（Excel）
            </DownloadButton>
            <DownloadButton path={`/allowance/rolls/${id}/bank.csv`} fallbackName={`${roll.number}-代发清单.csv`}>
              下载代发清单（CSV）
            </DownloadButton>
          </>
        ) : null}
      </div>
      {civil && roll.status === 'draft' ? (
        <ActionForm class="form inline" onSubmit={() => act.run(() => api.post(`/allowance/rolls/${id}/publish`, { from }))}>
          <Field label="公示开始日期" hint="公示 7 天，期满后方可交付发放">
            <input type="date" name="from" value={from} onInput={(event) => setFrom(event.currentTarget.value)} required />
          </Field>
          <button type="submit" disabled={act.running}>
            发布公示
          </button>
          <button type="button" class="secondary danger" disabled={act.running} onClick={() => act.run(() => api.post(`/allowance/rolls/${id}/cancel`))}>
            作废名册
          </button>
        </ActionForm>
      ) : null}
      {civil && roll.status === 'published' ? (
        <div class="actions">
          <button type="button" disabled={act.running || !noticeOver} onClick={() => act.run(() => api.post(`/allowance/rolls/${id}/issue`))}>
            交付财政发放
          </button>
          {!noticeOver ? <span class="muted">公示期至 {formatDate(roll.noticeTo)}，期满后方可交付。</span> : null}
          <button type="button" class="secondary danger" disabled={act.running} onClick={() => act.run(() => api.post(`/allowance/rolls/${id}/cancel`))}>
            作废名册
          </button>
        </div>
      ) : null}
      <ErrorNotice error={act.error} title="操作未成功" />
      {role === 'finance' && roll.status === 'issued' ? <ResultsUpload rollId={id} onRecorded={reload} /> : null}
      <h2>发放明细</h2>
      {roll.transfers.length === 0 ? (
        <Empty>名册中没有应发对象。</Empty>
      ) : (
        <table class="list" data-testid="transfers">
          <thead>
            <tr>
              <th class="num">序号</th>
              <th>姓名</th>
              <th>村（社区）</th>
              <th>户名 / 账号</th>
              <th>月份</th>
              <th class="num">金额</th>
              <th>转账</th>
              {civil && open ? <th></th> : null}
            </tr>
          </thead>
          <tbody>
            {roll.transfers.map((transfer) => (
              <tr key={transfer.transferNo}>
                <td class="num">{transfer.transferNo}</td>
                <td>
                  <a href={href(`/allowance/beneficiaries/${transfer.beneficiaryId}`)}>{transfer.childName}</a>
                </td>
                <td>{transfer.community}</td>
                <td>
                  {transfer.accountName} {transfer.accountNumber}
                </td>
                <td>{months(transfer.months)}</td>
                <td class="num">
                  <Money amount={transfer.amount} />
                </td>
                <td>
                  {label(TRANSFER_STATUS_NAMES, transfer.status)}
                  {transfer.failureReason ? `（${transfer.failureReason}）` : ''}
                </td>
                {civil && open ? (
                  <td>
                    {objecting === transfer.beneficiaryId ? (
                      <ActionForm class="form inline" onSubmit={() => act.run(() => api.post(`/allowance/rolls/${id}/objections`, { beneficiaryId: transfer.beneficiaryId, reason: reason.trim() }))}>
                        <input name="reason" placeholder="异议内容" value={reason} onInput={(event) => setReason(event.currentTarget.value)} required />
                        <button type="submit" disabled={act.running}>
                          移出名册
                        </button>
                      </ActionForm>
                    ) : (
                      <button type="button" class="link" onClick={() => setObjecting(transfer.beneficiaryId)}>
                        登记异议
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {roll.held.length > 0 ? (
        <>
          <h2>暂停发放（不在本名册）</h2>
          <table class="list">
            <thead>
              <tr>
                <th>姓名</th>
                <th>原因</th>
                <th>待发月份</th>
                <th class="num">待发金额</th>
              </tr>
            </thead>
            <tbody>
              {roll.held.map((item) => (
                <tr key={item.beneficiaryId}>
                  <td>
                    <a href={href(`/allowance/beneficiaries/${item.beneficiaryId}`)}>{item.childName}</a>
                  </td>
                  <td>{label(HOLD_REASON_NAMES, item.reason)}</td>
                  <td>{months(item.months)}</td>
                  <td class="num">
                    <Money amount={item.amount} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {roll.objections.length > 0 ? (
        <>
          <h2>公示异议</h2>
          <ul>
            {roll.objections.map((objection) => (
              <li key={objection.beneficiaryId + objection.at}>
                {formatTimestamp(objection.at)} {objection.childName}：{objection.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

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
      <Field label="追回金额（元）">
        <input name="amount" inputMode="decimal" value={amount} onInput={(event) => setAmount(event.currentTarget.value)} required />
      </Field>
      <Field label="追回日期">
        <input type="date" name="on" value={on} onInput={(event) => setOn(event.currentTarget.value)} required />
      </Field>
      <Field label="凭证号">
        <input name="voucherNo" value={voucherNo} onInput={(event) => setVoucherNo(event.currentTarget.value)} required />
      </Field>
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
    <section>
      <h1>应退款（退出后多发）</h1>
      <ListStatus list={list} empty="没有应退款。" />
      <ErrorNotice error={waive.error} />
      {list.items.length > 0 ? (
        <table class="list">
          <thead>
            <tr>
              <th>姓名</th>
              <th>月份</th>
              <th class="num">应退</th>
              <th class="num">已追回</th>
              <th class="num">尚欠</th>
              <th>状态</th>
              {props.user.role === 'civil_affairs' ? <th></th> : null}
            </tr>
          </thead>
          <tbody>
            {list.items.map((overpayment) => (
              <tr key={overpayment.id}>
                <td>
                  <a href={href(`/allowance/beneficiaries/${overpayment.beneficiaryId}`)}>{overpayment.childName}</a>
                </td>
                <td>{months(overpayment.months)}</td>
                <td class="num">
                  <Money amount={overpayment.amount} />
                </td>
                <td class="num">
                  <Money amount={overpayment.recovered} />
                </td>
                <td class="num">
                  <Money amount={overpayment.remaining} />
                </td>
                <td>
                  <Tag code={overpayment.status} names={OVERPAYMENT_STATUS_NAMES} />
                </td>
                {props.user.role === 'civil_affairs' ? (
                  <td>
                    {overpayment.status === 'open' || overpayment.status === 'partially_recovered' ? (
                      recovering === overpayment.id ? (
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
                      )
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager list={list} />
    </section>
  );
}

export function AllowanceStatsPage(_props: PageProps) {
  const [year, setYear] = useState(Number(chinaToday().slice(0, 4)));
  const stats = useAsync(() => api.get<AllowanceStats>('/allowance/stats', { year }), [year]);
  const data = stats.data;
  return (
    <section>
      <h1>关爱补贴统计</h1>
      <ActionForm class="form inline" onSubmit={() => undefined}>
        <Field label="年度">
          <input type="number" name="year" value={year} min={2000} max={2100} onInput={(event) => setYear(Number(event.currentTarget.value))} />
        </Field>
      </ActionForm>
      <Loading when={stats.loading} />
      <ErrorNotice error={stats.error} />
      {data ? (
        <>
          <table class="list" data-testid="funds">
            <thead>
              <tr>
                <th>资金</th>
                <th class="num">年度预算</th>
                <th class="num">已发放</th>
                <th class="num">结余</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['关爱补贴（县本级财政）', data.funds.county],
                  ['护理补贴提标（困难群众资金）', data.funds.hardship],
                ] as const
              ).map(([name, fund]) => (
                <tr key={name}>
                  <td>{name}</td>
                  <td class="num">{fund.budget === null ? '未设定' : <Money amount={fund.budget} />}</td>
                  <td class="num">
                    <Money amount={fund.paid} />
                  </td>
                  <td class="num">{fund.remaining === null ? '—' : <Money amount={fund.remaining} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            在册对象：关爱补贴 {data.active.care} 人，护理补贴提标 {data.active.nursingSupplement} 人；其中补发 <Money amount={data.arrearsPaid} />。
          </p>
          <p>
            暂停发放：
            {Object.entries(data.heldNow)
              .map(([reason, count]) => `${label(HOLD_REASON_NAMES, reason)} ${count} 人`)
              .join('，') || '无'}
            。应退款尚欠 <Money amount={data.overpayments.open} />，已追回 <Money amount={data.overpayments.recovered} />。
          </p>
        </>
      ) : null}
    </section>
  );
}
