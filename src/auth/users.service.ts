import { sql } from 'drizzle-orm';
import type { Actor, RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Database, Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { Role } from '../domain/vocabulary.js';
import { invalidState, notFound, validationFailed } from '../http/errors.js';
import { decodeCursor, page } from '../http/pagination.js';
import { findInstitution } from '../institutions/institutions.repository.js';
import { hashToken, newToken } from './tokens.js';
import type { CreateUserBody } from './users.schemas.js';
import {
  countActiveAdmins,
  countUsers,
  disableBootstrapAdmins,
  findUser,
  findUserByTokenHash,
  hasActiveBootstrapAdmin,
  insertUser,
  listUsers,
  updateUser,
  type UserRow,
} from './users.repository.js';
import { iso, isoOrNull } from '../http/schemas.js';

export function toActor(row: UserRow): Actor {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    regionCode: row.regionCode,
    institutionId: row.institutionId,
    bootstrap: row.bootstrap,
  };
}

export function presentUser(row: UserRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    regionCode: row.regionCode,
    institutionId: row.institutionId,
    bootstrap: row.bootstrap,
    disabledAt: isoOrNull(row.disabledAt),
    createdAt: iso(row.createdAt),
  };
}

/**
 * Who a token belongs to, remembered for a minute: every request authenticates, so a short cache
 * saves a query per request. Unknown tokens are not remembered, so a user created a moment ago is
 * found at once. Disabling a user or issuing it a new token forgets its entry at once in the
 * instance that made the change; another instance of the service may accept the old token for up
 * to AUTH_CACHE_MS more (README, Running several instances). The bootstrap admin is never
 * remembered: its token stops the moment a personal admin exists, on every instance.
 */
const AUTH_CACHE_MS = 60_000;
const AUTH_CACHE_SIZE = 10_000;

export function createUsersService(deps: { db: Database }) {
  const { db } = deps;
  const known = new Map<string, { actor: Actor; until: number }>();
  const forget = (userId: string) => {
    for (const [tokenHash, entry] of known) if (entry.actor.id === userId) known.delete(tokenHash);
  };

  /** An admin's change to another user, under the user's row lock, audited in the same transaction. */
  async function changeUser(context: RequestContext, id: string, work: (tx: Transaction, row: UserRow) => Promise<UserRow>) {
    const row = await db.transaction(async (tx) => {
      const found = await findUser(tx, id, { lock: true });
      if (!found) throw notFound('user');
      if (found.bootstrap) throw invalidState('the bootstrap admin opens the door once; it is not managed by hand');
      return work(tx, found);
    });
    forget(id);
    return row;
  }

  return {
    async authenticate(token: string): Promise<Actor | null> {
      const tokenHash = hashToken(token);
      const cached = known.get(tokenHash);
      if (cached && cached.until > Date.now()) return cached.actor;
      const row = await findUserByTokenHash(db, tokenHash);
      if (!row || row.disabledAt) return null;
      const actor = toActor(row);
      if (row.bootstrap) return actor;
      if (known.size >= AUTH_CACHE_SIZE) known.delete(known.keys().next().value!);
      known.set(tokenHash, { actor, until: Date.now() + AUTH_CACHE_MS });
      return actor;
    },

    async create(context: RequestContext, body: CreateUserBody) {
      const token = newToken();
      const row = await db.transaction(async (tx) => {
        if (body.institutionId && !(await findInstitution(tx, body.institutionId))) {
          throw validationFailed('institutionId names no institution', [{ field: 'institutionId' }]);
        }
        const created = await insertUser(tx, {
          id: newId(),
          name: body.name,
          role: body.role,
          regionCode: body.regionCode ?? null,
          institutionId: body.institutionId ?? null,
          tokenHash: hashToken(token),
          createdAt: context.now,
        });
        await recordAudit(tx, context, {
          action: 'user.created',
          entityType: 'user',
          entityId: created.id,
          regionCode: created.regionCode,
          data: { name: created.name, role: created.role, regionCode: created.regionCode, institutionId: created.institutionId },
        });
        // The bootstrap token opens the door once: the first personal admin closes it.
        if (created.role === 'admin') {
          for (const retired of await disableBootstrapAdmins(tx, context.now)) {
            await recordAudit(tx, context, {
              action: 'user.disabled',
              entityType: 'user',
              entityId: retired.id,
              regionCode: null,
              data: { reason: 'the bootstrap admin’s token stops: a personal admin was created', personalAdminId: created.id },
            });
          }
        }
        return created;
      });
      return { ...presentUser(row), token };
    },

    /** POST /users/:id/disable: the user's token answers 401 from now on. */
    async disable(context: RequestContext, id: string) {
      const row = await changeUser(context, id, async (tx, found) => {
        if (found.disabledAt) return found;
        if (found.id === context.actor.id) throw invalidState('an admin does not disable their own account');
        if (found.role === 'admin' && (await countActiveAdmins(tx)) <= 1) throw invalidState('the last admin whose token works is not disabled');
        const updated = await updateUser(tx, id, { disabledAt: context.now });
        await recordAudit(tx, context, { action: 'user.disabled', entityType: 'user', entityId: id, regionCode: found.regionCode, data: { name: found.name, role: found.role } });
        return updated;
      });
      return presentUser(row);
    },

    /** POST /users/:id/enable: the user's token works again. */
    async enable(context: RequestContext, id: string) {
      const row = await changeUser(context, id, async (tx, found) => {
        if (!found.disabledAt) return found;
        const updated = await updateUser(tx, id, { disabledAt: null });
        await recordAudit(tx, context, { action: 'user.enabled', entityType: 'user', entityId: id, regionCode: found.regionCode, data: { name: found.name, role: found.role } });
        return updated;
      });
      return presentUser(row);
    },

    /** POST /users/:id/token: a new token, shown once; the old one stops at once. */
    async reissueToken(context: RequestContext, id: string) {
      const token = newToken();
      const row = await changeUser(context, id, async (tx, found) => {
        const updated = await updateUser(tx, id, { tokenHash: hashToken(token) });
        await recordAudit(tx, context, { action: 'user.token_reissued', entityType: 'user', entityId: id, regionCode: found.regionCode, data: { name: found.name, role: found.role } });
        return updated;
      });
      return { ...presentUser(row), token };
    },

    async list(cursor: string | undefined, limit: number) {
      const rows = await listUsers(db, decodeCursor(cursor), limit);
      const result = page(rows, limit);
      return { items: result.items.map(presentUser), nextCursor: result.nextCursor };
    },

    /**
     * Creates the first admin from BOOTSTRAP_ADMIN_TOKEN when the database has no user yet.
     * Returns whether it did.
     */
    async bootstrapAdmin(token: string | undefined): Promise<boolean> {
      if (!token) return false;
      return db.transaction(async (tx) => {
        // Instances starting together on an empty database take turns here, so exactly one
        // creates the admin and the others find it.
        await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`);
        if ((await countUsers(tx)) > 0) return false;
        const admin = await insertUser(tx, {
          id: newId(),
          name: '系统管理员',
          role: 'admin',
          regionCode: null,
          institutionId: null,
          tokenHash: hashToken(token),
          bootstrap: true,
        });
        await recordAudit(tx, null, {
          action: 'user.created',
          entityType: 'user',
          entityId: admin.id,
          regionCode: null,
          data: { name: admin.name, role: 'admin', bootstrap: true },
        });
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
