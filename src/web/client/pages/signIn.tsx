import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorNotice } from '../kit/notices.js';

export function SignInPage(props: { onSignIn(token: string): Promise<void>; notice: ComponentChildren }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!token.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSignIn(token.trim());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form onSubmit={submit}>
        <h1>残疾儿童康复救助结算</h1>
        <p class="muted">请输入系统管理员发给您的登录令牌。令牌只保存在本浏览器标签页中，关闭标签页即退出。</p>
        {error ? <ErrorNotice error={error} title="登录未成功" /> : props.notice}
        <label class="field wide">
          <span class="field-label">登录令牌</span>
          <input type="password" name="token" autocomplete="off" value={token} onInput={(event) => setToken(event.currentTarget.value)} autofocus />
        </label>
        <button type="submit" disabled={busy || !token.trim()}>
          {busy ? '正在登录…' : '登录'}
        </button>
      </form>
    </main>
  );
}
