import { z } from 'zod';
import { PARENT_SITUATIONS, PROTECTION_CATEGORIES, REVIEW_ROUTES, SEVERE_BASES } from '../domain/protectionVocabulary.js';
import { DateString, Id, RegionCode, Text, Timestamp } from '../http/schemas.js';

// Criteria versions and the county review's route tables (protection.md §3, §4.4), as an admin
// writes them and everyone reads them.

const Minimum = z
  .object({
    minElapsedMonths: z.number().int().min(1).max(120).optional(),
    minTermMonths: z.number().int().min(1).max(120).optional(),
  })
  .strict();

const Situation = z.enum(PARENT_SITUATIONS);

export const CriteriaBody = z
  .object({
    name: Text(200),
    effectiveFrom: DateString,
    regionCode: RegionCode.nullable().default(null).meta({ description: 'Null: the default of every region without its own' }),
    deFactoUnsupported: z
      .object({
        absent: z.array(Situation).min(1).max(PARENT_SITUATIONS.length),
        qualifying: z.partialRecord(Situation, Minimum).refine((qualifying) => Object.keys(qualifying).length > 0, 'at least one qualifying situation'),
      })
      .strict()
      .refine((rule) => !rule.absent.some((situation) => situation in rule.qualifying), 'a situation is absent or qualifying, not both'),
    extremePovertyUnderAge: z.number().int().min(1).max(18),
  })
  .strict();
export type CriteriaBody = z.infer<typeof CriteriaBody>;

export const CriteriaSchema = z.object({
  id: Id,
  name: z.string(),
  effectiveFrom: z.string(),
  regionCode: z.string().nullable(),
  deFactoUnsupported: z.object({ absent: z.array(z.string()), qualifying: z.record(z.string(), z.object({ minElapsedMonths: z.number().optional(), minTermMonths: z.number().optional() })) }),
  extremePovertyUnderAge: z.number().int(),
  createdAt: Timestamp,
});

const RouteCondition = z
  .object({
    route: z.enum(REVIEW_ROUTES),
    categories: z.array(z.enum(PROTECTION_CATEGORIES)).min(1).nullable().default(null).meta({ description: 'A claimed category among these; null: any' }),
    severeBasis: z.array(z.enum(SEVERE_BASES)).min(1).nullable().default(null).meta({ description: 'The case’s severeBasis among these; null: any' }),
    schoolingSupport: z.boolean().nullable().default(null).meta({ description: 'schoolingSupport equal to this; null: any' }),
  })
  .strict();

export const RoutesBody = z
  .object({ routes: z.array(RouteCondition).min(1).max(50) })
  .strict()
  .refine((body) => body.routes.some((route) => route.route === 'civil_affairs'), { message: 'a table has the civil_affairs route (it recognises or refuses)', path: ['routes'] });
export type RoutesBody = z.infer<typeof RoutesBody>;

export const RoutesParams = z.object({ regionCode: z.union([RegionCode, z.literal('default')]) });
export const RoutesQuery = z.object({ regionCode: RegionCode.optional().meta({ description: 'Default: the caller’s region; an admin may name any, or omit it for the default table' }) });

export const RoutesSchema = z.object({
  regionCode: z.string().nullable().meta({ description: 'Null for the default table' }),
  source: z.enum(['region', 'default']),
  routes: z.array(
    z.object({
      route: z.enum(REVIEW_ROUTES),
      categories: z.array(z.enum(PROTECTION_CATEGORIES)).nullable(),
      severeBasis: z.array(z.enum(SEVERE_BASES)).nullable(),
      schoolingSupport: z.boolean().nullable(),
    }),
  ),
});
