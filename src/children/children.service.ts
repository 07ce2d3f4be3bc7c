import type { AccessLog } from '../access/accessLog.service.js';
import type { Actor, RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { retryingConflicts, sqlState, type Database, type Executor, type Transaction } from '../db/client.js';
import { addMonths } from '../domain/calendar.js';
import { newId } from '../db/ids.js';
import { chinaDate } from '../domain/chinaTime.js';
import type { Category } from '../domain/vocabulary.js';
import { AppError, forbidden, invalidState, notFound, validationFailed } from '../http/errors.js';
import { runBulk, type BulkRow } from '../http/bulk.js';
import { decodeCursor, presentPage } from '../http/pagination.js';
import { refuseIfClosed, type CloseRefusalReason } from './closedChild.js';
import { RegisterChildBody, type CertificateBody, type CloseChildBody, type RevokeCertificateBody } from './children.schemas.js';
import { findChildByIdNumberLookup, findChildForVillage, findChildInScope, insertChild, listChildrenInScope, updateChild, updateChildVillage, type ChildRow } from './children.repository.js';
import { placeOf } from '../regions/divisions.js';
import { certificateNumberProblem, parseIdNumber } from '../domain/idNumber.js';
import { iso, isoOrNull } from '../http/schemas.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { idNumberLookup, idNumberSearch, openCertificateNo, openChild, sealCertificateNo, sealChild } from './childSecrets.js';

/** A child in full: its sealed values opened. */
export function presentChild(cipher: FieldCipher, row: ChildRow) {
  const personal = openChild(cipher, row);
  return {
    id: row.id,
    idNumber: personal.idNumber,
    name: row.name,
    regionCode: row.regionCode,
    category: row.category as Category | null,
    certificateNo: personal.certificateNo,
    ...placeOf(row.villageCode),
    certificateIssuedOn: row.certificateIssuedOn,
    birthDate: row.birthDate,
    sex: row.sex as 'male' | 'female',
    guardian: { name: row.guardianName, relation: row.guardianRelation, phone: personal.guardianPhone },
    registeredByInstitutionId: row.registeredByInstitutionId,
    createdAt: iso(row.createdAt),
    closedAt: isoOrNull(row.closedAt),
    closedReason: row.closedReason,
  };
}

/** What finance reads of a child (security.md §5): name, masked ID number, region; nothing is decrypted. */
export function presentChildFor(cipher: FieldCipher, actor: Actor, row: ChildRow) {
  if (actor.role === 'finance') return { id: row.id, name: row.name, idNumberMasked: row.idNumberMasked!, regionCode: row.regionCode, createdAt: iso(row.createdAt) };
  return presentChild(cipher, row);
}

/**
 * 409 for a known ID number the caller may see: it names the record (its id and name, so the console
 * links to it). One outside the caller's scope is RegisteredOutsideScope below, which names nothing.
 */
function alreadyRegistered(visible: ChildRow) {
  return new AppError('ALREADY_EXISTS', `a child with this ID number is registered: ${visible.id}`, [{ id: visible.id, name: visible.name }]);
}

/**
 * The ID number is registered, to a child the caller may not see. The answer says only that, never
 * the child's id (nobody may learn from it that an ID number belongs to a registered disabled
 * child); the attempt is written to the access log.
 */
class RegisteredOutsideScope extends AppError {
  constructor(readonly existingId: string) {
    super('ALREADY_EXISTS', 'a child with this ID number is registered, outside what you may see: ask the county’s reviewer');
  }
}

/** A known ID number: the existing child when the caller may see it, else a refusal without its id. */
async function existingOutcome(db: Executor, context: RequestContext, existing: ChildRow): Promise<{ created: boolean; id: string; row: ChildRow }> {
  if (!(await findChildInScope(db, context.actor, existing.id))) throw new RegisteredOutsideScope(existing.id);
  return { created: false, id: existing.id, row: existing };
}

/** A registration inside the caller's transaction; a known ID number gives the existing child. */
async function registerWithin(tx: Executor, cipher: FieldCipher, context: RequestContext, body: RegisterChildBody): Promise<{ created: boolean; id: string; row: ChildRow }> {
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
  const existing = await findChildByIdNumberLookup(tx, idNumberLookup(cipher, body.idNumber));
  if (existing) return existingOutcome(tx, context, existing);
  const child = await insertChild(tx, {
    id: newId(),
    ...sealChild(cipher, { idNumber: body.idNumber, guardianPhone: body.guardian.phone, certificateNo: body.certificateNo ?? null }),
    name: body.name,
    regionCode: body.regionCode,
    category: body.category ?? null,
    villageCode: body.villageCode ?? null,
    birthDate: parsed.birthDate,
    sex: parsed.sex,
    guardianName: body.guardian.name,
    guardianRelation: body.guardian.relation,
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
    data: { idNumberMasked: child.idNumberMasked, category: child.category, regionCode: child.regionCode, villageCode: child.villageCode },
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

/**
 * Why a programme refuses, for now, to see a child's record closed (a live enrolment, a pending
 * application), or null. Passed in, so that children/ holds no programme's rules.
 */
export type CloseRefusal = (tx: Transaction, childId: string, today: string) => Promise<CloseRefusalReason | null>;

/**
 * What a programme does, in the same transaction, when a child moves to another village: the
 * protection programme moves the child's live case with it, so that the township the child now
 * lives in reads and visits it (protection.md §1). Passed in, so that children/ holds no programme's rules.
 */
export type VillageChangedHandler = (tx: Transaction, context: RequestContext, childId: string, villageCode: string) => Promise<void>;

export function createChildrenService(deps: { db: Database; accessLog: AccessLog; cipher: FieldCipher; onCertificateRevoked?: CertificateRevokedHandler; closeRefusals?: CloseRefusal[]; onVillageChanged?: VillageChangedHandler }) {
  const { db, accessLog, cipher } = deps;

  /** A change of one child's file under its row lock, in one transaction. */
  async function changeChild(context: RequestContext, id: string, work: (tx: Transaction, child: ChildRow) => Promise<ChildRow>) {
    const row = await retryingConflicts(() =>
      db.transaction(async (tx) => {
        const child = await findChildInScope(tx, context.actor, id, { lock: true });
        if (!child) throw notFound('child');
        return work(tx, child);
      }),
    );
    return presentChild(cipher, row);
  }

  /** A registration in its own transaction; two at the same moment end in one child. */
  async function registerOne(context: RequestContext, body: RegisterChildBody) {
    try {
      return await db.transaction((tx) => registerWithin(tx, cipher, context, body));
    } catch (error) {
      if (sqlState(error) === '23505') {
        const existing = await findChildByIdNumberLookup(db, idNumberLookup(cipher, body.idNumber));
        if (existing) return existingOutcome(db, context, existing);
      }
      throw error;
    }
  }

  /** An ID number tried that belongs to a child outside the caller's scope: a look-up, in the access log. */
  async function recordAttempt(context: RequestContext, idNumber: string, existingId: string) {
    await accessLog.record(context, {
      action: 'search',
      entityType: 'child',
      entityId: existingId,
      filter: { ...accessLog.idNumberFilter(idNumber), outcome: 'registration refused: registered outside the caller’s scope' },
    });
  }

  return {
    /** POST /children: 201 with the child; a known ID number → 409 with the existing id. */
    async register(context: RequestContext, body: RegisterChildBody) {
      let outcome;
      try {
        outcome = await registerOne(context, body);
      } catch (error) {
        if (error instanceof RegisteredOutsideScope) await recordAttempt(context, body.idNumber, error.existingId);
        throw error;
      }
      if (!outcome.created) throw alreadyRegistered(outcome.row);
      return presentChild(cipher, outcome.row);
    },

    /** POST /children/bulk: each row as a registration; a known ID number is "existing". */
    async registerMany(context: RequestContext, rows: BulkRow[], atomic: boolean) {
      // Rows that named a child outside the caller's scope are recorded once the rows are run (an
      // atomic upload runs in one transaction, which a refusal undoes).
      const attempts: { idNumber: string; existingId: string }[] = [];
      const noting = async <T>(body: RegisterChildBody, work: () => Promise<T>): Promise<T> => {
        try {
          return await work();
        } catch (error) {
          if (error instanceof RegisteredOutsideScope) attempts.push({ idNumber: body.idNumber, existingId: error.existingId });
          throw error;
        }
      };
      try {
        return await runBulk(db, rows, atomic, {
          schema: RegisterChildBody,
          one: (body) => noting(body, () => registerOne(context, body)),
          within: (tx, body) => noting(body, () => registerWithin(tx, cipher, context, body)),
          // Registered at the same moment by another request (atomic mode): say so for that row.
          refusalOf: (error) => (sqlState(error) === '23505' ? new AppError('ALREADY_EXISTS', 'this child was registered at the same moment by another request') : undefined),
        });
      } finally {
        for (const attempt of attempts) await recordAttempt(context, attempt.idNumber, attempt.existingId);
      }
    },

    /**
     * POST /children/:id/close: a record registered under a wrong ID number ends (the child is
     * registered again under the right one). Nothing it holds is removed; it takes nothing new.
     * Refused while a programme still works on it (each says what to finish first).
     */
    close(context: RequestContext, id: string, body: CloseChildBody) {
      return changeChild(context, id, async (tx, child) => {
        if (child.closedAt) throw invalidState(`the child's record was closed on ${chinaDate(child.closedAt)}`, `此档案已于${chinaDate(child.closedAt)}注销。`);
        for (const refusal of deps.closeRefusals ?? []) {
          const reason = await refusal(tx, id, chinaDate(context.now));
          if (reason) throw invalidState(reason.message, reason.hint);
        }
        const row = await updateChild(tx, id, { closedAt: context.now, closedReason: body.reason, closedByUserId: context.actor.id });
        await recordAudit(tx, context, {
          action: 'child.closed',
          entityType: 'child',
          entityId: id,
          regionCode: child.regionCode,
          data: { reason: body.reason, idNumberMasked: child.idNumberMasked },
        });
        return row;
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
        await deps.onVillageChanged?.(tx, context, child.id, villageCode);
        await recordAudit(tx, context, {
          action: 'child.village_changed',
          entityType: 'child',
          entityId: child.id,
          regionCode: child.regionCode,
          data: { before: child.villageCode, after: villageCode },
        });
        return updated;
      });
      return presentChild(cipher, row);
    },

    /** PUT /children/:id/certificate: records or replaces the child's disability certificate. */
    recordCertificate(context: RequestContext, id: string, body: CertificateBody) {
      const today = chinaDate(context.now);
      if (body.issuedOn > today) throw validationFailed(`issuedOn is after today (${today})`, [{ field: 'issuedOn' }]);
      return changeChild(context, id, async (tx, child) => {
        if (body.issuedOn < child.birthDate) throw validationFailed('issuedOn is before the child’s birth', [{ field: 'issuedOn' }]);
        refuseIfClosed(child);
        const certificate = certificateNumberProblem(openChild(cipher, child).idNumber, body.certificateNo);
        if (certificate) throw validationFailed(certificate.message, [{ field: 'certificateNo', hint: certificate.hint }]);
        const row = await updateChild(tx, id, { certificateNoSealed: sealCertificateNo(cipher, body.certificateNo.trim().toUpperCase()), certificateIssuedOn: body.issuedOn });
        const replaced = openCertificateNo(cipher, child.certificateNoSealed);
        await recordAudit(tx, context, {
          action: 'child.certificate_recorded',
          entityType: 'child',
          entityId: id,
          regionCode: child.regionCode,
          data: {
            certificateNoMasked: maskCertificateNo(body.certificateNo),
            issuedOn: body.issuedOn,
            replaced: replaced ? { certificateNoMasked: maskCertificateNo(replaced), issuedOn: child.certificateIssuedOn } : null,
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
        const certificateNo = openCertificateNo(cipher, child.certificateNoSealed);
        if (!certificateNo) throw invalidState('the child holds no certificate to revoke');
        if (child.certificateIssuedOn && body.on < child.certificateIssuedOn) {
          throw validationFailed(`on is before the certificate was issued (${child.certificateIssuedOn})`, [{ field: 'on' }]);
        }
        const fromMonth = addMonths(body.on.slice(0, 7), 1);
        const exited = (await deps.onCertificateRevoked?.(tx, context, id, fromMonth, body.reason)) ?? null;
        const row = await updateChild(tx, id, { certificateNoSealed: null, certificateIssuedOn: null });
        await recordAudit(tx, context, {
          action: 'child.certificate_revoked',
          entityType: 'child',
          entityId: id,
          regionCode: child.regionCode,
          data: { on: body.on, reason: body.reason, certificateNoMasked: maskCertificateNo(certificateNo), allowanceExitedFrom: exited ? fromMonth : null, beneficiaryId: exited },
        });
        return row;
      });
    },

    async get(context: RequestContext, id: string) {
      const row = await findChildInScope(db, context.actor, id);
      if (!row) throw notFound('child');
      return presentChildFor(cipher, context.actor, row);
    },

    async list(context: RequestContext, query: { idNumber?: string | undefined; q?: string | undefined; regionCode?: string | undefined; cursor?: string | undefined; limit: number }) {
      const rows = await listChildrenInScope(db, context.actor, {
        idNumberLookup: query.idNumber ? idNumberLookup(cipher, query.idNumber) : undefined,
        q: query.q ? { name: query.q, ...idNumberSearch(cipher, query.q) } : undefined,
        regionCode: query.regionCode,
        afterId: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return presentPage(rows, query.limit, (row) => presentChildFor(cipher, context.actor, row));
    },
  };
}

export type ChildrenService = ReturnType<typeof createChildrenService>;
