import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { chinaToday, formatDate } from '../../format.js';
import { useAction, useAsync, usePagedList } from '../../kit/data.js';
import { ActionForm, Field, FormActions, TextField } from '../../kit/form.js';
import { BackLink, ListStatus, PagedTable, Table } from '../../kit/list.js';
import { ErrorNotice, RecordPending, Success } from '../../kit/notices.js';
import type { ProtectionCase } from '../../protectionTypes.js';
import { href } from '../../router.js';
import type { PageProps } from '../../types.js';
import type { RecordedVisit, Visit, VisitChecks } from '../../visitTypes.js';
import { CHECK_RESULT_NAMES, VISIT_CHECK_NAMES } from '../../visitWords.js';
import { PoliceCallButton, ReportAlarm } from '../../parts/reportAlarm.js';

// 走访: the township's visits due this month and those overdue, the visits recorded, and the form a
// clerk fills on a phone in the village on behalf of the 儿童主任 — five checks, each 正常, 关注 or
// 危险. A danger raises a mandatory report at once, and the page says, first and large, to call 110.

/** The last day of the month of a date (the month's visits are those due by it). */
function monthEnd(date: string): string {
  const [year, month] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return `${date.slice(0, 7)}-${String(new Date(Date.UTC(year, month, 0)).getUTCDate()).padStart(2, '0')}`;
}

export function ProtectionVisitsPage(props: PageProps) {
  const today = chinaToday();
  const township = props.user.role === 'township';
  const due = useAsync(() => api.all<ProtectionCase>('/protection/cases', { visitDueBy: monthEnd(today) }), []);
  const visits = usePagedList<Visit>('/protection/visits', {});
  const rows = due.data ?? [];
  const overdue = rows.filter((kase) => kase.visitOverdue).length;
  return (
    <section>
      <h1>本月走访</h1>
      <p data-testid="visits-summary">
        本月应走访 {rows.length} 人{overdue > 0 ? <strong class="error-text">，其中 {overdue} 人已逾期</strong> : null}。
      </p>
      <ListStatus list={{ loading: due.loading, error: due.error, items: rows }} empty="本月没有应走访的儿童。" />
      {rows.length > 0 ? (
        <Table
          rows={rows}
          testId="visits-due"
          rowClass={(kase) => (kase.visitOverdue ? 'overdue' : undefined)}
          columns={[
            { title: '姓名', cell: (kase) => <a href={href(`/protection/cases/${kase.id}`)}>{kase.childName}</a> },
            { title: '村（社区）', cell: (kase) => (township ? kase.villageName : `${kase.townshipName} ${kase.villageName}`) },
            {
              title: '应走访日期',
              cell: (kase) => (
                <span class="due-date">
                  {formatDate(kase.nextVisitDue)}
                  {kase.visitOverdue ? <span class="tag tag-overdue">逾期</span> : null}
                </span>
              ),
            },
            township && {
              cell: (kase) => (
                <a class="button" href={href('/protection/visits/new', { caseId: kase.id })}>
                  记录走访
                </a>
              ),
            },
          ]}
        />
      ) : null}
      <h2>走访记录</h2>
      <PagedTable
        list={visits}
        testId="visits"
        empty="还没有走访记录。"
        rowClass={(visit) => (visit.reportId ? 'overdue' : undefined)}
        columns={[
          { title: '走访日期', cell: (visit) => formatDate(visit.visitedOn) },
          { title: '姓名', cell: (visit) => <a href={href(`/protection/cases/${visit.caseId}`)}>{visit.childName}</a> },
          { title: '走访人', cell: (visit) => `${visit.visitor}（${visit.visitorRole}）` },
          { title: '情况', cell: (visit) => <ChecksSummary checks={visit.checks} /> },
          { title: '强制报告', cell: (visit) => (visit.reportId ? <a href={href('/protection/reports')}>已报告</a> : '—') },
        ]}
      />
    </section>
  );
}

/** The checks not 正常, in words; 全部正常 when none. */
function ChecksSummary(props: { checks: VisitChecks }) {
  const flagged = Object.entries(props.checks).filter(([, result]) => result !== 'ok');
  if (flagged.length === 0) return <>全部正常</>;
  return (
    <>
      {flagged.map(([check, result]) => (
        <span key={check} class={result === 'danger' ? 'tag tag-overdue' : 'tag'}>
          {VISIT_CHECK_NAMES[check]}{CHECK_RESULT_NAMES[result]}
        </span>
      ))}
    </>
  );
}

const CHECKS = Object.keys(VISIT_CHECK_NAMES) as (keyof VisitChecks)[];
const allOk = (): VisitChecks => ({ guardianship: 'ok', living: 'ok', schooling: 'ok', health: 'ok', safety: 'ok' });

export function ProtectionVisitFormPage(props: PageProps) {
  const caseId = props.query.get('caseId') ?? '';
  const kase = useAsync(() => api.get<ProtectionCase>(`/protection/cases/${caseId}`), [caseId]);
  const [visitedOn, setVisitedOn] = useState(chinaToday());
  const [visitor, setVisitor] = useState('');
  const [visitorRole, setVisitorRole] = useState('儿童主任');
  const [checks, setChecks] = useState<VisitChecks>(allOk);
  const [note, setNote] = useState('');
  const [recorded, setRecorded] = useState<RecordedVisit | null>(null);
  const save = useAction(async () => {
    setRecorded(await api.post<RecordedVisit>('/protection/visits', { caseId, visitedOn, visitor, visitorRole, checks, note: note.trim() || null }));
  });
  const danger = CHECKS.some((check) => checks[check] === 'danger');

  if (!kase.data) return <RecordPending record={kase} />;
  if (recorded) {
    return (
      <section class="visit-form">
        <h1>走访已记录</h1>
        {recorded.report && recorded.instruction ? (
          <>
            <ReportAlarm instruction={recorded.instruction} />
            <PoliceCallButton reportId={recorded.report.id} />
          </>
        ) : null}
        <Success>
          {recorded.childName} {formatDate(recorded.visitedOn)} 的走访已记录。{recorded.nextVisitDue ? `下次应于 ${formatDate(recorded.nextVisitDue)} 前走访。` : ''}
        </Success>
        <p>
          <a href={href('/protection/visits')}>返回本月走访</a>
        </p>
      </section>
    );
  }
  return (
    <section class="visit-form">
      <BackLink to="/protection/visits" label="本月走访" />
      <h1>记录走访：{kase.data.childName}</h1>
      <p class="muted">
        {kase.data.villageName} · 应走访日期 {formatDate(kase.data.nextVisitDue)}
        {kase.data.visitOverdue ? <span class="tag tag-overdue">逾期</span> : null}
      </p>
      <ActionForm class="form" onSubmit={() => save.run()}>
        <TextField label="走访日期" type="date" name="visitedOn" max={chinaToday()} value={visitedOn} onValue={setVisitedOn} required />
        <TextField label="走访人" name="visitor" value={visitor} onValue={setVisitor} maxLength={50} required />
        <TextField label="走访人身份" name="visitorRole" value={visitorRole} onValue={setVisitorRole} maxLength={20} required />
        {CHECKS.map((check) => (
          <fieldset key={check} class="check-choice">
            <legend>{VISIT_CHECK_NAMES[check]}</legend>
            {(['ok', 'concern', 'danger'] as const).map((result) => (
              <label key={result} class={`choice choice-${result}`}>
                <input type="radio" name={check} value={result} checked={checks[check] === result} onChange={() => setChecks({ ...checks, [check]: result })} />
                {CHECK_RESULT_NAMES[result]}
              </label>
            ))}
          </fieldset>
        ))}
        <Field label="走访情况" wide>
          <textarea name="note" rows={4} maxLength={2000} value={note} onInput={(event) => setNote(event.currentTarget.value)} />
        </Field>
        {danger ? (
          <p class="alarm" role="alert" data-testid="danger-warning">
            有“危险”项：保存后将立即生成强制报告。请立即拨打 110 报警，并通知县民政局。
          </p>
        ) : null}
        <FormActions error={save.error} errorTitle="未能保存走访" running={save.running} label="保存走访" />
      </ActionForm>
      <ErrorNotice error={kase.error} />
    </section>
  );
}
