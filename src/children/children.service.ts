import type { RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { sqlState, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate } from '../domain/chinaTime.js';
import type { Category } from '../domain/vocabulary.js';
import { AppError, forbidden, notFound, validationFailed } from '../http/errors.js';
import { runBulk, type BulkRow } from '../http/bulk.js';
import { decodeCursor, presentPage } from '../http/pagination.js';
import { RegisterChildBody } from './children.schemas.js';
import { findChildByIdNumber, findChildForVillage, findChildInScope, insertChild, listChildrenInScope, updateChildVillage, type ChildRow } from './children.repository.js';
import { placeOf } from '../regions/divisions.js';
import { maskIdNumber, parseIdNumber } from '../domain/idNumber.js';
import { iso } from '../http/schemas.js';

export function presentChild(row: ChildRow) {
  return {
    id: row.id,
    idNumber: row.idNumber,
    name: row.name,
    regionCode: row.regionCode,
    category: row.category as Category | null,
    certificateNo: row.certificateNo,
    ...placeOf(row.villageCode),
    birthDate: row.birthDate,
    sex: row.sex as 'male' | 'female',
    guardian: { name: row.guardianName, relation: row.guardianRelation, phone: row.guardianPhone },
    createdAt: iso(row.createdAt),
  };
}

function alreadyRegistered(existingId: string) {
  return new AppError('ALREADY_EXISTS', 'a child with this ID number is registered', [{ id: existingId }]);
}

/** A registration inside the caller's transaction; a known ID number gives the existing child. */
async function registerWithin(tx: Executor, context: RequestContext, body: RegisterChildBody): Promise<{ created: boolean; id: string; row: ChildRow }> {
  const { actor } = context;
  if ((actor.role === 'reviewer' || actor.role === 'civil_affairs') && body.regionCode !== actor.regionCode) {
    throw forbidden(`a ${actor.role === 'reviewer' ? 'reviewer' : 'civil affairs office'} registers only children of its own region`);
  }
  if (actor.role === 'township') {
    // A township registers the children of its own villages (protection.md §2).
    if (!body.villageCode) throw validationFailed('a township names the child’s village: villageCode', [{ field: 'villageCode' }]);
    if (!body.villageCode.startsWith(actor.townshipCode!)) throw forbidden('a township registers only children of its own villages');
  }
  const parsed = parseIdNumber(body.idNumber);
  if ('problem' in parsed) throw new Error('idNumber passed validation but does not parse');
  if (parsed.birthDate > chinaDate(context.now)) {
    throw validationFailed('the ID number gives a birth date in the future', [{ field: 'idNumber' }]);
  }
  const existing = await findChildByIdNumber(tx, body.idNumber);
  if (existing) return { created: false, id: existing.id, row: existing };
  const child = await insertChild(tx, {
    id: newId(),
    idNumber: body.idNumber,
    name: body.name,
    regionCode: body.regionCode,
    category: body.category ?? null,
    certificateNo: body.certificateNo ?? null,
    villageCode: body.villageCode ?? null,
    birthDate: parsed.birthDate,
    sex: parsed.sex,
    guardianName: body.guardian.name,
    guardianRelation: body.guardian.relation,
    guardianPhone: body.guardian.phone,
    registeredByUserId: actor.id,
    registeredByInstitutionId: actor.role === 'institution' ? actor.institutionId : null,
    createdAt: context.now,
  });
  await recordAudit(tx, context, {
    action: 'child.registered',
    entityType: 'child',
    entityId: child.id,
    regionCode: child.regionCode,
    // Personal data stays in the child's file; the audit trail holds only the masked number.
    data: { idNumberMasked: maskIdNumber(child.idNumber), category: child.category, regionCode: child.regionCode, villageCode: child.villageCode },
  });
  return { created: true, id: child.id, row: child };
}

export function createChildrenService(deps: { db: Database }) {
  const { db } = deps;

  /** A registration in its own transaction; two at the same moment end in one child. */
  async function registerOne(context: RequestContext, body: RegisterChildBody) {
    try {
      return await db.transaction((tx) => registerWithin(tx, context, body));
    } catch (error) {
      if (sqlState(error) === '23505') {
        const existing = await findChildByIdNumber(db, body.idNumber);
        if (existing) return { created: false, id: existing.id, row: existing };
      }
      throw error;
    }
  }

  return {
    /** POST /children: 201 with the child; a known ID number → 409 with the existing id. */
    async register(context: RequestContext, body: RegisterChildBody) {
      const outcome = await registerOne(context, body);
      if (!outcome.created) throw alreadyRegistered(outcome.id);
      return presentChild(outcome.row);
    },

    /** POST /children/bulk: each row as a registration; a known ID number is "existing". */
    async registerMany(context: RequestContext, rows: BulkRow[], atomic: boolean) {
      return runBulk(db, rows, atomic, {
        schema: RegisterChildBody,
        one: (body) => registerOne(context, body),
        within: (tx, body) => registerWithin(tx, context, body),
        // Registered at the same moment by another request (atomic mode): say so for that row.
        refusalOf: (error) => (sqlState(error) === '23505' ? new AppError('ALREADY_EXISTS', 'this child was registered at the same moment by another request') : undefined),
      });
    },

    /** PUT /children/:id/village: civil affairs a village of its region, a township one of its own. */
    async setVillage(context: RequestContext, id: string, villageCode: string) {
      const { actor } = context;
      const row = await db.transaction(async (tx) => {
        const child = await findChildForVillage(tx, actor, id, { lock: true });
        if (!child) throw notFound('child');
        if (!villageCode.startsWith(child.regionCode)) throw validationFailed('a village of the child’s region: its code starts with the child’s regionCode', [{ field: 'villageCode' }]);
        if (actor.role === 'township' && !villageCode.startsWith(actor.townshipCode!)) throw validationFailed('a township gives a child one of its own villages', [{ field: 'villageCode' }]);
        if (child.villageCode === villageCode) return child;
        const updated = await updateChildVillage(tx, child.id, villageCode);
        await recordAudit(tx, context, {
          action: 'child.village_changed',
          entityType: 'child',
          entityId: child.id,
          regionCode: child.regionCode,
          data: { before: child.villageCode, after: villageCode },
        });
        return updated;
      });
      return presentChild(row);
    },

    async get(context: RequestContext, id: string) {
      const row = await findChildInScope(db, context.actor, id);
      if (!row) throw notFound('child');
      return presentChild(row);
    },

    async list(context: RequestContext, query: { idNumber?: string | undefined; q?: string | undefined; regionCode?: string | undefined; cursor?: string | undefined; limit: number }) {
      const rows = await listChildrenInScope(db, context.actor, {
        idNumber: query.idNumber,
        q: query.q,
        regionCode: query.regionCode,
        afterId: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return presentPage(rows, query.limit, presentChild);
    },
  };
}

export type ChildrenService = ReturnType<typeof createChildrenService>;
