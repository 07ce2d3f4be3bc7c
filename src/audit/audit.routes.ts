import { z } from 'zod';
import type { Database } from '../db/client.js';
import { chinaDateTime, chinaDaysRange } from '../domain/chinaTime.js';
import { forbidden, validationFailed } from '../http/errors.js';
import { BinaryFile, DateString, Id, iso, listOf, RegionCode, Timestamp } from '../http/schemas.js';
import { decodeCursor, presentPage } from '../http/pagination.js';
import { apiRoutes, attachment, ok } from '../http/routes.js';
import { addRowsSheet, newWorkbook, workbookBytes } from '../http/spreadsheetWriter.js';
import { contextOf, type App } from '../http/types.js';
import type { Actor } from '../http/context.js';
import type { ServiceKeyring } from '../keys/serviceKeys.js';
import { listAudit } from './audit.repository.js';
import { auditReadScope, type AuditReadScope } from './auditReadRules.js';
import { verifyAuditTrail } from './auditVerify.js';

const AuditEventSchema = z.object({
  id: Id,
  at: Timestamp,
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  regionCode: z.string().nullable().meta({ description: 'The region of the entity; null for system entities' }),
  data: z.record(z.string(), z.unknown()),
});

const AuditFilterQuery = z.object({
  entityType: z.string().max(50).optional(),
  entityId: Id.optional(),
  action: z.string().max(50).optional(),
  actorId: Id.optional(),
  regionCode: RegionCode.optional(),
  from: DateString.optional().meta({ description: 'From this China date, its whole day' }),
  to: DateString.optional().meta({ description: 'Through this China date, its whole day' }),
});
type AuditFilterQuery = z.infer<typeof AuditFilterQuery>;

const AuditQuery = AuditFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

const VerificationSchema = z.object({
  ok: z.boolean(),
  sealed: z.number().int().meta({ description: 'Seals checked, from the first' }),
  pending: z.number().int().meta({ description: 'Rows written since the sealer’s last run (sealed within a minute)' }),
  problem: z
    .object({
      kind: z.enum(['changed', 'removed', 'out_of_order', 'seal_missing', 'unknown_key']),
      auditId: z.string().nullable(),
      seq: z.number().int().nullable(),
      message: z.string(),
    })
    .nullable(),
});

/** More rows than this in one export: narrow the filter. */
const MAX_EXPORTED_EVENTS = 100_000;

/** The reader's part of the trail; asking for an entity type outside it is refused (403). */
function scopeFor(actor: Actor, entityType: string | undefined): AuditReadScope {
  const scope = auditReadScope(actor);
  if (!scope) throw forbidden(`the role ${actor.role} reads no audit trail`);
  if (entityType && scope.entityTypes !== null && !scope.entityTypes.includes(entityType)) {
    throw forbidden(`the role ${actor.role} does not read the trail of ${entityType}; it reads ${scope.entityTypes.join(', ')}`);
  }
  return scope;
}

function filterOf(query: AuditFilterQuery) {
  return { entityType: query.entityType, entityId: query.entityId, action: query.action, actorId: query.actorId, regionCode: query.regionCode, ...chinaDaysRange(query.from, query.to) };
}

const EXPORT_COLUMNS = [
  { header: '时间（北京时间）', key: 'at', width: 18 },
  { header: '操作', key: 'action', width: 30 },
  { header: '对象类型', key: 'entityType', width: 14 },
  { header: '对象编号', key: 'entityId', width: 38 },
  { header: '地区', key: 'regionCode', width: 9 },
  { header: '人员编号', key: 'actorId', width: 38 },
  { header: '角色', key: 'actorRole', width: 14 },
  { header: '内容', key: 'data', width: 80 },
  { header: '事件编号', key: 'id', width: 38 },
] as const;

export function registerAuditRoutes(app: App, deps: { db: Database; keyring: ServiceKeyring }) {
  const route = apiRoutes(app, 'audit');

  route(
    'GET /api/v1/audit',
    {
      roles: ['auditor', 'admin', 'reviewer', 'civil_affairs'],
      summary: 'Audit events, oldest first: the auditor all; the admin the system’s entities; a reviewer rehabilitation’s and civil affairs its programmes’, of their region',
      querystring: AuditQuery,
      response: ok(listOf(AuditEventSchema)),
    },
    async (request) => {
      const scope = scopeFor(contextOf(request).actor, request.query.entityType);
      const rows = await listAudit(deps.db, scope, { ...filterOf(request.query), afterId: decodeCursor(request.query.cursor), limit: request.query.limit });
      return presentPage(rows, request.query.limit, (row) => ({ ...row, at: iso(row.at), data: row.data as Record<string, unknown> }));
    },
  );

  route(
    'GET /api/v1/audit/export.xlsx',
    { roles: ['auditor'], summary: 'The audit events a filter finds, oldest first, as a spreadsheet', querystring: AuditFilterQuery, response: ok(BinaryFile) },
    async (request, reply) => {
      const scope = scopeFor(contextOf(request).actor, request.query.entityType);
      const rows = await listAudit(deps.db, scope, { ...filterOf(request.query), limit: MAX_EXPORTED_EVENTS });
      if (rows.length > MAX_EXPORTED_EVENTS) throw validationFailed(`more than ${MAX_EXPORTED_EVENTS.toLocaleString('en-US')} events: narrow the filter (dates, entity, person)`);
      const workbook = newWorkbook();
      addRowsSheet(
        workbook,
        '审计日志',
        EXPORT_COLUMNS,
        rows.map((row) => ({ ...row, at: chinaDateTime(row.at), data: JSON.stringify(row.data) })),
      );
      return attachment(reply, await workbookBytes(workbook), 'audit.xlsx', '审计日志.xlsx');
    },
  );

  route(
    'GET /api/v1/audit/verify',
    {
      roles: ['auditor'],
      summary: 'Recompute the sealed hash chain, as npm run verify-audit does, and name the first row changed, removed or inserted out of order',
      response: ok(VerificationSchema),
    },
    async () => verifyAuditTrail(deps.db, deps.keyring),
  );
}
