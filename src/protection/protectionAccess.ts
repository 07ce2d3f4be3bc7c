import type { FastifyRequest } from 'fastify';
import type { App } from '../http/types.js';

// The access log (security.md §4; protection.md §12: "every case, file, PDF, XLSX and bank list
// read"): the reads of this programme that write one row each — a case, a child's file, a notice,
// a quarterly update, a document — and the lists and searches (one row with their filter, not one
// per item). The rules have the shape of the access log's route table (ACCESS_LOGGED_ROUTES, built
// on the branch of issue 25), so that merging is adding these rows to it.
//
// Until that access log is on this branch, every such read goes through `recordProtectionAccess`,
// which writes the entry to the request log as `access`: the one function to replace with
// accessLog.record at the merge.

export type AccessAction = 'read' | 'search' | 'download' | 'export';

export interface ProtectionAccessRule {
  action: AccessAction;
  entityType: 'case' | 'child' | 'notice' | 'quarterly_update';
  /** The route parameter naming the entity read. */
  idParam?: 'id';
  /** The document downloaded, when a route serves one. */
  document?: string;
}

export const PROTECTION_ACCESS_LOGGED_ROUTES: Record<string, ProtectionAccessRule> = {
  'GET /api/v1/protection/cases': { action: 'search', entityType: 'case' },
  'GET /api/v1/protection/cases/:id': { action: 'read', entityType: 'case', idParam: 'id' },
  'GET /api/v1/protection/cases/:id/refusal-letter.pdf': { action: 'download', entityType: 'case', idParam: 'id', document: 'refusal-letter.pdf' },
  'GET /api/v1/protection/notices': { action: 'search', entityType: 'notice' },
  'GET /api/v1/protection/notices/:id': { action: 'read', entityType: 'notice', idParam: 'id' },
  'GET /api/v1/protection/notices/:id/notice.pdf': { action: 'download', entityType: 'notice', idParam: 'id', document: 'notice.pdf' },
  'GET /api/v1/protection/children/:id/file': { action: 'read', entityType: 'child', idParam: 'id', document: 'file' },
  'GET /api/v1/protection/children/:id/file.pdf': { action: 'download', entityType: 'child', idParam: 'id', document: 'file.pdf' },
  'GET /api/v1/protection/quarterly-updates/:id': { action: 'read', entityType: 'quarterly_update', idParam: 'id' },
  'GET /api/v1/protection/quarterly-updates/report.xlsx': { action: 'export', entityType: 'quarterly_update', document: 'report.xlsx' },
};

export interface ProtectionAccessEntry {
  action: AccessAction;
  entityType: string;
  entityId: string | null;
  filter: Record<string, unknown> | null;
  actorId: string;
  actorRole: string;
  clientAddress: string;
  at: string;
}

/** Paging says nothing about what was looked for. */
const PAGING = new Set(['limit', 'cursor']);

/** Writes one access entry (see above: the function the access log replaces at the merge). */
export async function recordProtectionAccess(request: FastifyRequest, entry: ProtectionAccessEntry): Promise<void> {
  request.log.info({ access: entry }, 'access');
}

/** Records each successful read of the table's routes, once its answer is ready and before it is sent. */
export function registerProtectionAccessLogging(app: App) {
  app.addHook('onSend', async (request, reply, payload) => {
    const rule = PROTECTION_ACCESS_LOGGED_ROUTES[`${request.method} ${request.routeOptions.url}`];
    if (!rule || !request.actor || reply.statusCode >= 300) return payload;
    const query = Object.entries((request.query ?? {}) as Record<string, unknown>).filter(([name, value]) => !PAGING.has(name) && value !== undefined && value !== '');
    const document = rule.document ? { document: rule.document } : {};
    const filter = query.length > 0 || rule.document ? { ...document, ...Object.fromEntries(query) } : null;
    await recordProtectionAccess(request, {
      action: rule.action,
      entityType: rule.entityType,
      entityId: rule.idParam ? ((request.params as Record<string, string>)[rule.idParam] ?? null) : null,
      filter,
      actorId: request.actor.id,
      actorRole: request.actor.role,
      clientAddress: request.ip,
      at: request.receivedAt.toISOString(),
    });
    return payload;
  });
}
