import { z } from 'zod';
import type { Database } from '../db/client.js';
import { chinaDateTime, chinaDaysRange } from '../domain/chinaTime.js';
import { forbidden, validationFailed } from '../http/errors.js';
import { BinaryFile, DateString, errorResponses, Id, iso, listOf, RegionCode, Timestamp } from '../http/schemas.js';
import { decodeCursor, page } from '../http/pagination.js';
import { renderTableXlsx } from '../http/spreadsheetWriter.js';
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

export function registerAuditRoutes(app: App, deps: { db: Database; keyring: ServiceKeyring }) {
  app.get('/api/v1/audit', {
    config: { roles: ['auditor', 'admin', 'reviewer', 'civil_affairs'] },
    schema: {
      tags: ['audit'],
      summary: 'Audit events, oldest first: the auditor all; the admin the system’s entities; a reviewer rehabilitation’s and civil affairs its programmes’, of their region',
      querystring: AuditQuery,
      response: { 200: listOf(AuditEventSchema), ...errorResponses },
    },
    handler: async (request) => {
      const scope = scopeFor(contextOf(request).actor, request.query.entityType);
      const rows = await listAudit(deps.db, scope, { ...filterOf(request.query), afterId: decodeCursor(request.query.cursor), limit: request.query.limit });
      const result = page(rows, request.query.limit);
      return {
        items: result.items.map((row) => ({ ...row, at: iso(row.at), data: row.data as Record<string, unknown> })),
        nextCursor: result.nextCursor,
      };
    },
  });

  app.get('/api/v1/audit/export.xlsx', {
    config: { roles: ['auditor'] },
    schema: { tags: ['audit'], summary: 'The audit events a filter finds, oldest first, as a spreadsheet', querystring: AuditFilterQuery, response: { 200: BinaryFile, ...errorResponses } },
    handler: async (request, reply) => {
      const scope = scopeFor(contextOf(request).actor, request.query.entityType);
      const rows = await listAudit(deps.db, scope, { ...filterOf(request.query), limit: MAX_EXPORTED_EVENTS });
      if (rows.length > MAX_EXPORTED_EVENTS) throw validationFailed(`more than ${MAX_EXPORTED_EVENTS.toLocaleString('en-US')} events: narrow the filter (dates, entity, person)`);
      const bytes = await renderTableXlsx({
        name: '审计日志',
        columns: [
          { header: '时间（北京时间）', width: 18, value: (row) => chinaDateTime(row.at) },
          { header: '操作', width: 30, value: (row) => row.action },
          { header: '对象类型', width: 14, value: (row) => row.entityType },
          { header: '对象编号', width: 38, value: (row) => row.entityId },
          { header: '地区', width: 9, value: (row) => row.regionCode },
          { header: '人员编号', width: 38, value: (row) => row.actorId },
          { header: '角色', width: 14, value: (row) => row.actorRole },
          { header: '内容', width: 80, value: (row) => JSON.stringify(row.data) },
          { header: '事件编号', width: 38, value: (row) => row.id },
        ],
        rows,
      });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="audit.xlsx"; filename*=UTF-8''${encodeURIComponent('审计日志.xlsx')}`)
        .send(bytes);
    },
  });

  app.get('/api/v1/audit/verify', {
    config: { roles: ['auditor'] },
    schema: {
      tags: ['audit'],
      summary: 'Recompute the sealed hash chain, as npm run verify-audit does, and name the first row changed, removed or inserted out of order',
      response: { 200: VerificationSchema, ...errorResponses },
    },
    handler: async () => verifyAuditTrail(deps.db, deps.keyring),
  });
}
