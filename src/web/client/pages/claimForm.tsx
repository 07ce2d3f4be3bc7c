import { useState } from 'preact/hooks';
import { api, ApiError, type Page } from '../api.js';
import { chinaToday, formatMonth, parseMoneyInput } from '../format.js';
import { idNumberMistake } from '../idNumber.js';
import { href, navigate } from '../router.js';
import type { Application, Child, Claim, PageProps, Preview } from '../types.js';
import { useAction, useAsync, useDebounced } from '../kit/data.js';
import { ActionForm, CodeOptions, Field, FormActions, TextField } from '../kit/form.js';
import { ErrorNotice, Loading } from '../kit/notices.js';
import { loadChild } from '../parts/names.js';
import { Breakdown, EntitlementTable } from '../parts/settlement.js';
import { EvidencePanel, EvidencePicker, formatBytes, uploadEvidence, useRequiredEvidence } from '../parts/evidence.js';
import { CATEGORY_NAMES, DEDUCTION_FIELDS, DEVICE_KIND_NAMES, errorMessage, EVIDENCE_KIND_NAMES, label, MONTHLY_SERVICES, SERVICE_NAMES, SERVICES } from '../words.js';

// A claim, new or returned for correction, with the settlement it would get shown live: the
// preview endpoint runs the same rules as approval, so the clerk sees each deduction, the limit
// that binds and the subsidy before sending.

interface Draft {
  externalRef: string;
  childIdNumber: string;
  service: string;
  deviceKind: string;
  periodFrom: string;
  periodTo: string;
  serviceDate: string;
  freeIssued: boolean;
  grossCost: string;
  deductions: Record<string, string>;
  reviewedBy: string;
}

function suggestedRef(institutionCode: string | undefined): string {
  const today = chinaToday().replaceAll('-', '');
  const suffix = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
  return `${institutionCode ?? 'JG'}-${today}-${suffix}`;
}

function emptyDraft(user: PageProps['user']): Draft {
  return {
    externalRef: '',
    childIdNumber: '',
    service: 'training',
    deviceKind: 'hearing_aid',
    periodFrom: '',
    periodTo: '',
    serviceDate: '',
    freeIssued: false,
    grossCost: '',
    deductions: {},
    reviewedBy: user.name,
  };
}

function draftOf(claim: Claim, child: Child): Draft {
  return {
    externalRef: claim.externalRef,
    childIdNumber: child.idNumber,
    service: claim.service,
    deviceKind: claim.deviceKind ?? 'hearing_aid',
    periodFrom: claim.periodFrom ?? '',
    periodTo: claim.periodTo ?? '',
    serviceDate: claim.serviceDate ?? '',
    freeIssued: claim.freeIssued,
    grossCost: claim.grossCost,
    deductions: { ...claim.deductions },
    reviewedBy: claim.reviewedBy,
  };
}

/** The request body of a draft, or the first thing still missing from it. */
function bodyOf(draft: Draft, child: Child | null): { body: Record<string, unknown> } | { missing: string } {
  if (!child) return { missing: '请填写儿童的身份证号' };
  const monthly = MONTHLY_SERVICES.includes(draft.service);
  if (monthly && (!draft.periodFrom || !draft.periodTo)) return { missing: '请填写服务的开始和结束月份' };
  if (!monthly && !draft.serviceDate) return { missing: '请填写服务日期' };
  const grossCost = parseMoneyInput(draft.grossCost);
  if (!grossCost) return { missing: '请填写总费用（数字，最多两位小数）' };
  const deductions: Record<string, string> = {};
  for (const [name, title] of DEDUCTION_FIELDS) {
    const typed = draft.deductions[name] ?? '';
    if (typed.trim() === '') continue;
    const amount = parseMoneyInput(typed);
    if (!amount) return { missing: `「${title}」请填写数字，最多两位小数` };
    deductions[name] = amount;
  }
  const body: Record<string, unknown> = { childId: child.id, service: draft.service, grossCost, deductions };
  if (monthly) {
    body.periodFrom = draft.periodFrom;
    body.periodTo = draft.periodTo;
  } else body.serviceDate = draft.serviceDate;
  if (draft.service === 'device') {
    body.deviceKind = draft.deviceKind;
    if (draft.freeIssued) body.freeIssued = true;
  }
  return { body };
}

export function ClaimFormPage(props: PageProps) {
  const editingId = props.params.id;
  const [draft, setDraft] = useState<Draft | null>(editingId ? null : emptyDraft(props.user));
  const [returnReason, setReturnReason] = useState<string | null>(null);
  const loaded = useAsync(async () => {
    if (!editingId) {
      const childId = props.query.get('childId');
      if (childId) {
        const child = await loadChild(childId);
        setDraft((previous) => ({ ...(previous ?? emptyDraft(props.user)), childIdNumber: child.idNumber }));
      }
      return null;
    }
    const claim = await api.get<Claim>(`/claims/${editingId}`);
    const child = await loadChild(claim.childId);
    setDraft(draftOf(claim, child));
    setReturnReason([...claim.history].reverse().find((event) => event.action === 'returned')?.note ?? null);
    return claim;
  }, [editingId]);

  if (!draft) {
    return (
      <section>
        <h1>修改退回的申报</h1>
        <Loading when={loaded.loading} />
        <ErrorNotice error={loaded.error} />
      </section>
    );
  }
  return <ClaimForm draft={draft} setDraft={setDraft} editingId={editingId} returnReason={returnReason} institutionCode={props.institution?.code} institutionId={props.user.institutionId} />;
}

/** The services a child is referred to this institution for, by year, from its approved referrals. */
function referredServices(referrals: Application[] | null | undefined, institutionId: string | null): Map<number, Set<string>> {
  const byYear = new Map<number, Set<string>>();
  for (const referral of referrals ?? []) {
    if (referral.status !== 'approved' || referral.institutionId !== institutionId) continue;
    const services = byYear.get(referral.year) ?? new Set<string>();
    for (const service of referral.services) services.add(service);
    byYear.set(referral.year, services);
  }
  return byYear;
}

/** The months a warning names (DUPLICATE_SERVICE_PERIOD gives them as details). */
const warnedMonths = (details: unknown[]) =>
  details
    .map((detail) => (detail && typeof detail === 'object' && 'month' in detail ? formatMonth(String((detail as { month: string }).month)) : null))
    .filter(Boolean)
    .join('、');

function ClaimForm(props: {
  draft: Draft;
  setDraft(draft: Draft): void;
  editingId: string | undefined;
  returnReason: string | null;
  institutionCode: string | undefined;
  institutionId: string | null;
}) {
  const { draft, setDraft, editingId } = props;
  const update = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });
  const settledIdNumber = useDebounced(draft.childIdNumber.trim().toUpperCase(), 300);
  const child = useAsync(async () => {
    if (!/^\d{17}[\dX]$/.test(settledIdNumber)) return null;
    const found = await api.get<Page<Child>>('/children', { idNumber: settledIdNumber });
    return found.items[0] ?? null;
  }, [settledIdNumber]);

  const referrals = useAsync(async () => (child.data ? api.all<Application>('/applications', { childId: child.data.id, status: 'approved' }) : null), [child.data?.id]);
  const referred = referredServices(referrals.data, props.institutionId);

  const built = bodyOf(draft, child.data);
  // A correction's own months are not "claimed already".
  const settledBody = useDebounced('body' in built ? { ...built.body, ...(editingId ? { claimId: editingId } : {}) } : null, 400);
  const preview = useAsync(async () => (settledBody ? api.post<Preview>('/settlements/preview', settledBody) : null), [JSON.stringify(settledBody)]);
  const warnings = preview.data?.warnings ?? [];

  const required = useRequiredEvidence(child.data?.regionCode, draft.service);
  const [pending, setPending] = useState<{ kind: string; file: File }[]>([]);
  const submit = useAction(async () => {
    if (!('body' in built)) throw new ApiError(400, 'VALIDATION_FAILED', built.missing);
    const body = { ...built.body, externalRef: draft.externalRef.trim(), reviewedBy: draft.reviewedBy.trim() };
    const claim = editingId ? await api.put<Claim>(`/claims/${editingId}`, body) : await api.post<Claim>('/claims', body);
    // The files go with the claim, once it exists; one that fails is said on the claim's page,
    // where it can be sent again.
    let failed = 0;
    for (const item of pending) {
      try {
        await uploadEvidence(claim.id, item.kind, item.file);
      } catch {
        failed += 1;
      }
    }
    navigate(`/claims/${claim.id}?saved=${editingId ? 'resubmitted' : 'submitted'}${failed > 0 ? `&evidenceFailed=${failed}` : ''}`);
  });

  const monthly = MONTHLY_SERVICES.includes(draft.service);
  const year = (monthly ? draft.periodTo : draft.serviceDate).slice(0, 4) || chinaToday().slice(0, 4);
  // Once the child is known, only what it is referred to this institution for is offered.
  const offered = child.data && referrals.data ? SERVICES.filter((service) => referred.get(Number(year))?.has(service)) : SERVICES;
  const referredYears = [...referred.entries()].sort(([a], [b]) => a - b);
  return (
    <section>
      <h1>{editingId ? '修改退回的申报' : '新建申报'}</h1>
      {props.returnReason ? (
        <p class="warning">
          退回原因：<strong>{props.returnReason}</strong>
        </p>
      ) : null}
      <div class="two-columns">
        <ActionForm class="form" onSubmit={() => submit.run()}>
          <TextField label="结算申请号" hint={editingId ? '退回的申报修改后沿用原申请号' : '本机构自己的编号（如收费系统的单号）；同一编号重复提交不会重复申报'} name="externalRef" value={draft.externalRef} readOnly={Boolean(editingId)} required onValue={(value) => update({ externalRef: value })} />
          {!editingId && !draft.externalRef ? (
            <button type="button" class="link" onClick={() => update({ externalRef: suggestedRef(props.institutionCode) })}>
              没有编号？自动生成一个
            </button>
          ) : null}
          <Field label="儿童身份证号" error={idNumberMistake(draft.childIdNumber)} errorTestId="id-number-mistake">
            <input name="childIdNumber" value={draft.childIdNumber} maxLength={18} onInput={(event) => update({ childIdNumber: event.currentTarget.value })} required />
          </Field>
          {idNumberMistake(draft.childIdNumber) ? null : child.data ? (
            <p class="found" data-testid="child-found">
              {child.data.name}，{label(CATEGORY_NAMES, child.data.category)}，{child.data.sex === 'male' ? '男' : '女'}
            </p>
          ) : settledIdNumber.length === 18 && !child.loading ? (
            <p class="warning">没有找到该身份证号的儿童：请核对，或先登记儿童并由残联批准救助申请。</p>
          ) : null}
          {child.data && referrals.data ? (
            referredYears.length === 0 ? (
              <p class="warning" data-testid="no-referral">该儿童没有转介到本机构的救助项目，暂不能申报。请先由残联审批救助申请并指定本机构。</p>
            ) : (
              <p class="muted" data-testid="referrals">
                转介到本机构：{referredYears.map(([referralYear, services]) => `${referralYear} 年 ${[...services].map((service) => label(SERVICE_NAMES, service)).join('、')}`).join('；')}
              </p>
            )
          ) : null}
          <Field label="救助项目">
            <select name="service" value={draft.service} onChange={(event) => update({ service: event.currentTarget.value })}>
              {(offered.includes(draft.service) ? offered : [draft.service, ...offered]).map((service) => (
                <option key={service} value={service}>
                  {label(SERVICE_NAMES, service)}
                  {offered.includes(service) ? '' : '（未转介）'}
                </option>
              ))}
            </select>
          </Field>
          {draft.service === 'device' ? (
            <>
              <Field label="辅具类别">
                <select name="deviceKind" value={draft.deviceKind} onChange={(event) => update({ deviceKind: event.currentTarget.value })}>
                  <CodeOptions names={DEVICE_KIND_NAMES} />
                </select>
              </Field>
              <label class="check">
                <input type="checkbox" name="freeIssued" checked={draft.freeIssued} onChange={(event) => update({ freeIssued: event.currentTarget.checked })} />
                县里免费配发（不予补助）
              </label>
            </>
          ) : null}
          {monthly ? (
            <div class="row">
              <TextField label="开始月份" type="month" name="periodFrom" value={draft.periodFrom} required onValue={(value) => update({ periodFrom: value })} />
              <TextField label="结束月份" type="month" name="periodTo" value={draft.periodTo} required onValue={(value) => update({ periodTo: value })} />
            </div>
          ) : (
            <TextField label="服务日期" type="date" name="serviceDate" value={draft.serviceDate} required onValue={(value) => update({ serviceDate: value })} />
          )}
          <TextField label="总费用（元）" name="grossCost" inputMode="decimal" value={draft.grossCost} required onValue={(value) => update({ grossCost: value })} />
          <fieldset>
            <legend>其他渠道已支付（没有请留空）</legend>
            {DEDUCTION_FIELDS.map(([name, title]) => (
              <Field key={name} label={`${title}（元）`}>
                <input name={name} inputMode="decimal" value={draft.deductions[name] ?? ''} onInput={(event) => update({ deductions: { ...draft.deductions, [name]: event.currentTarget.value } })} />
              </Field>
            ))}
          </fieldset>
          <TextField label="机构自审人" name="reviewedBy" value={draft.reviewedBy} required onValue={(value) => update({ reviewedBy: value })} />
          {/* A returned claim's files are added and removed at once in the panel beside the form. */}
          {editingId ? null : (
            <fieldset data-testid="claim-evidence">
              <legend>佐证材料（随申报一并上传）</legend>
              {required.length > 0 ? (
                <p class="muted" data-testid="required-evidence">
                  本地区{label(SERVICE_NAMES, draft.service)}要求：
                  {required.map((kind) => `${label(EVIDENCE_KIND_NAMES, kind)}${pending.some((item) => item.kind === kind) ? '（已选）' : '（未选）'}`).join('、')}；缺少的须补齐后才能批准。
                </p>
              ) : null}
              {pending.length > 0 ? (
                <ul class="evidence-list">
                  {pending.map((item, index) => (
                    <li key={`${item.file.name}-${index}`}>
                      <span class="evidence-kind">{label(EVIDENCE_KIND_NAMES, item.kind)}</span>
                      <span class="evidence-name" title={item.file.name}>
                        {item.file.name}
                      </span>
                      <span class="muted">{formatBytes(item.file.size)}</span>
                      <button type="button" class="link danger" onClick={() => setPending(pending.filter((_, other) => other !== index))}>
                        移除
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
              <EvidencePicker required={required} onPick={(kind, file) => setPending((previous) => [...previous, { kind, file }])} />
            </fieldset>
          )}
          <FormActions error={submit.error} errorTitle="申报未提交" running={submit.running} disabled={!('body' in built) || warnings.length > 0} label={submit.running ? '正在提交…' : editingId ? '修改后重新提交' : '提交申报'}>
            <a href={href('/claims')}>取消</a>
          </FormActions>
        </ActionForm>
        <aside class="preview" aria-live="polite" data-testid="preview">
          <h2>结算预览</h2>
          {'missing' in built ? (
            <p class="muted">{built.missing}，即可看到按现行标准计算的救助金额。</p>
          ) : preview.loading ? (
            <p class="muted">正在计算…</p>
          ) : preview.error ? (
            <ErrorNotice error={preview.error} title="按当前填写，该申报将不被受理" />
          ) : preview.data && warnings.length > 0 ? (
            // What the submission would refuse is said instead of a sum that would never be paid.
            <div class="error" role="alert" data-testid="preview-warnings">
              <p>
                <strong>按当前填写，提交时将不被受理：</strong>
              </p>
              <ul>
                {warnings.map((warning) => (
                  <li key={warning.code}>
                    {errorMessage(warning.code)}
                    {warnedMonths(warning.details) ? `（已申报的月份：${warnedMonths(warning.details)}）` : ''}
                  </li>
                ))}
              </ul>
            </div>
          ) : preview.data ? (
            <>
              <Breakdown preview={preview.data} />
              <p class="muted">预览按现行标准和该儿童目前的使用情况计算，以审核批准时为准；不保存任何内容。</p>
            </>
          ) : null}
          {child.data ? <EntitlementTable childId={child.data.id} year={Number(year)} /> : null}
          {editingId ? <EvidencePanel claimId={editingId} canChange forInstitution /> : null}
        </aside>
      </div>
    </section>
  );
}
