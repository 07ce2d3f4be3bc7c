import { z } from 'zod';
import { CATEGORIES } from '../domain/vocabulary.js';
import { Id, RegionCode, Text, Timestamp } from '../http/schemas.js';
import { ID_NUMBER_PROBLEM_MESSAGES, parseIdNumber } from '../domain/idNumber.js';

export const IdNumber = z
  .string()
  .superRefine((value, issues) => {
    const parsed = parseIdNumber(value);
    if ('problem' in parsed) {
      issues.addIssue({ code: 'custom', message: ID_NUMBER_PROBLEM_MESSAGES[parsed.problem], params: { problem: parsed.problem } });
    }
  })
  .meta({ description: '18-character resident ID number (GB 11643), check character verified', example: '511702202003150029' });

export const Guardian = z
  .object({
    name: Text(50),
    relation: Text(20).meta({ example: 'father' }),
    phone: z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, 'a phone number of digits'),
  })
  .strict();

export const RegisterChildBody = z
  .object({
    idNumber: IdNumber,
    name: Text(50),
    regionCode: RegionCode.meta({ description: 'Region of household registration or residence permit; it pays' }),
    category: z.enum(CATEGORIES),
    certificateNo: z.string().trim().min(1).max(30).nullish().meta({ description: 'Disability certificate number, if any' }),
    guardian: Guardian,
  })
  .strict();
export type RegisterChildBody = z.infer<typeof RegisterChildBody>;

export const ChildSchema = z.object({
  id: Id,
  idNumber: z.string(),
  name: z.string(),
  regionCode: z.string(),
  category: z.enum(CATEGORIES),
  certificateNo: z.string().nullable(),
  birthDate: z.string(),
  sex: z.enum(['male', 'female']),
  guardian: z.object({ name: z.string(), relation: z.string(), phone: z.string() }),
  createdAt: Timestamp,
});

/**
 * A child as finance reads it (security.md §5, least privilege): name, masked ID number and region;
 * no category, guardian or certificate.
 */
export const FinanceChildSchema = z
  .object({
    id: Id,
    name: z.string(),
    idNumberMasked: z.string().meta({ example: '511702********0029' }),
    regionCode: z.string(),
    createdAt: Timestamp,
  })
  .meta({ description: 'What finance reads of a child' });

/** A child as the caller's role reads it: in full, or finance's narrow view. */
export const ChildForRoleSchema = z.union([ChildSchema, FinanceChildSchema]);

export const ChildListQuery = z.object({
  idNumber: z.string().max(18).optional(),
  q: z.string().trim().min(1).max(50).optional().meta({ description: 'A name or part of a name, a whole ID number, or the last 6 characters of one' }),
  regionCode: RegionCode.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
