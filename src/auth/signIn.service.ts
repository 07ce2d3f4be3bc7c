import { recordAudits, type AuditContext, type AuditEntry } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { AppError } from '../http/errors.js';
import { iso } from '../http/schemas.js';
import type { Authentication, Authenticator } from './authenticator.js';
import { endSession, insertSession } from './credentials.repository.js';
import { passwordExpired, presentAccount, presentMe, toActor } from './me.js';
import { closeBootstrapDoor, refuseWeakPassword, storePassword } from './passwordSetting.js';
import type { PasswordHasher } from './passwords.js';
import { loadUsernameKey, usernameHmac } from './secrets.js';
import type { AuthSettings } from './settings.js';
import { clearPair, countAddressFailure, countPairFailure, lockedUntil, refuseBusyAddress } from './signInGuard.js';
import { hashToken, newToken, normalizeCode, sameSecret } from './tokens.js';
import { acceptedTotpStep } from './totp.js';
import { claimTotpStep, findUser, findUserByUsername, spendRecoveryCode, updateUser, userNames, type UserRow } from './users.repository.js';

// Activation, sign-in and sign-out (security.md §1). A wrong name and a wrong password get the same
// answer, and an unknown name costs one password hash as a known one does. Failures count towards
// the lockout of the (name, client address) pair and the limit of the address; both are in the
// database, so every instance sees them. Every time comes from the app's clock.

/** The entity id of audit rows about a name that names no account (the name is kept as its HMAC). */
export const NO_ACCOUNT_ID = '00000000-0000-0000-0000-000000000000';
const WRONG_CREDENTIALS = 'wrong username or password';
const USERNAME_PATTERN = /^[a-z0-9._-]{3,32}$/;

export interface ClientInfo {
  address: string;
  userAgent: string | null;
  requestId: string;
}

function accountLocked(until: Date): AppError {
  return new AppError('ACCOUNT_LOCKED', `too many failed sign-ins of this name from this address: locked until ${iso(until)}`, [{ lockedUntil: iso(until) }]);
}

export function createSignInService(deps: { db: Database; clock: () => Date; settings: AuthSettings; hasher: PasswordHasher; authenticator: Authenticator }) {
  const { db, clock, settings, hasher, authenticator } = deps;
  let usernameKey: Promise<Buffer> | null = null;
  const keyOf = async (typed: string) => {
    usernameKey ??= loadUsernameKey(db, clock());
    usernameKey.catch(() => (usernameKey = null));
    return usernameHmac(await usernameKey, typed);
  };

  const findByTyped = async (typed: string) => {
    const normalized = typed.trim().toLowerCase();
    return USERNAME_PATTERN.test(normalized) ? findUserByUsername(db, normalized) : undefined;
  };

  /**
   * A failed attempt: counted for the address (and, for a sign-in, the name from this address),
   * audited with the name as typed when it names an account, else its HMAC; then the answer.
   */
  async function recordFailure(attempt: { kind: 'sign_in' | 'activation'; typed: string; user: UserRow | undefined; reason: string; client: ClientInfo; now: Date }): Promise<Date | null> {
    const { kind, typed, user, reason, client, now } = attempt;
    const nameKey = await keyOf(typed);
    const who = user ? { username: typed } : { usernameHmac: nameKey };
    const context: AuditContext = { actor: null, requestId: client.requestId, now };
    const lockedTill = await db.transaction(async (tx) => {
      await countAddressFailure(tx, client.address, now);
      const locked = kind === 'sign_in' ? await countPairFailure(tx, settings, nameKey, client.address, now) : null;
      const entries: AuditEntry[] = [
        {
          action: kind === 'sign_in' ? 'auth.sign_in_failed' : 'auth.activation_failed',
          entityType: 'user',
          entityId: user?.id ?? NO_ACCOUNT_ID,
          regionCode: user?.regionCode ?? null,
          data: { ...who, clientAddress: client.address, reason },
        },
      ];
      if (locked) entries.push({ action: 'auth.locked', entityType: 'user', entityId: user?.id ?? NO_ACCOUNT_ID, regionCode: user?.regionCode ?? null, data: { ...who, clientAddress: client.address, lockedUntil: iso(locked) } });
      await recordAudits(tx, context, entries);
      return locked;
    });
    return lockedTill;
  }

  // The failure that locks the pair is answered as a failure; the lock answers from the next attempt.
  async function failed(attempt: Parameters<typeof recordFailure>[0]): Promise<never> {
    await recordFailure(attempt);
    throw new AppError('UNAUTHENTICATED', attempt.kind === 'sign_in' ? WRONG_CREDENTIALS : 'the activation code is wrong, spent, expired or not yet confirmed');
  }

  /** The first sign-in after an admin's reset tells who reset the account and when. */
  async function resetNotice(user: UserRow) {
    if (!user.resetNoticeDue || !user.resetAt || !user.resetByUserId) return null;
    const names = await userNames(db, [user.resetByUserId, ...(user.resetConfirmedByUserId ? [user.resetConfirmedByUserId] : [])]);
    return {
      at: iso(user.resetAt),
      by: { id: user.resetByUserId, name: names.get(user.resetByUserId) ?? '' },
      confirmedBy: user.resetConfirmedByUserId ? { id: user.resetConfirmedByUserId, name: names.get(user.resetConfirmedByUserId) ?? '' } : null,
    };
  }

  function sessionAnswer(auth: Authentication) {
    const me = presentMe(auth, settings);
    return {
      user: me,
      session: me.session!,
      csrfToken: auth.csrfToken!,
      mustChangePassword: me.mustChangePassword,
      mustSetUpSecondFactor: me.mustSetUpSecondFactor,
      passwordExpiresOn: me.passwordExpiresOn,
    };
  }

  return {
    /** POST /auth/sign-in: a new session (its cookie value for the route to set) and what it may do. */
    async signIn(body: { username: string; password: string; otp?: string | null | undefined }, client: ClientInfo) {
      const now = clock();
      await refuseBusyAddress(db, client.address, now);
      const nameKey = await keyOf(body.username);
      const until = await lockedUntil(db, nameKey, client.address, now);
      if (until) throw accountLocked(until);
      const user = await findByTyped(body.username);
      const fail = (reason: string) => failed({ kind: 'sign_in', typed: body.username, user, reason, client, now });
      if (!user || !user.passwordHash) {
        await hasher.verifyNothing(body.password);
        return fail(!user ? 'unknown_username' : 'not_activated');
      }
      if (!(await hasher.verify(user.passwordHash, body.password))) return fail('wrong_password');
      // The right password of a disabled account: its owner is told so (whom to ask), which tells
      // nothing to anyone who does not hold the password. Counted as a failure all the same.
      if (user.disabledAt) {
        await recordFailure({ kind: 'sign_in', typed: body.username, user, reason: 'disabled', client, now });
        throw new AppError('UNAUTHENTICATED', 'this account is disabled: ask the system administrator to enable it', [{ reason: 'ACCOUNT_DISABLED' }]);
      }

      let totpStep: number | null = null;
      let recoveryCodeHash: string | null = null;
      if (user.totpEnabledAt && user.totpSecret) {
        const otp = body.otp?.trim();
        if (!otp) throw new AppError('OTP_REQUIRED', 'this account has a second factor: send otp, the 6-digit code of the authenticator app (or a recovery code)');
        totpStep = acceptedTotpStep(user.totpSecret, otp, now.getTime(), user.totpLastStep);
        if (totpStep === null) recoveryCodeHash = hashToken(normalizeCode(otp));
      }

      const cookieValue = newToken();
      const mustChangePassword = passwordExpired(user, settings, now);
      const context: AuditContext = { actor: toActor(user), requestId: client.requestId, now };
      const outcome = await db.transaction(async (tx) => {
        if (totpStep !== null && !(await claimTotpStep(tx, user.id, totpStep))) return null;
        if (recoveryCodeHash !== null && !(await spendRecoveryCode(tx, user.id, recoveryCodeHash, now))) return null;
        await clearPair(tx, nameKey, client.address);
        const session = await insertSession(tx, {
          id: newId(),
          userId: user.id,
          tokenHash: hashToken(cookieValue),
          csrfToken: newToken(),
          createdAt: now,
          expiresAt: new Date(now.getTime() + settings.sessionMaxHours * 3600_000),
          lastSeenAt: now,
          mustChangePassword,
          clientAddress: client.address,
          userAgent: client.userAgent?.slice(0, 300) ?? null,
        });
        const signedIn = await updateUser(tx, user.id, { lastSignedInAt: now, resetNoticeDue: false });
        await recordAudits(tx, context, [
          {
            action: 'auth.signed_in',
            entityType: 'user',
            entityId: user.id,
            regionCode: user.regionCode,
            data: { sessionId: session.id, clientAddress: client.address, secondFactor: totpStep !== null ? 'totp' : recoveryCodeHash !== null ? 'recovery_code' : 'none', mustChangePassword },
          },
        ]);
        return { session, signedIn };
      });
      if (!outcome) return fail('wrong_otp');
      const notice = await resetNotice(user);
      return { cookieValue, answer: { ...sessionAnswer(authenticator.sessionAuthentication(outcome.signedIn, outcome.session)), resetNotice: notice } };
    },

    /**
     * A wrong current password given to change the password counts as a failed sign-in of the
     * name from that address: a session left open does not let anyone guess the password freely.
     */
    async countWrongPassword(user: UserRow, client: ClientInfo, now: Date): Promise<void> {
      const lockedTill = await recordFailure({ kind: 'sign_in', typed: user.username, user, reason: 'wrong_current_password', client, now });
      if (lockedTill) throw accountLocked(lockedTill);
    },

    /** GET /auth/session: the signed-in session again (a reloaded console learns its CSRF token). */
    session(auth: Authentication) {
      if (auth.credential !== 'session') throw new AppError('FORBIDDEN', 'this is a bearer token, not a session');
      return sessionAnswer(auth);
    },

    /** POST /auth/sign-out: the session ends at once (on other instances within 4 s). */
    async signOut(auth: Authentication, client: ClientInfo) {
      if (auth.credential !== 'session' || !auth.sessionId) throw new AppError('FORBIDDEN', 'sign-out ends a session; revoke an API token with DELETE /api/v1/me/tokens/:id');
      const now = clock();
      const context: AuditContext = { actor: toActor(auth.user), requestId: client.requestId, now };
      await db.transaction(async (tx) => {
        await endSession(tx, auth.sessionId!, now, 'signed_out');
        await recordAudits(tx, context, [{ action: 'auth.signed_out', entityType: 'user', entityId: auth.user.id, regionCode: auth.user.regionCode, data: { sessionId: auth.sessionId } }]);
      });
      authenticator.forgetUser(auth.user.id);
      return { signedOut: true as const };
    },

    /** POST /auth/activate: the owner sets their first password with the activation code. */
    async activate(body: { username: string; activationCode: string; password: string }, client: ClientInfo) {
      const now = clock();
      await refuseBusyAddress(db, client.address, now);
      const user = await findByTyped(body.username);
      const codeHash = hashToken(normalizeCode(body.activationCode));
      const problem = !user
        ? 'unknown_username'
        : !user.activationCodeHash
          ? 'no_code'
          : user.disabledAt
            ? 'disabled'
            : user.pendingAction === 'create' || user.pendingAction === 'reset'
              ? 'not_confirmed'
              : !user.activationExpiresAt || user.activationExpiresAt <= now
                ? 'expired'
                : !sameSecret(user.activationCodeHash, codeHash)
                  ? 'wrong_code'
                  : null;
      if (problem) return failed({ kind: 'activation', typed: body.username, user, reason: problem, client, now });
      await refuseWeakPassword(db, hasher, user!, body.password);
      const passwordHash = await hasher.hash(body.password);
      const activated = await db.transaction(async (tx) => {
        const current = await findUser(tx, user!.id, { lock: true });
        // Spent a moment ago by another request with the same code.
        if (!current || current.activationCodeHash !== user!.activationCodeHash) return null;
        const context: AuditContext = { actor: toActor(current), requestId: client.requestId, now };
        const updated = await storePassword(tx, current, passwordHash, now);
        await recordAudits(tx, context, [{ action: 'auth.activated', entityType: 'user', entityId: current.id, regionCode: current.regionCode, data: { username: current.username, clientAddress: client.address } }]);
        await closeBootstrapDoor(tx, context, updated);
        return updated;
      });
      if (!activated) return failed({ kind: 'activation', typed: body.username, user, reason: 'spent', client, now });
      authenticator.forgetUser(activated.id);
      return { user: presentAccount(activated) };
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
