import { Decimal } from 'decimal.js';
import type { Database } from '../db/client.js';
import { chinaMonth } from '../domain/chinaTime.js';
import { formatMoney, money, sumMoney } from '../domain/money.js';
import type { RequestContext } from '../http/context.js';
import { findBudget } from '../regions/regions.repository.js';
import { regionOfQuery } from '../regions/regionOfQuery.js';
import { paidByMonth } from '../monthlyRoll/rollStats.repository.js';
import { heldCountsByReason, overpaymentFigures } from '../monthlyRoll/rollStats.js';
import { activeByTier } from './allowanceStats.repository.js';
import { allowanceRollProgramme } from './allowanceRollProgramme.js';

// GET /allowance/stats: the care allowance's dashboard of a region and year: each fund's budget,
// what was paid (a transfer counts in the China month its paid result was recorded) and what
// remains; active beneficiaries by tier (an ended record is not active); arrears paid; who is held
// now and why (records with months due that a roll of this month would hold); overpayments.

export function createAllowanceStatsService(deps: { db: Database }) {
  const { db } = deps;
  return {
    async forRegion(context: RequestContext, query: { year: number; regionCode?: string | undefined }) {
      const regionCode = regionOfQuery(context.actor, query.regionCode);
      const month = chinaMonth(context.now);
      const [budget, paid, tiers, overpayments, plan] = await Promise.all([
        findBudget(db, regionCode, query.year),
        paidByMonth(db, allowanceRollProgramme, regionCode, query.year),
        activeByTier(db, regionCode, month),
        overpaymentFigures(db, allowanceRollProgramme.tables, regionCode),
        allowanceRollProgramme.plan(db, regionCode, month),
      ]);
      const fund = (budgetAmount: string | null | undefined, paidAmount: Decimal) => ({
        budget: budgetAmount == null ? null : formatMoney(money(budgetAmount)),
        paid: formatMoney(paidAmount),
        remaining: budgetAmount == null ? null : formatMoney(money(budgetAmount).minus(paidAmount)),
      });
      const countyPaid = sumMoney(paid.map((row) => money(row.split.county!)));
      const hardshipPaid = sumMoney(paid.map((row) => money(row.split.hardship!)));
      return {
        year: query.year,
        regionCode,
        funds: { county: fund(budget?.allowanceCounty, countyPaid), hardship: fund(budget?.allowanceHardship, hardshipPaid) },
        paidByMonth: paid.map((row) => ({ month: row.month, county: formatMoney(money(row.split.county!)), hardship: formatMoney(money(row.split.hardship!)) })),
        active: {
          care: tiers.find((row) => row.tier === 'care')?.count ?? 0,
          nursingSupplement: tiers.find((row) => row.tier === 'nursing_supplement')?.count ?? 0,
        },
        arrearsPaid: formatMoney(sumMoney(paid.map((row) => money(row.arrears)))),
        heldNow: heldCountsByReason(plan.held),
        overpayments,
      };
    },
  };
}

export type AllowanceStatsService = ReturnType<typeof createAllowanceStatsService>;
