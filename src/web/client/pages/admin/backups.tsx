import { api } from '../../api.js';
import { formatTimestamp } from '../../format.js';
import { useAsync } from '../../kit/data.js';
import { DownloadButton } from '../../kit/download.js';
import { ErrorNotice, Loading } from '../../kit/notices.js';
import type { PageProps } from '../../types.js';
import { formatBytes } from '../../parts/evidence.js';

// Backups (备份): the newest automatic backup the service took, how many it keeps, and a backup to
// download now; on PostgreSQL the server's own backups (pg_dump) do this work.

interface BackupsOverview {
  embedded: boolean;
  keep: number;
  lastAutomatic: { file: string; takenAt: string; bytes: number | null } | null;
  attachments: { count: number; bytes: number };
}

export function BackupsPage(_props: PageProps) {
  const overview = useAsync(() => api.get<BackupsOverview>('/admin/backups'), []);
  const data = overview.data;
  return (
    <section>
      <h1>备份</h1>
      <Loading when={overview.loading} />
      <ErrorNotice error={overview.error} />
      {data && !data.embedded ? (
        <p class="warning">本服务使用 PostgreSQL 数据库：请用 pg_dump 或数据库服务器自身的备份功能备份，本页不能下载。</p>
      ) : null}
      {data?.embedded ? (
        <>
          <dl class="facts" data-testid="backup-facts">
            <dt>最近一次自动备份</dt>
            <dd>{data.lastAutomatic ? `${formatTimestamp(data.lastAutomatic.takenAt)}（${data.lastAutomatic.file}${data.lastAutomatic.bytes === null ? '' : `，${formatBytes(data.lastAutomatic.bytes)}`}）` : '尚无自动备份'}</dd>
            <dt>自动备份</dt>
            <dd>每天凌晨 2:00（北京时间）一次，保留最近 {data.keep} 份</dd>
            <dt>其中佐证材料</dt>
            <dd>
              {data.attachments.count} 个文件，{formatBytes(data.attachments.bytes)}（随数据库一并备份）
            </dd>
          </dl>
          <p class="actions">
            <DownloadButton path="/admin/backup" fallbackName="rehab-backup.tar.gz">
              立即下载一份备份
            </DownloadButton>
          </p>
          <p class="muted">备份文件含儿童和家庭的个人信息，请存放在加密的介质上。恢复时先停止服务，再运行 npm run restore。</p>
        </>
      ) : null}
    </section>
  );
}
