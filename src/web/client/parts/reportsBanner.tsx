import { useEffect } from 'preact/hooks';
import { api } from '../api.js';
import { useAsync } from '../kit/data.js';
import { href } from '../router.js';
import type { ReportCounts } from '../visitTypes.js';

// An open mandatory report past the region's hours is flagged on every civil affairs screen, not
// only the dashboard (protection.md §9): the layout asks for the counts on each page it shows.

/** How often an officer who stays on one screen is told anew: a report passes its hours while nobody clicks. */
const RECOUNT_EVERY_MS = 60_000;

export function OverdueReportsBanner(props: { path: string }) {
  const counts = useAsync(() => api.get<ReportCounts>('/protection/reports/counts'), [props.path]);
  useEffect(() => {
    const timer = setInterval(() => counts.reload(), RECOUNT_EVERY_MS);
    return () => clearInterval(timer);
  }, [props.path]);
  const overdue = counts.data?.overdue ?? 0;
  if (overdue === 0) return null;
  return (
    <p class="alarm-banner" role="alert" data-testid="overdue-reports">
      有 {overdue} 份强制报告超时未确认处理。
      <a href={href('/protection/reports', { status: 'open', overdue: 'true' })}>立即处理</a>
    </p>
  );
}
