import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { useAction, usePagedList } from '../../kit/data.js';
import { ActionForm, FormActions, TextField } from '../../kit/form.js';
import { ListPage } from '../../kit/list.js';
import { ErrorNotice, Success } from '../../kit/notices.js';
import { BankAccount } from '../../kit/values.js';
import { forgetInstitutions, RegionCodeField, RegionName } from '../../parts/names.js';
import type { Institution, PageProps } from '../../types.js';
import { formatTimestamp } from '../../format.js';
import { label, SERVICE_NAMES, SERVICES } from '../../words.js';

// The designated institutions (定点康复机构): the admin designates one, changes its name and
// services, and asks to change its bank account, which another admin confirms (security.md §2).

interface InstitutionFields {
  code: string;
  name: string;
  regionCode: string;
  services: string[];
  bank: string;
  accountName: string;
  accountNumber: string;
}

const EMPTY_INSTITUTION: InstitutionFields = { code: '', name: '', regionCode: '', services: [], bank: '', accountName: '', accountNumber: '' };

/** The institution's fields, for designating one or changing one (code and region stay once made). */
function InstitutionForm(props: { initial: InstitutionFields; editing: boolean; submitLabel: string; errorTitle: string; onSubmit(fields: InstitutionFields): Promise<unknown>; onCancel?(): void }) {
  const [form, setForm] = useState(props.initial);
  const update = (changes: Partial<InstitutionFields>) => setForm({ ...form, ...changes });
  const submit = useAction(async () => {
    await props.onSubmit(form);
    if (!props.editing) setForm(EMPTY_INSTITUTION);
  });
  return (
    <ActionForm class="form" onSubmit={() => submit.run()}>
      {props.editing ? null : (
        <>
          <TextField label="机构编码" name="code" value={form.code} required onValue={(value) => update({ code: value })} />
          <RegionCodeField value={form.regionCode} onInput={(regionCode) => update({ regionCode })} />
        </>
      )}
      <TextField label="机构名称" name="name" value={form.name} required onValue={(value) => update({ name: value })} />
      <fieldset>
        <legend>定点服务</legend>
        {SERVICES.map((service) => (
          <label key={service} class="check">
            <input
              type="checkbox"
              checked={form.services.includes(service)}
              onChange={(event) => update({ services: event.currentTarget.checked ? [...form.services, service] : form.services.filter((chosen) => chosen !== service) })}
            />
            {SERVICE_NAMES[service]}
          </label>
        ))}
      </fieldset>
      <TextField label="开户银行" name="bank" value={form.bank} required onValue={(value) => update({ bank: value })} />
      <TextField label="账户名称" name="accountName" value={form.accountName} required onValue={(value) => update({ accountName: value })} />
      <TextField label="银行账号" hint="6 至 32 位数字；可按存折上的分组输入，空格和短横线会自动去掉" name="accountNumber" inputMode="numeric" value={form.accountNumber} required onValue={(value) => update({ accountNumber: value })} />
      {props.editing ? <p class="muted">收款账户的变更须由另一位管理员确认后生效；已生成的结算批次仍按原账户付款，确认后生成的批次使用新账户。</p> : null}
      <FormActions error={submit.error} errorTitle={props.errorTitle} running={submit.running} label={props.submitLabel}>
        {props.onCancel ? (
          <button type="button" class="link" onClick={props.onCancel}>
            取消
          </button>
        ) : null}
      </FormActions>
    </ActionForm>
  );
}

const bankAccountOf = (fields: InstitutionFields) => ({ bank: fields.bank.trim(), accountName: fields.accountName.trim(), accountNumber: fields.accountNumber.trim() });

export function InstitutionsPage(props: PageProps) {
  const list = usePagedList<Institution>('/institutions', {});
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState<Institution | null>(null);
  const create = async (fields: InstitutionFields) => {
    const institution = await api.post<Institution>('/institutions', {
      code: fields.code.trim(),
      name: fields.name.trim(),
      regionCode: fields.regionCode.trim(),
      services: fields.services,
      bankAccount: bankAccountOf(fields),
    });
    forgetInstitutions();
    setDone(`已新增 ${institution.name}。可在「用户」中为该机构开设账号。`);
    list.reload();
  };
  const change = async (fields: InstitutionFields) => {
    const institution = await api.put<Institution>(`/institutions/${editing!.id}`, { name: fields.name.trim(), services: fields.services, bankAccount: bankAccountOf(fields) });
    forgetInstitutions();
    setEditing(null);
    setDone(
      institution.pendingBankAccount
        ? `已保存 ${institution.name} 的修改。收款账户的变更须由另一位管理员确认后生效；确认前付款和新批次仍付原账户。`
        : `已保存 ${institution.name} 的修改。`,
    );
    list.reload();
  };
  // Nobody moves money alone (security.md §2): another admin confirms a change of account.
  const confirm = useAction(async (institution: Institution) => {
    const confirmed = await api.post<Institution>(`/institutions/${institution.id}/bank-account/confirm`);
    forgetInstitutions();
    setDone(`${confirmed.name} 的收款账户已变更为 ${confirmed.bankAccount.bank} ${confirmed.bankAccount.accountNumber}。`);
    list.reload();
  });
  return (
    <ListPage
      title="定点康复机构"
      list={list}
      empty="还没有定点机构。"
      columns={[
        { title: '编码', cell: (institution) => institution.code },
        { title: '名称', cell: (institution) => institution.name },
        { title: '地区', cell: (institution) => <RegionName code={institution.regionCode} withCode /> },
        { title: '定点服务', cell: (institution) => institution.services.map((service) => label(SERVICE_NAMES, service)).join('、') },
        {
          title: '收款账户',
          cell: (institution) => (
            <>
              <BankAccount account={institution.bankAccount} />
              {institution.pendingBankAccount ? (
                <div class="pending" data-testid="pending-account">
                  待确认的新账户：<BankAccount account={institution.pendingBankAccount} />
                  （{institution.pendingBankAccount.requestedBy.name} 于 {formatTimestamp(institution.pendingBankAccount.requestedAt)} 提出）
                  {institution.pendingBankAccount.requestedBy.id === props.user.id ? (
                    <span class="muted">，须由另一位管理员确认</span>
                  ) : (
                    <button type="button" class="link" disabled={confirm.running} onClick={() => void confirm.run(institution)}>
                      确认变更
                    </button>
                  )}
                </div>
              ) : null}
            </>
          ),
        },
        {
          cell: (institution) => (
            <button type="button" class="link" onClick={() => setEditing(institution)}>
              修改
            </button>
          ),
        },
      ]}
      after={
        editing ? (
          <>
            <h2>修改 {editing.name}（{editing.code}）</h2>
            <InstitutionForm
              key={editing.id}
              editing
              initial={{ ...EMPTY_INSTITUTION, name: editing.name, services: editing.services, ...editing.bankAccount }}
              submitLabel="保存修改"
              errorTitle="未能保存"
              onSubmit={change}
              onCancel={() => setEditing(null)}
            />
          </>
        ) : (
          <>
            <h2>新增定点机构</h2>
            <InstitutionForm editing={false} initial={EMPTY_INSTITUTION} submitLabel="新增机构" errorTitle="未能新增" onSubmit={create} />
          </>
        )
      }
    >
      {done ? <Success>{done}</Success> : null}
      <ErrorNotice error={confirm.error} title="未能确认账户变更" />
    </ListPage>
  );
}
