import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useAction } from '../kit/data.js';
import { ActionForm, FormActions, TextField } from '../kit/form.js';
import { AuthNotice, NewPasswordFields, NO_NEW_PASSWORD, passwordsDiffer } from '../parts/account.js';
import { href } from '../router.js';

/** A first visit: the activation code an admin handed over sets the owner's own password. */
export function ActivatePage(props: { onDone(username: string): void }) {
  const [form, setForm] = useState({ username: '', activationCode: '' });
  const [password, setPassword] = useState(NO_NEW_PASSWORD);
  const [mismatch, setMismatch] = useState(false);
  const activate = useAction(async () => {
    setMismatch(passwordsDiffer(password));
    if (passwordsDiffer(password)) return;
    const username = form.username.trim();
    await api.post('/auth/activate', { username, activationCode: form.activationCode.trim(), password: password.password });
    props.onDone(username.toLowerCase());
  });

  return (
    <main class="sign-in">
      <ActionForm onSubmit={() => activate.run()}>
        <h1>首次登录：设置密码</h1>
        <p class="muted">请输入管理员当面交给您的用户名和激活码（12 位，72 小时内有效，只能使用一次），然后设置只有您自己知道的密码。</p>
        <TextField label="用户名" wide name="username" autocomplete="username" value={form.username} onValue={(username) => setForm({ ...form, username })} required />
        <TextField label="激活码" wide name="activationCode" autocomplete="off" value={form.activationCode} onValue={(activationCode) => setForm({ ...form, activationCode })} required />
        <NewPasswordFields wide value={password} onValue={setPassword} mismatch={mismatch} />
        <FormActions error={activate.error} errorTitle="未能设置密码" notice={AuthNotice} running={activate.running} label={activate.running ? '正在设置…' : '设置密码'} />
        <p class="muted">
          <a href={href('/')}>返回登录</a>
        </p>
      </ActionForm>
    </main>
  );
}
