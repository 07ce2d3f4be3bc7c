import QRCode from 'qrcode';
import { recordAudit, type AuditContext } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate, endOfChinaDayExclusive } from '../domain/chinaTime.js';
import { forbidden, invalidState, notFound, validationFailed } from '../http/errors.js';
import { iso, isoOrNull } from '../http/schemas.js';
import type { Authentication, Authenticator } from './authenticator.js';
import { clearMustChangePassword, endSession, endUserSessions, findUserSession, findUserToken, insertApiToken, listOpenSessions, listUserTokens, revokeToken, type ApiTokenRow } from './credentials.repository.js';
import { presentMe, toActor } from './me.js';
import { closeBootstrapDoor, refuseWeakPassword, storePassword } from './passwordSetting.js';
import type { PasswordHasher } from './passwords.js';
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS, RECOVERY_CODE_COUNT, secondFactorRequired, type AuthSettings } from './settings.js';
import type { ClientInfo, SignInService } from './signIn.service.js';
import { hashToken, newRecoveryCode, newToken, normalizeCode } from './tokens.js';
import { acceptedTotpStep, newTotpSecret, otpauthUri } from './totp.js';
import { openTotpSecret, sealTotpSecret } from './totpSecrets.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { claimTotpStep, findUser, replaceRecoveryCodes, spendRecoveryCode, updateUser, type UserRow } from './users.repository.js';

// What a person does with their own account (security.md §1): the password, the second factor,
// their sessions and, for an institution, the API tokens of its own system.

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

function presentToken(row: ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as 'personal' | 'legacy' | 'password_setup' | 'bootstrap',
    createdAt: iso(row.createdAt),
    // A token works through the China day of expiresOn: it expires at the start of the next.
    expiresOn: row.expiresAt ? chinaDate(new Date(row.expiresAt.getTime() - 1)) : null,
    lastUsedAt: isoOrNull(row.lastUsedAt),
    revokedAt: isoOrNull(row.revokedAt),
  };
}

export function createAccountService(deps: {
  db: Database;
  clock: () => Date;
  settings: AuthSettings;
  hasher: PasswordHasher;
  authenticator: Authenticator;
  signIn: SignInService;
  cipher: FieldCipher;
}) {
  const { db, clock, settings, hasher, authenticator, cipher } = deps;

  const contextOf = (auth: Authentication, client: ClientInfo, now: Date): AuditContext => ({ actor: toActor(auth.user), requestId: client.requestId, now });
  const needSession = (auth: Authentication, what: string) => {
    if (auth.credential !== 'session') throw forbidden(`${what} needs a signed-in session, not an API token`);
  };
  const fresh = async (auth: Authentication): Promise<UserRow> => (await findUser(db, auth.user.id))!;

  /** A code of the user's second factor, or one of their recovery codes (spent in the transaction). */
  async function secondFactorAccepted(user: UserRow, otp: string, now: Date): Promise<boolean> {
    const secret = openTotpSecret(cipher, user.totpSecretSealed);
    if (!secret) return false;
    const step = acceptedTotpStep(secret, otp, now.getTime(), user.totpLastStep);
    if (step !== null) return claimTotpStep(db, user.id, step);
    return spendRecoveryCode(db, user.id, hashToken(normalizeCode(otp)), now);
  }

  return {
    /** PUT /me/password: a new password; the user's other sessions end. */
    async changePassword(auth: Authentication, body: { currentPassword?: string | undefined; newPassword: string }, client: ClientInfo) {
      const now = clock();
      // An API token may not change the password of its user (a stolen token would take the
      // account); an upgraded admin's one-time token sets the first password, and only that.
      if (auth.credential === 'token' && auth.tokenKind !== 'password_setup') throw forbidden('change the password in a signed-in session');
      const user = await fresh(auth);
      if (user.passwordHash) {
        if (!body.currentPassword) throw validationFailed('currentPassword is required', [{ field: 'currentPassword', message: 'required' }]);
        if (!(await hasher.verify(user.passwordHash, body.currentPassword))) {
          await deps.signIn.countWrongPassword(user, client, now);
          throw validationFailed('currentPassword is not the current password', [{ field: 'currentPassword', message: 'is not the current password' }]);
        }
      }
      await refuseWeakPassword(db, hasher, user, body.newPassword);
      const passwordHash = await hasher.hash(body.newPassword);
      const context = contextOf(auth, client, now);
      const updated = await db.transaction(async (tx) => {
        const current = (await findUser(tx, user.id, { lock: true }))!;
        const stored = await storePassword(tx, current, passwordHash, now);
        const endedSessions = await endUserSessions(tx, user.id, now, 'password_changed', auth.sessionId ?? undefined);
        if (auth.sessionId) await clearMustChangePassword(tx, auth.sessionId);
        if (auth.tokenKind === 'password_setup' && auth.tokenId) await revokeToken(tx, auth.tokenId, now, 'password_set');
        await recordAudit(tx, context, {
          action: 'auth.password_changed',
          entityType: 'user',
          entityId: user.id,
          regionCode: user.regionCode,
          data: { otherSessionsEnded: endedSessions, firstPassword: !current.passwordHash },
        });
        await closeBootstrapDoor(tx, context, stored);
        return stored;
      });
      authenticator.forgetUser(user.id);
      return presentMe({ ...auth, user: updated, mustChangePassword: false, restriction: null }, settings);
    },

    /** POST /me/totp: a new secret, pending until a code of it is confirmed. */
    async setUpTotp(auth: Authentication) {
      needSession(auth, 'setting up a second factor');
      const user = await fresh(auth);
      if (user.totpEnabledAt) throw invalidState('a second factor is on already; turn it off first (DELETE /api/v1/me/totp)');
      const secret = newTotpSecret();
      await updateUser(db, user.id, { totpPendingSecretSealed: sealTotpSecret(cipher, secret) });
      const uri = otpauthUri(secret, user.username);
      return { secret, otpauthUri: uri, qrCodeSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
    },

    /** POST /me/totp/confirm: a right code turns the factor on; ten recovery codes, shown once. */
    async confirmTotp(auth: Authentication, otp: string, client: ClientInfo) {
      needSession(auth, 'setting up a second factor');
      const now = clock();
      const user = await fresh(auth);
      if (user.totpEnabledAt) throw invalidState('the second factor is on already');
      const pendingSecret = openTotpSecret(cipher, user.totpPendingSecretSealed);
      if (!pendingSecret) throw invalidState('start with POST /api/v1/me/totp');
      const step = acceptedTotpStep(pendingSecret, otp, now.getTime(), null);
      if (step === null) throw validationFailed('the code does not match: check the phone’s time and type the code shown now', [{ field: 'otp', message: 'wrong code' }]);
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      await db.transaction(async (tx) => {
        await updateUser(tx, user.id, { totpSecretSealed: user.totpPendingSecretSealed, totpPendingSecretSealed: null, totpEnabledAt: now, totpLastStep: step });
        await replaceRecoveryCodes(tx, user.id, codes.map((code) => hashToken(code)));
        await recordAudit(tx, contextOf(auth, client, now), { action: 'auth.totp_enabled', entityType: 'user', entityId: user.id, regionCode: user.regionCode, data: {} });
      });
      authenticator.forgetUser(user.id);
      return { enabled: true as const, recoveryCodes: codes };
    },

    /** DELETE /me/totp: off, with a code, where the setting does not require it for the role. */
    async disableTotp(auth: Authentication, otp: string, client: ClientInfo) {
      needSession(auth, 'turning off the second factor');
      const now = clock();
      const user = await fresh(auth);
      if (!user.totpEnabledAt) throw invalidState('the account has no second factor');
      if (secondFactorRequired(settings.requireSecondFactor, user.role)) throw forbidden(`REQUIRE_SECOND_FACTOR=${settings.requireSecondFactor}: your role must keep its second factor`);
      if (!(await secondFactorAccepted(user, otp, now))) throw validationFailed('the code does not match', [{ field: 'otp', message: 'wrong code' }]);
      await db.transaction(async (tx) => {
        await updateUser(tx, user.id, { totpSecretSealed: null, totpEnabledAt: null, totpPendingSecretSealed: null, totpLastStep: null });
        await replaceRecoveryCodes(tx, user.id, []);
        await recordAudit(tx, contextOf(auth, client, now), { action: 'auth.totp_disabled', entityType: 'user', entityId: user.id, regionCode: user.regionCode, data: {} });
      });
      authenticator.forgetUser(user.id);
      return { enabled: false as const };
    },

    /** GET /me/sessions: the sessions still open, this one marked. */
    async listSessions(auth: Authentication) {
      const now = clock();
      const idleMs = settings.sessionIdleMinutes * 60_000;
      const open = await listOpenSessions(db, auth.user.id, now);
      const items = open
        .filter((session) => session.id === auth.sessionId || now.getTime() - session.lastSeenAt.getTime() < idleMs)
        .map((session) => ({
          id: session.id,
          createdAt: iso(session.createdAt),
          lastSeenAt: iso(session.id === auth.sessionId ? now : session.lastSeenAt),
          expiresAt: iso(session.expiresAt),
          clientAddress: session.clientAddress,
          userAgent: session.userAgent,
          current: session.id === auth.sessionId,
        }));
      return { items, nextCursor: null };
    },

    /** DELETE /me/sessions/:id: ends one of the user's sessions (this one too: a sign-out). */
    async endSession(auth: Authentication, sessionId: string, client: ClientInfo) {
      const now = clock();
      const session = await findUserSession(db, auth.user.id, sessionId);
      if (!session || session.endedAt) throw notFound('session');
      await db.transaction(async (tx) => {
        await endSession(tx, sessionId, now, 'ended_by_user');
        await recordAudit(tx, contextOf(auth, client, now), { action: 'auth.session_ended', entityType: 'user', entityId: auth.user.id, regionCode: auth.user.regionCode, data: { sessionId } });
      });
      authenticator.forgetUser(auth.user.id);
      return { id: sessionId, ended: true as const, current: sessionId === auth.sessionId };
    },

    /** POST /me/tokens: an API token for the institution's own system, shown once. */
    async createToken(auth: Authentication, body: { name: string; expiresOn?: string | undefined }, client: ClientInfo) {
      needSession(auth, 'making an API token');
      const now = clock();
      const today = chinaDate(now);
      const expiresOn = body.expiresOn ?? addDays(today, API_TOKEN_DEFAULT_DAYS);
      if (expiresOn < today || expiresOn > addDays(today, API_TOKEN_MAX_DAYS)) {
        throw validationFailed(`expiresOn must lie between today and ${API_TOKEN_MAX_DAYS} days ahead`, [{ field: 'expiresOn', message: `today to ${addDays(today, API_TOKEN_MAX_DAYS)}` }]);
      }
      const token = newToken();
      const row = await db.transaction(async (tx) => {
        const created = await insertApiToken(tx, { id: newId(), userId: auth.user.id, tokenHash: hashToken(token), kind: 'personal', name: body.name, createdAt: now, expiresAt: endOfChinaDayExclusive(expiresOn) });
        await recordAudit(tx, contextOf(auth, client, now), { action: 'token.created', entityType: 'user', entityId: auth.user.id, regionCode: auth.user.regionCode, data: { tokenId: created.id, name: body.name, expiresOn } });
        return created;
      });
      return { id: row.id, name: row.name, token, expiresOn };
    },

    async listTokens(auth: Authentication) {
      return { items: (await listUserTokens(db, auth.user.id)).map(presentToken), nextCursor: null };
    },

    /** DELETE /me/tokens/:id: the token stops at once (on other instances within 4 s). */
    async revokeToken(auth: Authentication, tokenId: string, client: ClientInfo) {
      const now = clock();
      const token = await findUserToken(db, auth.user.id, tokenId);
      if (!token) throw notFound('token');
      if (token.revokedAt) return presentToken(token);
      const revoked = await db.transaction(async (tx) => {
        const row = (await revokeToken(tx, tokenId, now, 'revoked_by_user'))!;
        await recordAudit(tx, contextOf(auth, client, now), { action: 'token.revoked', entityType: 'user', entityId: auth.user.id, regionCode: auth.user.regionCode, data: { tokenId, name: token.name } });
        return row;
      });
      authenticator.forgetUser(auth.user.id);
      return presentToken(revoked);
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
