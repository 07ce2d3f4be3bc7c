import { certificateNumberProblem } from '../domain/idNumber.js';
import { z } from 'zod';
import { CATEGORIES } from '../domain/vocabulary.js';
import { DateString, Id, RegionCode, Text, Timestamp } from '../http/schemas.js';
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

const GuardianPhone = z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, 'a phone number of digits');

export const Guardian = z
  .object({
    name: Text(50),
    relation: Text(20).meta({ example: 'father' }),
    phone: GuardianPhone,
  })
  .strict();

export const VillageCode = z.string().regex(/^\d{12}$/, 'a 12-digit village code (统计用区划代码)').meta({ example: '511702001003' });

/** What PATCH refuses, with where the change is made instead. */
const NOT_BY_PATCH: Record<string, string> = {
  idNumber: 'the ID number never changes: a wrong one is a new registration, and the old record is closed',
  certificateNo: 'a certificate changes only through PUT /children/:id/certificate (and its revocation)',
  village: 'a village changes only through PUT /children/:id/village',
};

export const UpdateChildBody = z
  .object({
    name: Text(50).optional(),
    guardian: z
      .object({ name: Text(50).optional(), relation: Text(20).optional(), phone: GuardianPhone.optional() })
      .strict()
      .optional()
      .meta({ description: 'Each field optional; one left out keeps its value' }),
    idNumber: z.unknown().optional().meta({ description: 'Refused: the ID number never changes' }),
    certificateNo: z.unknown().optional().meta({ description: 'Refused: PUT /children/:id/certificate' }),
    village: z.unknown().optional().meta({ description: 'Refused: PUT /children/:id/village' }),
  })
  .strict()
  .superRefine((body, issues) => {
    for (const [field, message] of Object.entries(NOT_BY_PATCH)) {
      if (field in body) issues.addIssue({ code: 'custom', path: [field], message });
    }
    const guardianFields = Object.values(body.guardian ?? {}).filter((value) => value !== undefined);
    if (body.name === undefined && guardianFields.length === 0) issues.addIssue({ code: 'custom', path: [], message: 'send the name or the guardian’s fields to change' });
  });
export type UpdateChildBody = z.infer<typeof UpdateChildBody>;

export const RegisterChildBody = z
  .object({
    idNumber: IdNumber,
    name: Text(50),
    regionCode: RegionCode.meta({ description: 'Region of household registration or residence permit; it pays' }),
    category: z.enum(CATEGORIES).nullish().meta({ description: 'Disability category; null or omitted for a child without one (rehabilitation then covers nothing)' }),
    certificateNo: z.string().trim().min(1).max(30).nullish().meta({ description: 'Disability certificate number, if any' }),
    villageCode: VillageCode.nullish().meta({ description: '12-digit 统计用区划代码 of the village or community, starting with regionCode; required when a township registers' }),
    guardian: Guardian,
  })
  .strict()
  .superRefine((body, issues) => {
    if (body.villageCode && !body.villageCode.startsWith(body.regionCode)) {
      issues.addIssue({ code: 'custom', path: ['villageCode'], message: 'a village of the child’s region: its code starts with regionCode' });
    }
    const certificate = body.certificateNo ? certificateNumberProblem(body.idNumber, body.certificateNo) : null;
    if (certificate) issues.addIssue({ code: 'custom', path: ['certificateNo'], message: certificate.message, params: { hint: certificate.hint } });
  });
export type RegisterChildBody = z.infer<typeof RegisterChildBody>;

export const VillageBody = z.object({ villageCode: VillageCode }).strict();

export const ChildSchema = z.object({
  id: Id,
  idNumber: z.string(),
  name: z.string(),
  regionCode: z.string(),
  category: z.enum(CATEGORIES).nullable(),
  certificateNo: z.string().nullable(),
  villageCode: z.string().nullable(),
  townshipCode: z.string().nullable().meta({ description: 'The first 9 digits of villageCode' }),
  townshipName: z.string().nullable().meta({ description: 'From the division table; an unknown code reads as itself' }),
  villageName: z.string().nullable().meta({ description: 'From the division table; an unknown code reads as itself' }),
  certificateIssuedOn: z.string().nullable().meta({ description: 'When the certificate was issued, if it was recorded with PUT /children/:id/certificate' }),
  birthDate: z.string(),
  sex: z.enum(['male', 'female']),
  guardian: z.object({ name: z.string(), relation: z.string(), phone: z.string() }),
  registeredByInstitutionId: Id.nullable().meta({ description: 'The institution that registered the child (it may correct the record while it serves the child); null when a reviewer did' }),
  createdAt: Timestamp,
  closedAt: Timestamp.nullable().meta({ description: 'When a reviewer closed the record (registered under a wrong ID number); a closed record takes no new application, enrolment or case' }),
  closedReason: z.string().nullable(),
});

/** POST /children/:id/close: why the record ends (e.g. registered under a wrong ID number). */
export const CloseChildBody = z.object({
  reason: z.string().trim().min(2).max(500).meta({ example: '身份证号登记错误，已按正确号码重新登记' }),
});
export type CloseChildBody = z.infer<typeof CloseChildBody>;

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

export const CertificateBody = z
  .object({
    certificateNo: z.string().trim().min(1).max(30).meta({ description: 'Disability certificate number (残疾人证号)' }),
    issuedOn: DateString.meta({ description: 'The day the certificate was issued (today or earlier)' }),
  })
  .strict();
export type CertificateBody = z.infer<typeof CertificateBody>;

export const RevokeCertificateBody = z
  .object({
    on: DateString.meta({ description: 'The day the certificate was revoked (注销), today or earlier; the care allowance stops from the next month' }),
    reason: Text(500),
  })
  .strict();
export type RevokeCertificateBody = z.infer<typeof RevokeCertificateBody>;
