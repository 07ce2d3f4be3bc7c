import type { Account } from '../accountTypes.js';
import { authProblem, PASSWORD_RULES_TEXT } from '../authWords.js';
import { formatTimestamp } from '../format.js';
import { TextField } from '../kit/form.js';
import { label, ROLE_NAMES } from '../words.js';

// What the pages of sign-in and accounts share (security.md §1): a refusal in plain Chinese, an
// activation code shown once, and a new password typed twice under the policy's rules.

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

/** An activation code shown once, to hand over in person; never a password or a token. */
export function ActivationOnce(props: { account: Account; what: string; onHide?(): void }) {
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
      {props.onHide ? (
        <button type="button" class="link" onClick={props.onHide}>
          已交付，隐藏激活码
        </button>
      ) : null}
    </div>
  );
}

export interface NewPassword {
  password: string;
  again: string;
}

export const NO_NEW_PASSWORD: NewPassword = { password: '', again: '' };

/** Whether the two typings of a new password differ (said under the second field). */
export const passwordsDiffer = (value: NewPassword) => value.password !== value.again;

/** The policy's rules, then the new password and its second typing; `mismatch` is said under the second. */
export function NewPasswordFields(props: { value: NewPassword; onValue(value: NewPassword): void; mismatch: boolean; wide?: boolean }) {
  const { value } = props;
  return (
    <>
      <p class="hint">密码要求：{PASSWORD_RULES_TEXT}</p>
      <TextField
        label="新密码"
        wide={props.wide}
        type="password"
        name="newPassword"
        autocomplete="new-password"
        value={value.password}
        onValue={(password) => props.onValue({ ...value, password })}
        required
      />
      <TextField
        label="再次输入新密码"
        wide={props.wide}
        type="password"
        name="again"
        autocomplete="new-password"
        value={value.again}
        onValue={(again) => props.onValue({ ...value, again })}
        error={props.mismatch ? '两次输入的新密码不一致，请重新输入。' : null}
        required
      />
    </>
  );
}
