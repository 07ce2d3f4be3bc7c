import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Account, Me } from '../accountTypes.js';
import { useAction } from '../kit/data.js';
import { ActionForm, FormActions, TextField } from '../kit/form.js';
import { ActivationOnce, AuthNotice, NewPasswordFields, NO_NEW_PASSWORD, passwordsDiffer } from '../parts/account.js';
import { href } from '../router.js';

/**
 * The one page that takes a token, once: the bootstrap admin's (BOOTSTRAP_ADMIN_TOKEN), to open the
 * first personal admin accounts, or an admin's token from before the upgrade, to set that admin's
 * first password. The token stays in this page's memory and is never stored; nobody signs in with it.
 */
export function SetupPage() {
  const [token, setToken] = useState('');
  const [me, setMe] = useState<Me | null>(null);
  const check = useAction(async () => setMe(await api.withToken<Me>(token.trim(), 'GET', '/me')));

  return (
    <main class="sign-in">
      <section class="setup">
        <h1>初始化与升级</h1>
        {!me ? (
          <ActionForm onSubmit={() => check.run()}>
            <p class="muted">
              仅用于两种情况：系统首次安装时，用初始化令牌（BOOTSTRAP_ADMIN_TOKEN）开设管理员账号；系统升级后，管理员用升级前的令牌设置自己的第一个密码。日常登录请使用用户名和密码。
            </p>
            <TextField label="初始化令牌或升级前的令牌" wide type="password" name="token" autocomplete="off" value={token} onValue={setToken} required />
            <FormActions error={check.error} errorTitle="令牌无效" running={check.running} label="继续" />
          </ActionForm>
        ) : me.bootstrap ? (
          <BootstrapAdmins token={token.trim()} />
        ) : (
          <FirstPassword token={token.trim()} me={me} />
        )}
        <p class="muted">
          <a href={href('/')}>返回登录</a>
        </p>
      </section>
    </main>
  );
}

function BootstrapAdmins(props: { token: string }) {
  const [form, setForm] = useState({ name: '', username: '' });
  const [created, setCreated] = useState<Account[]>([]);
  const create = useAction(async () => {
    const username = form.username.trim();
    const account = await api.withToken<Account>(props.token, 'POST', '/users', { name: form.name.trim(), role: 'admin', ...(username ? { username } : {}) });
    setCreated([...created, account]);
    setForm({ name: '', username: '' });
  });
  return (
    <ActionForm onSubmit={() => create.run()}>
      <p>
        请为<strong>两位</strong>系统管理员各开设一个个人账号：此后每次开设、重置、启用账号都需要另一位管理员确认。第一位管理员用激活码设置密码后，初始化令牌立即失效。
      </p>
      {created.map((account) => (
        <ActivationOnce key={account.id} account={account} what="开设管理员账号" />
      ))}
      <TextField label="管理员姓名" wide name="name" value={form.name} onValue={(name) => setForm({ ...form, name })} required />
      <TextField label="用户名（可不填，由系统生成）" wide name="username" value={form.username} onValue={(username) => setForm({ ...form, username })} />
      <FormActions error={create.error} errorTitle="未能开设账号" running={create.running} label="开设管理员账号" />
    </ActionForm>
  );
}

function FirstPassword(props: { token: string; me: Me }) {
  const [password, setPassword] = useState(NO_NEW_PASSWORD);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const submit = useAction(async () => {
    setMismatch(passwordsDiffer(password));
    if (passwordsDiffer(password)) return;
    await api.withToken(props.token, 'PUT', '/me/password', { newPassword: password.password });
    setDone(true);
  });
  if (done) {
    return (
      <p role="status">
        密码已设置，升级前的令牌已失效。请用用户名 <code>{props.me.username}</code> 和新密码<a href={href('/')}>登录</a>。
      </p>
    );
  }
  return (
    <ActionForm onSubmit={() => submit.run()}>
      <p>
        {props.me.name}，您的用户名是 <code>{props.me.username}</code>。请设置您的密码：设置后，升级前的令牌立即失效。
      </p>
      <NewPasswordFields wide value={password} onValue={setPassword} mismatch={mismatch} />
      <FormActions error={submit.error} errorTitle="未能设置密码" notice={AuthNotice} running={submit.running} label="设置密码" />
    </ActionForm>
  );
}
