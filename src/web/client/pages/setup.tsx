import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Account, Me } from '../accountTypes.js';
import { PASSWORD_RULES_TEXT } from '../authWords.js';
import { href } from '../router.js';
import { ErrorNotice } from '../ui.js';
import { AuthNotice } from './signIn.js';

/**
 * The one page that takes a token, once: the bootstrap admin's (BOOTSTRAP_ADMIN_TOKEN), to open the
 * first personal admin accounts, or an admin's token from before the upgrade, to set that admin's
 * first password. The token stays in this page's memory and is never stored; nobody signs in with it.
 */
export function SetupPage() {
  const [token, setToken] = useState('');
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);

  const check = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      setMe(await api.withToken<Me>(token.trim(), 'GET', '/me'));
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <main class="sign-in">
      <section class="setup">
        <h1>初始化与升级</h1>
        {!me ? (
          <form onSubmit={check}>
            <p class="muted">
              仅用于两种情况：系统首次安装时，用初始化令牌（BOOTSTRAP_ADMIN_TOKEN）开设管理员账号；系统升级后，管理员用升级前的令牌设置自己的第一个密码。日常登录请使用用户名和密码。
            </p>
            {error ? <ErrorNotice error={error} title="令牌无效" /> : null}
            <label class="field wide">
              <span class="field-label">初始化令牌或升级前的令牌</span>
              <input type="password" name="token" autocomplete="off" value={token} onInput={(event) => setToken(event.currentTarget.value)} required />
            </label>
            <button type="submit">继续</button>
          </form>
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
  const [name, setName] = useState('');
  const [username, setUsername] = useState('');
  const [created, setCreated] = useState<Account[]>([]);
  const [error, setError] = useState<unknown>(null);
  const create = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const account = await api.withToken<Account>(props.token, 'POST', '/users', { name: name.trim(), role: 'admin', ...(username.trim() ? { username: username.trim() } : {}) });
      setCreated([...created, account]);
      setName('');
      setUsername('');
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form onSubmit={create}>
      <p>
        请为<strong>两位</strong>系统管理员各开设一个个人账号：此后每次开设、重置、启用账号都需要另一位管理员确认。第一位管理员用激活码设置密码后，初始化令牌立即失效。
      </p>
      {created.map((account) => (
        <div class="token-once" role="status" data-testid="activation-code" key={account.id}>
          <p>
            已开设 <strong>{account.name}</strong> 的管理员账号。请当面交给本人：
          </p>
          <p>
            用户名 <code>{account.username}</code> 激活码 <code class="activation-code">{account.activationCode}</code>
          </p>
          <p class="hint">激活码只显示这一次，72 小时内有效。</p>
        </div>
      ))}
      <ErrorNotice error={error} title="未能开设账号" />
      <label class="field wide">
        <span class="field-label">管理员姓名</span>
        <input name="name" value={name} onInput={(event) => setName(event.currentTarget.value)} required />
      </label>
      <label class="field wide">
        <span class="field-label">用户名（可不填，由系统生成）</span>
        <input name="username" value={username} onInput={(event) => setUsername(event.currentTarget.value)} />
      </label>
      <button type="submit">开设管理员账号</button>
    </form>
  );
}

function FirstPassword(props: { token: string; me: Me }) {
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await api.withToken(props.token, 'PUT', '/me/password', { newPassword: password });
      setDone(true);
    } catch (caught) {
      setError(caught);
    }
  };
  if (done) {
    return (
      <p role="status">
        密码已设置，升级前的令牌已失效。请用用户名 <code>{props.me.username}</code> 和新密码<a href={href('/')}>登录</a>。
      </p>
    );
  }
  return (
    <form onSubmit={submit}>
      <p>
        {props.me.name}，您的用户名是 <code>{props.me.username}</code>。请设置您的密码：设置后，升级前的令牌立即失效。
      </p>
      {error ? <AuthNotice error={error} title="未能设置密码" /> : null}
      <p class="hint">密码要求：{PASSWORD_RULES_TEXT}</p>
      <label class="field wide">
        <span class="field-label">新密码</span>
        <input type="password" name="password" autocomplete="new-password" value={password} onInput={(event) => setPassword(event.currentTarget.value)} required />
      </label>
      <button type="submit">设置密码</button>
    </form>
  );
}
