import { recordAudit } from '../audit/audit.repository.js';
import { sqlState, type Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { formatMoney, money } from '../domain/money.js';
import type { RequestContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { iso } from '../http/schemas.js';
import { insertStandard, standardRows } from './standards.repository.js';

// Allowance standards: the monthly amounts per tier, versioned by month and region like the
// rehabilitation policies. A roll takes each entry's amount from the standard in force in that
// entry's month; entries already made keep theirs.

type StandardRow = Awaited<ReturnType<typeof standardRows>>[number];

function present(row: StandardRow) {
  return {
    id: row.id,
    effectiveFrom: row.effectiveFrom,
    regionCode: row.regionCode,
    careMonthly: formatMoney(money(row.careMonthly)),
    nursingSupplementMonthly: formatMoney(money(row.nursingSupplementMonthly)),
    createdAt: iso(row.createdAt),
  };
}

export function createStandardsService(deps: { db: Database }) {
  const { db } = deps;
  return {
    async list() {
      return { items: (await standardRows(db)).map(present) };
    },

    async create(context: RequestContext, body: { effectiveFrom: string; regionCode?: string | null | undefined; careMonthly: string; nursingSupplementMonthly: string }) {
      try {
        const row = await db.transaction(async (tx) => {
          const written = await insertStandard(tx, {
            id: newId(),
            effectiveFrom: body.effectiveFrom,
            regionCode: body.regionCode ?? null,
            careMonthly: formatMoney(money(body.careMonthly)),
            nursingSupplementMonthly: formatMoney(money(body.nursingSupplementMonthly)),
            createdByUserId: context.actor.id,
            createdAt: context.now,
          });
          await recordAudit(tx, context, {
            action: 'standard.created',
            entityType: 'standard',
            entityId: written.id,
            regionCode: written.regionCode,
            data: { effectiveFrom: written.effectiveFrom, careMonthly: written.careMonthly, nursingSupplementMonthly: written.nursingSupplementMonthly },
          });
          return written;
        });
        return present(row);
      } catch (error) {
        if (sqlState(error) === '23505') {
          throw new AppError('ALREADY_EXISTS', `a standard ${body.regionCode ? `of region ${body.regionCode}` : 'for every region'} already starts in ${body.effectiveFrom}`);
        }
        throw error;
      }
    },
  };
}

export type StandardsService = ReturnType<typeof createStandardsService>;
