import { recordAudit } from '../audit/audit.repository.js';
import { updateChildGuardian } from '../children/children.repository.js';
import { sealGuardianPhone } from '../children/childSecrets.js';
import { userNames } from '../auth/users.repository.js';
import { sqlState, type Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate } from '../domain/chinaTime.js';
import { maskPhone } from '../domain/masks.js';
import { caseEnded, inCareOn } from '../domain/protectionAgeRule.js';
import { latestOpenQuarter, quarterCensusDay, quarterOpensOn, quarterStatus } from '../domain/protectionQuarterRule.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { iso } from '../http/schemas.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { townshipName } from '../regions/divisions.js';
import { auditCase } from './caseChanges.js';
import { casesOfRegion, lockCasesInScope, updateCase, type CaseWithChild } from './cases.repository.js';
import { placeHold } from './caseSteps.repository.js';
import { holdFromRolls } from './basicLivingEffects.js';
import { findQuarterlyUpdate, findQuarterlyUpdateInScope, insertQuarterlyUpdate, linesOf, quarterlyUpdatesOf, type QuarterlyUpdateRow } from './quarterly.repository.js';
import type { QuarterlyUpdateBody } from './quarterly.schemas.js';

// Quarterly updates (季度更新, protection.md §6): a township confirms, changes or reports the exit of
// every case it has recognised, once a quarter, from the first day of the quarter's last month.
// Civil affairs sees which townships are due, have submitted (late or not), or are overdue.

const nameOfTownship = (code: string) => townshipName(code) ?? code;

/** The townships with a case in care on the quarter's census day, and how many each. */
export function townshipsInCare(cases: readonly CaseWithChild[], quarter: string, today: string): Map<string, number> {
  const day = quarterCensusDay(quarter, today);
  const counts = new Map<string, number>();
  for (const { record } of cases) {
    if (!inCareOn({ recognisedOn: record.recognisedOn, lastMonth: record.lastMonth, exitFromMonth: record.exitFromMonth }, day)) continue;
    counts.set(record.townshipCode, (counts.get(record.townshipCode) ?? 0) + 1);
  }
  return counts;
}

export function createQuarterlyService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;

  function presentStatus(quarter: string, today: string, townshipCode: string, update: QuarterlyUpdateRow | undefined, inCare: number) {
    const { status, late } = quarterStatus(quarter, today, update?.submittedOn ?? null);
    return { townshipCode, townshipName: nameOfTownship(townshipCode), status, submittedOn: update?.submittedOn ?? null, late, id: update?.id ?? null, expected: inCare > 0, casesInCare: inCare };
  }

  return {
    /** POST /protection/quarterly-updates (township). */
    async submit(context: RequestContext, body: QuarterlyUpdateBody): Promise<string> {
      const { actor } = context;
      const today = chinaDate(context.now);
      const opens = quarterOpensOn(body.quarter);
      if (today < opens) throw new AppError('SERVICE_NOT_YET_DELIVERED', `the update of ${body.quarter} is accepted from ${opens}`, [{ acceptedFrom: opens }]);
      const month = today.slice(0, 7);
      try {
        return await db.transaction(async (tx) => {
          if (await findQuarterlyUpdate(tx, actor.townshipCode!, body.quarter)) throw new AppError('ALREADY_EXISTS', `${nameOfTownship(actor.townshipCode!)} submitted the update of ${body.quarter} already`);
          const due = (await casesOfRegion(tx, cipher, actor.regionCode!, { townshipCode: actor.townshipCode! })).filter(
            ({ record }) => record.status === 'recognised' && !caseEnded(record.lastMonth!, month),
          );
          const dueIds = new Set(due.map(({ record }) => record.id));
          const named = body.lines.map((line) => line.caseId);
          const problems = [
            ...named.filter((id, index) => named.indexOf(id) !== index).map((caseId) => ({ caseId, problem: 'named twice' })),
            ...named.filter((id) => !dueIds.has(id)).map((caseId) => ({ caseId, problem: 'not a recognised case of the township' })),
            ...[...dueIds].filter((id) => !named.includes(id)).map((caseId) => ({ caseId, problem: 'missing: every recognised case of the township has a line' })),
          ];
          if (problems.length > 0) throw validationFailed(`the lines name each recognised case of the township once: ${problems.length} problem(s)`, problems);
          const cases = new Map((await lockCasesInScope(tx, cipher, actor, named)).map((found) => [found.record.id, found]));
          // Read before the locks: a case exited or ended by another request meanwhile is answered, not written.
          const changed = named.filter((caseId) => cases.get(caseId)?.record.status !== 'recognised');
          if (changed.length > 0) throw invalidState(`cases changed while the update was checked: ${changed.join(', ')}; send it again`);
          const id = newId();
          const lines = [];
          for (const line of body.lines) {
            const { record, child } = cases.get(line.caseId)!;
            if (line.result === 'confirmed' || line.result === 'changed') {
              await updateCase(tx, record.id, { lastVerifiedOn: record.lastVerifiedOn && record.lastVerifiedOn > today ? record.lastVerifiedOn : today });
              await auditCase(tx, context, 'case.verified', record, { on: today, by: 'quarterly_update', quarter: body.quarter });
            }
            const guardian = line.changes?.guardian;
            if (guardian) {
              await updateChildGuardian(tx, child.id, { name: guardian.name, relation: guardian.relation, phoneSealed: sealGuardianPhone(cipher, guardian.phone) });
              await recordAudit(tx, context, {
                action: 'child.guardian_changed',
                entityType: 'child',
                entityId: child.id,
                regionCode: child.regionCode,
                data: { quarter: body.quarter, caseId: record.id, after: { name: guardian.name, relation: guardian.relation, phone: maskPhone(guardian.phone) } },
              });
            }
            if (line.result === 'exited') {
              await placeHold(tx, { id: newId(), caseId: record.id, reason: 'exit_reported', note: `${body.quarter} 季度更新报告退出`, quarterlyUpdateId: id, placedByUserId: actor.id, placedAt: context.now });
              const rolls = await holdFromRolls(tx, record);
              await auditCase(tx, context, 'case.held', record, { reason: 'exit_reported', quarter: body.quarter, exit: line.exit ? { reason: line.exit.reason, eventOn: line.exit.eventOn ?? null } : null, takenOffRolls: rolls });
            }
            lines.push({
              updateId: id,
              caseId: record.id,
              result: line.result,
              // The guardian's phone is on the child; the line keeps it masked.
              changes: line.changes ? { ...line.changes, guardian: guardian ? { ...guardian, phone: maskPhone(guardian.phone) } : null } : null,
              exit: line.exit ?? null,
            });
          }
          await insertQuarterlyUpdate(tx, { id, regionCode: actor.regionCode!, townshipCode: actor.townshipCode!, quarter: body.quarter, submittedOn: today, submittedByUserId: actor.id, createdAt: context.now }, lines);
          const count = (result: string) => body.lines.filter((line) => line.result === result).length;
          await recordAudit(tx, context, {
            action: 'quarterly_update.submitted',
            entityType: 'quarterly_update',
            entityId: id,
            regionCode: actor.regionCode,
            data: { quarter: body.quarter, townshipCode: actor.townshipCode, submittedOn: today, confirmed: count('confirmed'), changed: count('changed'), exited: count('exited') },
          });
          return id;
        });
      } catch (error) {
        if (sqlState(error) === '23505') throw new AppError('ALREADY_EXISTS', `the update of ${body.quarter} was submitted at the same moment`);
        throw error;
      }
    },

    /** GET /protection/quarterly-updates?quarter=: civil affairs every township expected or submitted; a township its own. */
    async statuses(context: RequestContext, requestedQuarter: string | undefined) {
      const { actor } = context;
      const today = chinaDate(context.now);
      const quarter = requestedQuarter ?? latestOpenQuarter(today);
      const cases = await casesOfRegion(db, cipher, actor.regionCode!, actor.role === 'township' ? { townshipCode: actor.townshipCode! } : {});
      const inCare = townshipsInCare(cases, quarter, today);
      const updates = new Map((await quarterlyUpdatesOf(db, actor, quarter)).map((update) => [update.townshipCode, update]));
      const townships = actor.role === 'township' ? [actor.townshipCode!] : [...new Set([...inCare.keys(), ...updates.keys()])].sort();
      return { quarter, items: townships.map((code) => presentStatus(quarter, today, code, updates.get(code), inCare.get(code) ?? 0)), nextCursor: null };
    },

    async get(context: RequestContext, id: string) {
      const update = await findQuarterlyUpdateInScope(db, context.actor, id);
      if (!update) throw notFound('quarterly update');
      const lines = await linesOf(db, [update.id]);
      const names = await userNames(db, [update.submittedByUserId]);
      return {
        id: update.id,
        quarter: update.quarter,
        townshipCode: update.townshipCode,
        townshipName: nameOfTownship(update.townshipCode),
        submittedOn: update.submittedOn,
        submittedBy: { id: update.submittedByUserId, name: names.get(update.submittedByUserId) ?? '' },
        late: quarterStatus(update.quarter, update.submittedOn, update.submittedOn).late,
        lines: lines.map(({ line, number, childName }) => ({
          caseId: line.caseId,
          number,
          childName,
          result: line.result as 'confirmed',
          changes: line.changes as Record<string, unknown> | null,
          exit: line.exit as Record<string, unknown> | null,
        })),
        createdAt: iso(update.createdAt),
      };
    },
  };
}

export type QuarterlyService = ReturnType<typeof createQuarterlyService>;
