import type { RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { retryingConflicts, sqlState, type Database, type Executor, type Transaction } from '../db/client.js';
import { addMonths } from '../domain/calendar.js';
import { newId } from '../db/ids.js';
import { chinaDate } from '../domain/chinaTime.js';
import type { Category } from '../domain/vocabulary.js';
import { AppError, forbidden, invalidState, notFound, validationFailed } from '../http/errors.js';
import { runBulk, type BulkRow } from '../http/bulk.js';
import { decodeCursor, presentPage } from '../http/pagination.js';
import { RegisterChildBody, type CertificateBody, type RevokeCertificateBody } from './children.schemas.js';
import { findChildByIdNumber, findChildForVillage, findChildInScope, insertChild, listChildrenInScope, updateChild, updateChildVillage, type ChildRow } from './children.repository.js';
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
    certificateIssuedOn: row.certificateIssuedOn,
    birthDate: row.birthDate,
    sex: row.sex as 'male' | 'female',
    guardian: { name: row.guardianName, relation: row.guardianRelation, phone: row.guardianPhone },
    registeredByInstitutionId: row.registeredByInstitutionId,
    createdAt: iso(row.createdAt),
  };
}

/**
 * 409 for a known ID number. Within the caller's scope it names the record (its id and name, so the
 * console links to it); outside it, it names nothing (security.md §5: existence elsewhere does not
 * leak a file).
 */
function alreadyRegistered(visible: ChildRow | undefined) {
  return visible
    ? new AppError('ALREADY_EXISTS', `a child with this ID number is registered: ${visible.id}`, [{ id: visible.id, name: visible.name }])
    : new AppError('ALREADY_EXISTS', 'a child with this ID number is registered outside your scope: ask the county’s reviewer');
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

/** A certificate number in the audit trail: it carries the ID number, so only its ends are kept. */
function maskCertificateNo(certificateNo: string): string {
  if (certificateNo.length <= 10) return `${'*'.repeat(Math.max(0, certificateNo.length - 2))}${certificateNo.slice(-2)}`;
  return `${certificateNo.slice(0, 6)}${'*'.repeat(certificateNo.length - 10)}${certificateNo.slice(-4)}`;
}

/**
 * What a programme does, in the revocation's transaction, when a child's disability certificate is
 * revoked: the care allowance exits the child's record from `fromMonth` (allowance.md). Passed in,
 * so that children/ holds no programme's rules. Returns the record it exited, if any.
 */
export type CertificateRevokedHandler = (tx: Transaction, context: RequestContext, childId: string, fromMonth: string, reason: string) => Promise<string | null>;

export function createChildrenService(deps: { db: Database; onCertificateRevoked?: CertificateRevokedHandler }) {
  const { db } = deps;

  /** A change of one child's file under its row lock, in one transaction. */
  async function changeChild(context: RequestContext, id: string, work: (tx: Transaction, child: ChildRow) => Promise<ChildRow>) {
    const row = await retryingConflicts(() =>
      db.transaction(async (tx) => {
        const child = await findChildInScope(tx, context.actor, id, { lock: true });
        if (!child) throw notFound('child');
        return work(tx, child);
      }),
    );
    return presentChild(row);
  }

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
      if (!outcome.created) throw alreadyRegistered(await findChildInScope(db, context.actor, outcome.id));
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

    /** PUT /children/:id/certificate: records or replaces the child's disability certificate. */
    recordCertificate(context: RequestContext, id: string, body: CertificateBody) {
      const today = chinaDate(context.now);
      if (body.issuedOn > today) throw validationFailed(`issuedOn is after today (${today})`, [{ field: 'issuedOn' }]);
      return changeChild(context, id, async (tx, child) => {
        if (body.issuedOn < child.birthDate) throw validationFailed('issuedOn is before the child’s birth', [{ field: 'issuedOn' }]);
        const row = await updateChild(tx, id, { certificateNo: body.certificateNo, certificateIssuedOn: body.issuedOn });
        await recordAudit(tx, context, {
          action: 'child.certificate_recorded',
          entityType: 'child',
          entityId: id,
          regionCode: child.regionCode,
          data: {
            certificateNoMasked: maskCertificateNo(body.certificateNo),
            issuedOn: body.issuedOn,
            replaced: child.certificateNo ? { certificateNoMasked: maskCertificateNo(child.certificateNo), issuedOn: child.certificateIssuedOn } : null,
          },
        });
        return row;
      });
    },

    /**
     * POST /children/:id/certificate/revoke: the certificate is removed and, in the same
     * transaction, the care allowance exits the child's record from the month after `on`.
     */
    revokeCertificate(context: RequestContext, id: string, body: RevokeCertificateBody) {
      const today = chinaDate(context.now);
      if (body.on > today) throw validationFailed(`on is after today (${today})`, [{ field: 'on' }]);
      return changeChild(context, id, async (tx, child) => {
        if (!child.certificateNo) throw invalidState('the child holds no certificate to revoke');
        if (child.certificateIssuedOn && body.on < child.certificateIssuedOn) {
          throw validationFailed(`on is before the certificate was issued (${child.certificateIssuedOn})`, [{ field: 'on' }]);
        }
        const fromMonth = addMonths(body.on.slice(0, 7), 1);
        const exited = (await deps.onCertificateRevoked?.(tx, context, id, fromMonth, body.reason)) ?? null;
        const row = await updateChild(tx, id, { certificateNo: null, certificateIssuedOn: null });
        await recordAudit(tx, context, {
          action: 'child.certificate_revoked',
          entityType: 'child',
          entityId: id,
          regionCode: child.regionCode,
          data: { on: body.on, reason: body.reason, certificateNoMasked: maskCertificateNo(child.certificateNo), allowanceExitedFrom: exited ? fromMonth : null, beneficiaryId: exited },
        });
        return row;
      });
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
