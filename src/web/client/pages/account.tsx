import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Me, SessionItem, TokenItem } from '../accountTypes.js';
import { formatDate, formatTimestamp } from '../format.js';
import { useAction, useAsync } from '../kit/data.js';
import { ActionForm, FormActions, TextField } from '../kit/form.js';
import { ListStatus, Table } from '../kit/list.js';
import { ErrorNotice, Success } from '../kit/notices.js';
import { AuthNotice, NewPasswordFields, NO_NEW_PASSWORD, passwordsDiffer } from '../parts/account.js';

// One's own account (security.md §1): the password, the second factor, the sessions and, for an
// institution, the API tokens of its own system.

export function ChangePasswordForm(props: { me: Me; onChanged(me: Me): void; intro?: string }) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [password, setPassword] = useState(NO_NEW_PASSWORD);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const change = useAction(async () => {
    setDone(false);
    setMismatch(passwordsDiffer(password));
    if (passwordsDiffer(password)) return;
    const me = await api.put<Me>('/me/password', { currentPassword, newPassword: password.password });
    setCurrentPassword('');
    setPassword(NO_NEW_PASSWORD);
    setDone(true);
    props.onChanged(me);
  });
  return (
    <ActionForm onSubmit={() => change.run()}>
      {props.intro ? <p>{props.intro}</p> : null}
      {done ? <Success>密码已修改。您在其他电脑或浏览器上的登录已全部结束。</Success> : null}
      <TextField label="当前密码" type="password" name="currentPassword" autocomplete="current-password" value={currentPassword} onValue={setCurrentPassword} required />
      <NewPasswordFields value={password} onValue={setPassword} mismatch={mismatch} />
      <FormActions error={change.error} errorTitle="未能修改密码" notice={AuthNotice} running={change.running} label="修改密码" />
    </ActionForm>
  );
}

/** Setting up the second factor: the QR code, a code to confirm, then the recovery codes once. */
export function SecondFactorPanel(props: { me: Me; onChanged(): void }) {
  const [setup, setSetup] = useState<{ secret: string; otpauthUri: string; qrCodeSvg: string } | null>(null);
  const [otp, setOtp] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const start = useAction(async () => setSetup(await api.post('/me/totp', {})));
  const confirm = useAction(async () => {
    const answer = await api.post<{ recoveryCodes: string[] }>('/me/totp/confirm', { otp: otp.trim() });
    setRecoveryCodes(answer.recoveryCodes);
    setSetup(null);
    setOtp('');
  });
  const turnOff = useAction(async () => {
    await api.delete('/me/totp', { otp: otp.trim() });
    setOtp('');
    props.onChanged();
  });

  if (recoveryCodes) {
    return (
      <div class="token-once" role="status" data-testid="recovery-codes">
        <p>
          动态验证码已开启。下面是 10 个<strong>恢复码</strong>，<strong>只显示这一次</strong>：手机丢失时，每个恢复码可代替验证码登录一次。请抄写或打印后妥善保管，不要存在这台电脑上。
        </p>
        <ol class="recovery-codes">
          {recoveryCodes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ol>
        <button type="button" onClick={() => (setRecoveryCodes(null), props.onChanged())}>
          我已妥善保存恢复码
        </button>
      </div>
    );
  }
  if (props.me.secondFactor.enabled) {
    return (
      <div>
        <p>动态验证码：已开启。登录时需输入手机验证器上的 6 位数字。</p>
        {props.me.secondFactor.required ? (
          <p class="muted">本单位要求您的角色必须使用动态验证码，不能关闭。</p>
        ) : (
          <ActionForm onSubmit={() => turnOff.run()}>
            <TextField label="当前验证码（关闭前确认）" name="otp" inputMode="numeric" value={otp} onValue={setOtp} required />
            <FormActions error={turnOff.error} errorTitle="未能关闭" running={turnOff.running} label="关闭动态验证码" />
          </ActionForm>
        )}
      </div>
    );
  }
  if (!setup) {
    return (
      <div>
        <p>动态验证码：未开启。{props.me.secondFactor.required ? '本单位要求开启后才能使用系统。' : '开启后，即使密码泄露，他人也无法登录。'}</p>
        <ErrorNotice error={start.error} title="未能开始设置" />
        <button type="button" onClick={() => start.run()} disabled={start.running}>
          开启动态验证码
        </button>
      </div>
    );
  }
  return (
    <ActionForm onSubmit={() => confirm.run()}>
      <p>1. 在手机上打开验证器应用（如“腾讯身份验证器”、Google Authenticator、Microsoft Authenticator），扫描下面的二维码：</p>
      <img class="qr-code" data-testid="totp-qr" alt="动态验证码二维码" width={200} height={200} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrCodeSvg)}`} />
      <p class="muted">
        无法扫描时，可在应用中手工输入密钥：<code data-testid="totp-secret">{setup.secret}</code>
      </p>
      <p>2. 输入应用上显示的 6 位数字：</p>
      <TextField
        label="验证码"
        name="otp"
        inputMode="numeric"
        autocomplete="one-time-code"
        value={otp}
        onValue={setOtp}
        error={confirm.error ? '验证码不正确：请确认手机时间准确，并输入当前显示的数字。' : null}
        required
      />
      <div class="actions">
        <button type="submit" disabled={confirm.running}>
          确认开启
        </button>
      </div>
    </ActionForm>
  );
}

function Sessions() {
  const sessions = useAsync(() => api.get<{ items: SessionItem[] }>('/me/sessions'), []);
  const end = useAction(async (id: string) => {
    await api.delete(`/me/sessions/${id}`);
    sessions.reload();
  });
  const items = sessions.data?.items ?? [];
  return (
    <div>
      <ListStatus list={{ ...sessions, items }} empty="没有进行中的登录。" />
      <ErrorNotice error={end.error} title="未能结束登录" />
      <Table
        rows={items}
        rowTestId="session-row"
        columns={[
          { title: '登录时间', cell: (session) => formatTimestamp(session.createdAt) },
          { title: '最近使用', cell: (session) => formatTimestamp(session.lastSeenAt) },
          { title: '地址', cell: (session) => session.clientAddress },
          { title: '浏览器', cell: (session) => <span class="muted">{(session.userAgent ?? '').slice(0, 60)}</span> },
          {
            cell: (session) =>
              session.current ? (
                '本次登录'
              ) : (
                <button type="button" class="link" onClick={() => end.run(session.id)}>
                  结束此登录
                </button>
              ),
          },
        ]}
      />
    </div>
  );
}

function Tokens() {
  const tokens = useAsync(() => api.get<{ items: TokenItem[] }>('/me/tokens'), []);
  const [form, setForm] = useState({ name: '', expiresOn: '' });
  const [made, setMade] = useState<{ name: string; token: string; expiresOn: string } | null>(null);
  const create = useAction(async () => {
    setMade(await api.post('/me/tokens', { name: form.name.trim(), ...(form.expiresOn ? { expiresOn: form.expiresOn } : {}) }));
    setForm({ name: '', expiresOn: '' });
    tokens.reload();
  });
  const revoke = useAction(async (id: string) => {
    await api.delete(`/me/tokens/${id}`);
    tokens.reload();
  });
  const items = tokens.data?.items ?? [];
  return (
    <div>
      <p class="muted">API 令牌供本机构自己的信息系统向本系统报送申报数据使用，最长 366 天（默认 90 天）。令牌只在生成时显示一次，请直接填入对方系统，不要发给他人。</p>
      {made ? (
        <div class="token-once" role="status" data-testid="new-api-token">
          <p>
            已生成令牌「{made.name}」，有效至 {formatDate(made.expiresOn)}。<strong>只显示这一次</strong>：
          </p>
          <code class="token">{made.token}</code>
          <button type="button" class="link" onClick={() => setMade(null)}>
            已填入对方系统，隐藏令牌
          </button>
        </div>
      ) : null}
      <ActionForm onSubmit={() => create.run()}>
        <TextField label="令牌名称（用途）" name="tokenName" value={form.name} onValue={(name) => setForm({ ...form, name })} required />
        <TextField label="有效至（可不填，默认 90 天）" type="date" name="expiresOn" value={form.expiresOn} onValue={(expiresOn) => setForm({ ...form, expiresOn })} />
        <FormActions error={create.error} errorTitle="未能生成令牌" running={create.running} label="生成 API 令牌" />
      </ActionForm>
      <ListStatus list={{ ...tokens, items }} empty="还没有 API 令牌。" />
      <ErrorNotice error={revoke.error} title="未能撤销" />
      <Table
        rows={items}
        rowTestId="token-row"
        columns={[
          { title: '名称', cell: (token) => token.name },
          { title: '生成时间', cell: (token) => formatTimestamp(token.createdAt) },
          { title: '有效至', cell: (token) => (token.expiresOn ? formatDate(token.expiresOn) : '—') },
          { title: '最近使用', cell: (token) => (token.lastUsedAt ? formatTimestamp(token.lastUsedAt) : '—') },
          { title: '状态', cell: (token) => (token.revokedAt ? `已撤销（${formatTimestamp(token.revokedAt)}）` : '有效') },
          {
            cell: (token) =>
              token.revokedAt ? null : (
                <button type="button" class="link" onClick={() => revoke.run(token.id)}>
                  撤销
                </button>
              ),
          },
        ]}
      />
    </div>
  );
}

/** 我的账号: one's own password, second factor, sessions and (institution) API tokens. */
export function AccountPage(props: { me: Me; onChanged(me?: Me): void }) {
  const { me } = props;
  return (
    <section>
      <h1>我的账号</h1>
      <p>
        {me.name}，用户名 <code>{me.username}</code>
        {me.passwordExpiresOn ? `；密码有效至 ${formatDate(me.passwordExpiresOn)}，到期后登录时需要修改` : ''}。
      </p>
      <h2>修改密码</h2>
      <ChangePasswordForm me={me} onChanged={(changed) => props.onChanged(changed)} />
      <h2>动态验证码</h2>
      <SecondFactorPanel me={me} onChanged={() => props.onChanged()} />
      <h2>登录设备</h2>
      <Sessions />
      {me.role === 'institution' ? (
        <>
          <h2>API 令牌</h2>
          <Tokens />
        </>
      ) : null}
    </section>
  );
}
