import { chinaDate } from '../domain/chinaTime.js';
import type { Department, Role } from '../domain/vocabulary.js';
import type { Actor } from '../http/context.js';
import { iso } from '../http/schemas.js';
import type { Authentication } from './authenticator.js';
import { secondFactorRequired, type AuthSettings } from './settings.js';
import type { UserRow } from './users.repository.js';

// How a user appears to services (the actor) and to themselves (GET /me, the sign-in answer).

export function toActor(row: UserRow): Actor {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    regionCode: row.regionCode,
    institutionId: row.institutionId,
    townshipCode: row.townshipCode,
    department: row.department as Department | null,
    bootstrap: row.bootstrap,
  };
}

/** The China date from which the password must be changed at sign-in; null when it never expires. */
export function passwordExpiresOn(user: UserRow, settings: AuthSettings): string | null {
  if (settings.passwordMaxAgeDays <= 0 || !user.passwordChangedAt) return null;
  return chinaDate(new Date(user.passwordChangedAt.getTime() + settings.passwordMaxAgeDays * 86_400_000));
}

export function passwordExpired(user: UserRow, settings: AuthSettings, now: Date): boolean {
  return settings.passwordMaxAgeDays > 0 && user.passwordChangedAt !== null && now.getTime() >= user.passwordChangedAt.getTime() + settings.passwordMaxAgeDays * 86_400_000;
}

/** The account as the person signed in sees it. */
export function presentMe(auth: Authentication, settings: AuthSettings) {
  const { user } = auth;
  const required = secondFactorRequired(settings.requireSecondFactor, user.role);
  return {
    ...presentAccount(user),
    bootstrap: user.bootstrap,
    mustChangePassword: auth.mustChangePassword,
    mustSetUpSecondFactor: auth.credential === 'session' && required && !user.totpEnabledAt,
    passwordExpiresOn: passwordExpiresOn(user, settings),
    secondFactor: { enabled: Boolean(user.totpEnabledAt), required },
    credential: auth.credential,
    session:
      auth.sessionId && auth.sessionExpiresAt
        ? { id: auth.sessionId, expiresAt: iso(auth.sessionExpiresAt), idleTimeoutSeconds: settings.sessionIdleMinutes * 60 }
        : null,
  };
}

/** A user in the answer of activation: who the account is, nothing about its credentials. */
export function presentAccount(user: UserRow) {
  return {
    id: user.id,
    name: user.name,
    username: user.username,
    role: user.role as Role,
    regionCode: user.regionCode,
    institutionId: user.institutionId,
    townshipCode: user.townshipCode,
    department: user.department as Department | null,
  };
}
