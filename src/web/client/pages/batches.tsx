import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { addMoney, chinaToday, formatDate, formatDatesIn, formatMoney, formatTimestamp, parseMoneyInput } from '../format.js';
import { href, navigate } from '../router.js';
import type { Batch, PageProps } from '../types.js';
import { ActionForm, DownloadButton, ErrorNotice, Field, InstitutionName, InstitutionOptions, ListStatus, Loading, Money, Pager, Success, Tag, useAction, useAsync, useInstitutions, usePagedList } from '../ui.js';
import { BATCH_STATUS_NAMES, CATEGORY_NAMES, label, SERVICE_NAMES } from '../words.js';

// Payment batches: reviewers build them from approved claims, check and issue them; finance pays
// issued ones; institutions see their own once issued.

function BuildBatchesForm(props: { onBuilt(batches: Batch[]): void }) {
  const institutions = useInstitutions();
  const [approvedThrough, setApprovedThrough] = useState(chinaToday());
  const [institutionId, setInstitutionId] = useState('');
  const build = useAction(async () => {
    const created = await api.post<{ batches: Batch[] }>('/batches', { approvedThrough, institutionId: institutionId || undefined });
    props.onBuilt(created.batches);
  });
  return (
    <ActionForm class="form inline" onSubmit={() => build.run()}>
      <Field label="批准日期截至">
        <input type="date" name="approvedThrough" value={approvedThrough} onInput={(event) => setApprovedThrough(event.currentTarget.value)} required />
      </Field>
      <Field label="机构">
        <select name="institutionId" value={institutionId} onChange={(event) => setInstitutionId(event.currentTarget.value)}>
          <option value="">所有机构（每个机构一个批次）</option>
          <InstitutionOptions institutions={institutions.data} />
        </select>
      </Field>
      <button type="submit" disabled={build.running}>
        {build.running ? '正在生成…' : '生成结算批次'}
      </button>
      <ErrorNotice error={build.error} title="未能生成批次" />
    </ActionForm>
  );
}

export function BatchesPage(props: PageProps) {
  const { user } = props;
  const isFinance = user.role === 'finance';
  const paidPage = props.path === '/paid';
  const defaultStatus = isFinance ? (paidPage ? 'paid' : 'issued') : '';
  const status = isFinance ? defaultStatus : (props.query.get('status') ?? '');
  const [paidFrom, setPaidFrom] = useState(props.query.get('paidFrom') ?? '');
  const [paidTo, setPaidTo] = useState(props.query.get('paidTo') ?? '');
  const paidRange = paidPage ? { paidFrom: props.query.get('paidFrom') || undefined, paidTo: props.query.get('paidTo') || undefined } : {};
  const list = usePagedList<Batch>('/batches', { status: status || undefined, ...paidRange });
  const exportQuery = new URLSearchParams(Object.entries({ status, ...paidRange }).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
  const [built, setBuilt] = useState<Batch[] | null>(null);
  const title = isFinance ? (paidPage ? '已支付的批次' : '待支付的批次') : '结算批次';
  return (
    <section>
      <h1>{title}</h1>
      {user.role === 'reviewer' ? (
        <>
          <BuildBatchesForm
            onBuilt={(batches) => {
              setBuilt(batches);
              list.reload();
            }}
          />
          {built ? (
            built.length === 0 ? (
              <Success>没有可列入批次的已批准申报。</Success>
            ) : (
              <Success>
                已生成 {built.length} 个草稿批次，合计 {formatMoney(built.reduce((sum, batch) => addMoney(sum, batch.total), '0.00'))}。请逐个核对后签发。
              </Success>
            )
          ) : null}
        </>
      ) : null}
      {!isFinance ? (
        <nav class="filters">
          {[
            ['', '全部'],
            ...(user.role === 'reviewer' ? [['draft', '草稿']] : []),
            ['issued', '待支付'],
            ['paid', '已支付'],
            ...(user.role === 'reviewer' ? [['cancelled', '已作废']] : []),
          ].map(([code, name]) => (
            <a key={code} href={href('/batches', { status: code })} class={code === status ? 'active' : undefined}>
              {name}
            </a>
          ))}
        </nav>
      ) : null}
      {paidPage ? (
        <ActionForm class="form inline" onSubmit={() => navigate(href('/paid', { paidFrom, paidTo }).slice(1))}>
          <Field label="支付日期自">
            <input type="date" name="paidFrom" value={paidFrom} onInput={(event) => setPaidFrom(event.currentTarget.value)} />
          </Field>
          <Field label="至">
            <input type="date" name="paidTo" value={paidTo} onInput={(event) => setPaidTo(event.currentTarget.value)} />
          </Field>
          <button type="submit" class="secondary">
            筛选
          </button>
          <DownloadButton path={`/batches/export.xlsx?${exportQuery}`} fallbackName="结算批次清单.xlsx">
            导出 Excel
          </DownloadButton>
        </ActionForm>
      ) : null}
      <ListStatus list={list} empty="没有批次。" />
      {list.items.length > 0 ? (
        <table class="list">
          <thead>
            <tr>
              <th>批次号</th>
              <th>机构</th>
              <th class="num">申报数</th>
              <th class="num">合计金额</th>
              <th>状态</th>
              <th>签发时间</th>
              <th>支付日期</th>
              {status === 'paid' ? <th>付款凭证号</th> : null}
            </tr>
          </thead>
          <tbody>
            {list.items.map((batch) => (
              <tr key={batch.id}>
                <td>
                  <a href={href(`/batches/${batch.id}`)}>{batch.number}</a>
                </td>
                <td>
                  <InstitutionName id={batch.institutionId} />
                </td>
                <td class="num">{batch.claimCount}</td>
                <td class="num">
                  <Money amount={batch.total} />
                </td>
                <td>
                  <Tag code={batch.status} names={BATCH_STATUS_NAMES} />
                </td>
                <td>{formatTimestamp(batch.issuedAt)}</td>
                <td>{batch.paidAt ? formatDate(batch.paidAt) : '—'}</td>
                {status === 'paid' ? <td>{batch.voucherNo ?? '—'}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager list={list} />
    </section>
  );
}

/**
 * 登记付款 cannot be undone: the figures are checked on the page first (the amount must be the
 * batch total), then shown once more with the voucher for a second, deliberate click.
 */
function PaymentForm(props: { batch: Batch; onPaid(): void }) {
  const [voucherNo, setVoucherNo] = useState('');
  const [paidAt, setPaidAt] = useState(chinaToday());
  const [amount, setAmount] = useState('');
  const [confirming, setConfirming] = useState<{ amount: string; voucherNo: string; paidAt: string } | null>(null);
  const check = useAction(async () => {
    const parsed = parseMoneyInput(amount);
    if (!parsed) throw new ApiError(400, 'VALIDATION_FAILED', 'amount', [{ field: 'amount' }]);
    if (formatMoney(parsed) !== formatMoney(props.batch.total)) throw new ApiError(422, 'AMOUNT_MISMATCH', 'amount');
    setConfirming({ amount: parsed, voucherNo: voucherNo.trim(), paidAt });
  });
  const pay = useAction(async () => {
    await api.post(`/batches/${props.batch.id}/payment`, confirming);
    setConfirming(null);
    props.onPaid();
  });
  if (confirming) {
    return (
      <div class="form payment confirm" role="alertdialog" aria-label="确认登记付款" data-testid="payment-confirm">
        <h2>确认登记付款</h2>
        <p>
          付款金额 <strong>{formatMoney(confirming.amount)}</strong>，付款凭证号 <strong>{confirming.voucherNo}</strong>，付款日期 <strong>{formatDate(confirming.paidAt)}</strong>。
        </p>
        <p class="warning">登记后批次及其申报即标记为已支付，不能撤销。请与付款凭证逐项核对。</p>
        <ErrorNotice error={pay.error} title="付款未登记" />
        <div class="actions">
          <button type="button" disabled={pay.running} onClick={() => pay.run()}>
            确认登记
          </button>
          <button type="button" class="secondary" disabled={pay.running} onClick={() => setConfirming(null)}>
            返回修改
          </button>
        </div>
      </div>
    );
  }
  return (
    <ActionForm class="form payment" onSubmit={() => check.run()}>
      <h2>登记付款</h2>
      <p class="muted">按付款凭证填写。金额须与批次合计 {formatMoney(props.batch.total)} 一致，否则不予登记。</p>
      <Field label="付款凭证号">
        <input name="voucherNo" value={voucherNo} onInput={(event) => setVoucherNo(event.currentTarget.value)} required />
      </Field>
      <Field label="付款日期">
        <input type="date" name="paidAt" value={paidAt} onInput={(event) => setPaidAt(event.currentTarget.value)} required />
      </Field>
      <Field label="付款金额（元）">
        <input name="amount" inputMode="decimal" value={amount} onInput={(event) => setAmount(event.currentTarget.value)} required />
      </Field>
      <ErrorNotice error={check.error} title="付款未登记" />
      <div class="actions">
        <button type="submit">登记付款</button>
      </div>
    </ActionForm>
  );
}

export function BatchPage(props: PageProps) {
  const batch = useAsync(() => api.get<Batch>(`/batches/${props.params.id}`), [props.params.id]);
  const [notice, setNotice] = useState<string | null>(null);
  const act = useAction(async (action: 'issue' | 'cancel') => {
    const question = action === 'issue' ? '签发后批次内容和 PDF 即固定，不能再修改。确定签发吗？' : '作废后批次中的申报回到「已批准」，可重新生成批次。确定作废吗？';
    if (!window.confirm(question)) return;
    if (action === 'issue') await api.post(`/batches/${props.params.id}/issue`);
    else await api.post(`/batches/${props.params.id}/cancel`);
    setNotice(action === 'issue' ? '批次已签发，财政局可下载 PDF 并付款。' : '批次已作废。');
    batch.reload();
  });
  const data = batch.data;
  const back = props.user.role === 'finance' && data?.status === 'paid' ? '/paid' : '/batches';
  return (
    <section>
      <p>
        <a href={href(back)}>← 返回批次列表</a>
      </p>
      <Loading when={batch.loading && !data} />
      <ErrorNotice error={batch.error} />
      {notice ? <Success>{notice}</Success> : null}
      {data ? (
        <>
          <h1>结算批次 {data.number}</h1>
          <dl class="facts">
            <dt>机构</dt>
            <dd>
              <InstitutionName id={data.institutionId} />
            </dd>
            <dt>状态</dt>
            <dd>
              <Tag code={data.status} names={BATCH_STATUS_NAMES} />
            </dd>
            {data.payee ? (
              <>
                <dt>收款账户</dt>
                <dd data-testid="payee">
                  {data.payee.bank}　户名 {data.payee.accountName}　账号 <span class="account">{data.payee.accountNumber}</span>
                </dd>
              </>
            ) : null}
            {data.builtBy ? (
              <>
                <dt>经办人</dt>
                <dd>{data.builtBy.name}</dd>
              </>
            ) : null}
            {data.issuedBy ? (
              <>
                <dt>审核人（签发）</dt>
                <dd>{data.issuedBy.name}</dd>
              </>
            ) : null}
            <dt>申报数</dt>
            <dd>{data.claimCount}</dd>
            <dt>合计金额</dt>
            <dd>
              <Money amount={data.total} strong /> {data.totalInWords ? <span>（大写：{data.totalInWords}）</span> : null}
            </dd>
            {data.issuedAt ? (
              <>
                <dt>签发时间</dt>
                <dd>{formatTimestamp(data.issuedAt)}</dd>
                <dt>校验码 SHA-256</dt>
                <dd class="hash">{data.sha256}</dd>
              </>
            ) : null}
            {data.paidAt ? (
              <>
                <dt>支付日期</dt>
                <dd>{formatDate(data.paidAt)}</dd>
                <dt>付款凭证号</dt>
                <dd>{data.voucherNo}</dd>
              </>
            ) : null}
          </dl>
          <div class="actions">
            {data.status === 'issued' || data.status === 'paid' ? (
              <>
                <DownloadButton path={`/batches/${data.id}/pdf`} fallbackName={`${data.number}.pdf`}>
                  下载 PDF
                </DownloadButton>
                <DownloadButton path={`/batches/${data.id}/xlsx`} fallbackName={`${data.number}.xlsx`}>
                  下载 Excel
                </DownloadButton>
              </>
            ) : null}
            {props.user.role === 'reviewer' && data.status === 'draft' ? (
              <>
                {data.builtBy?.id === props.user.id ? (
                  <span class="muted" data-testid="second-reviewer">本批次由您经办，须由本地区另一位审核人员核对签发。</span>
                ) : (
                  <button type="button" disabled={act.running} onClick={() => act.run('issue')}>
                    核对无误，签发
                  </button>
                )}
                <button type="button" class="secondary" disabled={act.running} onClick={() => act.run('cancel')}>
                  作废
                </button>
              </>
            ) : null}
          </div>
          <ErrorNotice error={act.error} title="未能办理" />
          {props.user.role === 'finance' && data.status === 'issued' ? (
            <PaymentForm
              batch={data}
              onPaid={() => {
                setNotice('付款已登记，批次中的申报均已标记为已支付。');
                batch.reload();
              }}
            />
          ) : null}
          <table class="list">
            <caption>批次明细</caption>
            <thead>
              <tr>
                <th>#</th>
                <th>结算申请号</th>
                <th>儿童</th>
                <th>身份证号</th>
                <th>类别</th>
                <th>项目</th>
                <th>期间</th>
                <th class="num">总费用</th>
                <th class="num">已扣除</th>
                <th class="num">余额</th>
                <th class="num">救助金额</th>
              </tr>
            </thead>
            <tbody>
              {(data.lines ?? []).map((line, index) => (
                <tr key={line.claimId}>
                  <td>{index + 1}</td>
                  <td>{props.user.role === 'finance' ? line.externalRef : <a href={href(`/claims/${line.claimId}`)}>{line.externalRef}</a>}</td>
                  <td>{line.childName}</td>
                  <td>{line.idNumberMasked}</td>
                  <td>{label(CATEGORY_NAMES, line.category)}</td>
                  <td>{label(SERVICE_NAMES, line.service)}</td>
                  <td>{formatDatesIn(line.period)}</td>
                  <td class="num">
                    <Money amount={line.grossCost} />
                  </td>
                  <td class="num">
                    <Money amount={line.deductionsTotal} />
                  </td>
                  <td class="num">
                    <Money amount={line.remainder} />
                  </td>
                  <td class="num">
                    <Money amount={line.approvedAmount} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
