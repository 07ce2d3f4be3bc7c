import { chinaDateTime, chinaDaysRange } from '../domain/chinaTime.js';
import { validationFailed } from '../http/errors.js';
import { decodeCursor, page } from '../http/pagination.js';
import { BinaryFile, errorResponses, iso, listOf } from '../http/schemas.js';
import { renderTableXlsx } from '../http/spreadsheetWriter.js';
import type { App } from '../http/types.js';
import type { Database } from '../db/client.js';
import { listAccessLog, type AccessLogRow } from './accessLog.repository.js';
import { AccessLogEntrySchema, AccessLogFilterQuery, AccessLogQuery } from './accessLog.schemas.js';

/** More rows than this in one export: narrow the filter. */
export const MAX_EXPORTED_ROWS = 100_000;

const ACTION_NAMES_ZH: Record<string, string> = { read: '查看', search: '查询', download: '下载', export: '导出' };

type Entry = AccessLogRow & { actorName: string | null };

function present(row: Entry) {
  return {
    id: row.id,
    at: iso(row.at),
    actorId: row.actorId,
    actorName: row.actorName,
    actorRole: row.actorRole,
    action: row.action as 'read' | 'search' | 'download' | 'export',
    entityType: row.entityType,
    entityId: row.entityId,
    filter: (row.filter as Record<string, unknown> | null) ?? null,
    clientAddress: row.clientAddress,
  };
}

/** The query's filters as the repository takes them (China days as instants). */
function filterOf(query: AccessLogFilterQuery) {
  return { actorId: query.actorId, entityType: query.entityType, entityId: query.entityId, ...chinaDaysRange(query.from, query.to) };
}

export function registerAccessLogRoutes(app: App, deps: { db: Database }) {
  app.get('/api/v1/access-log', {
    config: { roles: ['auditor'] },
    schema: {
      tags: ['audit'],
      summary: 'The access log (who looked at whom), newest first',
      querystring: AccessLogQuery,
      response: { 200: listOf(AccessLogEntrySchema), ...errorResponses },
    },
    handler: async (request) => {
      const query = request.query;
      const rows = await listAccessLog(deps.db, { ...filterOf(query), beforeId: decodeCursor(query.cursor), limit: query.limit });
      const result = page(rows, query.limit);
      return { items: result.items.map(present), nextCursor: result.nextCursor };
    },
  });

  app.get('/api/v1/access-log/export.xlsx', {
    config: { roles: ['auditor'] },
    schema: { tags: ['audit'], summary: 'The access log a filter finds, newest first, as a spreadsheet', querystring: AccessLogFilterQuery, response: { 200: BinaryFile, ...errorResponses } },
    handler: async (request, reply) => {
      const rows = await listAccessLog(deps.db, { ...filterOf(request.query), limit: MAX_EXPORTED_ROWS });
      if (rows.length > MAX_EXPORTED_ROWS) throw validationFailed(`more than ${MAX_EXPORTED_ROWS.toLocaleString('en-US')} rows: narrow the filter (dates, person, entity)`);
      const bytes = await renderTableXlsx<Entry>({
        name: '访问日志',
        columns: [
          { header: '时间（北京时间）', width: 18, value: (row) => chinaDateTime(row.at) },
          { header: '人员', width: 12, value: (row) => row.actorName },
          { header: '人员编号', width: 38, value: (row) => row.actorId },
          { header: '角色', width: 14, value: (row) => row.actorRole },
          { header: '操作', width: 8, value: (row) => ACTION_NAMES_ZH[row.action] ?? row.action },
          { header: '对象类型', width: 14, value: (row) => row.entityType },
          { header: '对象编号', width: 38, value: (row) => row.entityId },
          { header: '条件', width: 50, value: (row) => (row.filter ? JSON.stringify(row.filter) : null) },
          { header: '客户端地址', width: 18, value: (row) => row.clientAddress },
        ],
        rows,
      });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="access-log.xlsx"; filename*=UTF-8''${encodeURIComponent('访问日志.xlsx')}`)
        .send(bytes);
    },
  });
}
