import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Account } from '../accountTypes.js';
import { formatTimestamp } from '../format.js';
import type { PageProps } from '../types.js';
import { ActionForm, CodeOptions, ErrorNotice, Field, InstitutionName, InstitutionOptions, Loading, Pager, RegionName, useAction, useInstitutions, usePagedList } from '../ui.js';
import { label, ROLE_NAMES } from '../words.js';

// The admin's page of accounts (security.md §1): an account is opened with an activation code
// shown once, never a password or token; resets and enablings too. Once a personal admin has
// activated, a second admin confirms every creation, reset and enabling.

const REGION_ROLES = ['reviewer', 'finance', 'civil_affairs'];
const PENDING_NAMES = { create: '开设', reset: '重置', enable: '启用' } as const;

/** An activation code shown once, to hand over in person. */
function ActivationOnce(props: { account: Account; what: string; onHide(): void }) {
  const { account } = props;
  return (
    <div class="token-once" role="status" data-testid="activation-code">
      <p>
        已为 <strong>{account.name}</strong>（{label(ROLE_NAMES, account.role)}）{props.what}。请<strong>当面</strong>交给本人，由本人设置密码：
      </p>
      <p>
        用户名 <code class="username">{account.username}</code>　激活码 <code class="activation-code">{account.activationCode}</code>
      </p>
      <p class="hint">
        激活码<strong>只显示这一次</strong>，系统不保存明文，{account.activationExpiresAt ? `${formatTimestamp(account.activationExpiresAt)} 前` : '72 小时内'}有效，只能使用一次。
        {account.pending ? '需要另一位管理员在本页确认后才能使用。' : ''}
      </p>
      <button type="button" class="link" onClick={props.onHide}>
        已交付，隐藏激活码
      </button>
    </div>
  );
}

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

function AccountActions(props: { account: Account; me: PageProps['user']; onChanged(reset?: Account): void }) {
  const { account } = props;
  const [confirming, setConfirming] = useState<Action | null>(null);
  const act = useAction(async (what: Action) => {
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
        <button type="button" disabled={act.running} onClick={() => void act.run(confirming)}>
          确认{ACTION_NAMES[confirming]}
        </button>
        <button type="button" class="link" onClick={() => setConfirming(null)}>
          取消
        </button>
        <ErrorNotice error={act.error} title={`未能${ACTION_NAMES[confirming]}`} />
      </span>
    );
  }
  const canConfirm = account.pending && account.pending.requestedBy.id !== props.me.id;
  return (
    <span class="row-actions">
      {canConfirm ? (
        <button type="button" class="link" onClick={() => setConfirming('confirm')}>
          确认{PENDING_NAMES[account.pending!.action]}
        </button>
      ) : null}
      <button type="button" class="link" onClick={() => setConfirming(account.disabledAt && account.pending?.action !== 'enable' ? 'enable' : 'disable')}>
        {account.disabledAt && account.pending?.action !== 'enable' ? '启用' : '停用'}
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
  const [form, setForm] = useState({ name: '', username: '', role: 'reviewer', regionCode: '', institutionId: '' });
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const [shown, setShown] = useState<{ account: Account; what: string } | null>(null);
  const create = useAction(async () => {
    const body: Record<string, string> = { name: form.name.trim(), role: form.role };
    if (form.username.trim()) body.username = form.username.trim();
    if (REGION_ROLES.includes(form.role)) body.regionCode = form.regionCode.trim();
    if (form.role === 'institution') body.institutionId = form.institutionId;
    const account = await api.post<Account>('/users', body);
    setShown({ account, what: '开设账号' });
    setForm({ ...form, name: '', username: '' });
    list.reload();
  });
  const waiting = list.items.filter((account) => account.pending && account.pending.requestedBy.id !== props.user.id);
  return (
    <section>
      <h1>用户</h1>
      {waiting.length > 0 ? (
        <p class="hint" role="note" data-testid="pending-note">
          有 {waiting.length} 项账号变更由其他管理员发起，等待您确认。
        </p>
      ) : null}
      {shown ? <ActivationOnce account={shown.account} what={shown.what} onHide={() => setShown(null)} /> : null}
      <Loading when={list.loading} />
      <ErrorNotice error={list.error} />
      {list.items.length > 0 ? (
        <table class="list">
          <thead>
            <tr>
              <th>姓名</th>
              <th>用户名</th>
              <th>角色</th>
              <th>地区 / 机构</th>
              <th>最近登录</th>
              <th>状态</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((account) => (
              <tr key={account.id}>
                <td>{account.name}</td>
                <td>
                  <code>{account.username}</code>
                </td>
                <td>{label(ROLE_NAMES, account.role)}</td>
                <td>{account.institutionId ? <InstitutionName id={account.institutionId} /> : <RegionName code={account.regionCode} withCode />}</td>
                <td>{account.lastSignedInAt ? formatTimestamp(account.lastSignedInAt) : '—'}</td>
                <td>{status(account)}</td>
                <td>
                  {account.bootstrap || account.id === props.user.id ? null : (
                    <AccountActions
                      account={account}
                      me={props.user}
                      onChanged={(reset) => {
                        if (reset) setShown({ account: reset, what: '重置密码' });
                        list.reload();
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager list={list} />
      <h2>开设账号</h2>
      <ActionForm class="form" onSubmit={() => create.run()}>
        <Field label="姓名">
          <input name="name" value={form.name} onInput={(event) => update({ name: event.currentTarget.value })} required />
        </Field>
        <Field label="用户名">
          <input name="username" aria-describedby="username-rule" value={form.username} onInput={(event) => update({ username: event.currentTarget.value })} />
        </Field>
        <p class="hint" id="username-rule">
          用户名可不填，由系统生成；3–32 位小写字母、数字或 . _ -，开设后不能更改，也不会重复使用。
        </p>
        <Field label="角色">
          <select name="role" value={form.role} onChange={(event) => update({ role: event.currentTarget.value })}>
            <CodeOptions names={ROLE_NAMES} />
          </select>
        </Field>
        {REGION_ROLES.includes(form.role) ? (
          <Field label="地区代码">
            <input name="regionCode" value={form.regionCode} maxLength={6} onInput={(event) => update({ regionCode: event.currentTarget.value })} required />
            {form.regionCode.length === 6 ? (
              <span class="hint" data-testid="region-name">
                <RegionName code={form.regionCode} />
              </span>
            ) : null}
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
        <ErrorNotice error={create.error} title="未能开设账号" />
        <div class="actions">
          <button type="submit" disabled={create.running}>
            开设账号
          </button>
        </div>
      </ActionForm>
    </section>
  );
}
