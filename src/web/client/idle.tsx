import { useEffect, useState } from 'preact/hooks';
import { api, session } from './api.js';

// The idle timeout as the person sees it: two minutes before the service would end the session for
// want of a request, a warning with a button to stay; when it passes, the console signs out. The
// service keeps the real limit (a request after it answers 401); this only says it in time.

const WARN_BEFORE_MS = 2 * 60_000;

export function IdleWatch(props: { idleTimeoutSeconds: number; onIdle(): void }) {
  const [leftMs, setLeftMs] = useState<number | null>(null);
  useEffect(() => {
    const timer = window.setInterval(() => {
      const left = session.lastRequestAt + props.idleTimeoutSeconds * 1000 - Date.now();
      if (left <= 0) {
        window.clearInterval(timer);
        props.onIdle();
      } else setLeftMs(left <= WARN_BEFORE_MS ? left : null);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [props.idleTimeoutSeconds]);
  if (leftMs === null) return null;
  const seconds = Math.ceil(leftMs / 1000);
  return (
    <div class="idle-warning" role="alertdialog" aria-label="即将自动退出" data-testid="idle-warning">
      <p>
        您已经有一段时间没有操作。为保护儿童和家庭信息，系统将在 <strong>{Math.floor(seconds / 60) > 0 ? `${Math.floor(seconds / 60)} 分 ` : ''}{seconds % 60} 秒</strong>后自动退出登录。
      </p>
      <button type="button" onClick={() => void api.get('/me').then(() => setLeftMs(null), () => undefined)}>
        继续使用
      </button>
      <button type="button" class="secondary" onClick={() => props.onIdle()}>
        现在退出
      </button>
    </div>
  );
}
