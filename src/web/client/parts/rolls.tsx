import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { addMoney, chinaToday, formatDate, formatMoney, formatMonth, formatMonthList, formatTimestamp } from '../format.js';
import { useAction, usePagedList } from '../kit/data.js';
import { DownloadButton } from '../kit/download.js';
import { ActionForm, ConfirmButtons, Field, TextField } from '../kit/form.js';
import { ListPage, Table, type Column, type Columns } from '../kit/list.js';
import { Empty, ErrorNotice } from '../kit/notices.js';
import { Money, Tag } from '../kit/values.js';
import { href, navigate } from '../router.js';
import type { OverpaymentFigures, RollBase, RollHeldBase, RollTransferBase, User } from '../types.js';
import { label, ROLL_STATUS_NAMES, TRANSFER_STATUS_NAMES } from '../words.js';

// A monthly roll's page parts that every programme shares (the care allowance, the basic-living
// money): its head and figures, the issue by another officer than the builder (security.md §2)
// and the cancel, each asked first; the summary and the bank list once issued; the bank's results;
// its transfers and who is held. A programme passes in what differs: how it splits the total, the
// place columns, the words of its cancel and what comes before the issue (a notice).

/** The roll's number and status, then its figures; `split` says how the total divides, `children` add facts before 经办人. */
export function RollHead(props: { roll: RollBase & { transfers?: readonly RollTransferBase[] }; payeeCount: number; split: ComponentChildren; children?: ComponentChildren }) {
  const { roll } = props;
  // The bank returned these: their months are due again, the payee held until its account changes.
  const failed = (roll.transfers ?? []).filter((transfer) => transfer.status === 'failed');
  return (
    <>
      <h1>
        {roll.number} <Tag code={roll.status} names={ROLL_STATUS_NAMES} />
      </h1>
      <dl class="facts">
        <dt>发放月份</dt>
        <dd>{formatMonth(roll.month)}</dd>
        <dt>人数 / 月数</dt>
        <dd>
          {props.payeeCount} 人 / {roll.entryCount} 个月
        </dd>
        <dt>合计</dt>
        <dd data-testid="roll-total">
          <Money amount={roll.total} strong />（{roll.totalInWords}）
        </dd>
        <dt>其中</dt>
        <dd data-testid="roll-split">{props.split}</dd>
        {failed.length > 0 ? (
          <>
            <dt>银行退回</dt>
            <dd data-testid="roll-failed">
              {failed.length} 笔，<Money amount={addMoney(...failed.map((transfer) => transfer.amount))} />（未发放：其月份待更换账户后补发）
            </dd>
          </>
        ) : null}
        {props.children}
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
    </>
  );
}

const isIssued = (roll: RollBase) => roll.status === 'issued' || roll.status === 'settled';

/** The summary PDF once issued, and the bank list for those who pay it (`bankList`); `children` come first (a notice). */
export function RollDownloads(props: { path: string; roll: RollBase; bankList: boolean; children?: ComponentChildren }) {
  const { path, roll } = props;
  const issued = isIssued(roll);
  return (
    <div class="actions wrap">
      {props.children}
      {issued ? (
        <DownloadButton path={`${path}/pdf`} fallbackName={`${roll.number}.pdf`}>
          下载发放汇总表（PDF）
        </DownloadButton>
      ) : null}
      {issued && props.bankList ? (
        <>
          <DownloadButton path={`${path}/bank.xlsx`} fallbackName={`${roll.number}-代发清单.xlsx`}>
            下载代发清单（Excel）
          </DownloadButton>
          <DownloadButton path={`${path}/bank.csv`} fallbackName={`${roll.number}-代发清单.csv`}>
            下载代发清单（CSV）
          </DownloadButton>
        </>
      ) : null}
    </div>
  );
}

/** The four-eyes message to the officer who built a roll: another officer issues it (security.md §2). */
export function SecondOfficerNote(props: { children?: ComponentChildren }) {
  return (
    <span class="muted" data-testid="second-officer">
      本名册由您生成（经办），须由本地区民政局另一位经办人员核对后交付财政{props.children}。
    </span>
  );
}

/**
 * Issue to finance and cancel, each asked first with what it means (civil affairs). `issuable`:
 * the roll's state allows issuing; `waitUntil`: a date before which it may not be issued yet (the
 * notice period). The officer who built the roll is told another issues it, and gets no button.
 */
export function RollDecision(props: {
  path: string;
  roll: RollBase;
  payeeCount: number;
  user: User;
  issuable: boolean;
  waitUntil?: string | null;
  cancellable: boolean;
  /** What cancelling loses, in this programme's words. */
  cancelWords: ComponentChildren;
  onDone(): void;
}) {
  const { roll, path } = props;
  const [confirming, setConfirming] = useState<'issue' | 'cancel' | null>(null);
  const act = useAction(async (action: 'issue' | 'cancel') => {
    await api.post(`${path}/${action}`);
    props.onDone();
  });
  if (!props.issuable && !props.cancellable) return null;
  const builtByMe = roll.builtBy.id === props.user.id;
  const waiting = props.waitUntil ? `公示期至 ${formatDate(props.waitUntil)}` : null;
  return (
    <>
      {confirming ? (
        <div class="form confirm" role="alertdialog" aria-label={confirming === 'issue' ? '确认交付' : '确认作废'} data-testid="roll-confirm">
          {confirming === 'issue' ? (
            <p>
              交付名册 <strong>{roll.number}</strong>：{props.payeeCount} 人、{roll.entryCount} 个月，合计 <strong>{formatMoney(roll.total)}</strong>，交财政局发放。
              交付后名册的明细、合计和代发清单即固定，<strong>不能再修改，也不能再作废</strong>。
            </p>
          ) : (
            <p>
              作废名册 <strong>{roll.number}</strong>：{props.cancelWords}
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
                void act.run(action);
              }}
              onCancel={() => setConfirming(null)}
            />
          </div>
        </div>
      ) : null}
      <div class="actions">
        {props.issuable ? (
          builtByMe ? (
            <SecondOfficerNote>{waiting ? `；${waiting}` : ''}</SecondOfficerNote>
          ) : (
            <>
              <button type="button" disabled={act.running || Boolean(waiting)} onClick={() => setConfirming('issue')}>
                交付财政发放
              </button>
              {waiting ? <span class="muted">{waiting}，期满后方可交付。</span> : null}
            </>
          )
        ) : null}
        {props.cancellable ? (
          <button type="button" class="secondary danger" disabled={act.running} onClick={() => setConfirming('cancel')}>
            作废名册
          </button>
        ) : null}
      </div>
      <ErrorNotice error={act.error} title="操作未成功" />
    </>
  );
}

/** Finance records the bank's return file (序号, 结果, 失败原因) of an issued roll. */
export function ResultsUpload(props: { path: string; onRecorded(): void }) {
  const [file, setFile] = useState<File | null>(null);
  const upload = useAction(async () => {
    if (!file) return;
    await api.upload(`${props.path}/results`, file);
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

/** 发放明细: every transfer with its payee, place, account, months, amount and the bank's result; `after` adds a column of row actions. */
export function TransferTable<Transfer extends RollTransferBase>(props: { transfers: readonly Transfer[]; payee: Column<NoInfer<Transfer>>; places: Columns<NoInfer<Transfer>>; after?: Column<NoInfer<Transfer>> | false }) {
  return (
    <>
      <h2>发放明细</h2>
      {props.transfers.length === 0 ? (
        <Empty>名册中没有应发对象。</Empty>
      ) : (
        <Table
          testId="transfers"
          rows={props.transfers}
          rowKey={(transfer) => transfer.transferNo}
          columns={[
            { title: '序号', num: true, cell: (transfer) => transfer.transferNo },
            props.payee,
            ...props.places,
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
                  <span class="nowrap">{label(TRANSFER_STATUS_NAMES, transfer.status)}</span>
                  {transfer.failureReason ? `（${transfer.failureReason}）` : ''}
                </>
              ),
            },
            props.after,
          ]}
        />
      )}
    </>
  );
}

/** 暂停发放: who the roll holds back, why (`reasons` in the programme's words), and the months and money waiting. */
export function HeldTable<Held extends RollHeldBase>(props: { held: readonly Held[]; rowKey(held: NoInfer<Held>): string; payee: Column<NoInfer<Held>>; places: Columns<NoInfer<Held>>; reasons: Record<string, string> }) {
  if (props.held.length === 0) return null;
  return (
    <>
      <h2>暂停发放（不在本名册）</h2>
      <Table
        testId="held"
        rows={props.held}
        rowKey={props.rowKey}
        columns={[
          props.payee,
          ...props.places,
          { title: '原因', cell: (item) => label(props.reasons, item.reason) },
          { title: '待发月份', cell: (item) => formatMonthList(item.months) },
          { title: '待发金额', num: true, cell: (item) => <Money amount={item.amount} /> },
        ]}
      />
    </>
  );
}

/** A statistics page's year. */
export function YearField(props: { year: number; onYear(year: number): void }) {
  return (
    <ActionForm class="form inline" onSubmit={() => undefined}>
      <TextField label="年度" type="number" name="year" value={props.year} min={2000} max={2100} onValue={(value) => props.onYear(Number(value))} />
    </ActionForm>
  );
}

/** Who is held now (by reason, in the programme's words) and what is owed back on overpayments. */
export function HeldAndOwed(props: { heldNow: Record<string, number>; reasons: Record<string, string>; overpayments: OverpaymentFigures }) {
  const held = Object.entries(props.heldNow)
    .map(([reason, count]) => `${label(props.reasons, reason)} ${count} 人`)
    .join('，');
  return (
    <p data-testid="held-and-owed">
      暂停发放：{held || '无'}。应退款尚欠 <Money amount={props.overpayments.open} />，已追回 <Money amount={props.overpayments.recovered} />
      {props.overpayments.refundDue !== '0.00' ? (
        <>
          ，多收待退还 <Money amount={props.overpayments.refundDue} />
        </>
      ) : null}
      。
    </p>
  );
}

/**
 * A programme's rolls, newest first, and the building of a month's (civil affairs). `api`: the
 * API's list (also where a roll is built); `page`: the console's path of a roll; `columns` add the
 * programme's own after 合计.
 */
export function RollListPage<Row extends RollBase>(props: { title: string; api: string; page: string; user: User; payeeCount(row: Row): number; columns?: Columns<NoInfer<Row>> }) {
  const list = usePagedList<Row>(props.api, {});
  const [month, setMonth] = useState(chinaToday().slice(0, 7));
  const build = useAction(async () => {
    const roll = await api.post<Row>(props.api, { month });
    navigate(`${props.page}/${roll.id}`);
  });
  return (
    <ListPage
      title={props.title}
      list={list}
      empty="还没有名册。"
      testId="rolls"
      // The API lists rolls oldest first; people look for the latest.
      order={(rolls) => [...rolls].reverse()}
      columns={[
        { title: '名册编号', cell: (roll) => <a href={href(`${props.page}/${roll.id}`)}>{roll.number}</a> },
        { title: '月份', cell: (roll) => formatMonth(roll.month) },
        { title: '人数', num: true, cell: (roll) => props.payeeCount(roll) },
        { title: '合计', num: true, cell: (roll) => <Money amount={roll.total} /> },
        { title: '状态', cell: (roll) => <Tag code={roll.status} names={ROLL_STATUS_NAMES} /> },
        ...(props.columns ?? []),
      ]}
    >
      {props.user.role === 'civil_affairs' ? (
        <ActionForm class="form inline" onSubmit={() => build.run()}>
          <TextField label="发放月份" type="month" name="month" value={month} max={chinaToday().slice(0, 7)} required onValue={setMonth} />
          <button type="submit" disabled={build.running}>
            {build.running ? '正在生成…' : '生成名册'}
          </button>
          <ErrorNotice error={build.error} title="未能生成名册" />
        </ActionForm>
      ) : null}
    </ListPage>
  );
}
