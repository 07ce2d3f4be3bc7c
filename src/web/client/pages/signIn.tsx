import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { SessionAnswer } from '../accountTypes.js';
import { authProblem } from '../authWords.js';
import { href } from '../router.js';

/** A refusal of sign-in, activation or a password change, in plain Chinese. */
export function AuthNotice(props: { error: unknown; title?: string }) {
  if (!props.error) return null;
  const problem = authProblem(props.error);
  return (
    <div class="error" role="alert">
      <p>
        {props.title ? <strong>{props.title}：</strong> : null}
        {problem.message}
      </p>
      {problem.items.length ? (
        <ul>
          {problem.items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Sign-in with username, password and, where the account has one, the code of the second factor. */
export function SignInPage(props: { onSignIn(answer: SessionAnswer): void; notice: ComponentChildren }) {
  const [form, setForm] = useState({ username: '', password: '', otp: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<SessionAnswer>('/auth/sign-in', { username: form.username.trim(), password: form.password, ...(form.otp.trim() ? { otp: form.otp.trim() } : {}) });
      props.onSignIn(answer);
    } catch (caught) {
      setError(caught);
      update({ password: '', otp: '' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form onSubmit={submit}>
        <h1>残疾儿童康复救助结算</h1>
        <p class="muted">请用本人的账号登录。账号和密码只属于您本人，请勿告诉他人；系统管理员也看不到您的密码。</p>
        {error ? <AuthNotice error={error} title="登录未成功" /> : props.notice}
        <label class="field wide">
          <span class="field-label">用户名</span>
          <input name="username" autocomplete="username" value={form.username} onInput={(event) => update({ username: event.currentTarget.value })} autofocus required />
        </label>
        <label class="field wide">
          <span class="field-label">密码</span>
          <input type="password" name="password" autocomplete="current-password" value={form.password} onInput={(event) => update({ password: event.currentTarget.value })} required />
        </label>
        <label class="field wide">
          <span class="field-label">动态验证码</span>
          <input name="otp" inputMode="numeric" autocomplete="one-time-code" value={form.otp} onInput={(event) => update({ otp: event.currentTarget.value })} />
          <span class="hint">已开启手机验证器的账号填写 6 位数字（或一个恢复码）；尚未开启的可不填。</span>
        </label>
        <button type="submit" disabled={busy || !form.username.trim() || !form.password}>
          {busy ? '正在登录…' : '登录'}
        </button>
        <p class="muted">
          第一次使用？请用管理员当面交给您的激活码<a href={href('/activate')}>设置密码</a>。
          <br />
          系统首次安装或升级：<a href={href('/setup')}>初始化与升级</a>（仅限系统管理员）。
        </p>
      </form>
    </main>
  );
}
