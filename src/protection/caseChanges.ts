import { recordAudit, type AuditAction } from '../audit/audit.repository.js';
import { recordedYears } from '../calendar/calendar.repository.js';
import { retryingConflicts, type Database, type Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import { maskAccount, maskPhone } from '../domain/masks.js';
import { routesFor } from '../domain/protectionRoutesRule.js';
import type { CaseStatus } from '../domain/protectionVocabulary.js';
import { WorkingCalendar } from '../domain/workingCalendar.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, notFound } from '../http/errors.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { findRegionSettings } from '../regions/regions.repository.js';
import { protectionSettingsOf, type ProtectionSettings } from '../regions/protectionSettings.js';
import { findCaseInScope, updateCase, type BankAccountValue, type CaseRecord, type CaseWithChild } from './cases.repository.js';
import { insertReviews } from './caseSteps.repository.js';
import { routesOfRegion } from './setup.service.js';

// What every change of a case shares: one transaction under the case's row lock, found in the
// caller's scope (404 outside it); the state it must be in (409 otherwise); its audit row with
// masked values only, never hivAffected or the parents' facts (security.md §4); entering county
// review with the routes of the region's table.

export async function changeCase<T>(db: Database, cipher: FieldCipher, context: RequestContext, id: string, work: (tx: Transaction, found: CaseWithChild) => Promise<T>): Promise<T> {
  return retryingConflicts(() =>
    db.transaction(async (tx) => {
      const found = await findCaseInScope(tx, cipher, context.actor, id, { lock: true });
      if (!found) throw notFound('case');
      return work(tx, found);
    }),
  );
}

export function requireStatus(record: CaseRecord, statuses: readonly CaseStatus[], what: string) {
  if (!statuses.includes(record.status)) throw invalidState(`the case is ${record.status}; ${what} applies to a case ${statuses.join(' or ')}`);
}

export function auditCase(tx: Transaction, context: RequestContext, action: AuditAction, record: Pick<CaseRecord, 'id' | 'regionCode' | 'number' | 'childId'>, data: Record<string, unknown> = {}) {
  return recordAudit(tx, context, { action, entityType: 'case', entityId: record.id, regionCode: record.regionCode, data: { number: record.number, childId: record.childId, ...data } });
}

/** A bank account as an audit row keeps it. */
export function auditableAccount(account: BankAccountValue | null) {
  return account ? { bank: account.bank, accountName: account.accountName, accountNumber: maskAccount(account.accountNumber) } : null;
}

/** What an audit row may say about a case's body: no phone in clear, no parents' facts, no hivAffected. */
export function auditableBody(record: Pick<CaseRecord, 'receivedOn' | 'viaVillage' | 'applicantName' | 'applicantRelation' | 'applicantPhone' | 'categories' | 'severeBasis' | 'schoolingSupport' | 'leftBehind' | 'documents'>, childIdNumberMasked: string) {
  return {
    childIdNumber: childIdNumberMasked,
    receivedOn: record.receivedOn,
    viaVillage: record.viaVillage,
    applicant: { name: record.applicantName, relation: record.applicantRelation, phone: maskPhone(record.applicantPhone) },
    categories: record.categories,
    severeBasis: record.severeBasis,
    schoolingSupport: record.schoolingSupport,
    leftBehind: record.leftBehind,
    documents: record.documents,
  };
}

/** The calendar and the region's settings, read inside the change's transaction. */
export async function deadlinesOf(tx: Transaction, regionCode: string): Promise<{ calendar: WorkingCalendar; settings: ProtectionSettings }> {
  const recorded = await recordedYears(tx);
  const settings = protectionSettingsOf(await findRegionSettings(tx, regionCode));
  return { calendar: new WorkingCalendar(recorded), settings };
}

/**
 * The case enters county review (报县复核) on `on`: its routes are fixed from the region's table
 * (else the default), one pending review each, due N working days later.
 */
export async function sendToCounty(tx: Transaction, context: RequestContext, record: CaseRecord, on: string, via: 'no_notice' | 'notice_closed') {
  const table = await routesOfRegion(tx, record.regionCode);
  const routes = routesFor(table.routes, { categories: record.categories, severeBasis: record.severeBasis, schoolingSupport: record.schoolingSupport });
  await insertReviews(
    tx,
    routes.map((route) => ({ id: newId(), caseId: record.id, route, status: 'pending', receivedOn: on })),
  );
  await updateCase(tx, record.id, { status: 'county_review', countyReceivedOn: on, stepSince: on });
  await auditCase(tx, context, 'case.sent_to_county', record, { countyReceivedOn: on, routes, routeTable: table.source, via });
}
