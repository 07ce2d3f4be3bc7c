import { eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import type { Actor } from '../http/context.js';
import type { Executor } from '../db/client.js';
import { inIdPages } from '../db/pages.js';
import { newId } from '../db/ids.js';
import { preparedInsert } from '../db/prepared.js';
import { auditEvents } from '../db/schema.js';
import type { AuditReadScope } from './auditReadRules.js';

export type AuditAction =
  | 'user.created'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.reset'
  | 'user.confirmed'
  | 'auth.activated'
  | 'auth.activation_failed'
  | 'auth.signed_in'
  | 'auth.sign_in_failed'
  | 'auth.locked'
  | 'auth.signed_out'
  | 'auth.session_ended'
  | 'auth.password_changed'
  | 'auth.totp_enabled'
  | 'auth.totp_disabled'
  | 'token.created'
  | 'token.revoked'
  | 'institution.updated'
  | 'institution.created'
  | 'policy.created'
  | 'policy.approved'
  | 'policy.withdrawn'
  | 'child.registered'
  | 'child.updated'
  | 'child.closed'
  | 'application.filed'
  | 'application.approved'
  | 'application.rejected'
  | 'application.dropped_out'
  | 'claim.submitted'
  | 'claim.approved'
  | 'claim.rejected'
  | 'claim.returned'
  | 'claim.resubmitted'
  | 'claim.withdrawn'
  | 'claim.attachment_added'
  | 'claim.attachment_removed'
  | 'batch.created'
  | 'batch.cancelled'
  | 'batch.issued'
  | 'batch.paid'
  | 'reconciliation.created'
  | 'region_target.set'
  | 'region.settings_changed'
  | 'calendar.recorded'
  | 'backup.taken'
  | 'budget.set'
  | 'beneficiary.enrolled'
  | 'beneficiary.approved'
  | 'beneficiary.rejected'
  | 'beneficiary.bank_account_changed'
  | 'beneficiary.tier_changed'
  | 'beneficiary.verified'
  | 'beneficiary.held'
  | 'beneficiary.released'
  | 'beneficiary.exited'
  | 'roll.created'
  | 'roll.published'
  | 'roll.objection'
  | 'roll.issued'
  | 'roll.cancelled'
  | 'roll.results_recorded'
  | 'roll.settled'
  | 'overpayment.created'
  | 'overpayment.recovered'
  | 'overpayment.waive_requested'
  | 'overpayment.waived'
  | 'overpayment.cancelled'
  | 'overpayment.reduced'
  | 'overpayment.refunded'
  | 'child.certificate_recorded'
  | 'child.certificate_revoked'
  | 'standard.created'
  // The protection of children in difficulty (protection.md §12).
  | 'child.village_changed'
  | 'child.guardian_changed'
  | 'case.received'
  | 'case.corrected'
  | 'case.checked'
  | 'case.objection'
  | 'case.sent_to_county'
  | 'case.reviewed'
  | 'case.refused'
  | 'case.recognised'
  | 'case.withdrawn'
  | 'case.categories_changed'
  | 'case.living_arrangement_changed'
  | 'case.studying_recorded'
  | 'case.verified'
  | 'case.held'
  | 'case.released'
  | 'case.exited'
  | 'bank_account.change_requested'
  | 'bank_account.confirmed'
  | 'notice.opened'
  | 'notice.closed'
  | 'quarterly_update.submitted'
  | 'visit.recorded'
  | 'report.raised'
  | 'report.police_notified'
  | 'report.acknowledged'
  | 'criteria.created'
  | 'routes.set'
  | 'protection_standard.created'
  | 'protection_roll.created'
  | 'protection_roll.issued'
  | 'protection_roll.cancelled'
  | 'protection_roll.results_recorded'
  | 'protection_roll.settled'
  | 'protection_overpayment.created'
  | 'protection_overpayment.reduced'
  | 'protection_overpayment.recovered'
  | 'protection_overpayment.refunded'
  | 'protection_overpayment.waive_requested'
  | 'protection_overpayment.waived'
  | 'protection_overpayment.cancelled';

export type AuditEntityType =
  | 'user'
  | 'institution'
  | 'policy'
  | 'child'
  | 'application'
  | 'claim'
  | 'batch'
  | 'reconciliation'
  | 'region'
  | 'calendar'
  | 'backup'
  | 'budget'
  | 'beneficiary'
  | 'roll'
  | 'overpayment'
  | 'standard'
  | 'case'
  | 'notice'
  | 'quarterly_update'
  | 'visit'
  | 'report'
  | 'criteria'
  | 'routes'
  | 'protection_standard'
  | 'protection_roll'
  | 'protection_overpayment';

export interface AuditEntry {
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string;
  /** The region the entity belongs to, when it has one; reviewers see their region's events. */
  regionCode: string | null;
  data: Record<string, unknown>;
}

/**
 * Who acted and when: a request's context, or one without an actor (a failed sign-in, start-up).
 * `now` is the app's clock reading; without a context the row takes the database server's time.
 */
export interface AuditContext {
  actor: Actor | null;
  requestId: string | null;
  now: Date;
}

/** Writes one audit event; call it inside the transaction that makes the change. */
export async function recordAudit(tx: Executor, context: AuditContext | null, entry: AuditEntry): Promise<void> {
  await recordAudits(tx, context, [entry]);
}

// Every change writes its events: the statement is built once per shape of rows (src/db/prepared.ts).
const auditEventsInsert = preparedInsert<typeof auditEvents.$inferInsert>(auditEvents, 'insert_audit_events', { returning: false });

/** Writes the events of one request's changes in one statement, in the order given (ids ascend). */
export async function recordAudits(tx: Executor, context: AuditContext | null, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const at = context?.now ?? new Date();
  await auditEventsInsert(
    tx,
    entries.map((entry) => ({
      id: newId(),
      at,
      actorId: context?.actor?.id ?? null,
      actorRole: context?.actor?.role ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      regionCode: entry.regionCode,
      data: entry.data,
      requestId: context?.requestId ?? null,
    })),
  );
}

export interface AuditQuery {
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  actorId?: string | undefined;
  regionCode?: string | undefined;
  /** Written at or after this instant. */
  from?: Date | undefined;
  /** Written before this instant. */
  before?: Date | undefined;
  afterId?: string | undefined;
  limit: number;
}

/** Audit events in the reader's part of the trail (auditReadRules.ts), oldest first. */
export async function listAudit(db: Executor, scope: AuditReadScope, query: AuditQuery) {
  const conditions: SQL[] = [];
  if (scope.entityTypes !== null) conditions.push(inArray(auditEvents.entityType, [...scope.entityTypes]));
  if (scope.regionCode !== null) conditions.push(eq(auditEvents.regionCode, scope.regionCode));
  if (query.entityType) conditions.push(eq(auditEvents.entityType, query.entityType));
  if (query.entityId) conditions.push(eq(auditEvents.entityId, query.entityId));
  if (query.action) conditions.push(eq(auditEvents.action, query.action));
  if (query.actorId) conditions.push(eq(auditEvents.actorId, query.actorId));
  if (query.regionCode) conditions.push(eq(auditEvents.regionCode, query.regionCode));
  if (query.from) conditions.push(gte(auditEvents.at, query.from));
  if (query.before) conditions.push(lt(auditEvents.at, query.before));
  const columns = {
    id: auditEvents.id,
    at: auditEvents.at,
    actorId: auditEvents.actorId,
    actorRole: auditEvents.actorRole,
    action: auditEvents.action,
    entityType: auditEvents.entityType,
    entityId: auditEvents.entityId,
    regionCode: auditEvents.regionCode,
    data: auditEvents.data,
  };
  return inIdPages(db.select(columns).from(auditEvents).$dynamic(), auditEvents.id, conditions, { after: query.afterId, limit: query.limit });
}
