import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useAction } from '../kit/data.js';
import { ActionForm, CodeOptions, ConfirmButtons, Field, TextField } from '../kit/form.js';
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
      <p class="muted">身份证号不能修改：号码有误的，应按正确号码重新登记，并注销原档案。残疾证号通过“补登残疾证”办理。每项修改都记入审计日志（电话号码脱敏）。</p>
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
