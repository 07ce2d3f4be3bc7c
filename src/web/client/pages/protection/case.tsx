import { api } from '../../api.js';
import { addMoney, chinaToday, formatDate, formatMoney, formatMonth, formatMonthList, formatTimestamp } from '../../format.js';
import { addMonths } from '../../../../domain/calendar.js';
import { useAsync } from '../../kit/data.js';
import { DownloadButton } from '../../kit/download.js';
import { Field, fieldsOf, selectField, StepAction, textField, type StepFields } from '../../kit/form.js';
import { BackLink, Table } from '../../kit/list.js';
import { RecordPending } from '../../kit/notices.js';
import { BankAccount, Tag } from '../../kit/values.js';
import type { ProtectionCase } from '../../protectionTypes.js';
import {
  CASE_STATUS_NAMES,
  CHECK_DECISION_NAMES,
  EXIT_REASON_NAMES,
  HOLD_NAMES,
  LIVING_NAMES,
  PROTECTION_CATEGORY_NAMES,
  REVIEW_STATUS_NAMES,
  ROUTE_NAMES,
  ruleText,
  SEVERE_BASIS_NAMES,
  SITUATION_NAMES,
  STAGE_NAMES,
} from '../../protectionWords.js';
import { href } from '../../router.js';
import type { PageProps } from '../../types.js';
import { label, relationLabel } from '../../words.js';
import { CaseDue } from './cases.js';
import { PaymentMonths } from './file.js';

// One case of a child in difficulty: what was applied for, every step with its due date, today's
// standing under the criteria, the recognition and its history, and the actions the caller's
// office may take now (check, objection, review, recognition or refusal, and a recognised case's
// changes). The family's facts (parents, HIV status, account) are shown only where the API gives them.

/** Checkboxes of categories, their codes joined by commas in one value. */
const categoriesField =
  (name: string, title: string, offered: readonly string[]): StepFields =>
  (set, values) => {
    const chosen = (values[name] ?? '').split(',').filter(Boolean);
    const toggle = (category: string) => set(name, (chosen.includes(category) ? chosen.filter((code) => code !== category) : [...chosen, category]).join(','));
    return (
      <Field label={title}>
        <span class="choices">
          {offered.map((category) => (
            <label key={category} class="choice">
              <input type="checkbox" name={`${name}-${category}`} checked={chosen.includes(category)} onChange={() => toggle(category)} /> {label(PROTECTION_CATEGORY_NAMES, category)}
            </label>
          ))}
        </span>
      </Field>
    );
  };

const optionalText =
  (name: string, title: string, type = 'text'): StepFields =>
  (set, values) => (
    <Field label={title}>
      <input name={name} type={type} value={values[name] ?? ''} onInput={(event) => set(name, event.currentTarget.value)} />
    </Field>
  );

type Row = { step: string; date: string; due: string; result: string; note: string; late: boolean };

function timeline(kase: ProtectionCase): Row[] {
  const rows: Row[] = [];
  const late = (decidedInTime: boolean | null) => decidedInTime === false;
  for (const check of kase.checks) rows.push({ step: '乡镇核查', date: check.decidedOn ?? check.receivedOn, due: check.dueOn, result: check.decision ? label(CHECK_DECISION_NAMES, check.decision) : '待核查', note: check.reason ?? '', late: late(check.decidedInTime) });
  for (const notice of kase.notices) {
    const result = notice.removed === 'objection' ? '有异议，退回' : notice.removed === 'withdrawn' ? '撤回' : notice.status === 'closed' ? '公示期满' : '公示中';
    rows.push({ step: '村级公示', date: `${formatDate(notice.noticeFrom)}—${formatDate(notice.noticeTo)}`, due: notice.dueOn, result, note: '', late: late(notice.decidedInTime) });
  }
  for (const objection of kase.objections) rows.push({ step: '异议', date: objection.on, due: objection.dueOn, result: '退回乡镇', note: objection.reason, late: late(objection.decidedInTime) });
  for (const review of kase.reviews) rows.push({ step: `县级复核（${label(ROUTE_NAMES, review.route)}）`, date: review.decidedOn ?? review.receivedOn, due: review.dueOn, result: label(REVIEW_STATUS_NAMES, review.status), note: review.reason ?? '', late: late(review.decidedInTime) });
  return rows;
}

/** The month after a day's month (an exit's default first month without cover); '' for no day. */
const nextMonthOf = (day: string | undefined) => (day && /^\d{4}-\d{2}/.test(day) ? addMonths(day.slice(0, 7), 1) : '');

export function ProtectionCasePage(props: PageProps) {
  const id = props.params.id!;
  const record = useAsync(() => api.get<ProtectionCase>(`/protection/cases/${id}`), [id]);
  const kase = record.data;
  if (!kase) return <RecordPending record={record} />;
  const role = props.user.role;
  const done = (call: Promise<unknown>) => call.then(record.reload);
  const township = role === 'township';
  const civil = role === 'civil_affairs';
  const open = ['received', 'returned_to_township', 'notice', 'county_review'].includes(kase.status);
  const ownRoute = role === 'reviewer' ? 'reviewer' : role === 'department' ? props.user.department : null;
  const myReview = kase.reviews.find((review) => review.route === ownRoute && review.status === 'pending');
  const recognised = kase.status === 'recognised' || kase.status === 'ended';
  // Money sent for months an exit would make unpayable becomes an overpayment: named before the exit.
  const sent = (kase.months ?? []).filter((month) => month.sent);
  const owed = (kase.months ?? []).filter((month) => month.status === 'due' || month.status === 'held');
  const nextMonth = formatMonthValue(kase.recognition?.coverFrom);
  return (
    <section>
      <BackLink to="/protection/cases" label="困境儿童个案" />
      <h1>
        {kase.childName} <Tag code={kase.status} names={CASE_STATUS_NAMES} />
      </h1>
      <dl class="facts" data-testid="case-facts">
        <dt>编号</dt>
        <dd>{kase.number}</dd>
        <dt>身份证号</dt>
        <dd>{kase.childIdNumberMasked}</dd>
        <dt>乡镇（街道）/ 村（社区）</dt>
        <dd>
          {kase.townshipName} {kase.villageName}
        </dd>
        <dt>受理</dt>
        <dd>
          {formatDate(kase.receivedOn)}
          {kase.viaVillage ? '（经村委会代交）' : ''} {kase.receivedBy?.name ?? ''}
        </dd>
        <dt>申请人</dt>
        <dd>
          {kase.applicant.name}（{relationLabel(kase.applicant.relation)}） {kase.applicant.phone}
        </dd>
        <dt>申请类别</dt>
        <dd>
          {kase.categories.map((category) => label(PROTECTION_CATEGORY_NAMES, category)).join('、')}
          {kase.severeBasis ? `（${label(SEVERE_BASIS_NAMES, kase.severeBasis)}）` : ''}
        </dd>
        <dt>标识</dt>
        <dd>{[kase.leftBehind ? '留守' : null, kase.schoolingSupport ? '申请教育资助' : null, kase.hivAffected ? '艾滋病病毒感染' : null].filter(Boolean).join('、') || '—'}</dd>
        <dt>办理时限</dt>
        <dd>
          <CaseDue kase={kase} />
        </dd>
        {kase.bankAccount !== undefined ? (
          <>
            <dt>收款账户</dt>
            <dd data-testid="bank-account">{kase.bankAccount ? <BankAccount account={kase.bankAccount} /> : '—'}</dd>
          </>
        ) : null}
        {kase.pendingBankAccount ? (
          <>
            <dt>待确认的账户变更</dt>
            <dd data-testid="pending-account">
              <BankAccount account={kase.pendingBankAccount} />（{kase.pendingBankAccount.requestedBy?.name} 于 {formatTimestamp(kase.pendingBankAccount.requestedAt)} 提出）
              {civil ? (
                <p class="muted">
                  {kase.pendingBankAccount.requestedBy?.id === props.user.id
                    ? '这项变更由您提出，须由民政局另一位同事确认后生效；确认前仍付原账户。'
                    : '确认后生效，并解除因转账失败的暂停；确认前仍付原账户。'}
                </p>
              ) : null}
            </dd>
          </>
        ) : null}
        {kase.recognition ? (
          <>
            <dt>认定</dt>
            <dd data-testid="recognition">
              {formatDate(kase.recognition.recognisedOn)} 认定为 {kase.recognition.categories.map((category) => label(PROTECTION_CATEGORY_NAMES, category)).join('、')}，
              {label(LIVING_NAMES, kase.recognition.livingArrangement)}，自 {formatMonth(kase.recognition.coverFrom)} 起保障至 {formatMonth(kase.recognition.lastMonth)}
            </dd>
          </>
        ) : null}
        {kase.studying ? (
          <>
            <dt>就学</dt>
            <dd>
              {kase.studying.school}（{label(STAGE_NAMES, kase.studying.stage)}），预计 {formatMonth(kase.studying.expectedGraduation)} 毕业
            </dd>
          </>
        ) : null}
        {kase.refusal ? (
          <>
            <dt>不予认定</dt>
            <dd>
              {formatDate(kase.refusal.refusedOn)}（{kase.refusal.by === 'township' ? '乡镇核查' : label(ROUTE_NAMES, kase.refusal.by)}）：{kase.refusal.reason}
            </dd>
          </>
        ) : null}
        {kase.exit ? (
          <>
            <dt>退出</dt>
            <dd>
              {label(EXIT_REASON_NAMES, kase.exit.reason)}，自 {formatMonth(kase.exit.fromMonth)} 起停止保障{kase.exit.note ? `（${kase.exit.note}）` : ''}
            </dd>
          </>
        ) : null}
        <dt>最近复核</dt>
        <dd>{kase.lastVerifiedOn ? formatDate(kase.lastVerifiedOn) : '—'}</dd>
        {kase.nextVisitDue ? (
          <>
            <dt>下次走访</dt>
            <dd data-testid="next-visit">
              {formatDate(kase.nextVisitDue)}
              {kase.visitOverdue ? <span class="tag tag-overdue">逾期</span> : null}
              {props.user.role === 'township' ? (
                <>
                  {' '}
                  <a href={href('/protection/visits/new', { caseId: kase.id })}>记录走访</a>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      {kase.holds.length > 0 ? (
        <p class="error" role="note" data-testid="holds">
          暂停：{kase.holds.map((hold) => `${label(HOLD_NAMES, hold.reason)}${hold.note ? `（${hold.note}）` : ''}`).join('；')}
        </p>
      ) : null}
      {kase.criteria && kase.criteria.failed.length > 0 ? (
        <div class="error" role="note" data-testid="criteria">
          <p>按今日的认定标准，以下条件尚不满足：</p>
          <ul>
            {kase.criteria.failed.map((failed, index) => (
              <li key={index}>{ruleText(failed)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {kase.reportedChanges.length > 0 ? (
        <p class="hint" role="note">
          季度更新报告的变更（待民政局处理）：
          {kase.reportedChanges
            .map((change) => [change.livingArrangement ? `安置：${label(LIVING_NAMES, change.livingArrangement)}` : null, change.categories ? `类别：${change.categories.map((category) => label(PROTECTION_CATEGORY_NAMES, category)).join('、')}` : null, change.note].filter(Boolean).join('，'))
            .join('；')}
        </p>
      ) : null}

      <div class="actions wrap" data-testid="case-actions">
        {township && (kase.status === 'received' || kase.status === 'returned_to_township') ? (
          <>
            <StepAction title="核查同意" initial={{ noticeFrom: chinaToday() }} fields={textField('noticeFrom', '公示起始日期（仅需公示的类别）', 'date')} run={(values) => done(api.post(`/protection/cases/${id}/check`, { decision: 'agree', noticeFrom: values.noticeFrom }))} />
            <StepAction title="核查不同意" danger fields={textField('reason', '理由')} run={(values) => done(api.post(`/protection/cases/${id}/check`, { decision: 'refuse', reason: values.reason }))} />
          </>
        ) : null}
        {(township || civil) && kase.status === 'notice' ? <StepAction title="记录异议" danger fields={textField('reason', '异议内容')} run={(values) => done(api.post(`/protection/cases/${id}/objections`, { reason: values.reason }))} /> : null}
        {township && open ? <StepAction title="撤回申请" danger fields={textField('reason', '撤回原因')} run={(values) => done(api.post(`/protection/cases/${id}/withdraw`, { reason: values.reason }))} /> : null}
        {myReview ? (
          <>
            <StepAction title="复核同意" run={() => done(api.post(`/protection/cases/${id}/reviews`, { decision: 'approve' }))} />
            <StepAction title="复核不同意" danger fields={textField('reason', '理由')} run={(values) => done(api.post(`/protection/cases/${id}/reviews`, { decision: 'refuse', reason: values.reason }))} />
          </>
        ) : null}
        {civil && kase.status === 'county_review' ? (
          <>
            <StepAction
              title="认定"
              initial={{ categories: kase.categories.join(','), livingArrangement: 'scattered' }}
              fields={fieldsOf(categoriesField('categories', '认定类别', kase.categories), selectField('livingArrangement', '生活安置', LIVING_NAMES))}
              run={(values) => done(api.post(`/protection/cases/${id}/recognise`, { categories: values.categories!.split(',').filter(Boolean), livingArrangement: values.livingArrangement }))}
            />
            <StepAction title="不予认定" danger fields={textField('reason', '理由（将印在告知书上）')} run={(values) => done(api.post(`/protection/cases/${id}/refuse`, { reason: values.reason }))} />
          </>
        ) : null}
        {civil && recognised ? (
          <>
            <StepAction
              title="变更类别"
              initial={{ categories: (kase.recognition?.categories ?? []).join(','), fromMonth: nextMonth }}
              fields={fieldsOf(categoriesField('categories', '类别', Object.keys(PROTECTION_CATEGORY_NAMES)), textField('fromMonth', '起始月份', 'month'))}
              run={(values) => done(api.post(`/protection/cases/${id}/categories`, { categories: values.categories!.split(',').filter(Boolean), fromMonth: values.fromMonth }))}
            />
            <StepAction
              title="变更安置"
              initial={{ livingArrangement: 'institution', fromMonth: nextMonth }}
              fields={fieldsOf(selectField('livingArrangement', '生活安置', LIVING_NAMES), textField('fromMonth', '起始月份', 'month'))}
              run={(values) => done(api.post(`/protection/cases/${id}/living-arrangement`, values))}
            />
            <StepAction title="记录复核" initial={{ on: chinaToday() }} fields={textField('on', '复核日期', 'date')} run={(values) => done(api.post(`/protection/cases/${id}/verify`, values))} />
            <StepAction title="暂停" fields={textField('reason', '原因')} run={(values) => done(api.post(`/protection/cases/${id}/hold`, values))} />
            {kase.holds.some((hold) => hold.reason === 'manual' || hold.reason === 'exit_reported') ? <StepAction title="恢复" run={() => done(api.post(`/protection/cases/${id}/release`))} /> : null}
            <StepAction
              title="退出"
              danger
              initial={{ reason: 'adopted', eventOn: chinaToday() }}
              fields={(set, values) => {
                const from = values.fromMonth || nextMonthOf(values.eventOn);
                const recovered = from ? sent.filter((month) => month.month >= from) : [];
                return (
                  <>
                    {fieldsOf(selectField('reason', '退出原因', EXIT_REASON_NAMES), textField('eventOn', '事由发生日期', 'date'), optionalText('fromMonth', '停止保障月份（默认次月）', 'month'), optionalText('note', '说明'))(set, values)}
                    {recovered.length > 0 ? (
                      <p class="warning" data-testid="exit-overpayment">
                        {formatMonthList(recovered.map((month) => month.month))}的基本生活费已发放或已交付财政发放，共 {formatMoney(addMoney(...recovered.map((month) => month.amount)))}：退出后将记为应退款，须向监护人追回。
                      </p>
                    ) : null}
                  </>
                );
              }}
              run={(values) => done(api.post(`/protection/cases/${id}/exit`, { reason: values.reason, eventOn: values.eventOn, fromMonth: values.fromMonth || undefined, note: values.note || undefined }))}
            />
          </>
        ) : null}
        {civil && (recognised || kase.status === 'county_review' || (kase.status === 'exited' && owed.length > 0)) ? (
          <StepAction
            title="变更收款账户"
            fields={fieldsOf(textField('bank', '开户银行'), textField('accountName', '户名'), textField('accountNumber', '银行账号'))}
            run={(values) => done(api.put(`/protection/cases/${id}/bank-account`, values))}
          />
        ) : null}
        {civil && kase.pendingBankAccount && kase.pendingBankAccount.requestedBy?.id !== props.user.id ? <StepAction title="确认账户变更" run={() => done(api.post(`/protection/cases/${id}/bank-account/confirm`))} /> : null}
        {(township || civil) && recognised ? (
          <StepAction
            title="就学登记"
            initial={{ stage: 'high_school' }}
            fields={fieldsOf(textField('school', '学校'), selectField('stage', '学段', STAGE_NAMES), textField('expectedGraduation', '预计毕业月份', 'month'))}
            run={(values) => done(api.post(`/protection/cases/${id}/studying`, values))}
          />
        ) : null}
        {(township || civil) && kase.status === 'refused' ? (
          <DownloadButton path={`/protection/cases/${id}/refusal-letter.pdf`} fallbackName="不予认定告知书.pdf">
            下载不予认定告知书
          </DownloadButton>
        ) : null}
        {township || civil ? <a href={href(`/protection/children/${kase.childId}`)}>一人一档</a> : null}
      </div>

      {kase.months ? (
        <>
          <h2>基本生活费发放</h2>
          <PaymentMonths months={kase.months} testId="case-payments" />
        </>
      ) : null}
      <h2>办理过程</h2>
      <Table
        rows={timeline(kase)}
        rowKey={(_row, index) => index}
        testId="timeline"
        columns={[
          { title: '环节', cell: (row) => row.step },
          { title: '日期', cell: (row) => (row.date.includes('—') ? row.date : formatDate(row.date)) },
          { title: '时限', cell: (row) => formatDate(row.due) },
          { title: '结果', cell: (row) => (row.late ? <>{row.result} <span class="tag tag-late">超期办结</span></> : row.result) },
          { title: '说明', cell: (row) => row.note },
        ]}
      />
      {kase.parents ? (
        <>
          <h2>父母情况</h2>
          <Table
            rows={[...kase.parents.father.map((fact) => ({ parent: '父亲', ...fact })), ...kase.parents.mother.map((fact) => ({ parent: '母亲', ...fact }))]}
            rowKey={(_row, index) => index}
            columns={[
              { title: '父/母', cell: (fact) => fact.parent },
              { title: '情况', cell: (fact) => label(SITUATION_NAMES, fact.situation) },
              { title: '起始', cell: (fact) => formatDate(fact.since) },
              { title: '截止', cell: (fact) => (fact.until ? formatDate(fact.until) : '—') },
              { title: '证明材料', cell: (fact) => fact.documents.join('、') },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}

/** The month a change starts from by default: the month after coverFrom's, or the current one. */
function formatMonthValue(coverFrom: string | undefined): string {
  const today = chinaToday().slice(0, 7);
  return coverFrom && coverFrom > today ? coverFrom : today;
}
