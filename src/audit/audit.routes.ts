import { z } from 'zod';
import type { Database } from '../db/client.js';
import { Id, iso, listOf, Timestamp } from '../http/schemas.js';
import { decodeCursor, presentPage } from '../http/pagination.js';
import { apiRoutes, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { forbidden } from '../http/errors.js';
import { listAudit, PROTECTION_AUDIT_ENTITY_TYPES } from './audit.repository.js';

const AuditEventSchema = z.object({
  id: Id,
  at: Timestamp,
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  data: z.record(z.string(), z.unknown()),
});

const AuditQuery = z.object({
  entityType: z.string().max(50).optional(),
  entityId: Id.optional(),
  action: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export function registerAuditRoutes(app: App, deps: { db: Database }) {
  const route = apiRoutes(app, 'audit');

  route(
    'GET /api/v1/audit',
    { roles: ['admin', 'reviewer'], summary: 'Audit events, oldest first (a reviewer sees those of their region)', querystring: AuditQuery, response: ok(listOf(AuditEventSchema)) },
    async (request) => {
      const { actor } = contextOf(request);
      // A reviewer reads none of the protection programme's trail (security.md §3): a case's rows
      // name its categories, and the 残联 sees only the cases routed to it.
      if (actor.role === 'reviewer' && request.query.entityType && (PROTECTION_AUDIT_ENTITY_TYPES as readonly string[]).includes(request.query.entityType)) {
        throw forbidden(`a reviewer does not read the trail of ${request.query.entityType}`);
      }
      const rows = await listAudit(deps.db, {
        ...request.query,
        regionCode: actor.role === 'admin' ? null : actor.regionCode,
        excludeEntityTypes: actor.role === 'reviewer' ? PROTECTION_AUDIT_ENTITY_TYPES : [],
        afterId: decodeCursor(request.query.cursor),
      });
      return presentPage(rows, request.query.limit, (row) => ({ ...row, at: iso(row.at), data: row.data as Record<string, unknown> }));
    },
  );
}
