import { z } from 'zod';
import { REGION_ROLES, ROLES } from '../domain/vocabulary.js';
import { Id, RegionCode, Text, Timestamp } from '../http/schemas.js';

export const CreateUserBody = z
  .object({
    name: Text(100),
    role: z.enum(ROLES),
    regionCode: RegionCode.nullish(),
    institutionId: Id.nullish(),
  })
  .strict()
  .superRefine((body, issues) => {
    const needsRegion = REGION_ROLES.includes(body.role);
    if (needsRegion && !body.regionCode) {
      issues.addIssue({ code: 'custom', path: ['regionCode'], message: `regionCode is required for role ${body.role}` });
    }
    if (!needsRegion && body.regionCode) {
      issues.addIssue({ code: 'custom', path: ['regionCode'], message: `role ${body.role} has no region` });
    }
    if (body.role === 'institution' && !body.institutionId) {
      issues.addIssue({ code: 'custom', path: ['institutionId'], message: 'institutionId is required for role institution' });
    }
    if (body.role !== 'institution' && body.institutionId) {
      issues.addIssue({ code: 'custom', path: ['institutionId'], message: `role ${body.role} has no institution` });
    }
  });
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UserSchema = z.object({
  id: Id,
  name: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string().nullable(),
  institutionId: z.string().nullable(),
  bootstrap: z.boolean().meta({ description: 'The admin created from BOOTSTRAP_ADMIN_TOKEN; its token stops when the first personal admin is created' }),
  disabledAt: Timestamp.nullable().meta({ description: 'Set when the user was disabled: its token answers 401' }),
  createdAt: Timestamp,
});

export const CreatedUserSchema = UserSchema.extend({
  token: z.string().meta({ description: 'The bearer token. Shown only in this answer; only its hash is stored.' }),
});
