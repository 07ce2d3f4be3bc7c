import type { Client } from './testApp.js';

// The access log (security.md §4) as the auditor reads it through GET /access-log.

export interface AccessLogEntry {
  id: string;
  at: string;
  actorId: string;
  actorName: string;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string | null;
  filter: Record<string, unknown> | null;
  clientAddress: string | null;
}

/** The rows written after the row `since` (all when null), newest first, as `auditor` reads them. */
export async function accessLogSince(auditor: Client, since: string | null, filter = ''): Promise<AccessLogEntry[]> {
  const items = (await auditor.get(`/api/v1/access-log?limit=500${filter}`)).body.items as AccessLogEntry[];
  return since ? items.filter((item) => item.id > since) : items;
}
