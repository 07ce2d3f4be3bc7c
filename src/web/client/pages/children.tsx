import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { chinaToday, formatDate, formatTimestamp } from '../format.js';
import { idNumberMistake } from '../idNumber.js';
import { useAction, useAsync, usePagedList } from '../kit/data.js';
import { ActionForm, ChildSearchForm, CodeOptions, Field, fieldsOf, StepAction, TextField, textField } from '../kit/form.js';
import { BackLink, ListPage, PagedTable, Table } from '../kit/list.js';
import { Empty, ErrorNotice, Loading, Success } from '../kit/notices.js';
import { Money, Tag } from '../kit/values.js';
import { claimPeriodColumn, claimRefColumn, claimStatusColumn } from '../parts/claim.js';
import { CertificateForm, CloseChildForm, CorrectChildForm, mayCorrect } from '../parts/childRecord.js';
import { InstitutionName, RegionName } from '../parts/names.js';
import { EntitlementTable, serviceLabel } from '../parts/settlement.js';
import { href, navigate } from '../router.js';
import type { Application, Child, Claim, Entitlements, PageProps } from '../types.js';
import { APPLICATION_STATUS_NAMES, CATEGORY_NAMES, label, RELATION_NAMES, relationLabel, SERVICE_NAMES } from '../words.js';
import { NewApplicationForm } from './applications.js';

const thisYear = () => Number(chinaToday().slice(0, 4));

/** One line per service: what is left this year. */
function RemainingSummary(props: { childId: string }) {
  const entitlements = useAsync(() => api.get<Entitlements>(`/children/${props.childId}/entitlements`, { year: thisYear() }), [props.childId]);
  if (entitlements.loading) return <span class="muted">…</span>;
  if (entitlements.error) return <span class="muted">无法读取</span>;
  const items = entitlements.data?.items ?? [];
  if (items.length === 0) return <span class="muted">本年度无可享受项目</span>;
  return (
    <ul class="compact">
      {items.map((item) => (
        <li key={`${item.service}-${item.deviceKind ?? ''}`}>
          {serviceLabel(item.service, item.deviceKind)}：剩余 <Money amount={item.remaining} />
        </li>
      ))}
    </ul>
  );
}

export function ChildrenPage(props: PageProps) {
  const search = props.query.get('q') ?? '';
  const list = usePagedList<Child>('/children', { q: search || undefined });
  const isInstitution = props.user.role === 'institution';
  return (
    <ListPage
      title={isInstitution ? '本机构服务的儿童' : '儿童'}
      list={list}
      empty={search ? `没有找到姓名含“${search}”、或身份证号（完整或后6位）为“${search}”的儿童。` : '还没有儿童。'}
      columns={[
        { title: '姓名', cell: (child) => <a href={href(`/children/${child.id}`)}>{child.name}</a> },
        { title: '身份证号', wide: true, cell: (child) => child.idNumber },
        { title: '残疾类别', wide: true, cell: (child) => label(CATEGORY_NAMES, child.category) },
        { title: '出生日期', wide: true, cell: (child) => formatDate(child.birthDate) },
        { title: `${thisYear()} 年剩余救助额度`, cell: (child) => <RemainingSummary childId={child.id} /> },
        isInstitution && { cell: (child) => <a href={href('/claims/new', { childId: child.id })}>申报</a> },
      ]}
    >
      <ChildSearchForm path="/children" search={search} check={idNumberMistake}>
        <a class="button" href={href('/children/new')}>
          登记儿童
        </a>
      </ChildSearchForm>
    </ListPage>
  );
}

export function ChildPage(props: PageProps) {
  const id = props.params.id!;
  const [year, setYear] = useState(thisYear());
  const child = useAsync(() => api.get<Child>(`/children/${id}`), [id]);
  const [correcting, setCorrecting] = useState(false);
  const [corrected, setCorrected] = useState(false);
  const [closing, setClosing] = useState(false);
  const [certifying, setCertifying] = useState(false);
  const [certified, setCertified] = useState(false);
  const applications = useAsync(() => api.all<Application>('/applications', { childId: id }), [id]);
  const claims = usePagedList<Claim>('/claims', { childId: id });
  const [filed, setFiled] = useState(false);
  return (
    <section>
      <BackLink to="/children" label="返回儿童列表" />
      <Loading when={child.loading} />
      <ErrorNotice error={child.error} />
      {child.data ? (
        <>
          <h1>
            {child.data.name}
            {child.data.closedAt ?  <span class="tag tag-cancelled">已注销</span> : null}
          </h1>
          {child.data.closedAt ? (
            <p class="warning" data-testid="child-closed">
              此档案已于 {formatTimestamp(child.data.closedAt)} 注销：{child.data.closedReason}。不能再提交救助申请、办理关爱补贴或立案。
            </p>
          ) : null}
          <dl class="facts">
            <dt>身份证号</dt>
            <dd>{child.data.idNumber}</dd>
            <dt>性别</dt>
            <dd>{child.data.sex === 'male' ? '男' : '女'}</dd>
            <dt>出生日期</dt>
            <dd>{formatDate(child.data.birthDate)}</dd>
            <dt>残疾类别</dt>
            <dd>{label(CATEGORY_NAMES, child.data.category)}</dd>
            <dt>残疾证号</dt>
            <dd data-testid="certificate">
              {child.data.certificateNo ? (
                <>
                  {child.data.certificateNo}
                  {child.data.certificateIssuedOn ? `（${formatDate(child.data.certificateIssuedOn)} 发证）` : ''}
                </>
              ) : (
                '未登记'
              )}
            </dd>
            <dt>地区</dt>
            <dd>
              <RegionName code={child.data.regionCode} withCode />
            </dd>
            <dt>监护人</dt>
            <dd>
              {child.data.guardian.name}（{relationLabel(child.data.guardian.relation)}） {child.data.guardian.phone}
            </dd>
          </dl>
          {corrected ? <Success>儿童信息已修改。</Success> : null}
          {certified ? <Success>残疾证已登记。</Success> : null}
          {correcting ? (
            <CorrectChildForm
              child={child.data}
              onCancel={() => setCorrecting(false)}
              onDone={() => {
                setCorrecting(false);
                setCorrected(true);
                child.reload();
              }}
            />
          ) : certifying ? (
            <CertificateForm
              child={child.data}
              onCancel={() => setCertifying(false)}
              onDone={() => {
                setCertifying(false);
                setCertified(true);
                child.reload();
              }}
            />
          ) : closing ? (
            <CloseChildForm
              child={child.data}
              onCancel={() => setClosing(false)}
              onDone={() => {
                setClosing(false);
                child.reload();
              }}
            />
          ) : (
            <p class="actions">
              {props.user.role === 'institution' ? (
                <a class="button" href={href('/claims/new', { childId: id })}>
                  为该儿童申报
                </a>
              ) : null}
              {mayCorrect(props.user, child.data) ? (
                <button type="button" class="secondary" onClick={() => (setCorrected(false), setCorrecting(true))}>
                  修改姓名或监护人
                </button>
              ) : null}
              {props.user.role === 'reviewer' && !child.data.closedAt ? (
                <button type="button" class="secondary" onClick={() => (setCorrected(false), setCertified(false), setCertifying(true))}>
                  {child.data.certificateNo ? '更换残疾证' : '补登残疾证'}
                </button>
              ) : null}
              {props.user.role === 'reviewer' && !child.data.closedAt && child.data.certificateNo ? (
                <StepAction
                  title="注销残疾证"
                  danger
                  fields={fieldsOf(
                    () => <p class="warning">注销后，该儿童的关爱补贴自注销日期的次月起停发（同时办理退出）；已发的月份按“应退尽退”处理。</p>,
                    textField('on', '注销日期', 'date'),
                    textField('reason', '注销原因'),
                  )}
                  run={async (values) => {
                    await api.post(`/children/${id}/certificate/revoke`, { on: values.on, reason: values.reason });
                    child.reload();
                  }}
                />
              ) : null}
              {props.user.role === 'reviewer' && !child.data.closedAt ? (
                <button type="button" class="secondary" data-testid="close-child" onClick={() => (setCorrected(false), setClosing(true))}>
                  注销档案（身份证号有误）
                </button>
              ) : null}
            </p>
          )}
          <div class="year-picker">
            <button type="button" class="link" onClick={() => setYear(year - 1)}>
              ← {year - 1} 年
            </button>
            <strong>{year} 年</strong>
            <button type="button" class="link" onClick={() => setYear(year + 1)}>
              {year + 1} 年 →
            </button>
          </div>
          <EntitlementTable childId={id} year={year} />
          <h2>救助申请与转介</h2>
          <ErrorNotice error={applications.error} />
          {applications.data && applications.data.length === 0 ? <Empty>还没有救助申请。</Empty> : null}
          {applications.data && applications.data.length > 0 ? (
            <Table
              rows={applications.data}
              columns={[
                { title: '年度', cell: (application) => application.year },
                { title: '救助项目', cell: (application) => application.services.map((service) => label(SERVICE_NAMES, service)).join('、') },
                {
                  title: '定点机构',
                  cell: (application) => (
                    <>
                      <InstitutionName id={application.institutionId ?? application.preferredInstitutionId} />
                      {application.institutionId ? '' : '（希望）'}
                    </>
                  ),
                },
                {
                  title: '状态',
                  cell: (application) => (
                    <>
                      <Tag code={application.status} names={APPLICATION_STATUS_NAMES} />
                      {application.droppedOutOn ? `（${formatDate(application.droppedOutOn)} 退出）` : ''}
                    </>
                  ),
                },
                // The 残联 records a child's drop-out from a referral (also the step before closing a mis-numbered record).
                props.user.role === 'reviewer' && {
                  cell: (application) =>
                    application.status === 'approved' && !application.droppedOutOn ? (
                      <StepAction
                        title="中途退出"
                        danger
                        fields={fieldsOf(textField('date', '退出日期', 'date'), textField('reason', '退出原因'))}
                        run={async (values) => {
                          await api.post(`/applications/${application.id}/dropout`, { date: values.date, reason: values.reason });
                          applications.reload();
                        }}
                      />
                    ) : null,
                },
              ]}
            />
          ) : null}
          {filed ? <Success>救助申请已提交。</Success> : null}
          {child.data.closedAt ? null : (
            <details class="inline-form">
              <summary>新建救助申请</summary>
              <NewApplicationForm
                user={props.user}
                child={child.data}
                onFiled={() => {
                  setFiled(true);
                  applications.reload();
                }}
              />
            </details>
          )}
          <h2>申报</h2>
          <PagedTable
            list={claims}
            empty="还没有申报。"
            columns={[
              claimRefColumn,
              { title: '项目', cell: (claim) => serviceLabel(claim.service, claim.deviceKind) },
              claimPeriodColumn,
              { title: '救助金额', num: true, cell: (claim) => <Money amount={claim.approvedAmount ?? claim.estimate.subsidy} /> },
              claimStatusColumn,
            ]}
          />
        </>
      ) : null}
    </section>
  );
}


export function RegisterChildPage(props: PageProps) {
  const [form, setForm] = useState({
    idNumber: '',
    name: '',
    regionCode: props.user.regionCode ?? '',
    category: 'hearing',
    certificateNo: '',
    guardianName: '',
    guardianRelation: 'father',
    guardianPhone: '',
  });
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const [existing, setExisting] = useState<{ id: string; name: string } | null>(null);
  const register = useAction(async () => {
    setExisting(null);
    try {
      const child = await api.post<Child>('/children', {
        idNumber: form.idNumber.trim().toUpperCase(),
        name: form.name.trim(),
        regionCode: form.regionCode.trim(),
        category: form.category,
        certificateNo: form.certificateNo.trim() || undefined,
        guardian: { name: form.guardianName.trim(), relation: form.guardianRelation, phone: form.guardianPhone.trim() },
      });
      navigate(`/children/${child.id}`);
    } catch (error) {
      // Within the caller's scope the service names the record already there.
      const details = (error as { details?: { id?: string; name?: string }[] }).details;
      if ((error as { code?: string }).code === 'ALREADY_EXISTS' && details?.[0]?.id) setExisting({ id: details[0].id, name: details[0].name ?? '' });
      throw error;
    }
  });
  return (
    <section>
      <h1>登记儿童</h1>
      <p class="muted">出生日期和性别由身份证号得出，无需填写。</p>
      <ActionForm class="form" onSubmit={() => register.run()}>
        <TextField label="身份证号" name="idNumber" value={form.idNumber} maxLength={18} required onValue={(value) => update({ idNumber: value })} />
        <TextField label="姓名" name="name" value={form.name} required onValue={(value) => update({ name: value })} />
        <TextField label="地区代码" hint={props.user.role === 'reviewer' ? '审核人员只能登记本辖区的儿童' : '户籍所在县（市、区）的 6 位代码'} name="regionCode" value={form.regionCode} maxLength={6} readOnly={props.user.role === 'reviewer'} required onValue={(value) => update({ regionCode: value })} />
        <Field label="残疾类别">
          <select name="category" value={form.category} onChange={(event) => update({ category: event.currentTarget.value })}>
            <CodeOptions names={CATEGORY_NAMES} />
          </select>
        </Field>
        <TextField label="残疾证号" hint="没有可不填" name="certificateNo" value={form.certificateNo} onValue={(value) => update({ certificateNo: value })} />
        <fieldset>
          <legend>监护人</legend>
          <TextField label="姓名" name="guardianName" value={form.guardianName} required onValue={(value) => update({ guardianName: value })} />
          <Field label="关系">
            <select name="guardianRelation" value={form.guardianRelation} onChange={(event) => update({ guardianRelation: event.currentTarget.value })}>
              <CodeOptions names={RELATION_NAMES} />
            </select>
          </Field>
          <TextField label="电话" name="guardianPhone" value={form.guardianPhone} required onValue={(value) => update({ guardianPhone: value })} />
        </fieldset>
        <ErrorNotice error={register.error} title="未能登记" />
        {existing ? (
          <p class="warning" data-testid="existing-child">
            该身份证号已登记为 <strong>{existing.name}</strong>：<a href={href(`/children/${existing.id}`)}>打开{existing.name}的档案</a>（姓名、监护人有误可在档案中修改）。
          </p>
        ) : register.error && (register.error as { code?: string }).code === 'ALREADY_EXISTS' ? (
          <p class="warning" data-testid="existing-child">该身份证号已在其他机构或地区登记，本账号无权查看；如需转入，请联系县残联审核人员。</p>
        ) : null}
        <div class="actions">
          <button type="submit" disabled={register.running}>
            登记
          </button>
        </div>
      </ActionForm>
    </section>
  );
}
