import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { chinaToday, formatDate, formatMoney, formatMonth, formatMonthList, formatTimestamp } from '../../format.js';
import { useAction, useAsync } from '../../kit/data.js';
import { DownloadButton } from '../../kit/download.js';
import { ActionForm, ConfirmButtons, Field, TextField } from '../../kit/form.js';
import { Table } from '../../kit/list.js';
import { Empty, ErrorNotice, RecordPending } from '../../kit/notices.js';
import { Money, Tag } from '../../kit/values.js';
import { beneficiaryColumn } from '../../parts/allowance.js';
import type { PageProps, Roll } from '../../types.js';
import { HOLD_REASON_NAMES, label, ROLL_STATUS_NAMES, TRANSFER_STATUS_NAMES } from '../../words.js';

// One monthly roll: its totals, the notice and its objections (civil affairs), the issue to
// finance by another officer than the one who built it, the bank list and the bank's results
// (finance), every transfer and who is held.

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
  const loaded = useAsync(() => api.get<Roll>(`/allowance/rolls/${id}`), [id]);
  const reload = loaded.reload;
  const [from, setFrom] = useState(chinaToday());
  // Issuing fixes the roll for good and cancelling starts the notice again: each asks first.
  const [confirming, setConfirming] = useState<'issue' | 'cancel' | null>(null);
  const [objecting, setObjecting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const act = useAction(async (call: () => Promise<unknown>) => {
    await call();
    setObjecting(null);
    setReason('');
    reload();
  });
  const roll = loaded.data;
  if (!roll) return <RecordPending record={loaded} />;
  const role = props.user.role;
  const civil = role === 'civil_affairs';
  const open = roll.status === 'draft' || roll.status === 'published';
  const issued = roll.status === 'issued' || roll.status === 'settled';
  const noticeOver = roll.noticeTo !== null && chinaToday() > roll.noticeTo;
  // Nobody moves money alone (security.md §2): another officer issues what one built.
  const builtByMe = roll.builtBy.id === props.user.id;
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
        <dt>经办人</dt>
        <dd>{roll.builtBy.name}</dd>
        {roll.issuedBy ? (
          <>
            <dt>审核人（交付财政）</dt>
            <dd>{roll.issuedBy.name}</dd>
          </>
        ) : null}
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
      {confirming ? (
        <div class="form confirm" role="alertdialog" aria-label={confirming === 'issue' ? '确认交付' : '确认作废'} data-testid="roll-confirm">
          {confirming === 'issue' ? (
            <p>
              交付名册 <strong>{roll.number}</strong>：{roll.beneficiaryCount} 人、{roll.entryCount} 个月，合计 <strong>{formatMoney(roll.total)}</strong>，交财政局发放。
              交付后名册的明细、合计和代发清单即固定，<strong>不能再修改，也不能再作废</strong>。
            </p>
          ) : (
            <p>
              作废名册 <strong>{roll.number}</strong>：其中的月份回到待发放，须重新生成名册；{roll.status === 'published' ? <strong>已开始的公示作废，新名册须重新公示 7 天</strong> : '新名册发布后公示 7 天'}，期满后方可交付。
            </p>
          )}
          <div class="actions">
            <ConfirmButtons
              label={confirming === 'issue' ? `确认交付 ${roll.number}` : `确认作废 ${roll.number}`}
              danger={confirming === 'cancel'}
              running={act.running}
              onConfirm={() => {
                const action = confirming;
                setConfirming(null);
                act.run(() => (action === 'issue' ? api.post(`/allowance/rolls/${id}/issue`) : api.post(`/allowance/rolls/${id}/cancel`)));
              }}
              onCancel={() => setConfirming(null)}
            />
          </div>
        </div>
      ) : null}
      {civil && roll.status === 'draft' ? (
        <ActionForm class="form inline" onSubmit={() => act.run(() => api.post(`/allowance/rolls/${id}/publish`, { from }))}>
          <TextField label="公示开始日期" hint="公示 7 天，期满后方可交付发放" type="date" name="from" value={from} required onValue={setFrom} />
          <button type="submit" disabled={act.running}>
            发布公示
          </button>
          <button type="button" class="secondary danger" disabled={act.running} onClick={() => setConfirming('cancel')}>
            作废名册
          </button>
        </ActionForm>
      ) : null}
      {civil && roll.status === 'published' ? (
        <div class="actions">
          {builtByMe ? (
            <span class="muted" data-testid="second-officer">
              本名册由您生成（经办），须由本地区民政局另一位经办人员核对后交付财政{noticeOver ? '' : `；公示期至 ${formatDate(roll.noticeTo)}`}。
            </span>
          ) : (
            <>
              <button type="button" disabled={act.running || !noticeOver} onClick={() => setConfirming('issue')}>
                交付财政发放
              </button>
              {!noticeOver ? <span class="muted">公示期至 {formatDate(roll.noticeTo)}，期满后方可交付。</span> : null}
            </>
          )}
          <button type="button" class="secondary danger" disabled={act.running} onClick={() => setConfirming('cancel')}>
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
        <Table
          testId="transfers"
          rows={roll.transfers}
          rowKey={(transfer) => transfer.transferNo}
          columns={[
            { title: '序号', num: true, cell: (transfer) => transfer.transferNo },
            beneficiaryColumn(),
            { title: '村（社区）', cell: (transfer) => transfer.community },
            {
              title: '户名 / 账号',
              cell: (transfer) => (
                <>
                  {transfer.accountName} {transfer.accountNumber}
                </>
              ),
            },
            { title: '月份', cell: (transfer) => formatMonthList(transfer.months) },
            { title: '金额', num: true, cell: (transfer) => <Money amount={transfer.amount} /> },
            {
              title: '转账',
              cell: (transfer) => (
                <>
                  {label(TRANSFER_STATUS_NAMES, transfer.status)}
                  {transfer.failureReason ? `（${transfer.failureReason}）` : ''}
                </>
              ),
            },
            civil &&
              open && {
                cell: (transfer) =>
                  objecting === transfer.beneficiaryId ? (
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
                  ),
              },
          ]}
        />
      )}
      {roll.held.length > 0 ? (
        <>
          <h2>暂停发放（不在本名册）</h2>
          <Table
            rows={roll.held}
            rowKey={(item) => item.beneficiaryId}
            columns={[
              beneficiaryColumn(),
              { title: '原因', cell: (item) => label(HOLD_REASON_NAMES, item.reason) },
              { title: '待发月份', cell: (item) => formatMonthList(item.months) },
              { title: '待发金额', num: true, cell: (item) => <Money amount={item.amount} /> },
            ]}
          />
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
