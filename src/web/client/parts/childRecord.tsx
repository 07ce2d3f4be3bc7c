import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useAction } from '../kit/data.js';
import { ActionForm, CodeOptions, ConfirmButtons, Field, TextField } from '../kit/form.js';
import { chinaToday } from '../format.js';
import { ErrorNotice } from '../kit/notices.js';
import type { Child, User } from '../types.js';
import { RELATION_NAMES } from '../words.js';

// Correcting a child's record (PATCH /children/:id): the name and the guardian. The ID number never
// changes (a wrong one is a new registration), and the certificate has its own step.

/** Whether the console offers the correction: a reviewer, or the institution that registered the child (the service also asks that it still serves it). */
export function mayCorrect(user: User, child: Child): boolean {
  return user.role === 'reviewer' || (user.role === 'institution' && child.registeredByInstitutionId === user.institutionId);
}

export function CorrectChildForm(props: { child: Child; onDone(child: Child): void; onCancel(): void }) {
  const { child } = props;
  const [form, setForm] = useState({ name: child.name, guardianName: child.guardian.name, guardianRelation: child.guardian.relation, guardianPhone: child.guardian.phone });
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const save = useAction(async () => {
    const body: { name?: string; guardian?: Record<string, string> } = {};
    if (form.name.trim() !== child.name) body.name = form.name.trim();
    const guardian: Record<string, string> = {};
    if (form.guardianName.trim() !== child.guardian.name) guardian.name = form.guardianName.trim();
    if (form.guardianRelation !== child.guardian.relation) guardian.relation = form.guardianRelation;
    if (form.guardianPhone.trim() !== child.guardian.phone) guardian.phone = form.guardianPhone.trim();
    if (Object.keys(guardian).length > 0) body.guardian = guardian;
    if (Object.keys(body).length === 0) return props.onCancel();
    props.onDone(await api.patch<Child>(`/children/${child.id}`, body));
  });
  return (
    <ActionForm class="form" onSubmit={() => save.run()}>
      <p class="muted">身份证号不能修改：号码有误的，应按正确号码重新登记，并注销原档案。残疾证号通过“补登残疾证”（或“更换残疾证”）办理。每项修改都记入审计日志（电话号码脱敏）。</p>
      <TextField label="儿童姓名" name="childName" value={form.name} maxLength={50} required onValue={(value) => update({ name: value })} />
      <fieldset>
        <legend>监护人</legend>
        <TextField label="监护人姓名" name="guardianName" value={form.guardianName} maxLength={50} required onValue={(value) => update({ guardianName: value })} />
        <Field label="与儿童关系">
          <select name="guardianRelation" value={form.guardianRelation} onChange={(event) => update({ guardianRelation: event.currentTarget.value })}>
            {RELATION_NAMES[form.guardianRelation] ? null : <option value={form.guardianRelation}>{form.guardianRelation}</option>}
            <CodeOptions names={RELATION_NAMES} />
          </select>
        </Field>
        <TextField label="监护人电话" name="guardianPhone" value={form.guardianPhone} inputMode="tel" maxLength={20} required onValue={(value) => update({ guardianPhone: value })} />
      </fieldset>
      <ErrorNotice error={save.error} title="未能保存修改" />
      <div class="actions">
        <ConfirmButtons label="保存修改" running={save.running} onCancel={props.onCancel} />
      </div>
    </ActionForm>
  );
}

/**
 * Closing a record registered under a wrong ID number (POST /children/:id/close, reviewer): it says
 * what is lost before it is done, since a closed record takes nothing new and is never reopened.
 */
export function CloseChildForm(props: { child: Child; onDone(child: Child): void; onCancel(): void }) {
  const [reason, setReason] = useState('');
  const close = useAction(async () => props.onDone(await api.post<Child>(`/children/${props.child.id}/close`, { reason: reason.trim() })));
  return (
    <ActionForm class="form" onSubmit={() => close.run()}>
      <p class="warning" data-testid="close-child-warning">
        注销后，此档案（身份证号 {props.child.idNumber}）不能再提交救助申请、办理关爱补贴或立案，且不能恢复；已有的申请、申报和发放记录保留。号码有误的，请先按正确号码重新登记。仍有待审核的救助申请或在册的关爱补贴的，须先办结。
      </p>
      <TextField label="注销原因" name="closeReason" value={reason} maxLength={500} required onValue={setReason} />
      <ErrorNotice error={close.error} title="未能注销档案" />
      <div class="actions">
        <ConfirmButtons label="确认注销档案" danger running={close.running} onCancel={props.onCancel} />
      </div>
    </ActionForm>
  );
}

/**
 * Recording the disability certificate of a child registered before certification, or replacing it
 * (PUT /children/:id/certificate, reviewer): the care allowance enrols only a certified child.
 */
export function CertificateForm(props: { child: Child; onDone(child: Child): void; onCancel(): void }) {
  const [certificateNo, setCertificateNo] = useState(props.child.certificateNo ?? '');
  const [issuedOn, setIssuedOn] = useState('');
  const save = useAction(async () => props.onDone(await api.put<Child>(`/children/${props.child.id}/certificate`, { certificateNo: certificateNo.trim(), issuedOn })));
  return (
    <ActionForm class="form" onSubmit={() => save.run()}>
      <p class="muted">{props.child.certificateNo ? '更换残疾证：原证号记入审计日志。' : '补登残疾证后，该儿童即可报送关爱补贴。'}</p>
      <TextField label="残疾证号" name="certificateNo" value={certificateNo} maxLength={30} required onValue={setCertificateNo} />
      <TextField label="发证日期" type="date" name="certificateIssuedOn" value={issuedOn} max={chinaToday()} required onValue={setIssuedOn} />
      <ErrorNotice error={save.error} title="未能保存残疾证" />
      <div class="actions">
        <ConfirmButtons label="保存残疾证" running={save.running} onCancel={props.onCancel} />
      </div>
    </ActionForm>
  );
}
