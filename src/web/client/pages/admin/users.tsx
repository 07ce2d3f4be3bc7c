import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { Account } from '../../accountTypes.js';
import { formatTimestamp } from '../../format.js';
import { useAction, usePagedList } from '../../kit/data.js';
import { ActionForm, CodeOptions, ConfirmButtons, Field, FormActions, TextField } from '../../kit/form.js';
import { ListPage } from '../../kit/list.js';
import { ErrorNotice } from '../../kit/notices.js';
import { ActivationOnce } from '../../parts/account.js';
import { InstitutionName, InstitutionOptions, RegionCodeField, RegionName, useInstitutions } from '../../parts/names.js';
import type { PageProps } from '../../types.js';
import { DEPARTMENT_NAMES, label, ROLE_NAMES } from '../../words.js';

// The admin's page of accounts (security.md §1): an account is opened with an activation code
// shown once, never a password or token; resets too. Once a personal admin has activated, a second
// admin confirms every opening, reset and enabling.

/** The roles that act for one region: the user is created with its region code. */
const REGION_ROLES = ['reviewer', 'finance', 'civil_affairs', 'department'];
const PENDING_NAMES = { create: '开设', reset: '重置', enable: '启用' } as const;

function status(account: Account): string {
  if (account.pending) return `待确认${PENDING_NAMES[account.pending.action]}（${account.pending.requestedBy.name} 发起）`;
  if (account.disabledAt) return `已停用（${formatTimestamp(account.disabledAt)}）`;
  if (!account.activated) return account.activationExpiresAt ? '未激活' : '未设置密码';
  return '正常';
}

type Action = 'disable' | 'enable' | 'reset' | 'confirm';
const ACTION_NAMES: Record<Action, string> = { disable: '停用', enable: '启用', reset: '重置密码', confirm: '确认' };
const WARNINGS: Record<Action, string> = {
  disable: '停用后，该用户的所有登录和 API 令牌立即失效。',
  enable: '启用后，该用户可以用原密码重新登录（原来的登录和令牌不会恢复）。',
  reset: '重置后，该用户的密码、动态验证码、所有登录和 API 令牌立即失效，并生成新的激活码。',
  confirm: '确认后这项变更生效。',
};

/** Disable or enable an account, reset it, or confirm another admin's change; each asks to be confirmed first. */
function AccountActions(props: { account: Account; me: PageProps['user']; onChanged(reset?: Account): void }) {
  const { account } = props;
  const [confirming, setConfirming] = useState<Action | null>(null);
  const act = useAction(async (what: Action) => {
    // Each route by its name, so that the console's calls can be checked against the API's document.
    const calls: Record<Action, () => Promise<Account>> = {
      disable: () => api.post<Account>(`/users/${account.id}/disable`),
      enable: () => api.post<Account>(`/users/${account.id}/enable`),
      reset: () => api.post<Account>(`/users/${account.id}/reset`),
      confirm: () => api.post<Account>(`/users/${account.id}/confirm`),
    };
    const answer = await calls[what]();
    setConfirming(null);
    props.onChanged(what === 'reset' ? answer : undefined);
  });
  if (confirming) {
    return (
      <span class="confirm">
        {WARNINGS[confirming]}
        <ConfirmButtons label={`确认${ACTION_NAMES[confirming]}`} running={act.running} onConfirm={() => void act.run(confirming)} onCancel={() => setConfirming(null)} />
        <ErrorNotice error={act.error} title={`未能${ACTION_NAMES[confirming]}`} />
      </span>
    );
  }
  // Another admin's opening, reset or enabling waits for this one; one's own never does.
  const canConfirm = account.pending && account.pending.requestedBy.id !== props.me.id;
  const enables = account.disabledAt && account.pending?.action !== 'enable';
  return (
    <span class="row-actions">
      {canConfirm ? (
        <button type="button" class="link" onClick={() => setConfirming('confirm')}>
          确认{PENDING_NAMES[account.pending!.action]}
        </button>
      ) : null}
      <button type="button" class="link" onClick={() => setConfirming(enables ? 'enable' : 'disable')}>
        {enables ? '启用' : '停用'}
      </button>
      <button type="button" class="link" onClick={() => setConfirming('reset')}>
        重置密码
      </button>
    </span>
  );
}

export function UsersPage(props: PageProps) {
  const list = usePagedList<Account>('/users', {});
  const institutions = useInstitutions();
  const [form, setForm] = useState({ name: '', username: '', role: 'reviewer', regionCode: '', institutionId: '', townshipCode: '', department: 'health' });
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const [shown, setShown] = useState<{ account: Account; what: string } | null>(null);
  const create = useAction(async () => {
    const body: Record<string, string> = { name: form.name.trim(), role: form.role };
    if (form.username.trim()) body.username = form.username.trim();
    if (REGION_ROLES.includes(form.role)) body.regionCode = form.regionCode.trim();
    if (form.role === 'institution') body.institutionId = form.institutionId;
    if (form.role === 'township') body.townshipCode = form.townshipCode.trim();
    if (form.role === 'department') body.department = form.department;
    const account = await api.post<Account>('/users', body);
    setShown({ account, what: '开设账号' });
    setForm({ ...form, name: '', username: '' });
    list.reload();
  });
  const waiting = list.items.filter((account) => account.pending && account.pending.requestedBy.id !== props.user.id);
  return (
    <ListPage
      title="用户"
      list={list}
      empty="还没有用户。"
      columns={[
        { title: '姓名', cell: (account) => account.name },
        { title: '用户名', cell: (account) => <code>{account.username}</code> },
        { title: '角色', cell: (account) => label(ROLE_NAMES, account.role) },
        {
          title: '地区 / 机构',
          cell: (account) =>
            account.institutionId ? (
              <InstitutionName id={account.institutionId} />
            ) : (
              <>
                <RegionName code={account.regionCode} withCode />
                {account.townshipCode ? ` 乡镇（街道）${account.townshipCode}` : ''}
                {account.department ? ` ${label(DEPARTMENT_NAMES, account.department)}` : ''}
              </>
            ),
        },
        { title: '最近登录', cell: (account) => (account.lastSignedInAt ? formatTimestamp(account.lastSignedInAt) : '—') },
        { title: '状态', cell: status },
        {
          // Never one's own account, nor the bootstrap admin's, which is no person's.
          cell: (account) =>
            account.bootstrap || account.id === props.user.id ? null : (
              <AccountActions
                account={account}
                me={props.user}
                onChanged={(reset) => {
                  if (reset) setShown({ account: reset, what: '重置密码' });
                  list.reload();
                }}
              />
            ),
        },
      ]}
      after={
        <>
          <h2>开设账号</h2>
          <ActionForm onSubmit={() => create.run()}>
            <TextField label="姓名" name="name" value={form.name} required onValue={(name) => update({ name })} />
            <TextField label="用户名" name="username" aria-describedby="username-rule" value={form.username} onValue={(username) => update({ username })} />
            <p class="hint" id="username-rule">
              用户名可不填，由系统生成；3–32 位小写字母、数字或 . _ -，开设后不能更改，也不会重复使用。
            </p>
            <Field label="角色">
              <select name="role" value={form.role} onChange={(event) => update({ role: event.currentTarget.value })}>
                <CodeOptions names={ROLE_NAMES} />
              </select>
            </Field>
            {REGION_ROLES.includes(form.role) ? <RegionCodeField value={form.regionCode} onInput={(regionCode) => update({ regionCode })} /> : null}
            {form.role === 'township' ? (
              <TextField
                label="乡镇（街道）代码"
                hint="9 位：县级 6 位加乡镇 3 位，如 511702001"
                name="townshipCode"
                value={form.townshipCode}
                inputMode="numeric"
                maxLength={9}
                pattern="\d{9}"
                required
                onValue={(townshipCode) => update({ townshipCode })}
              />
            ) : null}
            {form.role === 'department' ? (
              <Field label="部门">
                <select name="department" value={form.department} onChange={(event) => update({ department: event.currentTarget.value })}>
                  <CodeOptions names={DEPARTMENT_NAMES} />
                </select>
              </Field>
            ) : null}
            {form.role === 'institution' ? (
              <Field label="机构">
                <select name="institutionId" value={form.institutionId} onChange={(event) => update({ institutionId: event.currentTarget.value })} required>
                  <option value="">请选择</option>
                  <InstitutionOptions institutions={institutions.data} />
                </select>
              </Field>
            ) : null}
            <FormActions error={create.error} errorTitle="未能开设账号" running={create.running} label="开设账号" />
          </ActionForm>
        </>
      }
    >
      {waiting.length > 0 ? (
        <p class="hint" role="note" data-testid="pending-note">
          有 {waiting.length} 项账号变更由其他管理员发起，等待您确认。
        </p>
      ) : null}
      {shown ? <ActivationOnce account={shown.account} what={shown.what} onHide={() => setShown(null)} /> : null}
    </ListPage>
  );
}
