import { DEFAULT_PROTECTION_WORKING_DAYS, type ProtectionWorkingDays } from '../domain/protectionDueDates.js';
import { DEFAULT_NO_NOTICE_CATEGORIES, type CoverFromRule, type ProtectionCategory } from '../domain/protectionVocabulary.js';
import { cadenceInForce, DEFAULT_REPORT_ACKNOWLEDGE_HOURS, type VisitCadenceMonths } from '../domain/protectionVisitRule.js';
import type { RegionSettingsRow } from './regions.repository.js';

// A region's settings for the protection of children in difficulty (protection.md §4, §9), each the
// region's own value or the seeded default (seed 001).

export interface ProtectionSettings {
  workingDays: ProtectionWorkingDays;
  noNoticeCategories: readonly ProtectionCategory[];
  coverFrom: CoverFromRule;
  supervisionPhone: string | null;
  /** Months between visits per cadence key (§9). */
  visitCadenceMonths: VisitCadenceMonths;
  /** Hours civil affairs has to acknowledge a mandatory report before it is overdue (§9). */
  reportAcknowledgeHours: number;
}

export function protectionSettingsOf(row: RegionSettingsRow | undefined): ProtectionSettings {
  return {
    workingDays: {
      townshipCheck: row?.townshipCheckWorkingDays ?? DEFAULT_PROTECTION_WORKING_DAYS.townshipCheck,
      notice: row?.protectionNoticeWorkingDays ?? DEFAULT_PROTECTION_WORKING_DAYS.notice,
      countyReview: row?.countyReviewWorkingDays ?? DEFAULT_PROTECTION_WORKING_DAYS.countyReview,
    },
    noNoticeCategories: (row?.protectionNoNoticeCategories as ProtectionCategory[] | null | undefined) ?? DEFAULT_NO_NOTICE_CATEGORIES,
    coverFrom: (row?.protectionCoverFrom as CoverFromRule | null | undefined) ?? 'next_month',
    supervisionPhone: row?.supervisionPhone ?? null,
    visitCadenceMonths: cadenceInForce(row?.visitCadenceMonths as Record<string, unknown> | null | undefined),
    reportAcknowledgeHours: row?.reportAcknowledgeHours ?? DEFAULT_REPORT_ACKNOWLEDGE_HOURS,
  };
}
