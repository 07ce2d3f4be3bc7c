import type { Decimal } from 'decimal.js';
import { defaultMaxAgeYears, type Category, type DeviceKind, type Service } from '../domain/vocabulary.js';

// A policy version as the engine and the eligibility checks read it: plain data, no I/O.

export interface PolicyRule {
  service: Service;
  deviceKind: DeviceKind | null;
  /** Null: every category. */
  categories: readonly Category[] | null;
  annualLimit: Decimal | null;
  monthlyLimit: Decimal | null;
  oncePerChildLimit: Decimal | null;
  /** Null: the category's own age limit (limb 7, others 14). */
  maxAge: number | null;
}

export interface PolicyVersion {
  id: string;
  name: string;
  effectiveFrom: string;
  regionCode: string | null;
  rules: readonly PolicyRule[];
}

/** A child without a category (protection.md §2) is covered by no rule, not even one for every category. */
export function ruleCoversCategory(rule: PolicyRule, category: Category | null): boolean {
  return category !== null && (rule.categories === null || rule.categories.includes(category));
}

/** The rule for a service (and device kind) and a category; the first listed wins. */
export function findRule(
  policy: PolicyVersion,
  service: Service,
  deviceKind: DeviceKind | null,
  category: Category | null,
): PolicyRule | undefined {
  return policy.rules.find(
    (rule) =>
      rule.service === service &&
      (service !== 'device' || rule.deviceKind === deviceKind) &&
      ruleCoversCategory(rule, category),
  );
}

/** Every rule of a service for a category (devices: one per kind). */
export function rulesForService(policy: PolicyVersion, service: Service, category: Category | null): PolicyRule[] {
  return policy.rules.filter((rule) => rule.service === service && ruleCoversCategory(rule, category));
}

export function maxAgeOf(rule: PolicyRule, category: Category): number {
  return rule.maxAge ?? defaultMaxAgeYears(category);
}

export type EligibilityProblem = 'CATEGORY_NOT_COVERED' | 'INELIGIBLE_AGE';

/**
 * Whether a child of this category and age may receive a service under the policy. With no
 * device kind given, a device referral is eligible when any kind of device is.
 */
export function eligibilityProblem(
  policy: PolicyVersion,
  service: Service,
  deviceKind: DeviceKind | null,
  category: Category | null,
  ageYears: number,
): EligibilityProblem | null {
  const rules =
    service === 'device' && deviceKind === null
      ? rulesForService(policy, service, category)
      : [findRule(policy, service, deviceKind, category)].filter((rule) => rule !== undefined);
  if (rules.length === 0 || category === null) return 'CATEGORY_NOT_COVERED';
  return rules.some((rule) => ageYears <= maxAgeOf(rule, category)) ? null : 'INELIGIBLE_AGE';
}
