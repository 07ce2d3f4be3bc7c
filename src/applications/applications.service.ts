import { eq } from 'drizzle-orm';
import type { RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { findChildInScope } from '../children/children.repository.js';
import { refuseIfClosed, type CloseRefusalReason } from '../children/closedChild.js';
import type { Database, Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { applications } from '../db/schema.js';
import { ageInFullYears } from '../domain/calendar.js';
import { chinaDate } from '../domain/chinaTime.js';
import type { Category, Service } from '../domain/vocabulary.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { decodeCursor, decodeDateCursor, page } from '../http/pagination.js';
import { loadDeadlines, type Deadlines } from '../calendar/deadlines.js';
import { findInstitution } from '../institutions/institutions.repository.js';
import { policyInForce } from '../policies/policies.service.js';
import { eligibilityProblem } from '../policies/policy.js';
import type { ApplicationListQuery, FileApplicationBody } from './applications.schemas.js';
import {
  findOpenRehabilitationWork,
  applicationScope,
  findApplicationWithChild,
  insertApplication,
  listApplicationsInScope,
  updateApplication,
  type ApplicationRow,
} from './applications.repository.js';
import { iso, isoOrNull } from '../http/schemas.js';

/** The application as the API shows it, with its review deadline in the child's region. */
export function presentApplication(row: ApplicationRow, regionCode: string, deadlines: Deadlines, today: string) {
  const decidedOn = row.status === 'pending' || !row.decidedAt ? null : chinaDate(row.decidedAt);
  return {
    id: row.id,
    childId: row.childId,
    year: row.year,
    services: row.services as Service[],
    status: row.status as 'pending' | 'approved' | 'rejected',
    preferredInstitutionId: row.preferredInstitutionId,
    institutionId: row.institutionId,
    filedBy: row.filedByUserId,
    decidedBy: row.decidedByUserId,
    decidedAt: isoOrNull(row.decidedAt),
    rejectionReason: row.rejectionReason,
    droppedOutOn: row.droppedOutOn,
    dropoutReason: row.dropoutReason,
    createdAt: iso(row.createdAt),
    ...deadlines.timing(regionCode, row.receivedOn, row.status === 'pending', decidedOn, today),
  };
}

/**
 * Why a child's record may not be closed yet, from rehabilitation: what is still open on it would
 * be decided, claimed or paid on the closed record while the child's new registration is served too.
 */
export async function rehabilitationRefusalToClose(tx: Executor, childId: string, today: string): Promise<CloseRefusalReason | null> {
  const open = await findOpenRehabilitationWork(tx, childId, Number(today.slice(0, 4)));
  if (open.pending) {
    return { message: `the child has a pending application (${open.pending.id}): decide it first`, hint: `该儿童有一份${open.pending.year}年度待审核的救助申请，请先审批或驳回后再注销档案。` };
  }
  if (open.claim) {
    return {
      message: `the child has a ${open.claim.status} claim (${open.claim.externalRef}): decide it first`,
      hint: `该儿童有未办结的申报（结算申请号 ${open.claim.externalRef}），请先审核或由机构撤回后再注销档案。`,
    };
  }
  if (open.referral) {
    return {
      message: `the child holds an approved ${open.referral.year} referral (${open.referral.id}): record the drop-out first`,
      hint: `该儿童有${open.referral.year}年度已批准的转介，请先办理中途退出（机构不能再按此档案申报）后再注销档案。`,
    };
  }
  return null;
}

export function createApplicationsService(deps: { db: Database }) {
  const { db } = deps;

  /** One application as the API shows it, with the deadlines as they stand now. */
  async function present(context: RequestContext, row: ApplicationRow, regionCode: string) {
    return presentApplication(row, regionCode, await loadDeadlines(db), chinaDate(context.now));
  }

  return {
    async file(context: RequestContext, body: FileApplicationBody) {
      const { actor } = context;
      const currentYear = Number(chinaDate(context.now).slice(0, 4));
      if (body.year > currentYear + 1) {
        throw validationFailed(`applications are filed for ${currentYear + 1} at the latest`, [{ field: 'year' }]);
      }
      const today = chinaDate(context.now);
      if (body.receivedOn && body.receivedOn > today) {
        throw validationFailed(`receivedOn is after today (${today}): an application is received on a day that has come`, [{ field: 'receivedOn' }]);
      }
      let preferredInstitutionId = body.institutionId ?? null;
      if (actor.role === 'institution') {
        if (preferredInstitutionId && preferredInstitutionId !== actor.institutionId) {
          throw validationFailed('an institution files applications naming itself', [{ field: 'institutionId' }]);
        }
        preferredInstitutionId = actor.institutionId;
      }
      const row = await db.transaction(async (tx) => {
        const child = await findChildInScope(tx, actor, body.childId);
        if (!child) throw notFound('child');
        refuseIfClosed(child);
        if (preferredInstitutionId && !(await findInstitution(tx, preferredInstitutionId))) {
          throw validationFailed('institutionId names no institution', [{ field: 'institutionId' }]);
        }
        const application = await insertApplication(tx, {
          id: newId(),
          childId: child.id,
          year: body.year,
          services: body.services,
          status: 'pending',
          preferredInstitutionId,
          filedByUserId: actor.id,
          filedByInstitutionId: actor.role === 'institution' ? actor.institutionId : null,
          receivedOn: body.receivedOn ?? today,
          createdAt: context.now,
        });
        await recordAudit(tx, context, {
          action: 'application.filed',
          entityType: 'application',
          entityId: application.id,
          regionCode: child.regionCode,
          data: { childId: child.id, year: body.year, services: body.services, preferredInstitutionId, receivedOn: application.receivedOn },
        });
        return { application, regionCode: child.regionCode };
      });
      return present(context, row.application, row.regionCode);
    },

    async approve(context: RequestContext, id: string, body: { institutionId?: string | undefined } | null | undefined) {
      const row = await db.transaction(async (tx) => {
        const found = await findApplicationWithChild(tx, id, applicationScope(context.actor), { lock: true });
        if (!found) throw notFound('application');
        const { application, child } = found;
        if (application.status !== 'pending') throw invalidState(`the application is ${application.status}`);
        const institutionId = body?.institutionId ?? application.preferredInstitutionId;
        if (!institutionId) {
          throw validationFailed('name the institution to refer the child to', [{ field: 'institutionId' }]);
        }
        const institution = await findInstitution(tx, institutionId);
        if (!institution) throw validationFailed('institutionId names no institution', [{ field: 'institutionId' }]);

        // Eligibility is judged for the whole year: age on 1 January, policy in force that day.
        const firstOfYear = `${application.year}-01-01`;
        const policy = await policyInForce(tx, child.regionCode, firstOfYear);
        const category = child.category as Category | null;
        const ageYears = ageInFullYears(child.birthDate, firstOfYear);
        const services = application.services as Service[];
        const problems = services.map((service) =>
          policy ? eligibilityProblem(policy, service, null, category, ageYears) : ('CATEGORY_NOT_COVERED' as const),
        );
        const uncovered = services.filter((_, index) => problems[index] === 'CATEGORY_NOT_COVERED');
        if (uncovered.length > 0) {
          throw new AppError('CATEGORY_NOT_COVERED', `not covered for category ${category}: ${uncovered.join(', ')}`, uncovered.map((service) => ({ service })));
        }
        const tooOld = services.filter((_, index) => problems[index] === 'INELIGIBLE_AGE');
        if (tooOld.length > 0) {
          throw new AppError('INELIGIBLE_AGE', `the child is ${ageYears} on ${firstOfYear}, over the age limit of: ${tooOld.join(', ')}`, tooOld.map((service) => ({ service, ageYears })));
        }
        const notDesignated = services.filter((service) => !institution.services.includes(service));
        if (notDesignated.length > 0) {
          throw new AppError('SERVICE_NOT_DESIGNATED', `${institution.name} is not designated for: ${notDesignated.join(', ')}`, notDesignated.map((service) => ({ service })));
        }

        const approved = await updateApplication(tx, application.id, {
          status: 'approved',
          institutionId,
          decidedByUserId: context.actor.id,
          decidedAt: context.now,
        });
        await recordAudit(tx, context, {
          action: 'application.approved',
          entityType: 'application',
          entityId: application.id,
          regionCode: child.regionCode,
          data: { institutionId, policyId: policy!.id, year: application.year, services },
        });
        return { application: approved, regionCode: child.regionCode };
      });
      return present(context, row.application, row.regionCode);
    },

    async reject(context: RequestContext, id: string, reason: string) {
      const row = await db.transaction(async (tx) => {
        const found = await findApplicationWithChild(tx, id, applicationScope(context.actor), { lock: true });
        if (!found) throw notFound('application');
        if (found.application.status !== 'pending') throw invalidState(`the application is ${found.application.status}`);
        const rejected = await updateApplication(tx, id, {
          status: 'rejected',
          rejectionReason: reason,
          decidedByUserId: context.actor.id,
          decidedAt: context.now,
        });
        await recordAudit(tx, context, {
          action: 'application.rejected',
          entityType: 'application',
          entityId: id,
          regionCode: found.child.regionCode,
          data: { reason },
        });
        return { application: rejected, regionCode: found.child.regionCode };
      });
      return present(context, row.application, row.regionCode);
    },

    async dropout(context: RequestContext, id: string, body: { date: string; reason?: string | undefined }) {
      const { actor } = context;
      // Only the referred institution reports a drop-out; others that can see the application cannot.
      const scope = actor.role === 'institution' ? eq(applications.institutionId, actor.institutionId!) : applicationScope(actor);
      const row = await db.transaction(async (tx) => {
        const found = await findApplicationWithChild(tx, id, scope, { lock: true });
        if (!found) throw notFound('application');
        const { application, child } = found;
        if (application.status !== 'approved') throw invalidState('only an approved referral can record a drop-out');
        if (application.droppedOutOn) throw invalidState(`the drop-out was recorded already (${application.droppedOutOn})`);
        if (body.date > chinaDate(context.now)) throw validationFailed('the drop-out date is in the future', [{ field: 'date' }]);
        if (Number(body.date.slice(0, 4)) !== application.year) {
          throw validationFailed(`the drop-out date must lie in the referral year ${application.year}`, [{ field: 'date' }]);
        }
        const dropped = await updateApplication(tx, id, { droppedOutOn: body.date, dropoutReason: body.reason ?? null });
        await recordAudit(tx, context, {
          action: 'application.dropped_out',
          entityType: 'application',
          entityId: id,
          regionCode: child.regionCode,
          data: { date: body.date, reason: body.reason ?? null },
        });
        return { application: dropped, regionCode: child.regionCode };
      });
      return present(context, row.application, row.regionCode);
    },

    async get(context: RequestContext, id: string) {
      const found = await findApplicationWithChild(db, id, applicationScope(context.actor));
      if (!found) throw notFound('application');
      return present(context, found.application, found.child.regionCode);
    },

    /** GET /applications: the pending queue by due date (`status=pending`), `overdue=true` past it. */
    async list(context: RequestContext, query: ApplicationListQuery) {
      const today = chinaDate(context.now);
      const deadlines = await loadDeadlines(db);
      const byReceipt = query.status === 'pending' || query.overdue === 'true';
      const dateCursor = byReceipt ? decodeDateCursor(query.cursor) : undefined;
      const idCursor = byReceipt ? undefined : decodeCursor(query.cursor);
      const rows = await listApplicationsInScope(db, context.actor, {
        ...query,
        overdue: query.overdue === 'true' ? (regionColumn, receivedOnOrBefore) => deadlines.overdueCondition(regionColumn, today, receivedOnOrBefore) : undefined,
        byReceipt,
        after: dateCursor ? { receivedOn: dateCursor.date, id: dateCursor.id } : idCursor ? { id: idCursor } : undefined,
        limit: query.limit,
      });
      const result = page(
        rows.map((row) => ({ ...row, id: row.application.id })),
        query.limit,
        byReceipt ? (row) => [row.application.receivedOn, row.application.id] : undefined,
      );
      return { items: result.items.map((row) => presentApplication(row.application, row.regionCode, deadlines, today)), nextCursor: result.nextCursor };
    },
  };
}

export type ApplicationsService = ReturnType<typeof createApplicationsService>;
