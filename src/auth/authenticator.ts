import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/client.js';
import { AppError } from '../http/errors.js';
import { endSession, findSessionWithUser, findTokenWithUser, recordSessionUse, recordTokenUse, type ApiTokenKind, type SessionRow, type UserRow } from './credentials.repository.js';
import { CREDENTIAL_CACHE_MS, lastUseGranularityMs, secondFactorRequired, type AuthSettings } from './settings.js';
import { hashToken } from './tokens.js';

// Who a request comes from: a session cookie (people, in the console) or a bearer token (an
// institution's own system; the bootstrap admin; tokens of the service before sign-in existed).
// Every request authenticates, so what was read about a credential is kept for CREDENTIAL_CACHE_MS
// (4 s) on the app's clock: a sign-out, disable or reset on another instance stops the credential
// here within that time (security.md: within 5 seconds), and at once on the instance that made the
// change (it forgets the user's entries). A session's last use is kept exactly in memory and
// written to the database only once it is lastUseGranularityMs older there, so the idle timeout
// costs no write per request.

export const SESSION_COOKIE = 'rehab_session';
const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)[ ]*$/;

/** Why a signed-in person may use only their own account's pages (a restricted session). */
export type Restriction = 'PASSWORD_CHANGE_REQUIRED' | 'SECOND_FACTOR_SETUP_REQUIRED' | 'PASSWORD_SETUP_TOKEN';

export interface Authentication {
  credential: 'session' | 'token';
  user: UserRow;
  sessionId: string | null;
  csrfToken: string | null;
  sessionCreatedAt: Date | null;
  sessionExpiresAt: Date | null;
  mustChangePassword: boolean;
  tokenId: string | null;
  tokenKind: ApiTokenKind | null;
  restriction: Restriction | null;
}

interface SessionEntry {
  kind: 'session';
  loadedAtMs: number;
  found: { session: SessionRow; user: UserRow } | undefined;
  /** The last request this instance served with the session (exact), and what the database holds. */
  lastUseMs: number;
  recordedLastUseMs: number;
}

interface TokenEntry {
  kind: 'token';
  loadedAtMs: number;
  found: Awaited<ReturnType<typeof findTokenWithUser>>;
  recordedLastUseMs: number;
}

const CACHE_LIMIT = 20_000;

function unauthenticated(message: string, reason: string): AppError {
  return new AppError('UNAUTHENTICATED', message, [{ reason }]);
}

export function createAuthenticator(deps: { db: Database; clock: () => Date; settings: AuthSettings }) {
  const { db, clock, settings } = deps;
  const idleMs = settings.sessionIdleMinutes * 60_000;
  const granularityMs = lastUseGranularityMs(settings);
  // What was read, by credential hash; reads in flight are shared by concurrent requests. A read
  // that began before a forgetUser() is not kept (generation).
  const entries = new Map<string, SessionEntry | TokenEntry>();
  const inFlight = new Map<string, Promise<SessionEntry | TokenEntry>>();
  let generation = 0;

  async function entryFor(key: string, load: () => Promise<SessionEntry | TokenEntry>, nowMs: number): Promise<SessionEntry | TokenEntry> {
    const cached = entries.get(key);
    if (cached && cached.found && nowMs - cached.loadedAtMs < CREDENTIAL_CACHE_MS && nowMs >= cached.loadedAtMs) return cached;
    let reading = inFlight.get(key);
    if (!reading) {
      const startedIn = generation;
      reading = load().then((fresh) => {
        // A session keeps the last use this instance saw before it was read again.
        const previous = entries.get(key);
        if (previous?.kind === 'session' && fresh.kind === 'session') {
          fresh.lastUseMs = Math.max(fresh.lastUseMs, previous.lastUseMs);
          fresh.recordedLastUseMs = Math.max(fresh.recordedLastUseMs, previous.recordedLastUseMs);
        }
        if (startedIn === generation && fresh.found) {
          if (entries.size >= CACHE_LIMIT) entries.delete(entries.keys().next().value!);
          entries.set(key, fresh);
        } else {
          entries.delete(key);
        }
        return fresh;
      });
      inFlight.set(key, reading);
      void reading.finally(() => inFlight.delete(key)).catch(() => undefined);
    }
    return reading;
  }

  function restrictionOf(user: UserRow, mustChangePassword: boolean): Restriction | null {
    if (mustChangePassword) return 'PASSWORD_CHANGE_REQUIRED';
    if (secondFactorRequired(settings.requireSecondFactor, user.role) && !user.totpEnabledAt) return 'SECOND_FACTOR_SETUP_REQUIRED';
    return null;
  }

  async function endExpired(key: string, sessionId: string, now: Date, reason: 'idle' | 'expired') {
    entries.delete(key);
    generation += 1;
    await endSession(db, sessionId, now, reason);
  }

  async function bySession(value: string, now: Date): Promise<Authentication> {
    const nowMs = now.getTime();
    const key = `s:${hashToken(value)}`;
    const loadedAtMs = nowMs;
    const entry = (await entryFor(
      key,
      async () => {
        const found = await findSessionWithUser(db, key.slice(2));
        const recorded = found?.session.lastSeenAt.getTime() ?? 0;
        return { kind: 'session', loadedAtMs, found, lastUseMs: recorded, recordedLastUseMs: recorded };
      },
      nowMs,
    )) as SessionEntry;
    const found = entry.found;
    if (!found) {
      throw unauthenticated('the session is not known: sign in', 'SESSION_UNKNOWN');
    }
    const { session, user } = found;
    if (session.endedAt) throw unauthenticated(`the session has ended (${session.endReason ?? 'ended'}): sign in again`, 'SESSION_ENDED');
    if (user.disabledAt) throw unauthenticated('the account is disabled', 'SESSION_ENDED');
    // A session past a limit is ended for good (a clock set back, a request racing, never revive it).
    if (nowMs >= session.expiresAt.getTime()) {
      await endExpired(key, session.id, now, 'expired');
      throw unauthenticated(`the session reached its limit of ${settings.sessionMaxHours} hours: sign in again`, 'SESSION_EXPIRED');
    }
    if (nowMs - entry.lastUseMs >= idleMs) {
      await endExpired(key, session.id, now, 'idle');
      throw unauthenticated(`the session was idle for ${settings.sessionIdleMinutes} minutes: sign in again`, 'SESSION_IDLE');
    }
    entry.lastUseMs = Math.max(entry.lastUseMs, nowMs);
    if (nowMs - entry.recordedLastUseMs >= granularityMs) {
      entry.recordedLastUseMs = nowMs;
      await recordSessionUse(db, session.id, now);
    }
    return sessionAuthentication(user, session);
  }

  /** What a session lets its user do, from the session and the user as they stand. */
  function sessionAuthentication(user: UserRow, session: SessionRow): Authentication {
    return {
      credential: 'session',
      user,
      sessionId: session.id,
      csrfToken: session.csrfToken,
      sessionCreatedAt: session.createdAt,
      sessionExpiresAt: session.expiresAt,
      mustChangePassword: session.mustChangePassword,
      tokenId: null,
      tokenKind: null,
      restriction: restrictionOf(user, session.mustChangePassword),
    };
  }

  async function byToken(token: string, now: Date): Promise<Authentication> {
    const nowMs = now.getTime();
    const key = `t:${hashToken(token)}`;
    const load = async (): Promise<TokenEntry> => {
      const found = await findTokenWithUser(db, key.slice(2));
      return { kind: 'token', loadedAtMs: nowMs, found, recordedLastUseMs: found?.token.lastUsedAt?.getTime() ?? 0 };
    };
    // The bootstrap admin's and an upgraded admin's one-time token are read every time: they are
    // rare, and each closes for good at a moment another instance may cause.
    const entry = (await entryFor(key, load, nowMs)) as TokenEntry;
    const found = entry.found;
    if (!found) {
      throw unauthenticated('the token is not known', 'TOKEN_UNKNOWN');
    }
    const { token: row, user } = found;
    const kind = row.kind as ApiTokenKind;
    if (kind === 'bootstrap' || kind === 'password_setup') entries.delete(key);
    if (row.revokedAt) throw unauthenticated('the token was revoked', 'TOKEN_REVOKED');
    if (user.disabledAt) throw unauthenticated('the account is disabled', 'TOKEN_REVOKED');
    if (row.expiresAt && nowMs >= row.expiresAt.getTime()) throw unauthenticated('the token has expired', 'TOKEN_EXPIRED');
    if (nowMs - entry.recordedLastUseMs >= 60_000) {
      entry.recordedLastUseMs = nowMs;
      await recordTokenUse(db, row.id, now);
    }
    return {
      credential: 'token',
      user,
      sessionId: null,
      csrfToken: null,
      sessionCreatedAt: null,
      sessionExpiresAt: null,
      mustChangePassword: kind === 'password_setup',
      tokenId: row.id,
      tokenKind: kind,
      restriction: kind === 'password_setup' ? 'PASSWORD_SETUP_TOKEN' : null,
    };
  }

  return {
    /** The request's credential: the bearer header when sent, else the session cookie; 401 otherwise. */
    async authenticate(request: FastifyRequest, now: Date): Promise<Authentication> {
      const header = request.headers.authorization;
      if (header !== undefined) {
        const token = BEARER.exec(header)?.[1];
        if (!token) throw unauthenticated('send the header Authorization: Bearer <token>', 'TOKEN_UNKNOWN');
        return byToken(token, now);
      }
      const cookie = request.cookies?.[SESSION_COOKIE];
      if (cookie) return bySession(cookie, now);
      throw unauthenticated('sign in (a session cookie) or send the header Authorization: Bearer <API token>', 'NO_CREDENTIAL');
    },

    /** Drops what this instance remembers about a user's credentials (sign-out, disable, reset…). */
    forgetUser(userId: string) {
      generation += 1;
      for (const [key, entry] of entries) if (entry.found?.user.id === userId) entries.delete(key);
    },

    sessionAuthentication,
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
