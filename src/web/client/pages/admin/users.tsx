import { useState } from 'preact/hooks';
import { api, session } from '../../api.js';
import { formatTimestamp } from '../../format.js';
import { useAction, usePagedList } from '../../kit/data.js';
import { ActionForm, CodeOptions, ConfirmButtons, Field, FormActions, TextField } from '../../kit/form.js';
import { ListPage } from '../../kit/list.js';
import { ErrorNotice } from '../../kit/notices.js';
import { InstitutionName, InstitutionOptions, RegionCodeField, RegionName, useInstitutions } from '../../parts/names.js';
import type { PageProps, User } from '../../types.js';
import { label, ROLE_NAMES } from '../../words.js';

// The users: the admin opens an account (its token shown once), disables or enables one, and
// issues a new token for one who lost theirs.

/** The roles that act for one region: the user is created with its region code. */
const REGION_ROLES = ['reviewer', 'finance', 'civil_affairs'];

/**
 * A token shown once. Copying needs the clipboard API, which browsers give only on https or on
 * this machine: on a plain-http intranet address the token is selected instead, for Ctrl+C.
 */
function TokenOnce(props: { user: User & { token: string }; intro: string; action: string; children: preact.ComponentChildren }) {
  const [copyNote, setCopyNote] = useState('');
  const copy = async (event: Event) => {
    const code = (event.currentTarget as HTMLElement).parentElement!.querySelector('code')!;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(props.user.token);
      setCopyNote('已复制到剪贴板。');
    } catch {
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      setCopyNote('此地址不允许网页直接复制：令牌已选中，请按 Ctrl+C（Mac 上按 ⌘+C）复制。');
    }
  };
  return (
    <div class="token-once" role="status" data-testid="new-token">
      <p>
        {props.intro} <strong>{props.user.name}</strong>（{label(ROLE_NAMES, props.user.role)}）{props.action}。登录令牌如下，<strong>只显示这一次</strong>
        ，系统不保存明文：请现在复制并当面或通过安全渠道交给本人。
      </p>
      <code class="token">{props.user.token}</code>
      <button type="button" class="secondary" onClick={(event) => void copy(event)}>
        复制令牌
      </button>
      {copyNote ? <p data-testid="copy-note">{copyNote}</p> : null}
      {props.children}
    </div>
  );
}

/** Disable or enable a user, or issue a new token; each asks to be confirmed first. */
function UserActions(props: { user: User; onChanged(reissued?: User & { token: string }): void }) {
  const [confirming, setConfirming] = useState<'disable' | 'enable' | 'token' | null>(null);
  const act = useAction(async (what: 'disable' | 'enable' | 'token') => {
    const routes = {
      disable: () => api.post<User>(`/users/${props.user.id}/disable`),
      enable: () => api.post<User>(`/users/${props.user.id}/enable`),
      token: () => api.post<User & { token: string }>(`/users/${props.user.id}/token`),
    };
    const answer: User & { token?: string } = await routes[what]();
    setConfirming(null);
    props.onChanged(answer.token ? (answer as User & { token: string }) : undefined);
  });
  const words = { disable: '停用', enable: '启用', token: '重新发放令牌' } as const;
  const warnings = { disable: '停用后该用户的令牌立即失效。', enable: '启用后该用户可用原令牌登录。', token: '原令牌将立即失效，新令牌只显示一次。' } as const;
  if (confirming) {
    return (
      <span class="confirm">
        {warnings[confirming]}
        <ConfirmButtons label={`确认${words[confirming]}`} running={act.running} onConfirm={() => void act.run(confirming)} onCancel={() => setConfirming(null)} />
        <ErrorNotice error={act.error} title={`未能${words[confirming]}`} />
      </span>
    );
  }
  return (
    <span class="row-actions">
      <button type="button" class="link" onClick={() => setConfirming(props.user.disabledAt ? 'enable' : 'disable')}>
        {props.user.disabledAt ? '启用' : '停用'}
      </button>
      <button type="button" class="link" onClick={() => setConfirming('token')}>
        重新发放令牌
      </button>
    </span>
  );
}

export function UsersPage(props: PageProps) {
  const list = usePagedList<User>('/users', {});
  const institutions = useInstitutions();
  const [form, setForm] = useState({ name: '', role: 'reviewer', regionCode: '', institutionId: '' });
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const [created, setCreated] = useState<(User & { token: string }) | null>(null);
  const create = useAction(async () => {
    const body: Record<string, string> = { name: form.name.trim(), role: form.role };
    if (REGION_ROLES.includes(form.role)) body.regionCode = form.regionCode.trim();
    if (form.role === 'institution') body.institutionId = form.institutionId;
    const user = await api.post<User & { token: string }>('/users', body);
    setCreated(user);
    setForm({ ...form, name: '' });
    // The bootstrap token stops the moment a personal admin exists: reading the list again would
    // answer 401 and sign out before the new token is copied.
    if (!(props.user.bootstrap && user.role === 'admin')) list.reload();
  });
  const replacesBootstrap = Boolean(props.user.bootstrap && created?.role === 'admin');
  const [reissued, setReissued] = useState<(User & { token: string }) | null>(null);
  return (
    <ListPage
      title="用户"
      list={list}
      empty="还没有用户。"
      columns={[
        { title: '姓名', cell: (user) => user.name },
        { title: '角色', cell: (user) => label(ROLE_NAMES, user.role) },
        { title: '地区 / 机构', cell: (user) => (user.institutionId ? <InstitutionName id={user.institutionId} /> : <RegionName code={user.regionCode} withCode />) },
        { title: '开设时间', cell: (user) => formatTimestamp(user.createdAt) },
        { title: '状态', cell: (user) => (user.disabledAt ? `已停用（${formatTimestamp(user.disabledAt)}）` : '正常') },
        {
          // Never one's own account, nor the bootstrap admin's, which is no account.
          cell: (user) =>
            user.bootstrap || user.id === props.user.id ? null : (
              <UserActions
                user={user}
                onChanged={(reissued) => {
                  if (reissued) setReissued(reissued);
                  list.reload();
                }}
              />
            ),
        },
      ]}
      after={
        <>
          {reissued ? (
            <TokenOnce user={reissued} intro="已为" action="重新发放令牌，原令牌已失效">
              <button type="button" class="link" onClick={() => setReissued(null)}>
                已交付，隐藏令牌
              </button>
            </TokenOnce>
          ) : null}
          <h2>开设账号</h2>
          {created ? (
            <TokenOnce user={created} intro="已为" action="开设账号">
              {replacesBootstrap ? (
                <>
                  <p>初始化令牌已经失效。请先妥善保存上面的令牌，再用它重新登录。</p>
                  <button
                    type="button"
                    onClick={() => {
                      session.signIn(created.token);
                      window.location.hash = '#/users';
                      window.location.reload();
                    }}
                  >
                    用此令牌登录
                  </button>
                </>
              ) : (
                <button type="button" class="link" onClick={() => setCreated(null)}>
                  已交付，隐藏令牌
                </button>
              )}
            </TokenOnce>
          ) : null}
          <ActionForm class="form" onSubmit={() => create.run()}>
            <TextField label="姓名" name="name" value={form.name} required onValue={(value) => update({ name: value })} />
            <Field label="角色">
              <select name="role" value={form.role} onChange={(event) => update({ role: event.currentTarget.value })}>
                <CodeOptions names={ROLE_NAMES} />
              </select>
            </Field>
            {REGION_ROLES.includes(form.role) ? (
              <RegionCodeField value={form.regionCode} onInput={(regionCode) => update({ regionCode })} />
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
    />
  );
}
