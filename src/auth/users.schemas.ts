import { z } from 'zod';
import { DEPARTMENTS, REGION_ROLES, ROLES } from '../domain/vocabulary.js';
import { Id, RegionCode, Text, Timestamp } from '../http/schemas.js';
import { AccountFields, Username } from './auth.schemas.js';

export const CreateUserBody = z
  .object({
    name: Text(100),
    username: Username.optional().meta({ description: 'The sign-in name; made by the service when omitted' }),
    role: z.enum(ROLES),
    regionCode: RegionCode.nullish(),
    institutionId: Id.nullish(),
    townshipCode: z
      .string()
      .regex(/^\d{9}$/, 'a 9-digit township code: the county’s 6 digits and the 乡镇 / 街道’s 3')
      .nullish()
      .meta({ description: 'Role township: its 乡镇 / 街道 (the user’s regionCode is the first 6 digits)', example: '511702101' }),
    department: z.enum(DEPARTMENTS).nullish().meta({ description: 'Role department: 县卫健局 health, 县教育局 education, 县人社局 human_resources' }),
  })
  .strict()
  .superRefine((body, issues) => {
    const needsRegion = REGION_ROLES.includes(body.role);
    if (needsRegion && !body.regionCode) {
      issues.addIssue({ code: 'custom', path: ['regionCode'], message: `regionCode is required for role ${body.role}` });
    }
    // A township's region is the first 6 digits of its code: given, it must say the same.
    const regionAllowed = needsRegion || (body.role === 'township' && body.townshipCode && body.regionCode === body.townshipCode.slice(0, 6));
    if (!regionAllowed && body.regionCode) {
      issues.addIssue({ code: 'custom', path: ['regionCode'], message: body.role === 'township' ? 'a township’s regionCode is the first 6 digits of its townshipCode' : `role ${body.role} has no region` });
    }
    if (body.role === 'township' && !body.townshipCode) issues.addIssue({ code: 'custom', path: ['townshipCode'], message: 'townshipCode is required for role township' });
    if (body.role !== 'township' && body.townshipCode) issues.addIssue({ code: 'custom', path: ['townshipCode'], message: `role ${body.role} has no township` });
    if (body.role === 'department' && !body.department) issues.addIssue({ code: 'custom', path: ['department'], message: 'department is required for role department' });
    if (body.role !== 'department' && body.department) issues.addIssue({ code: 'custom', path: ['department'], message: `role ${body.role} has no department` });
    if (body.role === 'institution' && !body.institutionId) {
      issues.addIssue({ code: 'custom', path: ['institutionId'], message: 'institutionId is required for role institution' });
    }
    if (body.role !== 'institution' && body.institutionId) {
      issues.addIssue({ code: 'custom', path: ['institutionId'], message: `role ${body.role} has no institution` });
    }
  });
export type CreateUserBody = z.infer<typeof CreateUserBody>;

const PersonRef = z.object({ id: Id, name: z.string() });

export const UserSchema = z.object({
  ...AccountFields,
  bootstrap: z.boolean().meta({ description: 'The admin created from BOOTSTRAP_ADMIN_TOKEN; its token stops when the first personal admin activates' }),
  disabledAt: Timestamp.nullable().meta({ description: 'Set when the user was disabled: their sessions and API tokens ended' }),
  activated: z.boolean().meta({ description: 'The owner has set a password' }),
  activationExpiresAt: Timestamp.nullable().meta({ description: 'When the outstanding activation code stops working' }),
  secondFactor: z.boolean(),
  pending: z
    .object({ action: z.enum(['create', 'reset', 'enable']), requestedBy: PersonRef, requestedAt: Timestamp })
    .nullable()
    .meta({ description: 'A creation, reset or enabling waiting for a second admin (POST /users/:id/confirm)' }),
  lastSignedInAt: Timestamp.nullable(),
  createdAt: Timestamp,
});

/** The answer of POST /users and POST /users/:id/reset: the account and its activation code, once. */
export const UserWithActivationSchema = UserSchema.extend({
  activationCode: z.string().meta({ description: '12 characters, shown only in this answer (stored as a hash); works once, for 72 hours' }),
  activationExpiresAt: Timestamp,
});
