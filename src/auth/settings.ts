// How sign-in, sessions and passwords behave (security.md §1), from the configuration. The rules
// that the spec fixes are constants here; what an office may set comes from the environment.

export const SECOND_FACTOR_SETTINGS = ['all', 'admins', 'none'] as const;
export type SecondFactorSetting = (typeof SECOND_FACTOR_SETTINGS)[number];

export interface AuthSettings {
  /** Who must have a second factor: every role, admins and auditors, or nobody (a demo, a test). */
  requireSecondFactor: SecondFactorSetting;
  /** A session ends after this long without a request. */
  sessionIdleMinutes: number;
  /** A session ends this long after sign-in, used or not. */
  sessionMaxHours: number;
  /** A password older than this must be changed at the next sign-in; 0: never. */
  passwordMaxAgeDays: number;
  /** Failures of one name from one address within the lockout window that lock the pair. */
  signInMaxFailures: number;
  signInLockMinutes: number;
  /**
   * argon2id's cost: OWASP's 19 MiB and 2 passes (≈ 70 ms a hash on this project's machines). The
   * HTTP tests lower it to keep thousands of sign-ins fast; the hash records its own parameters, so
   * a verification always uses the cost the password was hashed with.
   */
  passwordHashCost: { memoryKiB: number; passes: number };
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  requireSecondFactor: 'all',
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  passwordMaxAgeDays: 90,
  signInMaxFailures: 5,
  signInLockMinutes: 15,
  passwordHashCost: { memoryKiB: 19_456, passes: 2 },
};

/** Failures of one name from one address count within this window (security.md: 15 minutes). */
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
/** Failed sign-ins and activations of one address: after more than this many within the window, 429. */
export const ADDRESS_FAILURE_LIMIT = 30;
export const ADDRESS_WINDOW_MS = 60_000;
/** An activation code works once, for 72 hours. */
export const ACTIVATION_VALID_MS = 72 * 3600_000;
/** An API token lives at most 366 days, 90 by default. */
export const API_TOKEN_MAX_DAYS = 366;
export const API_TOKEN_DEFAULT_DAYS = 90;
/** A password may not be one of the user's last five. */
export const PASSWORD_HISTORY_LENGTH = 5;
export const RECOVERY_CODE_COUNT = 10;

/**
 * How long an instance trusts what it read about a session or token before reading it again. A
 * sign-out, disable or reset on another instance reaches this one within this time; the spec allows
 * five seconds, so four leave a margin for the request in flight.
 */
export const CREDENTIAL_CACHE_MS = 4_000;

/** Whether the setting asks this role for a second factor. */
export function secondFactorRequired(setting: SecondFactorSetting, role: string): boolean {
  if (setting === 'all') return true;
  if (setting === 'admins') return role === 'admin' || role === 'auditor';
  return false;
}

/**
 * How often a session's last use is written: a write on every request would cost the database a
 * row update per request, so it is written once it is this much older than the truth (the instance
 * that serves the session keeps the exact time in memory).
 */
export function lastUseGranularityMs(settings: AuthSettings): number {
  return Math.min(60_000, Math.floor((settings.sessionIdleMinutes * 60_000) / 10));
}
