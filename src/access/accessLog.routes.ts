import { chinaDateTime, chinaDaysRange } from '../domain/chinaTime.js';
import { validationFailed } from '../http/errors.js';
import { decodeCursor, presentPage } from '../http/pagination.js';
import { apiRoutes, attachment, ok } from '../http/routes.js';
import { BinaryFile, iso, listOf } from '../http/schemas.js';
import { addRowsSheet, newWorkbook, workbookBytes } from '../http/spreadsheetWriter.js';
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

const EXPORT_COLUMNS = [
  { header: '时间（北京时间）', key: 'at', width: 18 },
  { header: '人员', key: 'actorName', width: 12 },
  { header: '人员编号', key: 'actorId', width: 38 },
  { header: '角色', key: 'actorRole', width: 14 },
  { header: '操作', key: 'action', width: 8 },
  { header: '对象类型', key: 'entityType', width: 14 },
  { header: '对象编号', key: 'entityId', width: 38 },
  { header: '条件', key: 'filter', width: 50 },
  { header: '客户端地址', key: 'clientAddress', width: 18 },
] as const;

export function registerAccessLogRoutes(app: App, deps: { db: Database }) {
  const route = apiRoutes(app, 'audit');

  route(
    'GET /api/v1/access-log',
    { roles: ['auditor'], summary: 'The access log (who looked at whom), newest first', querystring: AccessLogQuery, response: ok(listOf(AccessLogEntrySchema)) },
    async (request) => {
      const query = request.query;
      const rows = await listAccessLog(deps.db, { ...filterOf(query), beforeId: decodeCursor(query.cursor), limit: query.limit });
      return presentPage(rows, query.limit, present);
    },
  );

  route(
    'GET /api/v1/access-log/export.xlsx',
    { roles: ['auditor'], summary: 'The access log a filter finds, newest first, as a spreadsheet', querystring: AccessLogFilterQuery, response: ok(BinaryFile) },
    async (request, reply) => {
      const rows = await listAccessLog(deps.db, { ...filterOf(request.query), limit: MAX_EXPORTED_ROWS });
      if (rows.length > MAX_EXPORTED_ROWS) throw validationFailed(`more than ${MAX_EXPORTED_ROWS.toLocaleString('en-US')} rows: narrow the filter (dates, person, entity)`);
      const workbook = newWorkbook();
      addRowsSheet(
        workbook,
        '访问日志',
        EXPORT_COLUMNS,
        rows.map((row) => ({
          ...row,
          at: chinaDateTime(row.at),
          action: ACTION_NAMES_ZH[row.action] ?? row.action,
          filter: row.filter ? JSON.stringify(row.filter) : null,
        })),
      );
      return attachment(reply, await workbookBytes(workbook), 'access-log.xlsx', '访问日志.xlsx');
    },
  );
}
