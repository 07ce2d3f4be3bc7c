import { z } from 'zod';
import { COVER_FROM_RULES, PROTECTION_CATEGORIES } from '../domain/protectionVocabulary.js';
import { EVIDENCE_KINDS } from '../domain/evidence.js';
import { MAX_REPORT_ACKNOWLEDGE_HOURS, MAX_VISIT_CADENCE_MONTHS, MIN_VISIT_CADENCE_MONTHS, VISIT_CADENCE_KEYS } from '../domain/protectionVisitRule.js';
import { SERVICES } from '../domain/vocabulary.js';
import { MoneyInput, MoneyOutput, RegionCode, Timestamp } from '../http/schemas.js';

export const RegionParams = z.object({ regionCode: RegionCode });

const WorkingDays = z.number().int().min(1).max(60).nullable().optional();


const EvidenceKinds = z
  .array(z.enum(EVIDENCE_KINDS))
  .max(EVIDENCE_KINDS.length)
  .refine((kinds) => new Set(kinds).size === kinds.length, 'each kind once');

/** The evidence kinds each service needs: {"training": ["attendance", "invoice"], ...}. */
export const RequiredEvidenceSchema = z
  .object(Object.fromEntries(SERVICES.map((service) => [service, EvidenceKinds.optional()])) as Record<(typeof SERVICES)[number], z.ZodOptional<typeof EvidenceKinds>>)
  .strict()
  .meta({ description: 'The evidence kinds (attendance, invoice, discharge_summary, prescription, device_receipt, other) each service needs before approval', example: { training: ['attendance', 'invoice'] } });

const OfficeName = z.string().trim().min(2).max(60).nullable().optional();

/** The county's offices as documents name them (每份文书的出具单位). */
export const AuthoritiesBody = z
  .object({
    disabledPersonsFederation: OfficeName.meta({ description: '残疾人联合会, e.g. 达州市通川区残疾人联合会: issues the batch statements and reconciliation reports' }),
    civilAffairs: OfficeName.meta({ description: '民政局, e.g. 达州市通川区民政局: issues the care allowance’s notices, summaries and bank lists' }),
    finance: OfficeName.meta({ description: '财政局, e.g. 达州市通川区财政局: named where finance signs' }),
  })
  .strict();
export type AuthoritiesBody = z.infer<typeof AuthoritiesBody>;

const CadenceMonths = z.number().int().min(MIN_VISIT_CADENCE_MONTHS).max(MAX_VISIT_CADENCE_MONTHS);

/** Months between visits (走访) per category, the orphan by living arrangement (protection.md §9). */
export const VisitCadenceBody = z
  .object(Object.fromEntries(VISIT_CADENCE_KEYS.map((key) => [key, CadenceMonths.optional()])) as Record<(typeof VISIT_CADENCE_KEYS)[number], z.ZodOptional<typeof CadenceMonths>>)
  .strict()
  .meta({
    description: 'Whole months (1–12) between visits per key; a key left out keeps the seeded default',
    example: { orphan_scattered: 1, orphan_institution: 3, de_facto_unsupported: 1, guardianship_lacking: 1, severe_illness_disability: 3, extreme_poverty: 3, poor_family: 3, temporary: 3 },
  });

export const VisitCadenceSchema = z.object(Object.fromEntries(VISIT_CADENCE_KEYS.map((key) => [key, z.number().int()])) as Record<(typeof VISIT_CADENCE_KEYS)[number], z.ZodNumber>);

export const AuthoritiesSchema = z.object({ disabledPersonsFederation: z.string().nullable(), civilAffairs: z.string().nullable(), finance: z.string().nullable() });

export const RegionSettingsBody = z
  .object({
    reviewWorkingDays: z.number().int().min(1).max(60).nullable().optional().meta({
      description: 'Working days a reviewer has to decide an application or a claim; null returns to the default (5)',
    }),
    supervisionPhone: z
      .string()
      .trim()
      .regex(/^[0-9][0-9-]{4,19}$/, 'a telephone number: digits, with dashes, e.g. 0818-2123456')
      .nullable()
      .optional()
      .meta({ description: '监督电话 printed on public notices; null removes it' }),
    townshipCheckWorkingDays: WorkingDays.meta({ description: 'Children in difficulty: working days of the township’s check (核查); null returns to the default (5)' }),
    protectionNoticeWorkingDays: WorkingDays.meta({ description: 'Children in difficulty: working days a village notice (公示) runs; null returns to the default (5)' }),
    countyReviewWorkingDays: WorkingDays.meta({ description: 'Children in difficulty: working days of the county review (复核); null returns to the default (5)' }),
    protectionNoNoticeCategories: z
      .array(z.enum(PROTECTION_CATEGORIES))
      .max(PROTECTION_CATEGORIES.length)
      .refine((categories) => new Set(categories).size === categories.length, 'each category once')
      .nullable()
      .optional()
      .meta({ description: 'Categories never posted in a village; null returns to the default (orphan, de_facto_unsupported, severe_illness_disability, guardianship_lacking)' }),
    protectionCoverFrom: z.enum(COVER_FROM_RULES).nullable().optional().meta({ description: 'The first month covered after recognition; null returns to the default (next_month)' }),
    visitCadenceMonths: VisitCadenceBody.nullable().optional().meta({ description: 'Children in difficulty: months between visits per category; null returns to the default' }),
    reportAcknowledgeHours: z
      .number()
      .int()
      .min(1)
      .max(MAX_REPORT_ACKNOWLEDGE_HOURS)
      .nullable()
      .optional()
      .meta({ description: 'Children in difficulty: hours civil affairs has to acknowledge a mandatory report (1–72); null returns to the default (2)' }),
    requiredEvidence: RequiredEvidenceSchema.nullable().optional().meta({ description: 'The evidence each service needs before approval; null: none' }),
    authorities: AuthoritiesBody.nullable().optional().meta({ description: 'The names of the county’s offices that documents print as their issuer; null removes them' }),
  })
  .strict();
export type RegionSettingsBody = z.infer<typeof RegionSettingsBody>;

export const RegionSettingsSchema = z.object({
  regionCode: z.string(),
  reviewWorkingDays: z.number().int().meta({ description: 'In force: the region’s own number, or the default 5' }),
  reviewWorkingDaysIsDefault: z.boolean(),
  supervisionPhone: z.string().nullable(),
  townshipCheckWorkingDays: z.number().int().meta({ description: 'In force: the region’s own number, or the default 5' }),
  protectionNoticeWorkingDays: z.number().int(),
  countyReviewWorkingDays: z.number().int(),
  protectionNoNoticeCategories: z.array(z.enum(PROTECTION_CATEGORIES)),
  protectionCoverFrom: z.enum(COVER_FROM_RULES),
  visitCadenceMonths: VisitCadenceSchema.meta({ description: 'In force: each key the region’s own months, or the default' }),
  reportAcknowledgeHours: z.number().int().meta({ description: 'In force: the region’s own hours, or the default 2' }),
  requiredEvidence: RequiredEvidenceSchema.meta({ description: 'The evidence kinds each service needs ({} when none)' }),
  authorities: AuthoritiesSchema.meta({ description: 'The offices documents name as their issuer (null where unset: the document names the region)' }),
  updatedAt: Timestamp.nullable(),
});

export const RequiredEvidenceAnswer = z.object({ regionCode: z.string(), requiredEvidence: RequiredEvidenceSchema });

export const BudgetParams = z.object({ regionCode: RegionCode, year: z.coerce.number().int().min(2000).max(2100) });

export const BudgetBody = z
  .object({
    rehabilitation: MoneyInput.nullable().optional().meta({ description: 'Rehabilitation assistance (康复救助) budget of the year; null removes it' }),
    allowanceCounty: MoneyInput.nullable().optional().meta({ description: 'Care allowance from the county budget (关爱补贴, 县本级财政)' }),
    allowanceHardship: MoneyInput.nullable().optional().meta({ description: 'Care allowance from the hardship fund (护理补贴提标, 困难群众资金)' }),
    protectionBasicLiving: MoneyInput.nullable().optional().meta({ description: 'Basic living of children in difficulty (困境儿童基本生活费)' }),
  })
  .strict();
export type BudgetBody = z.infer<typeof BudgetBody>;

export const BudgetSchema = z.object({
  regionCode: z.string(),
  year: z.number().int(),
  rehabilitation: MoneyOutput.nullable(),
  allowanceCounty: MoneyOutput.nullable(),
  allowanceHardship: MoneyOutput.nullable(),
  protectionBasicLiving: MoneyOutput.nullable(),
  updatedAt: Timestamp.nullable(),
});

export const RegionNameSchema = z.object({
  regionCode: z.string(),
  name: z.string().meta({ example: '通川区' }),
  city: z.string().nullable().meta({ example: '达州市' }),
  province: z.string().nullable().meta({ example: '四川省' }),
  fullName: z.string().meta({ example: '四川省达州市通川区' }),
});
