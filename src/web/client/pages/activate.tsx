import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { PASSWORD_RULES_TEXT } from '../authWords.js';
import { href } from '../router.js';
import { AuthNotice } from './signIn.js';

/** A first visit: the activation code an admin handed over sets the owner's own password. */
export function ActivatePage(props: { onDone(username: string): void }) {
  const [form, setForm] = useState({ username: '', activationCode: '', password: '', again: '' });
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setMismatch(form.password !== form.again);
    if (form.password !== form.again) return;
    setBusy(true);
    try {
      await api.post('/auth/activate', { username: form.username.trim(), activationCode: form.activationCode.trim(), password: form.password });
      props.onDone(form.username.trim().toLowerCase());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form onSubmit={submit}>
        <h1>首次登录：设置密码</h1>
        <p class="muted">请输入管理员当面交给您的用户名和激活码（12 位，72 小时内有效，只能使用一次），然后设置只有您自己知道的密码。</p>
        {error ? <AuthNotice error={error} title="未能设置密码" /> : null}
        {mismatch ? (
          <p class="error" role="alert">
            两次输入的密码不一致，请重新输入。
          </p>
        ) : null}
        <label class="field wide">
          <span class="field-label">用户名</span>
          <input name="username" autocomplete="username" value={form.username} onInput={(event) => update({ username: event.currentTarget.value })} required />
        </label>
        <label class="field wide">
          <span class="field-label">激活码</span>
          <input name="activationCode" autocomplete="off" value={form.activationCode} onInput={(event) => update({ activationCode: event.currentTarget.value })} required />
        </label>
        <p class="hint">密码要求：{PASSWORD_RULES_TEXT}</p>
        <label class="field wide">
          <span class="field-label">新密码</span>
          <input type="password" name="password" autocomplete="new-password" value={form.password} onInput={(event) => update({ password: event.currentTarget.value })} required />
        </label>
        <label class="field wide">
          <span class="field-label">再次输入新密码</span>
          <input type="password" name="again" autocomplete="new-password" value={form.again} onInput={(event) => update({ again: event.currentTarget.value })} required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? '正在设置…' : '设置密码'}
        </button>
        <p class="muted">
          <a href={href('/')}>返回登录</a>
        </p>
      </form>
    </main>
  );
}
