import type { Actor, RequestContext } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { Role } from '../domain/vocabulary.js';
import { validationFailed } from '../http/errors.js';
import { decodeCursor, page } from '../http/pagination.js';
import { findInstitution } from '../institutions/institutions.repository.js';
import { hashToken, newToken } from './tokens.js';
import type { CreateUserBody } from './users.schemas.js';
import { countUsers, findUserByTokenHash, insertUser, listUsers, type UserRow } from './users.repository.js';
import { iso } from '../http/schemas.js';

export function toActor(row: UserRow): Actor {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    regionCode: row.regionCode,
    institutionId: row.institutionId,
  };
}

export function presentUser(row: UserRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    regionCode: row.regionCode,
    institutionId: row.institutionId,
    createdAt: iso(row.createdAt),
  };
}

export function createUsersService(deps: { db: Database }) {
  const { db } = deps;
  return {
    async authenticate(token: string): Promise<Actor | null> {
      const row = await findUserByTokenHash(db, hashToken(token));
      return row ? toActor(row) : null;
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
        return created;
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
        if ((await countUsers(tx)) > 0) return false;
        const admin = await insertUser(tx, {
          id: newId(),
          name: '系统管理员',
          role: 'admin',
          regionCode: null,
          institutionId: null,
          tokenHash: hashToken(token),
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
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
