import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { chinaToday, formatDate, formatTimestamp } from '../../format.js';
import { useAction, useAsync } from '../../kit/data.js';
import { DownloadButton } from '../../kit/download.js';
import { ActionForm, TextField } from '../../kit/form.js';
import { ErrorNotice, RecordPending } from '../../kit/notices.js';
import { Money } from '../../kit/values.js';
import { beneficiaryColumn } from '../../parts/allowance.js';
import { HeldTable, ResultsUpload, RollDecision, RollDownloads, RollHead, TransferTable } from '../../parts/rolls.js';
import type { PageProps, Roll } from '../../types.js';
import { HOLD_REASON_NAMES } from '../../words.js';

// One monthly roll of the care allowance (parts/rolls for what every programme's roll shows): its
// notice and its objections (civil affairs) before another officer than its builder issues it.

type Transfer = Roll['transfers'][number];

export function RollPage(props: PageProps) {
  const id = props.params.id!;
  const path = `/allowance/rolls/${id}`;
  const loaded = useAsync(() => api.get<Roll>(path), [id]);
  const reload = loaded.reload;
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
  if (!roll) return <RecordPending record={loaded} />;
  const role = props.user.role;
  const civil = role === 'civil_affairs';
  const open = roll.status === 'draft' || roll.status === 'published';
  const noticeOver = roll.noticeTo !== null && chinaToday() > roll.noticeTo;
  const objectionColumn = civil &&
    open && {
      cell: (transfer: Transfer) =>
        objecting === transfer.beneficiaryId ? (
          <ActionForm class="form inline" onSubmit={() => act.run(() => api.post(`${path}/objections`, { beneficiaryId: transfer.beneficiaryId, reason: reason.trim() }))}>
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
    };
  return (
    <section>
      <RollHead
        roll={roll}
        payeeCount={roll.beneficiaryCount}
        split={
          <>
            关爱补贴（县本级财政）<Money amount={roll.byFund.county} />，护理补贴提标（困难群众资金）<Money amount={roll.byFund.hardship} />，补发 <Money amount={roll.arrearsTotal} />
          </>
        }
      >
        <dt>公示期</dt>
        <dd>{roll.noticeFrom ? `${formatDate(roll.noticeFrom)} 至 ${formatDate(roll.noticeTo)}` : '尚未公示'}</dd>
      </RollHead>
      <RollDownloads path={path} roll={roll} bankList={role !== 'reviewer'}>
        {roll.status !== 'draft' && roll.status !== 'cancelled' ? (
          <DownloadButton path={`${path}/notice.pdf`} fallbackName={`${roll.number}-公示.pdf`}>
            下载公示（PDF）
          </DownloadButton>
        ) : null}
      </RollDownloads>
      {civil && roll.status === 'draft' ? (
        <ActionForm class="form inline" onSubmit={() => act.run(() => api.post(`${path}/publish`, { from }))}>
          <TextField label="公示开始日期" hint="公示 7 天，期满后方可交付发放" type="date" name="from" value={from} required onValue={setFrom} />
          <button type="submit" disabled={act.running}>
            发布公示
          </button>
        </ActionForm>
      ) : null}
      {civil ? (
        <RollDecision
          path={path}
          roll={roll}
          payeeCount={roll.beneficiaryCount}
          user={props.user}
          issuable={roll.status === 'published'}
          waitUntil={noticeOver ? null : roll.noticeTo}
          cancellable={open}
          cancelWords={
            <>
              其中的月份回到待发放，须重新生成名册；{roll.status === 'published' ? <strong>已开始的公示作废，新名册须重新公示 7 天</strong> : '新名册发布后公示 7 天'}，期满后方可交付。
            </>
          }
          onDone={reload}
        />
      ) : null}
      <ErrorNotice error={act.error} title="操作未成功" />
      {role === 'finance' && roll.status === 'issued' ? <ResultsUpload path={path} onRecorded={reload} /> : null}
      <TransferTable transfers={roll.transfers} payee={beneficiaryColumn()} places={[{ title: '村（社区）', cell: (transfer) => transfer.community }]} after={objectionColumn} />
      <HeldTable held={roll.held} rowKey={(item) => item.beneficiaryId} payee={beneficiaryColumn()} places={[]} reasons={HOLD_REASON_NAMES} />
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
