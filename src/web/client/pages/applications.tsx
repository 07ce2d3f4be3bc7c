import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { chinaToday, formatDate } from '../format.js';
import { useAction, usePagedList } from '../kit/data.js';
import { ActionForm, Field, FormActions, TextField } from '../kit/form.js';
import { ListPage, StatusFilters } from '../kit/list.js';
import { ErrorNotice, Success } from '../kit/notices.js';
import { DueDate, Tag } from '../kit/values.js';
import { ChildName, InstitutionName, InstitutionOptions, useInstitutions } from '../parts/names.js';
import { href } from '../router.js';
import type { Application, Child, PageProps, User } from '../types.js';
import { APPLICATION_STATUS_NAMES, label, SERVICE_NAMES, SERVICES } from '../words.js';

/** Files an application for a child: the year, the services, the preferred institution. */
export function NewApplicationForm(props: { user: User; child: Child; onFiled(): void }) {
  const institutions = useInstitutions();
  const [year, setYear] = useState(chinaToday().slice(0, 4));
  const [services, setServices] = useState<string[]>([]);
  const [institutionId, setInstitutionId] = useState(props.user.institutionId ?? '');
  const [receivedOn, setReceivedOn] = useState(chinaToday());
  const file = useAction(async () => {
    if (services.length === 0) throw new ApiError(400, 'VALIDATION_FAILED', 'services', [{ field: 'services' }]);
    await api.post('/applications', { childId: props.child.id, year: Number(year), services, institutionId, receivedOn });
    setServices([]);
    props.onFiled();
  });
  const candidates = (institutions.data ?? []).filter((institution) => services.every((service) => institution.services.includes(service)));
  return (
    <ActionForm class="form" onSubmit={() => file.run()}>
      <TextField label="年度" name="year" type="number" min={2000} max={2100} value={year} required onValue={setYear} />
      <TextField label="受理日期" hint="收到申请材料的日期；审批期限从这天起算" name="receivedOn" type="date" max={chinaToday()} value={receivedOn} required onValue={setReceivedOn} />
      <fieldset>
        <legend>申请的救助项目</legend>
        {SERVICES.map((service) => (
          <label key={service} class="check">
            <input
              type="checkbox"
              name="services"
              value={service}
              checked={services.includes(service)}
              onChange={(event) => setServices(event.currentTarget.checked ? [...services, service] : services.filter((chosen) => chosen !== service))}
            />
            {SERVICE_NAMES[service]}
          </label>
        ))}
      </fieldset>
      <Field label="希望的定点机构">
        <select name="institutionId" value={institutionId} disabled={props.user.role === 'institution'} onChange={(event) => setInstitutionId(event.currentTarget.value)} required>
          <option value="">请选择</option>
          <InstitutionOptions institutions={candidates} withCode />
        </select>
      </Field>
      <FormActions error={file.error} errorTitle="申请未提交" running={file.running} label="提交申请" />
    </ActionForm>
  );
}

function ApplicationDecision(props: { application: Application; onStart(): void; onDone(message: string): void }) {
  const institutions = useInstitutions();
  const [institutionId, setInstitutionId] = useState(props.application.preferredInstitutionId ?? '');
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const act = useAction(async (decision: 'approve' | 'reject') => {
    // A new decision replaces what the page said about the last one, success or not.
    props.onStart();
    if (decision === 'approve') {
      if (!institutionId) throw new ApiError(400, 'VALIDATION_FAILED', 'institutionId', [{ field: 'institutionId' }]);
      await api.post(`/applications/${props.application.id}/approve`, { institutionId });
      props.onDone('申请已批准，儿童已转介到所选机构。');
    } else {
      if (!reason.trim()) throw new ApiError(400, 'VALIDATION_FAILED', 'reason', [{ field: 'reason' }]);
      await api.post(`/applications/${props.application.id}/reject`, { reason: reason.trim() });
      props.onDone('申请已驳回。');
    }
  });
  const candidates = (institutions.data ?? []).filter((institution) => props.application.services.every((service) => institution.services.includes(service)));
  return (
    <div class="decision-cell">
      <select aria-label="转介机构" value={institutionId} onChange={(event) => setInstitutionId(event.currentTarget.value)}>
        <option value="">请选择转介机构</option>
        <InstitutionOptions institutions={candidates} />
      </select>
      <button type="button" disabled={act.running} onClick={() => act.run('approve')}>
        批准并转介
      </button>
      {rejecting ? (
        <>
          <input aria-label="驳回原因" placeholder="驳回原因" value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          <button type="button" class="danger" disabled={act.running} onClick={() => act.run('reject')}>
            确认驳回
          </button>
        </>
      ) : (
        <button type="button" class="secondary" onClick={() => setRejecting(true)}>
          驳回
        </button>
      )}
      <ErrorNotice error={act.error} title="未能办理" />
    </div>
  );
}

const STATUS_FILTERS = [
  ['pending', '待审批'],
  ['overdue', '逾期未批'],
  ['approved', '已批准'],
  ['rejected', '未批准'],
  ['', '全部'],
] as const;

export function ApplicationsPage(props: PageProps) {
  const status = props.query.get('status') ?? (props.user.role === 'reviewer' ? 'pending' : '');
  const list = usePagedList<Application>('/applications', {
    status: status === 'all' || status === 'overdue' ? undefined : status || undefined,
    overdue: status === 'overdue' ? 'true' : undefined,
  });
  const [done, setDone] = useState<string | null>(null);
  const isReviewer = props.user.role === 'reviewer';
  return (
    <ListPage
      title="救助申请"
      list={list}
      empty="没有符合条件的申请。"
      columns={[
        { title: '受理日期', cell: (application) => formatDate(application.receivedOn) },
        { title: '办结期限', cell: (application) => <DueDate timing={application} /> },
        {
          title: '儿童',
          cell: (application) => (
            <a href={href(`/children/${application.childId}`)}>
              <ChildName id={application.childId} />
            </a>
          ),
        },
        { title: '年度', cell: (application) => application.year },
        { title: '救助项目', cell: (application) => application.services.map((service) => label(SERVICE_NAMES, service)).join('、') },
        { title: '定点机构', cell: (application) => <ReferredTo application={application} /> },
        {
          title: '状态',
          cell: (application) => (
            <>
              <Tag code={application.status} names={APPLICATION_STATUS_NAMES} />
              {application.rejectionReason ? <div class="muted">{application.rejectionReason}</div> : null}
            </>
          ),
        },
        // Any list may hold pending applications (overdue, all): a reviewer decides them where they are.
        isReviewer &&
          list.items.some((application) => application.status === 'pending') && {
            title: '审批',
            cell: (application) =>
              application.status === 'pending' ? (
                <ApplicationDecision
                  application={application}
                  onStart={() => setDone(null)}
                  onDone={(message) => {
                    setDone(message);
                    list.reload();
                  }}
                />
              ) : null,
          },
      ]}
    >
      <p class="muted">新的申请在儿童页面提交（先在「儿童」中找到或登记儿童）。待审批的申请按办结期限排列，最早到期的在前。</p>
      {/* 全部 is the list without a status; its link says so, as a reviewer's list starts at 待审批. */}
      <StatusFilters options={STATUS_FILTERS} current={status === 'all' ? '' : status} link={(code) => href('/applications', { status: code || 'all' })} />
      {done ? <Success>{done}</Success> : null}
    </ListPage>
  );
}

/** The institution a child is referred to, or the one the family asked for. */
function ReferredTo(props: { application: Application }) {
  const { application } = props;
  if (application.institutionId) return <InstitutionName id={application.institutionId} />;
  if (!application.preferredInstitutionId) return <>未选</>;
  return (
    <>
      希望：<InstitutionName id={application.preferredInstitutionId} />
    </>
  );
}
