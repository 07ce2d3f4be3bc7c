import { z } from 'zod';
import type { Database } from '../db/client.js';
import { errorResponses, Id, iso, listOf, Timestamp } from '../http/schemas.js';
import { decodeCursor, page } from '../http/pagination.js';
import { contextOf, type App } from '../http/types.js';
import { listAudit } from './audit.repository.js';

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
  app.get('/api/v1/audit', {
    config: { roles: ['admin', 'reviewer'] },
    schema: {
      tags: ['audit'],
      summary: 'Audit events, oldest first (a reviewer sees those of their region)',
      querystring: AuditQuery,
      response: { 200: listOf(AuditEventSchema), ...errorResponses },
    },
    handler: async (request) => {
      const { actor } = contextOf(request);
      const rows = await listAudit(deps.db, {
        ...request.query,
        regionCode: actor.role === 'admin' ? null : actor.regionCode,
        afterId: decodeCursor(request.query.cursor),
      });
      const result = page(rows, request.query.limit);
      return {
        items: result.items.map((row) => ({ ...row, at: iso(row.at), data: row.data as Record<string, unknown> })),
        nextCursor: result.nextCursor,
      };
    },
  });
}
