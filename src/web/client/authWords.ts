import { ApiError } from './api.js';
import { formatTimestamp } from './format.js';

// Sign-in, lockout, expiry and the password policy in plain Chinese.

export const PASSWORD_RULES_TEXT = '至少 10 个字符，包含小写字母、大写字母、数字、其他符号中的至少三类；不能包含用户名，不能是最近用过的 5 个密码，也不能是常见的弱密码。';

const PASSWORD_RULE_NAMES: Record<string, string> = {
  MIN_LENGTH: '太短：至少需要 10 个字符',
  CHARACTER_CLASSES: '字符种类不够：小写字母、大写字母、数字、其他符号中至少要有三类',
  CONTAINS_USERNAME: '不能包含您的用户名',
  COMMON_PASSWORD: '这是常见的弱密码，很容易被猜到',
  RECENTLY_USED: '不能与最近用过的 5 个密码相同',
};

/** Why a session ended, as the service said (401 details), for the sign-in page. */
export const SESSION_END_MESSAGES: Record<string, string> = {
  SESSION_IDLE: '您长时间没有操作，为保护儿童和家庭信息，系统已自动退出。请重新登录。',
  SESSION_EXPIRED: '本次登录已达到最长时限，请重新登录。',
  SESSION_ENDED: '本次登录已结束（已退出、在其他地方被结束，或账号被停用、重置）。请重新登录。',
  TOKEN_REVOKED: '该账号已被停用或重置，本次登录已失效。如有疑问，请联系系统管理员。',
  SIGNED_OUT_ELSEWHERE: '您已在另一个标签页退出登录。',
  IDLE_HERE: '您长时间没有操作，为保护儿童和家庭信息，系统已自动退出。请重新登录。',
};

/** An error of sign-in, activation or a password change in words, with what to do now. */
export function authProblem(error: unknown): { message: string; items: string[] } {
  if (!(error instanceof ApiError)) return { message: '操作未成功，请稍后再试。', items: [] };
  const details = (error.details ?? []) as { lockedUntil?: string; retryAfterSeconds?: number; rule?: string }[];
  switch (error.code) {
    case 'UNAUTHENTICATED':
      if ((details as { reason?: string }[])[0]?.reason === 'ACCOUNT_DISABLED') return { message: '该账号已被停用，不能登录。如需恢复，请联系本单位的系统管理员启用。', items: [] };
      return { message: '用户名、密码或验证码不正确。连续输错 5 次，该账号将在这台电脑上被锁定 15 分钟。', items: [] };
    case 'ACCOUNT_LOCKED': {
      const until = details[0]?.lockedUntil;
      return { message: `登录失败次数过多，该账号在这台电脑上已被锁定${until ? `，请在 ${formatTimestamp(until)} 之后再试` : ''}。在其他电脑上不受影响；如需提前解锁，请联系系统管理员。`, items: [] };
    }
    case 'RATE_LIMITED': {
      const seconds = details[0]?.retryAfterSeconds;
      return { message: `这台电脑（或所在网络）登录失败的次数过多，请${seconds ? ` ${seconds} 秒后` : '稍后'}再试。`, items: [] };
    }
    case 'OTP_REQUIRED':
      return { message: '该账号已开启动态验证码：请打开手机上的验证器，输入显示的 6 位数字（或一个恢复码）。', items: [] };
    case 'WEAK_PASSWORD':
      return { message: '新密码不符合要求：', items: details.map((detail) => PASSWORD_RULE_NAMES[detail.rule ?? ''] ?? String(detail.rule)) };
    case 'VALIDATION_FAILED':
      return { message: '填写的内容有误：请检查当前密码或验证码。', items: [] };
    case 'NETWORK':
      return { message: '无法连接到服务器，请检查网络后重试。', items: [] };
    default:
      return { message: '操作未成功，请稍后再试。', items: [] };
  }
}
