import { recordAudit } from '../audit/audit.repository.js';
import { DEFAULT_REVIEW_WORKING_DAYS } from '../calendar/deadlines.js';
import type { Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { RequestContext } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { isoOrNull } from '../http/schemas.js';
import type { RequiredEvidence } from '../domain/evidence.js';
import { maskPhone } from '../domain/masks.js';
import { formatMoney, money } from '../domain/money.js';
import { regionName } from './divisions.js';
import { protectionSettingsOf } from './protectionSettings.js';
import { findBudget, findRegionSettings, upsertBudget, upsertRegionSettings, type RegionBudgetRow, type RegionSettingsRow } from './regions.repository.js';
import type { AuthoritiesBody, BudgetBody, RegionSettingsBody } from './regions.schemas.js';

function presentSettings(regionCode: string, row: RegionSettingsRow | undefined) {
  const protection = protectionSettingsOf(row);
  return {
    regionCode,
    reviewWorkingDays: row?.reviewWorkingDays ?? DEFAULT_REVIEW_WORKING_DAYS,
    reviewWorkingDaysIsDefault: row?.reviewWorkingDays == null,
    supervisionPhone: row?.supervisionPhone ?? null,
    townshipCheckWorkingDays: protection.workingDays.townshipCheck,
    protectionNoticeWorkingDays: protection.workingDays.notice,
    countyReviewWorkingDays: protection.workingDays.countyReview,
    protectionNoNoticeCategories: [...protection.noNoticeCategories],
    protectionCoverFrom: protection.coverFrom,
    visitCadenceMonths: protection.visitCadenceMonths,
    reportAcknowledgeHours: protection.reportAcknowledgeHours,
    requiredEvidence: (row?.requiredEvidence ?? {}) as RequiredEvidence,
    authorities: authoritiesOf(row),
    updatedAt: isoOrNull(row?.updatedAt ?? null),
  };
}

/** The settings as stored, for the audit row of a change (null: the default). */
const PROTECTION_SETTING_FIELDS = ['townshipCheckWorkingDays', 'protectionNoticeWorkingDays', 'countyReviewWorkingDays', 'protectionNoNoticeCategories', 'protectionCoverFrom', 'visitCadenceMonths', 'reportAcknowledgeHours'] as const;
const maskedPhone = (phone: string | null) => (phone === null ? null : maskPhone(phone));

/** The settings as the audit trail keeps them: the supervision phone masked. */
const storedSettings = (row: RegionSettingsRow | undefined) => ({
  reviewWorkingDays: row?.reviewWorkingDays ?? null,
  supervisionPhone: maskedPhone(row?.supervisionPhone ?? null),
  requiredEvidence: row?.requiredEvidence ?? null,
  authorities: row?.authorities ?? null,
  ...Object.fromEntries(PROTECTION_SETTING_FIELDS.map((field) => [field, row?.[field] ?? null])),
});

const moneyOrNull = (value: string | null | undefined) => (value == null ? null : formatMoney(money(value)));

function presentBudget(regionCode: string, year: number, row: RegionBudgetRow | undefined) {
  return {
    regionCode,
    year,
    rehabilitation: moneyOrNull(row?.rehabilitation),
    allowanceCounty: moneyOrNull(row?.allowanceCounty),
    allowanceHardship: moneyOrNull(row?.allowanceHardship),
    protectionBasicLiving: moneyOrNull(row?.protectionBasicLiving),
    updatedAt: isoOrNull(row?.updatedAt ?? null),
  };
}

/** A region's office names as the API answers them: each name or null. */
function authoritiesOf(row: RegionSettingsRow | undefined) {
  const stored = (row?.authorities ?? {}) as Partial<Record<keyof AuthoritiesBody, string | null>>;
  return { disabledPersonsFederation: stored.disabledPersonsFederation ?? null, civilAffairs: stored.civilAffairs ?? null, finance: stored.finance ?? null };
}

/** The office names after a change: each one sent replaces its value (null removes it), the others stay. */
function mergedAuthorities(before: RegionSettingsRow | undefined, sent: AuthoritiesBody | null) {
  if (sent === null) return null;
  const merged = { ...authoritiesOf(before), ...Object.fromEntries(Object.entries(sent).filter(([, value]) => value !== undefined)) };
  return Object.values(merged).some((value) => value !== null) ? merged : null;
}

/** A requirement with every service's list empty is no requirement (null), so "none" is stored one way. */
function withoutEmpty(required: RequiredEvidence | null): RequiredEvidence | null {
  if (!required) return null;
  const kept = Object.fromEntries(Object.entries(required).filter(([, kinds]) => kinds && kinds.length > 0));
  return Object.keys(kept).length > 0 ? kept : null;
}

export function createRegionsService(deps: { db: Database }) {
  const { db } = deps;
  return {
    /** GET /regions/:regionCode/settings: an admin any region; the region's own staff theirs. */
    async getSettings(context: RequestContext, regionCode: string) {
      // Another region's settings are out of a region-scoped user's scope (a township's region is its county).
      if (context.actor.role !== 'admin' && context.actor.regionCode !== regionCode) throw notFound('region');
      return presentSettings(regionCode, await findRegionSettings(db, regionCode));
    },

    /** GET /regions/:regionCode/required-evidence: what an institution must attach, for every role. */
    async requiredEvidence(regionCode: string) {
      const row = await findRegionSettings(db, regionCode);
      return { regionCode, requiredEvidence: (row?.requiredEvidence ?? {}) as RequiredEvidence };
    },

    /** GET /regions/:regionCode: a region's names, for every signed-in user (they are public). */
    name(regionCode: string) {
      const found = regionName(regionCode);
      if (!found) throw notFound('region');
      return found;
    },

    /** GET /regions/:regionCode/budgets/:year: an admin any region; the region's own staff theirs. */
    async getBudget(context: RequestContext, regionCode: string, year: number) {
      if (context.actor.role !== 'admin' && context.actor.regionCode !== regionCode) throw notFound('region');
      return presentBudget(regionCode, year, await findBudget(db, regionCode, year));
    },

    /** PUT /regions/:regionCode/budgets/:year: each field optional; one omitted keeps its value. */
    async putBudget(context: RequestContext, regionCode: string, year: number, body: BudgetBody) {
      const row = await db.transaction(async (tx) => {
        const before = await findBudget(tx, regionCode, year);
        const pick = (field: keyof BudgetBody) => (body[field] === undefined ? (before?.[field] ?? null) : moneyOrNull(body[field]));
        const written = await upsertBudget(tx, {
          id: before?.id ?? newId(),
          regionCode,
          year,
          rehabilitation: pick('rehabilitation'),
          allowanceCounty: pick('allowanceCounty'),
          allowanceHardship: pick('allowanceHardship'),
          protectionBasicLiving: pick('protectionBasicLiving'),
          updatedByUserId: context.actor.id,
          updatedAt: context.now,
        });
        await recordAudit(tx, context, {
          action: 'budget.set',
          entityType: 'budget',
          entityId: written.id,
          regionCode,
          data: { year, before: presentBudget(regionCode, year, before), after: presentBudget(regionCode, year, written) },
        });
        return written;
      });
      return presentBudget(regionCode, year, row);
    },

    /** PUT /regions/:regionCode/settings: each field optional; one omitted keeps its value. */
    async putSettings(context: RequestContext, regionCode: string, body: RegionSettingsBody) {
      const row = await db.transaction(async (tx) => {
        const before = await findRegionSettings(tx, regionCode);
        const pick = <Field extends keyof RegionSettingsBody & keyof RegionSettingsRow>(field: Field) =>
          (body[field] === undefined ? (before?.[field] ?? null) : body[field]) as RegionSettingsRow[Field];
        const written = await upsertRegionSettings(tx, {
          id: before?.id ?? newId(),
          regionCode,
          reviewWorkingDays: pick('reviewWorkingDays'),
          supervisionPhone: pick('supervisionPhone'),
          townshipCheckWorkingDays: pick('townshipCheckWorkingDays'),
          protectionNoticeWorkingDays: pick('protectionNoticeWorkingDays'),
          countyReviewWorkingDays: pick('countyReviewWorkingDays'),
          protectionNoNoticeCategories: pick('protectionNoNoticeCategories'),
          protectionCoverFrom: pick('protectionCoverFrom'),
          visitCadenceMonths: pick('visitCadenceMonths'),
          reportAcknowledgeHours: pick('reportAcknowledgeHours'),
          requiredEvidence: body.requiredEvidence === undefined ? (before?.requiredEvidence ?? null) : withoutEmpty(body.requiredEvidence),
          authorities: body.authorities === undefined ? (before?.authorities ?? null) : mergedAuthorities(before, body.authorities),
          updatedByUserId: context.actor.id,
          updatedAt: context.now,
        });
        await recordAudit(tx, context, {
          action: 'region.settings_changed',
          entityType: 'region',
          entityId: written.id,
          regionCode,
          // Phone numbers are kept masked in the trail, this office number as any other (security.md §4).
          data: { before: storedSettings(before), after: storedSettings(written) },
        });
        return written;
      });
      return presentSettings(regionCode, row);
    },
  };
}

export type RegionsService = ReturnType<typeof createRegionsService>;
