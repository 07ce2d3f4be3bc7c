import { z } from 'zod';
import { SERVICES } from '../domain/vocabulary.js';
import { ServiceList } from '../institutions/institutions.schemas.js';
import { BooleanQuery, DateString, Id, Text, Timestamp, TimingFields } from '../http/schemas.js';

export const Year = z.number().int().min(2000).max(2100);

export const FileApplicationBody = z
  .object({
    childId: Id,
    year: Year,
    services: ServiceList,
    institutionId: Id.nullish().meta({ description: 'The guardian’s preferred institution' }),
    receivedOn: DateString.optional().meta({ description: '受理日期: the day the application was received (today or earlier; default today); the review deadline counts from it' }),
  })
  .strict();
export type FileApplicationBody = z.infer<typeof FileApplicationBody>;

export const ApproveApplicationBody = z
  .object({ institutionId: Id.optional().meta({ description: 'Refer to this institution instead of the preferred one' }) })
  .strict()
  // Fastify hands a request without a body to validation as null.
  .nullish();

export const RejectBody = z.object({ reason: Text(500) }).strict();

export const DropoutBody = z.object({ date: DateString, reason: Text(500).optional() }).strict();

export const ApplicationSchema = z.object({
  id: Id,
  childId: Id,
  year: z.number().int(),
  services: z.array(z.enum(SERVICES)),
  status: z.enum(['pending', 'approved', 'rejected']),
  preferredInstitutionId: z.string().nullable(),
  institutionId: z.string().nullable().meta({ description: 'The referred institution, once approved' }),
  filedBy: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: Timestamp.nullable(),
  rejectionReason: z.string().nullable(),
  droppedOutOn: z.string().nullable(),
  dropoutReason: z.string().nullable(),
  createdAt: Timestamp,
  ...TimingFields,
});

export const ApplicationListQuery = z.object({
  childId: Id.optional(),
  status: z.enum(['pending', 'approved', 'rejected']).optional().meta({ description: 'pending lists by due date, the earliest first' }),
  overdue: BooleanQuery.optional().meta({ description: 'true: only pending applications past their due date' }),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  institutionId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type ApplicationListQuery = z.infer<typeof ApplicationListQuery>;
