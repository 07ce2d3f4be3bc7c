import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { SessionAnswer } from '../accountTypes.js';
import { useAction } from '../kit/data.js';
import { ActionForm, FormActions, TextField } from '../kit/form.js';
import { AuthNotice } from '../parts/account.js';
import { href } from '../router.js';

/** Sign-in with username, password and, where the account has one, the code of the second factor. */
export function SignInPage(props: { onSignIn(answer: SessionAnswer): void; notice: ComponentChildren }) {
  const [form, setForm] = useState({ username: '', password: '', otp: '' });
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const signIn = useAction(async () => {
    const otp = form.otp.trim();
    try {
      props.onSignIn(await api.post<SessionAnswer>('/auth/sign-in', { username: form.username.trim(), password: form.password, ...(otp ? { otp } : {}) }));
    } catch (caught) {
      update({ password: '', otp: '' });
      throw caught;
    }
  });

  return (
    <main class="sign-in">
      <ActionForm onSubmit={() => signIn.run()}>
        <h1>残疾儿童康复救助结算</h1>
        <p class="muted">请用本人的账号登录。账号和密码只属于您本人，请勿告诉他人；系统管理员也看不到您的密码。</p>
        {/* Why the last session ended, until this attempt says something else. */}
        {signIn.error ? null : props.notice}
        <TextField label="用户名" wide name="username" autocomplete="username" value={form.username} onValue={(username) => update({ username })} autofocus required />
        <TextField label="密码" wide type="password" name="password" autocomplete="current-password" value={form.password} onValue={(password) => update({ password })} required />
        <TextField
          label="动态验证码"
          wide
          name="otp"
          inputMode="numeric"
          autocomplete="one-time-code"
          value={form.otp}
          onValue={(otp) => update({ otp })}
          hint="已开启手机验证器的账号填写 6 位数字（或一个恢复码）；尚未开启的可不填。"
        />
        <FormActions
          error={signIn.error}
          errorTitle="登录未成功"
          notice={AuthNotice}
          running={signIn.running}
          disabled={!form.username.trim() || !form.password}
          label={signIn.running ? '正在登录…' : '登录'}
        />
        <p class="muted">
          第一次使用？请用管理员当面交给您的激活码<a href={href('/activate')}>设置密码</a>。
          <br />
          系统首次安装或升级：<a href={href('/setup')}>初始化与升级</a>（仅限系统管理员）。
        </p>
      </ActionForm>
    </main>
  );
}
