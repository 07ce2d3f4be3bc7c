import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { chinaToday } from '../../format.js';
import { useAction } from '../../kit/data.js';
import { ActionForm, CodeOptions, Field, FormActions, TextField } from '../../kit/form.js';
import { Success } from '../../kit/notices.js';
import type { ProtectionCase } from '../../protectionTypes.js';
import { PROTECTION_CATEGORY_NAMES, SEVERE_BASIS_NAMES, SITUATION_NAMES } from '../../protectionWords.js';
import { href } from '../../router.js';
import type { Child, PageProps } from '../../types.js';

// 受理: a township (or civil affairs on its behalf) finds the child by ID number — registering it in
// one of the township's villages when it is new — and receives the guardian's application.
// Criteria are not checked here; the township's check and the county decide.

interface ParentForm {
  situation: string;
  since: string;
  until: string;
  documents: string;
}

const NO_FACT: ParentForm = { situation: '', since: '', until: '', documents: '' };
const list = (text: string) =>
  text
    .split(/[，,、\s]+/)
    .map((item) => item.trim())
    .filter(Boolean);

function ParentFields(props: { who: string; value: ParentForm; onChange(value: ParentForm): void }) {
  const { value } = props;
  const set = (changes: Partial<ParentForm>) => props.onChange({ ...value, ...changes });
  return (
    <fieldset class="group">
      <legend>{props.who}</legend>
      <Field label="情况">
        <select name={`${props.who}-situation`} value={value.situation} onChange={(event) => set({ situation: event.currentTarget.value })}>
          <option value="">（不填）</option>
          <CodeOptions names={SITUATION_NAMES} />
        </select>
      </Field>
      {value.situation ? (
        <>
          <TextField label="起始日期" hint="失联：公安机关受理报案之日" type="date" name={`${props.who}-since`} value={value.since} required onValue={(since) => set({ since })} />
          <TextField label="截止日期" hint="刑期等有期限的填写" type="date" name={`${props.who}-until`} value={value.until} onValue={(until) => set({ until })} />
          <TextField label="证明材料" hint="多份用顿号分隔" name={`${props.who}-documents`} value={value.documents} onValue={(documents) => set({ documents })} />
        </>
      ) : null}
    </fieldset>
  );
}

export function ProtectionIntakePage(props: PageProps) {
  const [idNumber, setIdNumber] = useState('');
  const [child, setChild] = useState<Child | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [newChild, setNewChild] = useState({ name: '', villageCode: props.user.townshipCode ?? '', guardianName: '', guardianRelation: '', guardianPhone: '' });
  const [form, setForm] = useState({
    receivedOn: chinaToday(),
    viaVillage: false,
    applicantName: '',
    applicantRelation: '',
    applicantPhone: '',
    categories: [] as string[],
    severeBasis: 'disability',
    schoolingSupport: false,
    leftBehind: false,
    hivAffected: false,
    documents: '户口簿、居民身份证',
    bank: '',
    accountName: '',
    accountNumber: '',
  });
  const [father, setFather] = useState<ParentForm>(NO_FACT);
  const [mother, setMother] = useState<ParentForm>(NO_FACT);
  const [received, setReceived] = useState<ProtectionCase | null>(null);
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });

  const find = useAction(async () => {
    setNotFound(false);
    const found = await api.get<{ items: Child[] }>('/children', { idNumber: idNumber.trim().toUpperCase() });
    const match = found.items[0] ?? null;
    setChild(match);
    setNotFound(!match);
    if (match) update({ applicantName: match.guardian.name, applicantRelation: match.guardian.relation, applicantPhone: match.guardian.phone, accountName: match.guardian.name });
  });
  const register = useAction(async () => {
    const made = await api.post<Child>('/children', {
      idNumber: idNumber.trim().toUpperCase(),
      name: newChild.name.trim(),
      regionCode: newChild.villageCode.slice(0, 6),
      villageCode: newChild.villageCode.trim(),
      guardian: { name: newChild.guardianName.trim(), relation: newChild.guardianRelation.trim(), phone: newChild.guardianPhone.trim() },
    });
    setChild(made);
    setNotFound(false);
    update({ applicantName: made.guardian.name, applicantRelation: made.guardian.relation, applicantPhone: made.guardian.phone, accountName: made.guardian.name });
  });
  const facts = (parent: ParentForm) => (parent.situation ? [{ situation: parent.situation, since: parent.since, until: parent.until || null, documents: list(parent.documents) }] : []);
  const receive = useAction(async () => {
    const made = await api.post<ProtectionCase>('/protection/cases', {
      childId: child!.id,
      receivedOn: form.receivedOn,
      viaVillage: form.viaVillage,
      applicant: { name: form.applicantName.trim(), relation: form.applicantRelation.trim(), phone: form.applicantPhone.trim() },
      categories: form.categories,
      severeBasis: form.categories.includes('severe_illness_disability') ? form.severeBasis : null,
      schoolingSupport: form.schoolingSupport,
      leftBehind: form.leftBehind,
      hivAffected: form.hivAffected,
      parents: { father: facts(father), mother: facts(mother) },
      documents: list(form.documents),
      bankAccount: form.accountNumber.trim() ? { bank: form.bank.trim(), accountName: form.accountName.trim(), accountNumber: form.accountNumber } : null,
    });
    setReceived(made);
  });

  if (received) {
    return (
      <section>
        <h1>已受理</h1>
        <Success>
          已受理 {received.childName} 的申请，编号 {received.number}，请于 {received.dueOn} 前完成核查。<a href={href(`/protection/cases/${received.id}`)}>查看个案</a>
        </Success>
      </section>
    );
  }
  const toggle = (category: string) => update({ categories: form.categories.includes(category) ? form.categories.filter((code) => code !== category) : [...form.categories, category] });
  return (
    <section>
      <h1>受理困境儿童分类认定申请</h1>
      <ActionForm class="form" onSubmit={() => find.run()}>
        <TextField label="儿童身份证号" name="idNumber" value={idNumber} maxLength={18} required onValue={setIdNumber} />
        <FormActions error={find.error} errorTitle="未能查找" running={find.running} label="查找儿童" />
      </ActionForm>
      {notFound ? (
        <ActionForm class="form" onSubmit={() => register.run()}>
          <h2>登记新儿童</h2>
          <p class="muted">本乡镇（街道）尚未登记该儿童，请先登记。</p>
          <TextField label="姓名" name="childName" value={newChild.name} required onValue={(name) => setNewChild({ ...newChild, name })} />
          <TextField label="村（社区）代码" hint="12 位统计用区划代码" name="villageCode" value={newChild.villageCode} inputMode="numeric" maxLength={12} required onValue={(villageCode) => setNewChild({ ...newChild, villageCode })} />
          <TextField label="监护人姓名" name="guardianName" value={newChild.guardianName} required onValue={(guardianName) => setNewChild({ ...newChild, guardianName })} />
          <TextField label="与儿童关系" name="guardianRelation" value={newChild.guardianRelation} placeholder="如 祖母" required onValue={(guardianRelation) => setNewChild({ ...newChild, guardianRelation })} />
          <TextField label="监护人电话" name="guardianPhone" value={newChild.guardianPhone} inputMode="tel" required onValue={(guardianPhone) => setNewChild({ ...newChild, guardianPhone })} />
          <FormActions error={register.error} errorTitle="未能登记" running={register.running} label="登记儿童" />
        </ActionForm>
      ) : null}
      {child ? (
        <ActionForm class="form" onSubmit={() => receive.run()}>
          <h2>
            {child.name}（{child.townshipName ?? ''}
            {child.villageName ?? ''}）
          </h2>
          <TextField label="受理日期" type="date" name="receivedOn" value={form.receivedOn} max={chinaToday()} required onValue={(receivedOn) => update({ receivedOn })} />
          <label class="choice">
            <input type="checkbox" name="viaVillage" checked={form.viaVillage} onChange={() => update({ viaVillage: !form.viaVillage })} /> 经村（居）委会代为提交（行动不便）
          </label>
          <TextField label="申请人" name="applicantName" value={form.applicantName} required onValue={(applicantName) => update({ applicantName })} />
          <TextField label="与儿童关系" name="applicantRelation" value={form.applicantRelation} required onValue={(applicantRelation) => update({ applicantRelation })} />
          <TextField label="联系电话" name="applicantPhone" value={form.applicantPhone} inputMode="tel" required onValue={(applicantPhone) => update({ applicantPhone })} />
          <Field label="申请类别">
            <span class="choices">
              {Object.entries(PROTECTION_CATEGORY_NAMES).map(([code, name]) => (
                <label key={code} class="choice">
                  <input type="checkbox" name={`category-${code}`} checked={form.categories.includes(code)} onChange={() => toggle(code)} /> {name}
                </label>
              ))}
            </span>
          </Field>
          {form.categories.includes('severe_illness_disability') ? (
            <Field label="重病重残依据">
              <select name="severeBasis" value={form.severeBasis} onChange={(event) => update({ severeBasis: event.currentTarget.value })}>
                <CodeOptions names={SEVERE_BASIS_NAMES} />
              </select>
            </Field>
          ) : null}
          <span class="choices">
            <label class="choice">
              <input type="checkbox" name="leftBehind" checked={form.leftBehind} onChange={() => update({ leftBehind: !form.leftBehind })} /> 留守儿童
            </label>
            <label class="choice">
              <input type="checkbox" name="schoolingSupport" checked={form.schoolingSupport} onChange={() => update({ schoolingSupport: !form.schoolingSupport })} /> 申请教育资助
            </label>
            <label class="choice">
              <input type="checkbox" name="hivAffected" checked={form.hivAffected} onChange={() => update({ hivAffected: !form.hivAffected })} /> 艾滋病病毒感染（不公示）
            </label>
          </span>
          <ParentFields who="父亲" value={father} onChange={setFather} />
          <ParentFields who="母亲" value={mother} onChange={setMother} />
          <TextField label="申请材料" hint="用顿号分隔" name="documents" value={form.documents} wide onValue={(documents) => update({ documents })} />
          <TextField label="开户银行" hint="孤儿、事实无人抚养等需发放基本生活费的须填写" name="bank" value={form.bank} onValue={(bank) => update({ bank })} />
          <TextField label="户名" name="accountName" value={form.accountName} onValue={(accountName) => update({ accountName })} />
          <TextField label="银行账号" name="accountNumber" value={form.accountNumber} inputMode="numeric" onValue={(accountNumber) => update({ accountNumber })} />
          <FormActions error={receive.error} errorTitle="未能受理" running={receive.running} label="受理" disabled={form.categories.length === 0} />
        </ActionForm>
      ) : null}
    </section>
  );
}
