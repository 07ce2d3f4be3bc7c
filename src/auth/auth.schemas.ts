import { z } from 'zod';
import { DEPARTMENTS, ROLES } from '../domain/vocabulary.js';
import { DateString, Id, Timestamp } from '../http/schemas.js';

// The wire forms of sign-in, sessions, the second factor and API tokens (security.md §1).

/** A username as typed: compared without case; the service stores it in lower case. */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, '3–32 characters of a-z 0-9 . _ -')
  .meta({ example: 'zhang.hao' });

/** What a person types into the sign-in form: bounded, never checked further (any name answers alike). */
const TypedName = z.string().max(200);
const TypedPassword = z.string().max(1000);
const TypedCode = z.string().max(100);

export const SignInBody = z.object({ username: TypedName, password: TypedPassword, otp: TypedCode.nullish() }).strict();
export const ActivateBody = z.object({ username: TypedName, activationCode: TypedCode, password: TypedPassword }).strict();

/** Who an account is: the fields every answer about a user carries. */
export const AccountFields = {
  id: Id,
  name: z.string(),
  username: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string().nullable(),
  institutionId: z.string().nullable(),
  townshipCode: z.string().nullable().meta({ description: 'A township user’s 乡镇 / 街道 (9 digits)' }),
  department: z.enum(DEPARTMENTS).nullable().meta({ description: 'A department user’s county department' }),
};

export const MeSchema = z.object({
  ...AccountFields,
  bootstrap: z.boolean(),
  mustChangePassword: z.boolean().meta({ description: 'Only the account’s own pages work until the password is changed' }),
  mustSetUpSecondFactor: z.boolean().meta({ description: 'Only the account’s own pages work until a second factor is set up' }),
  passwordExpiresOn: DateString.nullable().meta({ description: 'China date from which the password must be changed at sign-in (PASSWORD_MAX_AGE_DAYS)' }),
  secondFactor: z.object({ enabled: z.boolean(), required: z.boolean() }),
  credential: z.enum(['session', 'token']),
  session: z.object({ id: Id, expiresAt: Timestamp, idleTimeoutSeconds: z.number().int() }).nullable(),
});

export const ResetNoticeSchema = z
  .object({ at: Timestamp, by: z.object({ id: Id, name: z.string() }), confirmedBy: z.object({ id: Id, name: z.string() }).nullable() })
  .meta({ description: 'Set at the first sign-in after an admin reset the account: who reset it and when' });

export const SignInAnswer = z.object({
  user: MeSchema,
  session: z.object({ id: Id, expiresAt: Timestamp, idleTimeoutSeconds: z.number().int() }),
  csrfToken: z.string().meta({ description: 'Send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE of this session' }),
  mustChangePassword: z.boolean(),
  mustSetUpSecondFactor: z.boolean(),
  passwordExpiresOn: DateString.nullable(),
  resetNotice: ResetNoticeSchema.nullable(),
});

export const SessionAnswer = SignInAnswer.omit({ resetNotice: true });

export const ChangePasswordBody = z
  .object({
    currentPassword: TypedPassword.optional().meta({ description: 'Required once the account has a password' }),
    newPassword: TypedPassword,
  })
  .strict();

export const OtpBody = z.object({ otp: TypedCode }).strict();

export const TotpSetupAnswer = z.object({
  secret: z.string().meta({ description: 'Base32, for typing into an authenticator app' }),
  otpauthUri: z.string(),
  qrCodeSvg: z.string().meta({ description: 'The otpauth URI as a QR code (SVG)' }),
});

export const RecoveryCodesAnswer = z.object({
  enabled: z.literal(true),
  recoveryCodes: z.array(z.string()).meta({ description: 'Ten single-use codes, accepted in place of otp; shown only now' }),
});

export const SessionItem = z.object({
  id: Id,
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  expiresAt: Timestamp,
  clientAddress: z.string(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

export const CreateTokenBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    expiresOn: DateString.optional().meta({ description: 'China date through which the token works; at most 366 days ahead, default 90' }),
  })
  .strict();

export const TokenItem = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(['personal', 'legacy', 'password_setup', 'bootstrap']),
  createdAt: Timestamp,
  expiresOn: DateString.nullable(),
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});

export const CreatedToken = z.object({
  id: Id,
  name: z.string(),
  token: z.string().meta({ description: 'The bearer token: shown only in this answer; only its hash is stored' }),
  expiresOn: DateString,
});
