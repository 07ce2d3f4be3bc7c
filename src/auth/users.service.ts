import { sql } from 'drizzle-orm';
import { recordAudit, type AuditContext } from '../audit/audit.repository.js';
import { violatedConstraint, type Database, type Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { Role } from '../domain/vocabulary.js';
import { presentAccount } from './me.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { requireSecondPerson } from '../http/fourEyes.js';
import { decodeCursor, page } from '../http/pagination.js';
import { iso, isoOrNull } from '../http/schemas.js';
import { findInstitution } from '../institutions/institutions.repository.js';
import type { Authenticator } from './authenticator.js';
import { endUserSessions, insertApiToken, revokeUserTokens } from './credentials.repository.js';
import { usernameHmac, usernameKeyOf } from './secrets.js';
import type { ServiceKeyring } from '../keys/serviceKeys.js';
import { ACTIVATION_VALID_MS } from './settings.js';
import { unlockName } from './signInGuard.js';
import { hashToken, newActivationCode } from './tokens.js';
import type { CreateUserBody } from './users.schemas.js';
import {
  countOtherWorkingAdmins,
  countUsers,
  findUser,
  hasActiveBootstrapAdmin,
  insertUser,
  listUsers,
  personalAdminHasActivated,
  replaceRecoveryCodes,
  updateUser,
  usernameTaken,
  userNames,
  type UserRow,
} from './users.repository.js';

// An admin's work on accounts (security.md §1): creating one (an activation code, never a
// password or token), resetting, disabling and enabling. Once a personal admin has activated, a
// creation, reset or enabling takes effect only when a second admin confirms it; until then the
// activation code answers 401 and the list shows who asked.

type PendingAction = 'create' | 'reset' | 'enable';

async function presentUsers(db: Database, rows: UserRow[]) {
  const names = await userNames(db, rows.flatMap((row) => (row.pendingRequestedByUserId ? [row.pendingRequestedByUserId] : [])));
  return rows.map((row) => ({
    ...presentAccount(row),
    bootstrap: row.bootstrap,
    disabledAt: isoOrNull(row.disabledAt),
    activated: row.passwordHash !== null,
    activationExpiresAt: isoOrNull(row.activationExpiresAt),
    secondFactor: row.totpEnabledAt !== null,
    pending:
      row.pendingAction && row.pendingRequestedByUserId && row.pendingRequestedAt
        ? { action: row.pendingAction as PendingAction, requestedBy: { id: row.pendingRequestedByUserId, name: names.get(row.pendingRequestedByUserId) ?? '' }, requestedAt: iso(row.pendingRequestedAt) }
        : null,
    lastSignedInAt: isoOrNull(row.lastSignedInAt),
    createdAt: iso(row.createdAt),
  }));
}

/**
 * Runs an account's creation; two made at once may reach for the same name. A name the admin chose
 * and another took a moment ago is 409; a made one is made again from the next free number.
 */
async function withFreshUsername<T>(chosen: string | undefined, create: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (violatedConstraint(error) !== 'users_username_key') throw error;
      if (chosen) throw new AppError('ALREADY_EXISTS', `the username ${chosen} is taken (usernames are never reused)`, [{ field: 'username' }]);
      if (attempt >= 20) throw error;
    }
  }
}

/** A username for an account the admin did not name: the role and the next free number. */
async function generatedUsername(tx: Transaction, role: Role): Promise<string> {
  const counted = (await tx.execute(sql`select count(*)::int as n from users where role = ${role}`)) as unknown as { rows: { n: number }[] } | { n: number }[];
  let number = ('rows' in counted ? counted.rows : counted)[0]!.n + 1;
  while (await usernameTaken(tx, `${role}${number}`)) number += 1;
  return `${role}${number}`;
}

export function createUsersService(deps: { db: Database; keyring: ServiceKeyring; authenticator?: Authenticator }) {
  const { db } = deps;
  // The key of the names' HMAC (src/auth/secrets.ts), from the key file.
  const usernameKey = usernameKeyOf(deps.keyring);
  const forget = (userId: string) => deps.authenticator?.forgetUser(userId);

  /** An admin's change to another user, under the user's row lock, audited in the same transaction. */
  async function changeUser(context: RequestContext, id: string, work: (tx: Transaction, row: UserRow, fourEyes: boolean) => Promise<UserRow>) {
    const row = await db.transaction(async (tx) => {
      const found = await findUser(tx, id, { lock: true });
      if (!found) throw notFound('user');
      if (found.bootstrap) throw invalidState('the bootstrap admin opens the door once; it is not managed by hand');
      return work(tx, found, await personalAdminHasActivated(tx));
    });
    forget(id);
    return row;
  }


  /** The failed sign-ins of the name are forgotten: an admin's enable or reset unlocks it early. */
  async function unlock(tx: Transaction, row: UserRow) {
    await unlockName(tx, usernameHmac(usernameKey, row.username));
  }

  const audit = (tx: Transaction, context: AuditContext, action: 'user.created' | 'user.disabled' | 'user.enabled' | 'user.reset' | 'user.confirmed', row: UserRow, data: Record<string, unknown>) =>
    recordAudit(tx, context, { action, entityType: 'user', entityId: row.id, regionCode: row.regionCode, data: { name: row.name, username: row.username, role: row.role, ...data } });

  const pendingBy = (context: RequestContext, action: PendingAction) => ({ pendingAction: action, pendingRequestedByUserId: context.actor.id, pendingRequestedAt: context.now });
  const noPending = { pendingAction: null, pendingRequestedByUserId: null, pendingRequestedAt: null };

  return {
    /** POST /users: the account and its activation code, shown once. */
    async create(context: RequestContext, body: CreateUserBody) {
      const code = newActivationCode();
      const expiresAt = new Date(context.now.getTime() + ACTIVATION_VALID_MS);
      const row = await withFreshUsername(body.username, () => db.transaction(async (tx) => {
        if (body.institutionId && !(await findInstitution(tx, body.institutionId))) {
          throw validationFailed('institutionId names no institution', [{ field: 'institutionId' }]);
        }
        if (body.username && (await usernameTaken(tx, body.username))) throw new AppError('ALREADY_EXISTS', `the username ${body.username} is taken (usernames are never reused)`, [{ field: 'username' }]);
        const fourEyes = await personalAdminHasActivated(tx);
        const created = await insertUser(tx, {
          id: newId(),
          name: body.name,
          username: body.username ?? (await generatedUsername(tx, body.role)),
          role: body.role,
          regionCode: body.role === 'township' ? body.townshipCode!.slice(0, 6) : (body.regionCode ?? null),
          institutionId: body.institutionId ?? null,
          townshipCode: body.townshipCode ?? null,
          department: body.department ?? null,
          activationCodeHash: hashToken(code),
          activationExpiresAt: expiresAt,
          ...(fourEyes ? pendingBy(context, 'create') : {}),
          createdAt: context.now,
        });
        await audit(tx, context, 'user.created', created, {
          regionCode: created.regionCode,
          institutionId: created.institutionId,
          townshipCode: created.townshipCode,
          department: created.department,
          awaitsConfirmation: fourEyes,
        });
        return created;
      }));
      return { ...(await presentUsers(db, [row]))[0]!, activationCode: code, activationExpiresAt: iso(expiresAt) };
    },

    /**
     * POST /users/:id/reset: the password, second factor, every session and every API token stop
     * at once; a new activation code (working once a second admin confirmed, where that applies).
     */
    async reset(context: RequestContext, id: string) {
      const code = newActivationCode();
      const expiresAt = new Date(context.now.getTime() + ACTIVATION_VALID_MS);
      const row = await changeUser(context, id, async (tx, found, fourEyes) => {
        if (found.id === context.actor.id) throw invalidState('an admin changes their own password on their own page, not by a reset');
        if (found.pendingAction === 'enable') throw invalidState('the user’s enabling waits for a second admin: confirm it first');
        await endUserSessions(tx, id, context.now, 'user_reset');
        await revokeUserTokens(tx, id, context.now, 'user_reset');
        await replaceRecoveryCodes(tx, id, []);
        const updated = await updateUser(tx, id, {
          passwordHash: null,
          totpSecretSealed: null,
          totpEnabledAt: null,
          totpPendingSecretSealed: null,
          totpLastStep: null,
          activationCodeHash: hashToken(code),
          activationExpiresAt: expiresAt,
          resetAt: context.now,
          resetByUserId: context.actor.id,
          resetConfirmedByUserId: null,
          resetNoticeDue: true,
          ...(fourEyes ? pendingBy(context, found.pendingAction === 'create' ? 'create' : 'reset') : noPending),
        });
        if (!fourEyes) await unlock(tx, updated);
        await audit(tx, context, 'user.reset', updated, { awaitsConfirmation: fourEyes });
        return updated;
      });
      return { ...(await presentUsers(db, [row]))[0]!, activationCode: code, activationExpiresAt: iso(expiresAt) };
    },

    /** POST /users/:id/confirm: a second admin lets a creation, reset or enabling take effect. */
    async confirm(context: RequestContext, id: string) {
      const row = await changeUser(context, id, async (tx, found) => {
        if (!found.pendingAction) throw invalidState('nothing about this user waits for confirmation');
        const action = found.pendingAction as PendingAction;
        requireSecondPerson(context.actor, found.pendingRequestedByUserId, { secondStep: `confirming the ${action} of the account ${found.username}`, firstStep: 'asked for it' });
        const updated = await updateUser(tx, id, {
          ...noPending,
          ...(action === 'enable' ? { disabledAt: null } : {}),
          ...(action === 'reset' ? { resetConfirmedByUserId: context.actor.id } : {}),
        });
        if (action !== 'create') await unlock(tx, updated);
        await audit(tx, context, 'user.confirmed', updated, { confirmedAction: action, requestedByUserId: found.pendingRequestedByUserId });
        return updated;
      });
      return (await presentUsers(db, [row]))[0]!;
    },

    /** POST /users/:id/disable: every session and API token of the user ends at once. */
    async disable(context: RequestContext, id: string) {
      const row = await changeUser(context, id, async (tx, found) => {
        if (found.disabledAt && found.pendingAction !== 'enable') return found;
        if (found.id === context.actor.id) throw invalidState('an admin does not disable their own account');
        if (found.role === 'admin' && found.activatedAt && (await countOtherWorkingAdmins(tx, found.id)) === 0) throw invalidState('the last admin who can sign in is not disabled');
        await endUserSessions(tx, id, context.now, 'user_disabled');
        await revokeUserTokens(tx, id, context.now, 'user_disabled');
        const updated = await updateUser(tx, id, { disabledAt: found.disabledAt ?? context.now, ...(found.pendingAction === 'enable' ? noPending : {}) });
        await audit(tx, context, 'user.disabled', updated, {});
        return updated;
      });
      return (await presentUsers(db, [row]))[0]!;
    },

    /** POST /users/:id/enable: the user may sign in again (no session or token comes back). */
    async enable(context: RequestContext, id: string) {
      const row = await changeUser(context, id, async (tx, found, fourEyes) => {
        if (!found.disabledAt || found.pendingAction === 'enable') return found;
        if (found.pendingAction) throw invalidState('another change of this user waits for a second admin: confirm it first');
        const updated = await updateUser(tx, id, fourEyes ? pendingBy(context, 'enable') : { disabledAt: null });
        if (!fourEyes) await unlock(tx, updated);
        await audit(tx, context, 'user.enabled', updated, { awaitsConfirmation: fourEyes });
        return updated;
      });
      return (await presentUsers(db, [row]))[0]!;
    },

    async list(cursor: string | undefined, limit: number) {
      const rows = await listUsers(db, decodeCursor(cursor), limit);
      const result = page(rows, limit);
      return { items: await presentUsers(db, result.items), nextCursor: result.nextCursor };
    },

    /**
     * Creates the first admin from BOOTSTRAP_ADMIN_TOKEN when the database has no user yet.
     * Returns whether it did.
     */
    async bootstrapAdmin(token: string | undefined, now: Date = new Date()): Promise<boolean> {
      if (!token) return false;
      return db.transaction(async (tx) => {
        // Instances starting together on an empty database take turns here, so exactly one
        // creates the admin and the others find it.
        await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`);
        if ((await countUsers(tx)) > 0) return false;
        const admin = await insertUser(tx, { id: newId(), name: '系统管理员', username: 'bootstrap', role: 'admin', regionCode: null, institutionId: null, bootstrap: true, createdAt: now });
        await insertApiToken(tx, { id: newId(), userId: admin.id, tokenHash: hashToken(token), kind: 'bootstrap', name: 'BOOTSTRAP_ADMIN_TOKEN', createdAt: now });
        await recordAudit(tx, { actor: null, requestId: null, now }, { action: 'user.created', entityType: 'user', entityId: admin.id, regionCode: null, data: { name: admin.name, role: 'admin', bootstrap: true } });
        return true;
      });
    },

    /** Whether the admin created from BOOTSTRAP_ADMIN_TOKEN can still sign in. */
    async bootstrapStillOpen(): Promise<boolean> {
      return hasActiveBootstrapAdmin(db);
    },
  };
}

/** A key for pg_advisory_xact_lock, so that instances starting together create one admin. */
const BOOTSTRAP_LOCK_KEY = 7_284_116_306;

export type UsersService = ReturnType<typeof createUsersService>;
