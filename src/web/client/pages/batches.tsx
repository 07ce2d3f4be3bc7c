import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { addMoney, chinaToday, formatDate, formatDatesIn, formatMoney, formatTimestamp, parseMoneyInput } from '../format.js';
import { useAction, useAsync, usePagedList } from '../kit/data.js';
import { DownloadButton } from '../kit/download.js';
import { ActionForm, ConfirmButtons, Field, TextField } from '../kit/form.js';
import { BackLink, ListPage, StatusFilters, Table } from '../kit/list.js';
import { ErrorNotice, Loading, Success } from '../kit/notices.js';
import { Money, Tag } from '../kit/values.js';
import { InstitutionName, InstitutionOptions, useInstitutions } from '../parts/names.js';
import { href, navigate } from '../router.js';
import type { Batch, PageProps } from '../types.js';
import { BATCH_STATUS_NAMES, CATEGORY_NAMES, label, SERVICE_NAMES } from '../words.js';

// Payment batches: reviewers build them from approved claims, check and issue them; finance pays
// issued ones; institutions see their own once issued.

interface BuildResult {
  batches: Batch[];
  existingDrafts: Batch[];
}

function BuildBatchesForm(props: { onBuilt(result: BuildResult): void }) {
  const institutions = useInstitutions();
  const [approvedThrough, setApprovedThrough] = useState(chinaToday());
  const [institutionId, setInstitutionId] = useState('');
  const build = useAction(async () => {
    props.onBuilt(await api.post<BuildResult>('/batches', { approvedThrough, institutionId: institutionId || undefined }));
  });
  return (
    <ActionForm class="form inline" onSubmit={() => build.run()}>
      <TextField label="批准日期截至" type="date" name="approvedThrough" value={approvedThrough} required onValue={setApprovedThrough} />
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
  const [built, setBuilt] = useState<BuildResult | null>(null);
  const title = isFinance ? (paidPage ? '已支付的批次' : '待支付的批次') : '结算批次';
  return (
    <ListPage
      title={title}
      list={list}
      empty="没有批次。"
      columns={[
        { title: '批次号', cell: (batch) => <a href={href(`/batches/${batch.id}`)}>{batch.number}</a> },
        { title: '机构', cell: (batch) => <InstitutionName id={batch.institutionId} /> },
        { title: '申报数', num: true, cell: (batch) => batch.claimCount },
        { title: '合计金额', num: true, cell: (batch) => <Money amount={batch.total} /> },
        { title: '状态', cell: (batch) => <Tag code={batch.status} names={BATCH_STATUS_NAMES} /> },
        { title: '签发时间', cell: (batch) => formatTimestamp(batch.issuedAt) },
        { title: '支付日期', cell: (batch) => (batch.paidAt ? formatDate(batch.paidAt) : '—') },
        status === 'paid' && { title: '付款凭证号', cell: (batch) => batch.voucherNo ?? '—' },
      ]}
    >
      {user.role === 'reviewer' ? (
        <>
          <BuildBatchesForm
            onBuilt={(result) => {
              setBuilt(result);
              list.reload();
            }}
          />
          {built ? <BuildOutcome result={built} /> : null}
        </>
      ) : null}
      {!isFinance ? (
        <StatusFilters
          options={[
            ['', '全部'],
            ...(user.role === 'reviewer' ? [['draft', '草稿'] as const] : []),
            ['issued', '待支付'],
            ['paid', '已支付'],
            ...(user.role === 'reviewer' ? [['cancelled', '已作废'] as const] : []),
          ]}
          current={status}
          link={(code) => href('/batches', { status: code })}
        />
      ) : null}
      {paidPage ? (
        <ActionForm class="form inline" onSubmit={() => navigate(href('/paid', { paidFrom, paidTo }).slice(1))}>
          <TextField label="支付日期自" type="date" name="paidFrom" value={paidFrom} onValue={setPaidFrom} />
          <TextField label="至" type="date" name="paidTo" value={paidTo} onValue={setPaidTo} />
          <button type="submit" class="secondary">
            筛选
          </button>
          <DownloadButton path={`/batches/export.xlsx?${exportQuery}`} fallbackName="结算批次清单.xlsx">
            导出 Excel
          </DownloadButton>
        </ActionForm>
      ) : null}
    </ListPage>
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
      <TextField label="付款凭证号" name="voucherNo" value={voucherNo} required onValue={setVoucherNo} />
      <TextField label="付款日期" type="date" name="paidAt" value={paidAt} required onValue={setPaidAt} />
      <TextField label="付款金额（元）" name="amount" inputMode="decimal" value={amount} required onValue={setAmount} />
      <ErrorNotice error={check.error} title="付款未登记" />
      <div class="actions">
        <button type="submit">登记付款</button>
      </div>
    </ActionForm>
  );
}

/** What a run made, and the drafts made before that still hold approved claims (named, to open). */
function BuildOutcome(props: { result: BuildResult }) {
  const { batches: made, existingDrafts } = props.result;
  const drafts =
    existingDrafts.length > 0 ? (
      <p data-testid="existing-drafts">
        {made.length === 0 ? '没有新的已批准申报可列入批次：' : ''}以下草稿批次已经存在，尚未签发（其中的申报不会重复列入）：
        {existingDrafts.map((batch, index) => (
          <span key={batch.id}>
            {index > 0 ? '；' : ''}
            <a href={href(`/batches/${batch.id}`)}>{batch.number}</a>（<InstitutionName id={batch.institutionId} />，{batch.claimCount} 条，{formatMoney(batch.total)}）
          </span>
        ))}
        。请打开核对后签发，或作废后重新生成。
      </p>
    ) : null;
  if (made.length === 0) {
    return drafts ? <div class="warning" role="status">{drafts}</div> : <Success>没有可列入批次的已批准申报。</Success>;
  }
  return (
    <Success>
      已生成 {made.length} 个草稿批次，合计 {formatMoney(made.reduce((sum, batch) => addMoney(sum, batch.total), '0.00'))}。请逐个核对后签发。
      {drafts}
    </Success>
  );
}

export function BatchPage(props: PageProps) {
  const batch = useAsync(() => api.get<Batch>(`/batches/${props.params.id}`), [props.params.id]);
  const [notice, setNotice] = useState<string | null>(null);
  // Issuing and cancelling cannot be taken back: each asks first, saying what is lost.
  const [confirming, setConfirming] = useState<'issue' | 'cancel' | null>(null);
  const act = useAction(async (action: 'issue' | 'cancel') => {
    if (action === 'issue') await api.post(`/batches/${props.params.id}/issue`);
    else await api.post(`/batches/${props.params.id}/cancel`);
    setConfirming(null);
    setNotice(action === 'issue' ? '批次已签发，财政局可下载 PDF 并付款。' : '批次已作废，其中的申报已回到「已批准」。');
    batch.reload();
  });
  const data = batch.data;
  const back = props.user.role === 'finance' && data?.status === 'paid' ? '/paid' : '/batches';
  return (
    <section>
      <BackLink to={back} label="返回批次列表" />
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
            {props.user.role === 'reviewer' && data.status === 'draft' && !confirming ? (
              <>
                {data.builtBy?.id === props.user.id ? (
                  <span class="muted" data-testid="second-reviewer">本批次由您经办，须由本地区另一位审核人员核对签发。</span>
                ) : (
                  <button type="button" disabled={act.running} onClick={() => setConfirming('issue')}>
                    核对无误，签发
                  </button>
                )}
                <button type="button" class="secondary" disabled={act.running} onClick={() => setConfirming('cancel')}>
                  作废
                </button>
              </>
            ) : null}
          </div>
          {confirming ? (
            <div class="form confirm" role="alertdialog" aria-label={confirming === 'issue' ? '确认签发' : '确认作废'} data-testid="batch-confirm">
              {confirming === 'issue' ? (
                <p>
                  签发批次 <strong>{data.number}</strong>：{data.claimCount} 条申报，合计 <strong>{formatMoney(data.total)}</strong>，转交财政局付款。
                  签发后批次的明细、合计和 PDF 即固定，<strong>不能再修改，也不能再作废</strong>。
                </p>
              ) : (
                <p>
                  作废批次 <strong>{data.number}</strong>：其中 {data.claimCount} 条申报（合计 {formatMoney(data.total)}）回到「已批准」，
                  本批次号作废后<strong>不再使用</strong>；这些申报须重新生成批次、重新核对签发后才能付款。
                </p>
              )}
              <div class="actions">
                <ConfirmButtons label={confirming === 'issue' ? `确认签发 ${data.number}` : `确认作废 ${data.number}`} danger={confirming === 'cancel'} running={act.running} onConfirm={() => act.run(confirming)} onCancel={() => setConfirming(null)} />
              </div>
            </div>
          ) : null}
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
          <Table
            caption="批次明细"
            rows={data.lines ?? []}
            rowKey={(line) => line.claimId}
            columns={[
              { title: '#', cell: (_line, index) => index + 1 },
              { title: '结算申请号', cell: (line) => (props.user.role === 'finance' ? line.externalRef : <a href={href(`/claims/${line.claimId}`)}>{line.externalRef}</a>) },
              { title: '儿童', cell: (line) => line.childName },
              { title: '身份证号', cell: (line) => line.idNumberMasked },
              { title: '类别', cell: (line) => label(CATEGORY_NAMES, line.category) },
              { title: '项目', cell: (line) => label(SERVICE_NAMES, line.service) },
              { title: '期间', cell: (line) => formatDatesIn(line.period) },
              { title: '总费用', num: true, cell: (line) => <Money amount={line.grossCost} /> },
              { title: '已扣除', num: true, cell: (line) => <Money amount={line.deductionsTotal} /> },
              { title: '余额', num: true, cell: (line) => <Money amount={line.remainder} /> },
              { title: '救助金额', num: true, cell: (line) => <Money amount={line.approvedAmount} /> },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}
