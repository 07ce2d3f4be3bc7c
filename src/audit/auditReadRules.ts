import type { Actor } from '../http/context.js';

// Who reads which part of the audit trail (security.md §3; this table replaces every other rule on
// it). The auditor reads everything; the admin the trail of the system's own entities, the reviewer
// rehabilitation's and civil affairs its programmes', each in its region; everyone else nothing.

/** The system entities an admin manages. `region_target` rows (a region's yearly target) were written before targets were audited as `region`. */
export const ADMIN_AUDIT_ENTITY_TYPES = ['user', 'institution', 'policy', 'standard', 'region', 'region_target', 'budget', 'calendar', 'criteria', 'routes', 'protection_standard'] as const;
export const REVIEWER_AUDIT_ENTITY_TYPES = ['child', 'application', 'claim', 'batch', 'reconciliation'] as const;
export const CIVIL_AFFAIRS_AUDIT_ENTITY_TYPES = [
  'beneficiary',
  'roll',
  'overpayment',
  'case',
  'notice',
  'visit',
  'report',
  'quarterly_update',
  'protection_roll',
  'protection_overpayment',
] as const;

export interface AuditReadScope {
  /** The entity types the actor reads; null for every type. */
  entityTypes: readonly string[] | null;
  /** The region the actor reads; null for every region. */
  regionCode: string | null;
}

/** The part of the trail an actor reads, or null for a role that reads none of it (403). */
export function auditReadScope(actor: Actor): AuditReadScope | null {
  switch (actor.role) {
    case 'auditor':
      return { entityTypes: null, regionCode: null };
    case 'admin':
      return { entityTypes: ADMIN_AUDIT_ENTITY_TYPES, regionCode: null };
    case 'reviewer':
      return { entityTypes: REVIEWER_AUDIT_ENTITY_TYPES, regionCode: actor.regionCode };
    case 'civil_affairs':
      return { entityTypes: CIVIL_AFFAIRS_AUDIT_ENTITY_TYPES, regionCode: actor.regionCode };
    case 'finance':
    case 'institution':
    case 'township':
    case 'department':
      return null;
  }
}
