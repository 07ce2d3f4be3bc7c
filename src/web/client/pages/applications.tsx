import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { chinaToday, formatDate } from '../format.js';
import { href } from '../router.js';
import type { Application, Child, PageProps, User } from '../types.js';
import { ActionForm, ChildName, DueDate, ErrorNotice, Field, InstitutionName, InstitutionOptions, ListStatus, Pager, Success, Tag, useAction, useInstitutions, usePagedList } from '../ui.js';
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
      <Field label="年度">
        <input name="year" type="number" min={2000} max={2100} value={year} onInput={(event) => setYear(event.currentTarget.value)} required />
      </Field>
      <Field label="受理日期" hint="收到申请材料的日期；审批期限从这天起算">
        <input name="receivedOn" type="date" max={chinaToday()} value={receivedOn} onInput={(event) => setReceivedOn(event.currentTarget.value)} required />
      </Field>
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
      <ErrorNotice error={file.error} title="申请未提交" />
      <div class="actions">
        <button type="submit" disabled={file.running}>
          提交申请
        </button>
      </div>
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

export function ApplicationsPage(props: PageProps) {
  const status = props.query.get('status') ?? (props.user.role === 'reviewer' ? 'pending' : '');
  const list = usePagedList<Application>('/applications', {
    status: status === 'all' || status === 'overdue' ? undefined : status || undefined,
    overdue: status === 'overdue' ? 'true' : undefined,
  });
  const [done, setDone] = useState<string | null>(null);
  const isReviewer = props.user.role === 'reviewer';
  return (
    <section>
      <h1>救助申请</h1>
      <p class="muted">新的申请在儿童页面提交（先在「儿童」中找到或登记儿童）。待审批的申请按办结期限排列，最早到期的在前。</p>
      <nav class="filters">
        {[
          ['pending', '待审批'],
          ['overdue', '逾期未批'],
          ['approved', '已批准'],
          ['rejected', '未批准'],
          ['', '全部'],
        ].map(([code, name]) => (
          <a key={code} href={href('/applications', { status: code || 'all' })} class={code === status || (code === '' && status === 'all') ? 'active' : undefined}>
            {name}
          </a>
        ))}
      </nav>
      {done ? <Success>{done}</Success> : null}
      <ListStatus list={list} empty="没有符合条件的申请。" />
      {list.items.length > 0 ? (
        <table class="list">
          <thead>
            <tr>
              <th>受理日期</th>
              <th>办结期限</th>
              <th>儿童</th>
              <th>年度</th>
              <th>救助项目</th>
              <th>定点机构</th>
              <th>状态</th>
              {isReviewer && status === 'pending' ? <th>审批</th> : null}
            </tr>
          </thead>
          <tbody>
            {list.items.map((application) => (
              <tr key={application.id}>
                <td>{formatDate(application.receivedOn)}</td>
                <td>
                  <DueDate timing={application} />
                </td>
                <td>
                  <a href={href(`/children/${application.childId}`)}>
                    <ChildName id={application.childId} />
                  </a>
                </td>
                <td>{application.year}</td>
                <td>{application.services.map((service) => label(SERVICE_NAMES, service)).join('、')}</td>
                <td>
                  {application.institutionId ? (
                    <InstitutionName id={application.institutionId} />
                  ) : application.preferredInstitutionId ? (
                    <>
                      希望：<InstitutionName id={application.preferredInstitutionId} />
                    </>
                  ) : (
                    '未选'
                  )}
                </td>
                <td>
                  <Tag code={application.status} names={APPLICATION_STATUS_NAMES} />
                  {application.rejectionReason ? <div class="muted">{application.rejectionReason}</div> : null}
                </td>
                {isReviewer && application.status === 'pending' ? (
                  <td>
                    <ApplicationDecision
                      application={application}
                      onStart={() => setDone(null)}
                      onDone={(message) => {
                        setDone(message);
                        list.reload();
                      }}
                    />
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
