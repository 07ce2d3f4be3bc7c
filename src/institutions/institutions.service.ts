import type { Actor, RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { sqlState, type Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { Service } from '../domain/vocabulary.js';
import { AppError, notFound } from '../http/errors.js';
import { decodeCursor, presentPage } from '../http/pagination.js';
import type { CreateInstitutionBody, UpdateInstitutionBody } from './institutions.schemas.js';
import {
  findInstitutionByCode,
  findInstitutionForUpdate,
  findInstitutionInScope,
  updateInstitution,
  insertInstitution,
  listInstitutionsInScope,
  type InstitutionRow,
  type InstitutionScope,
} from './institutions.repository.js';
import { iso } from '../http/schemas.js';

export function presentInstitution(row: InstitutionRow) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    regionCode: row.regionCode,
    services: row.services as Service[],
    bankAccount: { bank: row.bankName, accountName: row.bankAccountName, accountNumber: row.bankAccountNumber },
    createdAt: iso(row.createdAt),
  };
}

function scopeOf(actor: Actor): InstitutionScope {
  return { onlyInstitutionId: actor.role === 'institution' ? actor.institutionId : null };
}

function alreadyExists(existingId: string | undefined) {
  return new AppError('ALREADY_EXISTS', 'an institution with this code exists', existingId ? [{ id: existingId }] : []);
}

export function createInstitutionsService(deps: { db: Database }) {
  const { db } = deps;
  return {
    async create(context: RequestContext, body: CreateInstitutionBody) {
      try {
        const row = await db.transaction(async (tx) => {
          const existing = await findInstitutionByCode(tx, body.code);
          if (existing) throw alreadyExists(existing.id);
          const created = await insertInstitution(tx, {
            id: newId(),
            code: body.code,
            name: body.name,
            regionCode: body.regionCode,
            services: body.services,
            bankName: body.bankAccount.bank,
            bankAccountName: body.bankAccount.accountName,
            bankAccountNumber: body.bankAccount.accountNumber,
            createdAt: context.now,
          });
          await recordAudit(tx, context, {
            action: 'institution.created',
            entityType: 'institution',
            entityId: created.id,
            regionCode: created.regionCode,
            data: { code: created.code, name: created.name, services: created.services },
          });
          return created;
        });
        return presentInstitution(row);
      } catch (error) {
        // Two admins creating the same code at once: the unique index decides.
        if (sqlState(error) === '23505') throw alreadyExists((await findInstitutionByCode(db, body.code))?.id);
        throw error;
      }
    },

    /**
     * PUT /institutions/:id: its name, designated services or bank account, audited with the values
     * before and after. Batches already made keep the payee they were made with.
     */
    async update(context: RequestContext, id: string, body: UpdateInstitutionBody) {
      const row = await db.transaction(async (tx) => {
        const before = await findInstitutionForUpdate(tx, id);
        if (!before) throw notFound('institution');
        const after = await updateInstitution(tx, id, {
          name: body.name ?? before.name,
          services: body.services ?? before.services,
          bankName: body.bankAccount?.bank ?? before.bankName,
          bankAccountName: body.bankAccount?.accountName ?? before.bankAccountName,
          bankAccountNumber: body.bankAccount?.accountNumber ?? before.bankAccountNumber,
        });
        const shown = (institution: InstitutionRow) => {
          const { id: _id, code: _code, regionCode: _regionCode, createdAt: _createdAt, ...fields } = presentInstitution(institution);
          return fields;
        };
        await recordAudit(tx, context, {
          action: 'institution.updated',
          entityType: 'institution',
          entityId: id,
          regionCode: before.regionCode,
          data: { code: before.code, before: shown(before), after: shown(after) },
        });
        return after;
      });
      return presentInstitution(row);
    },

    async get(context: RequestContext, id: string) {
      const row = await findInstitutionInScope(db, scopeOf(context.actor), id);
      if (!row) throw notFound('institution');
      return presentInstitution(row);
    },

    async list(context: RequestContext, query: { regionCode?: string | undefined; cursor?: string | undefined; limit: number }) {
      const rows = await listInstitutionsInScope(db, scopeOf(context.actor), {
        regionCode: query.regionCode,
        afterId: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return presentPage(rows, query.limit, presentInstitution);
    },
  };
}

export type InstitutionsService = ReturnType<typeof createInstitutionsService>;
