import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { chinaToday, formatDate } from '../../format.js';
import { useAction, useAsync } from '../../kit/data.js';
import { DownloadButton } from '../../kit/download.js';
import { ActionForm, CodeOptions, FormActions, TextField } from '../../kit/form.js';
import { ListStatus, Table } from '../../kit/list.js';
import { Success } from '../../kit/notices.js';
import { Tag } from '../../kit/values.js';
import type { ProtectionCase, QuarterlyStatus } from '../../protectionTypes.js';
import { EXIT_REASON_NAMES, QUARTER_STATUS_NAMES, QUARTERLY_RESULT_NAMES } from '../../protectionWords.js';
import { href, navigate } from '../../router.js';
import type { PageProps } from '../../types.js';

// 季度更新: which townships are due, have submitted (late or not) or are overdue for a quarter, the
// quarter's report, and a township's own update — a line for each of its recognised cases.

interface Line {
  result: string;
  note: string;
  exitReason: string;
  eventOn: string;
}

function UpdateForm(props: { quarter: string; onSubmitted(): void }) {
  const cases = useAsync(() => api.all<ProtectionCase>('/protection/cases', { status: 'recognised' }), []);
  const [lines, setLines] = useState<Record<string, Line>>({});
  const lineOf = (id: string): Line => lines[id] ?? { result: 'confirmed', note: '', exitReason: 'adopted', eventOn: chinaToday() };
  const set = (id: string, changes: Partial<Line>) => setLines({ ...lines, [id]: { ...lineOf(id), ...changes } });
  const submit = useAction(async () => {
    await api.post('/protection/quarterly-updates', {
      quarter: props.quarter,
      lines: (cases.data ?? []).map((kase) => {
        const line = lineOf(kase.id);
        if (line.result === 'changed') return { caseId: kase.id, result: 'changed', changes: { note: line.note.trim() || null } };
        if (line.result === 'exited') return { caseId: kase.id, result: 'exited', exit: { reason: line.exitReason, eventOn: line.eventOn, note: line.note.trim() || null } };
        return { caseId: kase.id, result: 'confirmed' };
      }),
    });
    props.onSubmitted();
  });
  return (
    <ActionForm class="form" onSubmit={() => submit.run()}>
      <h2>报送 {props.quarter} 季度更新</h2>
      <ListStatus list={{ loading: cases.loading, error: cases.error, items: cases.data ?? [] }} empty="本乡镇（街道）没有在册的困境儿童。" />
      {(cases.data ?? []).length > 0 ? (
        <Table
          rows={cases.data!}
          testId="update-lines"
          columns={[
            { title: '姓名', cell: (kase) => kase.childName },
            { title: '村（社区）', cell: (kase) => kase.villageName },
            {
              title: '本季结果',
              cell: (kase) => (
                <select name={`result-${kase.id}`} value={lineOf(kase.id).result} onChange={(event) => set(kase.id, { result: event.currentTarget.value })}>
                  <CodeOptions names={QUARTERLY_RESULT_NAMES} />
                </select>
              ),
            },
            {
              title: '说明',
              cell: (kase) => {
                const line = lineOf(kase.id);
                if (line.result === 'confirmed') return null;
                return (
                  <>
                    {line.result === 'exited' ? (
                      <>
                        <select name={`exit-${kase.id}`} value={line.exitReason} onChange={(event) => set(kase.id, { exitReason: event.currentTarget.value })}>
                          <CodeOptions names={EXIT_REASON_NAMES} />
                        </select>
                        <input type="date" name={`eventOn-${kase.id}`} value={line.eventOn} onInput={(event) => set(kase.id, { eventOn: event.currentTarget.value })} />
                      </>
                    ) : null}
                    <input name={`note-${kase.id}`} value={line.note} placeholder="变更或退出情况" onInput={(event) => set(kase.id, { note: event.currentTarget.value })} />
                  </>
                );
              },
            },
          ]}
        />
      ) : null}
      <FormActions error={submit.error} errorTitle="未能报送" running={submit.running} label="报送" disabled={cases.loading} />
    </ActionForm>
  );
}

export function ProtectionQuarterlyPage(props: PageProps) {
  const [quarter, setQuarter] = useState(props.query.get('quarter') ?? '');
  const statuses = useAsync(() => api.get<{ quarter: string; items: QuarterlyStatus[] }>('/protection/quarterly-updates', { quarter: props.query.get('quarter') ?? undefined }), [props.query.get('quarter')]);
  const [submitted, setSubmitted] = useState(false);
  const shown = statuses.data?.quarter ?? '';
  const own = statuses.data?.items.find((item) => item.townshipCode === props.user.townshipCode);
  return (
    <section>
      <h1>季度更新 {shown}</h1>
      <ActionForm class="form inline" onSubmit={() => navigate(href('/protection/quarterly', { quarter }).slice(1))}>
        <TextField label="季度" hint="如 2026-Q1" name="quarter" value={quarter} pattern="\d{4}-Q[1-4]" onValue={setQuarter} />
        <FormActions error={null} errorTitle="" running={false} label="查看" />
      </ActionForm>
      <ListStatus list={{ loading: statuses.loading, error: statuses.error, items: statuses.data?.items ?? [] }} empty="这个季度没有应报送的乡镇（街道）。" />
      {(statuses.data?.items ?? []).length > 0 ? (
        <Table
          rows={statuses.data!.items}
          rowKey={(item) => item.townshipCode}
          testId="quarterly-statuses"
          rowClass={(item) => (item.status === 'overdue' ? 'overdue' : undefined)}
          columns={[
            { title: '乡镇（街道）', cell: (item) => item.townshipName },
            { title: '在册', num: true, cell: (item) => item.casesInCare },
            { title: '状态', cell: (item) => <Tag code={item.status} names={QUARTER_STATUS_NAMES} /> },
            { title: '报送日期', cell: (item) => (item.submittedOn ? <>{formatDate(item.submittedOn)}{item.late ? <span class="tag tag-late">逾期报送</span> : null}</> : '—') },
          ]}
        />
      ) : null}
      {shown ? (
        <p>
          <DownloadButton path={`/protection/quarterly-updates/report.xlsx?quarter=${shown}`} fallbackName={`困境儿童季度更新${shown}.xlsx`}>
            下载季度汇总表
          </DownloadButton>
        </p>
      ) : null}
      {submitted ? <Success>已报送 {shown} 季度更新。</Success> : null}
      {props.user.role === 'township' && own && own.status !== 'submitted' && own.status !== 'not_yet_due' && !submitted ? (
        <UpdateForm
          quarter={shown}
          onSubmitted={() => {
            setSubmitted(true);
            statuses.reload();
          }}
        />
      ) : null}
    </section>
  );
}
