import type { App } from '../http/types.js';
import { contextOf } from '../http/types.js';
import type { AccessAction, AccessLog } from './accessLog.service.js';

// Which requests the access log records, in one table an auditor can read: every read of a
// child's file or a beneficiary's record, every list or search of them, every search of claims by
// a child's name or ID number, every opening of a claim's evidence, every download of a batch or
// roll document or bank list, and every export; and in the protection of children in difficulty
// every read of a case, a child's file, a notice or a quarterly update, and every document and
// export of it (protection.md §12). A row is written once the answer is ready and before it is sent: if the row cannot be
// written, the answer is an error and the data is not sent. Refused requests (4xx) read nothing
// and write no row here; a refusal that is itself a look-up (registering an ID number registered
// elsewhere) is recorded by its service.

export interface AccessRule {
  action: AccessAction;
  entityType: string;
  /** The route parameter naming the entity read. */
  idParam?: 'id' | 'attachmentId';
  /** The document downloaded, when a route serves one of several. */
  document?: string;
  /** Record only requests this says yes to (a claims list is a search of a child only with `child`). */
  when?: (query: Record<string, unknown>) => boolean;
}

const searchesAChild = (query: Record<string, unknown>) => typeof query.child === 'string' && query.child !== '';

export const ACCESS_LOGGED_ROUTES: Record<string, AccessRule> = {
  'GET /api/v1/children': { action: 'search', entityType: 'child' },
  'GET /api/v1/children/:id': { action: 'read', entityType: 'child', idParam: 'id' },
  'GET /api/v1/children/:id/entitlements': { action: 'read', entityType: 'child', idParam: 'id', document: 'entitlements' },
  'GET /api/v1/claims': { action: 'search', entityType: 'claim', when: searchesAChild },
  'GET /api/v1/claims/count': { action: 'search', entityType: 'claim', when: searchesAChild },
  'GET /api/v1/claims/export.xlsx': { action: 'export', entityType: 'claim' },
  // Evidence is a child's medical and family paper (discharge summaries, prescriptions, invoices).
  'GET /api/v1/claims/:id/attachments/:attachmentId': { action: 'download', entityType: 'attachment', idParam: 'attachmentId', document: 'evidence' },
  'GET /api/v1/batches/export.xlsx': { action: 'export', entityType: 'batch' },
  'GET /api/v1/batches/:id/pdf': { action: 'download', entityType: 'batch', idParam: 'id', document: 'batch.pdf' },
  'GET /api/v1/batches/:id/xlsx': { action: 'export', entityType: 'batch', idParam: 'id', document: 'batch.xlsx' },
  'GET /api/v1/reconciliations/:id/pdf': { action: 'download', entityType: 'reconciliation', idParam: 'id', document: 'reconciliation.pdf' },
  'GET /api/v1/reconciliations/:id/xlsx': { action: 'export', entityType: 'reconciliation', idParam: 'id', document: 'reconciliation.xlsx' },
  'GET /api/v1/allowance/beneficiaries': { action: 'search', entityType: 'beneficiary' },
  'GET /api/v1/allowance/beneficiaries/:id': { action: 'read', entityType: 'beneficiary', idParam: 'id' },
  'GET /api/v1/allowance/rolls/:id': { action: 'read', entityType: 'roll', idParam: 'id' },
  'GET /api/v1/allowance/rolls/:id/pdf': { action: 'download', entityType: 'roll', idParam: 'id', document: 'summary.pdf' },
  'GET /api/v1/allowance/rolls/:id/notice.pdf': { action: 'download', entityType: 'roll', idParam: 'id', document: 'notice.pdf' },
  'GET /api/v1/allowance/rolls/:id/bank.xlsx': { action: 'download', entityType: 'roll', idParam: 'id', document: 'bank-list.xlsx' },
  'GET /api/v1/allowance/rolls/:id/bank.csv': { action: 'download', entityType: 'roll', idParam: 'id', document: 'bank-list.csv' },
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
  'GET /api/v1/protection/visits': { action: 'search', entityType: 'visit' },
  'GET /api/v1/protection/rolls/:id': { action: 'read', entityType: 'protection_roll', idParam: 'id' },
  'GET /api/v1/protection/rolls/:id/pdf': { action: 'download', entityType: 'protection_roll', idParam: 'id', document: 'summary.pdf' },
  'GET /api/v1/protection/rolls/:id/bank.xlsx': { action: 'download', entityType: 'protection_roll', idParam: 'id', document: 'bank-list.xlsx' },
  'GET /api/v1/protection/rolls/:id/bank.csv': { action: 'download', entityType: 'protection_roll', idParam: 'id', document: 'bank-list.csv' },
  'GET /api/v1/protection/reports': { action: 'search', entityType: 'report' },
  'GET /api/v1/protection/reports/:id': { action: 'read', entityType: 'report', idParam: 'id' },
  'GET /api/v1/admin/backup': { action: 'export', entityType: 'backup', document: 'database backup' },
  'GET /api/v1/audit/export.xlsx': { action: 'export', entityType: 'audit' },
  'GET /api/v1/access-log/export.xlsx': { action: 'export', entityType: 'access_log' },
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set from ACCESS_LOGGED_ROUTES: the access-log row a successful answer writes. */
    accessLog?: AccessRule;
  }
}

/**
 * Gives each route of the table its rule and writes the row of each successful answer. Register
 * before the routes (the rules are attached as routes are added).
 */
export function registerAccessLogging(app: App, accessLog: AccessLog) {
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const rule = ACCESS_LOGGED_ROUTES[`${method === 'HEAD' ? 'GET' : method} ${route.url}`];
      if (rule) route.config = { ...route.config, accessLog: rule };
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const rule = request.routeOptions.config?.accessLog;
    if (!rule || !request.actor || reply.statusCode >= 300) return payload;
    // Only a query the route declares, and so validated, is kept: a route without one keeps none.
    const query = (request.routeOptions.schema?.querystring ? (request.query ?? {}) : {}) as Record<string, unknown>;
    if (rule.when && !rule.when(query)) return payload;
    const filter = accessLog.filterOf(query);
    await accessLog.record(contextOf(request), {
      action: rule.action,
      entityType: rule.entityType,
      entityId: rule.idParam ? ((request.params as Record<string, string>)[rule.idParam] ?? null) : null,
      filter: rule.document ? { document: rule.document, ...filter } : filter,
    });
    return payload;
  });
}
