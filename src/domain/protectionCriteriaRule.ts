import { ageInFullYears, fullMonthsBetween } from './calendar.js';
import { PARENTS, type Parent, type ParentSituation, type ProtectionCategory } from './protectionVocabulary.js';

// The criteria the service checks itself (protection.md §3): 事实无人抚养 (de_facto_unsupported)
// from the parents' facts, and 特困供养 (extreme_poverty) from the age. Criteria are data, versioned
// like policies; this rule reads one version, the facts and the decision date. Pure: no I/O, no clock.

/** A parent's situation over a term: it holds on day d when since ≤ d and (until is null or d ≤ until). */
export interface ParentFact {
  situation: ParentSituation;
  since: string;
  until: string | null;
  documents?: readonly string[];
}

export type ParentsFacts = Partial<Record<Parent, readonly ParentFact[]>>;

/** The minimum a qualifying situation must meet: elapsed since it began, or the length of its term. */
export interface QualifyingMinimum {
  minElapsedMonths?: number;
  minTermMonths?: number;
}

export interface CriteriaVersion {
  id: string;
  deFactoUnsupported: {
    /** Situations that make a parent absent (dead, declared missing). */
    absent: readonly ParentSituation[];
    /** Situations that make a parent qualify, with their minimum. */
    qualifying: Partial<Record<ParentSituation, QualifyingMinimum>>;
  };
  /** extreme_poverty: the age in full years must be below this (16: 16–17 are poor_family, 就高不就低). */
  extremePovertyUnderAge: number;
}

/** The categories whose criterion the service checks (✔ in §3); the others are checked on paper. */
export const CHECKED_CATEGORIES = ['de_facto_unsupported', 'extreme_poverty'] as const satisfies readonly ProtectionCategory[];
export type CheckedCategory = (typeof CHECKED_CATEGORIES)[number];

export function isCheckedCategory(category: string): category is CheckedCategory {
  return (CHECKED_CATEGORIES as readonly string[]).includes(category);
}

/** One failed rule, as `CRITERIA_NOT_MET` names it (§3). */
export interface FailedRule {
  category: CheckedCategory;
  /** `<situation>.minElapsedMonths`, `<situation>.minTermMonths`, `no_qualifying_situation`, `both_absent`, `extreme_poverty.underAge`. */
  rule: string;
  parent?: Parent;
  since?: string;
  on: string;
  required?: number;
  actual?: number;
}

export interface CriteriaResult {
  /** The checked categories asked about that are met on the day. */
  met: CheckedCategory[];
  failed: FailedRule[];
}

export function factHolds(fact: ParentFact, on: string): boolean {
  return fact.since <= on && (fact.until === null || on <= fact.until);
}

type ParentStanding = { kind: 'absent' } | { kind: 'qualifies' } | { kind: 'fails'; failures: FailedRule[] };

/** A parent on day d: absent (an absent fact holds), qualifying (a qualifying fact holds and meets its minimum), or why not. */
function standingOf(parent: Parent, facts: readonly ParentFact[], criteria: CriteriaVersion, on: string): ParentStanding {
  const holding = facts.filter((fact) => factHolds(fact, on));
  if (holding.some((fact) => criteria.deFactoUnsupported.absent.includes(fact.situation))) return { kind: 'absent' };
  const failures: FailedRule[] = [];
  for (const fact of holding) {
    const minimum = criteria.deFactoUnsupported.qualifying[fact.situation];
    if (!minimum) continue;
    const shortfall = shortfallOf(fact, minimum, on);
    if (!shortfall) return { kind: 'qualifies' };
    failures.push({ category: 'de_facto_unsupported', parent, since: fact.since, on, ...shortfall });
  }
  if (failures.length === 0) failures.push({ category: 'de_facto_unsupported', rule: 'no_qualifying_situation', parent, on });
  return { kind: 'fails', failures };
}

/** The minimum a holding qualifying fact does not meet on `on`, or null when it meets every one. */
function shortfallOf(fact: ParentFact, minimum: QualifyingMinimum, on: string): { rule: string; required: number; actual: number } | null {
  if (minimum.minElapsedMonths !== undefined) {
    const actual = fullMonthsBetween(fact.since, on);
    if (actual < minimum.minElapsedMonths) return { rule: `${fact.situation}.minElapsedMonths`, required: minimum.minElapsedMonths, actual };
  }
  if (minimum.minTermMonths !== undefined && fact.until !== null) {
    const actual = fullMonthsBetween(fact.since, fact.until);
    if (actual < minimum.minTermMonths) return { rule: `${fact.situation}.minTermMonths`, required: minimum.minTermMonths, actual };
  }
  return null;
}

/** 事实无人抚养: both parents qualify, or one is absent and the other qualifies; both absent is an orphan. */
export function deFactoUnsupportedFailures(parents: ParentsFacts, criteria: CriteriaVersion, on: string): FailedRule[] {
  const standings = PARENTS.map((parent) => standingOf(parent, parents[parent] ?? [], criteria, on));
  if (standings.every((standing) => standing.kind === 'absent')) return [{ category: 'de_facto_unsupported', rule: 'both_absent', on }];
  return standings.flatMap((standing) => (standing.kind === 'fails' ? standing.failures : []));
}

/** 特困供养: under the version's age (in full years on the day). */
export function extremePovertyFailures(birthDate: string, criteria: CriteriaVersion, on: string): FailedRule[] {
  const age = ageInFullYears(birthDate, on);
  if (age < criteria.extremePovertyUnderAge) return [];
  return [{ category: 'extreme_poverty', rule: 'extreme_poverty.underAge', on, required: criteria.extremePovertyUnderAge, actual: age }];
}

/** The checked categories among `categories`, each met or failed on `on`; unchecked ones are left out. */
export function evaluateCriteria(
  input: { categories: readonly string[]; parents: ParentsFacts; birthDate: string },
  criteria: CriteriaVersion,
  on: string,
): CriteriaResult {
  const met: CheckedCategory[] = [];
  const failed: FailedRule[] = [];
  for (const category of CHECKED_CATEGORIES) {
    if (!input.categories.includes(category)) continue;
    const failures = category === 'de_facto_unsupported' ? deFactoUnsupportedFailures(input.parents, criteria, on) : extremePovertyFailures(input.birthDate, criteria, on);
    if (failures.length === 0) met.push(category);
    else failed.push(...failures);
  }
  return { met, failed };
}

/** The version in force on a date for a region: the region's own latest started, else the default's. */
export function criteriaInForce<Version extends { effectiveFrom: string; regionCode: string | null }>(versions: readonly Version[], regionCode: string, on: string): Version | undefined {
  const latest = (candidates: Version[]) => candidates.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
  const started = versions.filter((version) => version.effectiveFrom <= on);
  return latest(started.filter((version) => version.regionCode === regionCode)) ?? latest(started.filter((version) => version.regionCode === null));
}
