import { recordAudit } from '../audit/audit.repository.js';
import { sqlState, type Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { normaliseMoney } from '../domain/money.js';
import type { RequestContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { iso } from '../http/schemas.js';
import { insertProtectionStandard, protectionStandardRows, type ProtectionStandardRow } from './standards.repository.js';
import type { ProtectionStandardBody } from './standards.schemas.js';

// The basic-living standards (基本生活费, protection.md §8), versioned by month and region as the
// care allowance's: each month of a roll is paid at the standard in force that month; entries
// already made keep theirs.

function present(row: ProtectionStandardRow) {
  return {
    id: row.id,
    effectiveFrom: row.effectiveFrom,
    regionCode: row.regionCode,
    orphanInstitutionMonthly: normaliseMoney(row.orphanInstitutionMonthly),
    orphanScatteredMonthly: normaliseMoney(row.orphanScatteredMonthly),
    deFactoUnsupportedMonthly: normaliseMoney(row.deFactoUnsupportedMonthly),
    createdAt: iso(row.createdAt),
  };
}

export function createProtectionStandardsService(deps: { db: Database }) {
  const { db } = deps;
  return {
    async list() {
      return { items: (await protectionStandardRows(db)).map(present) };
    },

    /** POST /protection/standards: a new standard from a month; one of the same region and month → 409. */
    async create(context: RequestContext, body: ProtectionStandardBody) {
      const amounts = {
        orphanInstitutionMonthly: normaliseMoney(body.orphanInstitutionMonthly),
        orphanScatteredMonthly: normaliseMoney(body.orphanScatteredMonthly),
        // Seeded and national practice pay a de facto unsupported child as a scattered orphan.
        deFactoUnsupportedMonthly: normaliseMoney(body.deFactoUnsupportedMonthly ?? body.orphanScatteredMonthly),
      };
      try {
        const row = await db.transaction(async (tx) => {
          const written = await insertProtectionStandard(tx, {
            id: newId(),
            effectiveFrom: body.effectiveFrom,
            regionCode: body.regionCode,
            ...amounts,
            createdByUserId: context.actor.id,
            createdAt: context.now,
          });
          await recordAudit(tx, context, {
            action: 'protection_standard.created',
            entityType: 'protection_standard',
            entityId: written.id,
            regionCode: written.regionCode,
            data: { effectiveFrom: written.effectiveFrom, regionCode: written.regionCode, ...amounts },
          });
          return written;
        });
        return present(row);
      } catch (error) {
        if (sqlState(error) === '23505') {
          throw new AppError('ALREADY_EXISTS', `a basic-living standard ${body.regionCode ? `of region ${body.regionCode}` : 'for every region'} already starts in ${body.effectiveFrom}`);
        }
        throw error;
      }
    },
  };
}

export type ProtectionStandardsService = ReturnType<typeof createProtectionStandardsService>;
