import { addMonthsToDate } from './calendar.js';
import type { LivingArrangement, ProtectionCategory } from './protectionVocabulary.js';

// Visits (走访) and mandatory reports (强制报告) of children in difficulty (protection.md §9): how
// often a recognised child is visited, when the next visit is due, what a visit checks, and when
// a report not yet acknowledged by civil affairs is overdue. Pure: no I/O, no clock.

/** The keys of the region setting visitCadenceMonths: the categories, the orphan by living arrangement. */
export const VISIT_CADENCE_KEYS = [
  'orphan_scattered',
  'orphan_institution',
  'de_facto_unsupported',
  'guardianship_lacking',
  'severe_illness_disability',
  'extreme_poverty',
  'poor_family',
  'temporary',
] as const;
export type VisitCadenceKey = (typeof VISIT_CADENCE_KEYS)[number];
export type VisitCadenceMonths = Record<VisitCadenceKey, number>;

/** The seeded default (§9): whole months between visits. */
export const DEFAULT_VISIT_CADENCE_MONTHS: Readonly<VisitCadenceMonths> = {
  orphan_scattered: 1,
  orphan_institution: 3,
  de_facto_unsupported: 1,
  guardianship_lacking: 1,
  severe_illness_disability: 3,
  extreme_poverty: 3,
  poor_family: 3,
  temporary: 3,
};

export const MIN_VISIT_CADENCE_MONTHS = 1;
export const MAX_VISIT_CADENCE_MONTHS = 12;

/** The seeded default of reportAcknowledgeHours (§9). */
export const DEFAULT_REPORT_ACKNOWLEDGE_HOURS = 2;
export const MAX_REPORT_ACKNOWLEDGE_HOURS = 72;

/** What a visit checks (five checks), each ok, concern or danger. */
export const VISIT_CHECKS = ['guardianship', 'living', 'schooling', 'health', 'safety'] as const;
export type VisitCheck = (typeof VISIT_CHECKS)[number];
export const CHECK_RESULTS = ['ok', 'concern', 'danger'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];
export type VisitChecks = Record<VisitCheck, CheckResult>;

export const VISIT_CHECK_NAMES_ZH: Record<VisitCheck, string> = {
  guardianship: '监护情况',
  living: '生活状况',
  schooling: '就学情况',
  health: '健康状况',
  safety: '安全状况',
};
export const CHECK_RESULT_NAMES_ZH: Record<CheckResult, string> = { ok: '正常', concern: '关注', danger: '危险' };

/** What the township is told when a report is raised: the police first, not after a review. */
export const REPORT_INSTRUCTION = '立即报告公安机关（110）并通知县民政局' as const;

export const REPORT_STATUSES = ['open', 'acknowledged'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** A region's cadence as stored (some keys, or none) read with the default for every key it lacks. */
export function cadenceInForce(stored: Partial<Record<string, unknown>> | null | undefined): VisitCadenceMonths {
  const cadence = { ...DEFAULT_VISIT_CADENCE_MONTHS };
  for (const key of VISIT_CADENCE_KEYS) {
    const value = stored?.[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_VISIT_CADENCE_MONTHS && value <= MAX_VISIT_CADENCE_MONTHS) cadence[key] = value;
  }
  return cadence;
}

/** The cadence key of one category: an orphan by where the child lives. */
export function cadenceKeyOf(category: ProtectionCategory, livingArrangement: LivingArrangement): VisitCadenceKey {
  if (category === 'orphan') return livingArrangement === 'institution' ? 'orphan_institution' : 'orphan_scattered';
  return category;
}

/** A case's cadence: the smallest over its categories (a child in two categories is visited as the more fragile). */
export function caseCadenceMonths(categories: readonly ProtectionCategory[], livingArrangement: LivingArrangement, cadence: VisitCadenceMonths): number {
  if (categories.length === 0) throw new Error('a recognised case has at least one category');
  return Math.min(...categories.map((category) => cadence[cadenceKeyOf(category, livingArrangement)]));
}

/**
 * The day the next visit is due: the latest visit (else the recognition) plus the cadence in
 * months, a day past a month's end becoming its last day (2026-01-31 + 1 month = 2026-02-28).
 */
export function nextVisitDue(recognisedOn: string, lastVisitedOn: string | null, cadenceMonths: number): string {
  return addMonthsToDate(lastVisitedOn ?? recognisedOn, cadenceMonths);
}

/** Overdue while today is past the due day: due 2026-02-28 is overdue from 2026-03-01. */
export function visitOverdue(due: string, today: string): boolean {
  return today > due;
}

/** The checks found in danger, in the order of the form: a report's concerns. */
export function dangerConcerns(checks: VisitChecks): VisitCheck[] {
  return VISIT_CHECKS.filter((check) => checks[check] === 'danger');
}

/** The instant from which an open report is overdue: raisedAt + the region's hours. */
export function reportOverdueFrom(raisedAt: Date, acknowledgeHours: number): Date {
  return new Date(raisedAt.getTime() + acknowledgeHours * 60 * 60 * 1000);
}

/** Still open `acknowledgeHours` after it was raised (at the hour itself it is overdue). */
export function reportOverdue(report: { status: ReportStatus; raisedAt: Date }, now: Date, acknowledgeHours: number): boolean {
  return report.status === 'open' && now.getTime() >= reportOverdueFrom(report.raisedAt, acknowledgeHours).getTime();
}

export interface VisitSchedule {
  nextVisitDue: string;
  visitOverdue: boolean;
}

/**
 * A case's schedule on `today`, from the categories and living arrangement in force this month;
 * null for a case not in care (`inCare` false: not recognised, ended, exited).
 */
export function visitScheduleOn(
  visited: { inCare: boolean; recognisedOn: string | null; categories: readonly ProtectionCategory[]; livingArrangement: LivingArrangement; lastVisitedOn: string | null },
  cadence: VisitCadenceMonths,
  today: string,
): VisitSchedule | null {
  if (!visited.inCare || visited.recognisedOn === null) return null;
  const due = nextVisitDue(visited.recognisedOn, visited.lastVisitedOn, caseCadenceMonths(visited.categories, visited.livingArrangement, cadence));
  return { nextVisitDue: due, visitOverdue: visitOverdue(due, today) };
}
