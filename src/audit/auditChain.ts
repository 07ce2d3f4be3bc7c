import { createHmac } from 'node:crypto';

// The sealed audit trail's hash chain (security.md §4), as a pure rule: the sealer and
// `npm run verify-audit` compute it alike. Each seal's hash is the keyed hash (HMAC-SHA256, the
// service key's `audit-seal` key) of the previous seal's hash and the row as the database holds it,
// every column as its text. Changing any column of a sealed row, removing a row or reordering the
// seals breaks the chain from that row on; without the key file nobody can compute a new chain.

/** The hash before the first seal. */
export const GENESIS_HASH = '0'.repeat(64);

/** An audit row with every column as PostgreSQL writes it as text (null as null). */
export interface AuditRowText {
  id: string;
  /** UTC with microseconds: 2026-11-22T02:30:00.000000Z. */
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string;
  regionCode: string | null;
  /** The jsonb as PostgreSQL writes it. */
  data: string;
  requestId: string | null;
  xid: string;
}

/** The row as the chain reads it: its columns in a fixed order, as a JSON array. */
export function canonicalAuditRow(row: AuditRowText): string {
  return JSON.stringify([row.id, row.at, row.actorId, row.actorRole, row.action, row.entityType, row.entityId, row.regionCode, row.data, row.requestId, row.xid]);
}

/** The hash of a seal, from the previous seal's hash and the row it seals. */
export function nextChainHash(sealKey: Buffer, previousHash: string, row: AuditRowText): string {
  return createHmac('sha256', sealKey).update(previousHash, 'utf8').update('\n', 'utf8').update(canonicalAuditRow(row), 'utf8').digest('hex');
}
