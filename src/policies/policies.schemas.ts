import { z } from 'zod';
import { CATEGORIES, DEVICE_KINDS, isMonthlyService, SERVICES } from '../domain/vocabulary.js';
import { DateString, Id, MoneyInput, MoneyOutput, RegionCode, Text, Timestamp } from '../http/schemas.js';

export const PolicyRuleInput = z
  .object({
    service: z.enum(SERVICES),
    deviceKind: z.enum(DEVICE_KINDS).nullish(),
    categories: z
      .array(z.enum(CATEGORIES))
      .min(1)
      .refine((categories) => new Set(categories).size === categories.length, 'a category is listed twice')
      .nullish()
      .meta({ description: 'Null or omitted: every category' }),
    annualLimit: MoneyInput.nullish().meta({ description: 'Per child, per calendar year of the service' }),
    monthlyLimit: MoneyInput.nullish().meta({ description: 'Per month of a training or early-intervention claim' }),
    oncePerChildLimit: MoneyInput.nullish().meta({ description: 'Over the child’s whole history' }),
    maxAge: z.number().int().min(0).max(18).nullish().meta({ description: 'Full years; omitted: the category’s limit' }),
  })
  .strict()
  .superRefine((rule, issues) => {
    if ((rule.service === 'device') !== Boolean(rule.deviceKind)) {
      issues.addIssue({ code: 'custom', path: ['deviceKind'], message: 'deviceKind is required for devices and only for devices' });
    }
    if (!rule.annualLimit && !rule.monthlyLimit && !rule.oncePerChildLimit) {
      issues.addIssue({ code: 'custom', path: ['annualLimit'], message: 'a rule needs at least one limit' });
    }
    if (rule.monthlyLimit && !isMonthlyService(rule.service)) {
      issues.addIssue({ code: 'custom', path: ['monthlyLimit'], message: 'only training and early intervention have a monthly limit' });
    }
    if (rule.oncePerChildLimit && isMonthlyService(rule.service)) {
      issues.addIssue({ code: 'custom', path: ['oncePerChildLimit'], message: 'training and early intervention are limited per year, not once per child' });
    }
  });
export type PolicyRuleInput = z.infer<typeof PolicyRuleInput>;

/** Two rules that could both apply to one claim make the version ambiguous. */
function overlappingRules(rules: PolicyRuleInput[]): [number, number] | null {
  for (let first = 0; first < rules.length; first++) {
    for (let second = first + 1; second < rules.length; second++) {
      const a = rules[first]!;
      const b = rules[second]!;
      if (a.service !== b.service || (a.deviceKind ?? null) !== (b.deviceKind ?? null)) continue;
      const shared = !a.categories || !b.categories || a.categories.some((category) => b.categories!.includes(category));
      if (shared) return [first, second];
    }
  }
  return null;
}

export const CreatePolicyBody = z
  .object({
    name: Text(100),
    effectiveFrom: DateString,
    regionCode: RegionCode.nullish().meta({ description: 'Null or omitted: the default for every region' }),
    rules: z.array(PolicyRuleInput).min(1).max(100),
  })
  .strict()
  .superRefine((body, issues) => {
    const overlap = overlappingRules(body.rules);
    if (overlap) {
      issues.addIssue({
        code: 'custom',
        path: ['rules', overlap[1]],
        message: `rules ${overlap[0]} and ${overlap[1]} both apply to the same service and category`,
      });
    }
  });
export type CreatePolicyBody = z.infer<typeof CreatePolicyBody>;

export const PolicyRuleSchema = z.object({
  service: z.enum(SERVICES),
  deviceKind: z.enum(DEVICE_KINDS).nullable(),
  categories: z.array(z.enum(CATEGORIES)).nullable(),
  annualLimit: MoneyOutput.nullable(),
  monthlyLimit: MoneyOutput.nullable(),
  oncePerChildLimit: MoneyOutput.nullable(),
  maxAge: z.number().int().nullable(),
});

export const PolicySchema = z.object({
  id: Id,
  name: z.string(),
  effectiveFrom: z.string(),
  regionCode: z.string().nullable(),
  rules: z.array(PolicyRuleSchema),
  createdAt: Timestamp,
  status: z.enum(['pending', 'approved', 'withdrawn']).meta({
    description: 'pending: waits for a second admin’s approval and is not applied; approved: applied from effectiveFrom; withdrawn: never applied',
  }),
  createdBy: Id.nullable(),
  approvedBy: Id.nullable(),
  approvedAt: Timestamp.nullable(),
  withdrawnAt: Timestamp.nullable(),
  withdrawalReason: z.string().nullable(),
});

export const WithdrawPolicyBody = z.object({ reason: Text(500) }).strict();
