import { Decimal } from 'decimal.js';
import type { RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate, endOfChinaDayExclusive } from '../domain/chinaTime.js';
import { loadDeadlines } from '../calendar/deadlines.js';
import { formatMoney, sumMoney } from '../domain/money.js';
import {
  applicationDecisions,
  applicationsWaitingSince,
  approvedByServiceAndMonth,
  batchesWaitingForPayment,
  claimDecisions,
  claimsWaitingSince,
  type DecisionCount,
  childrenAided,
  paidByServiceAndMonth,
  targetOf,
  upsertTarget,
  waitingForReview,
} from './stats.repository.js';
import { findBudget } from '../regions/regions.repository.js';
import { regionOfQuery } from '../regions/regionOfQuery.js';
import { DEFAULT_CHILDREN_TARGET } from './stats.schemas.js';

/** Rows of (service, month, total) as the totals a dashboard draws: overall, by service, by month. */
export function totalsOf(rows: { service: string; month: string; total: string }[]) {
  const group = (key: (row: { service: string; month: string }) => string) => {
    const sums = new Map<string, Decimal>();
    for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? new Decimal(0)).plus(row.total));
    return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  return {
    total: formatMoney(sumMoney(rows.map((row) => new Decimal(row.total)))),
    byService: group((row) => row.service).map(([service, total]) => ({ service, total: formatMoney(total) })),
    byMonth: group((row) => row.month).map(([month, total]) => ({ month, total: formatMoney(total) })),
    byServiceAndMonth: rows.map((row) => ({ service: row.service, month: row.month, total: formatMoney(new Decimal(row.total)) })),
  };
}

/**
 * Review timeliness of a region: applications and claims decided in the year (by the China date of
 * the decision), those decided on or before their due date, and those waiting past it now.
 */
async function timelinessOf(db: Database, regionCode: string, year: number, today: string) {
  const deadlines = await loadDeadlines(db);
  const from = endOfChinaDayExclusive(`${year - 1}-12-31`);
  const until = endOfChinaDayExclusive(`${year}-12-31`);
  const [applicationsDecided, claimsDecided, applicationsOverdue, claimsOverdue] = await Promise.all([
    applicationDecisions(db, regionCode, from, until),
    claimDecisions(db, regionCode, from, until),
    applicationsWaitingSince(db, regionCode, (regionColumn, receivedOnOrBefore) => deadlines.overdueCondition(regionColumn, today, receivedOnOrBefore)),
    claimsWaitingSince(db, regionCode, (regionColumn, submittedBefore) =>
      deadlines.overdueCondition(regionColumn, today, (day) => submittedBefore(endOfChinaDayExclusive(day))),
    ),
  ]);
  const count = (decisions: DecisionCount[], overdueNow: number) => ({
    decided: decisions.reduce((sum, pair) => sum + pair.count, 0),
    decidedInTime: decisions.filter((pair) => pair.decidedOn <= deadlines.dueOn(regionCode, pair.receivedOn)).reduce((sum, pair) => sum + pair.count, 0),
    overdueNow,
  });
  return { applications: count(applicationsDecided, applicationsOverdue), claims: count(claimsDecided, claimsOverdue) };
}

export function createStatsService(deps: { db: Database }) {
  const { db } = deps;
  return {
    async forRegion(context: RequestContext, query: { year: number; regionCode?: string | undefined }) {
      const regionCode = regionOfQuery(context.actor, query.regionCode);
      const today = chinaDate(context.now);
      const [aided, target, approved, paid, waiting, batches, budget] = await Promise.all([
        childrenAided(db, regionCode, query.year),
        targetOf(db, regionCode, query.year),
        approvedByServiceAndMonth(db, regionCode, query.year),
        paidByServiceAndMonth(db, regionCode, query.year),
        waitingForReview(db, regionCode, today),
        batchesWaitingForPayment(db, regionCode, today),
        findBudget(db, regionCode, query.year),
      ]);
      const timeliness = await timelinessOf(db, regionCode, query.year, today);
      const childrenTarget = target ?? DEFAULT_CHILDREN_TARGET;
      const approvedTotals = totalsOf(approved);
      const paidTotals = totalsOf(paid);
      const rehabilitationBudget = budget?.rehabilitation == null ? null : new Decimal(budget.rehabilitation);
      return {
        regionCode,
        year: query.year,
        asOf: today,
        children: {
          aided,
          target: childrenTarget,
          targetIsDefault: target === undefined,
          percentOfTarget: new Decimal(aided).times(100).dividedBy(childrenTarget).toFixed(1),
        },
        approved: approvedTotals,
        paid: paidTotals,
        budget: {
          budget: rehabilitationBudget === null ? null : formatMoney(rehabilitationBudget),
          approved: approvedTotals.total,
          paid: paidTotals.total,
          remaining: rehabilitationBudget === null ? null : formatMoney(rehabilitationBudget.minus(paidTotals.total)),
        },
        waitingForReview: {
          count: waiting.count,
          total: formatMoney(new Decimal(waiting.total)),
          oldestDays: waiting.oldestDays,
          byAge: [
            { days: '0-7', count: waiting.upTo7 },
            { days: '8-30', count: waiting.upTo30 },
            { days: '>30', count: waiting.over30 },
          ],
        },
        batchesWaitingForPayment: { count: batches.count, total: formatMoney(new Decimal(batches.total)), oldestDays: batches.oldestDays },
        timeliness,
      };
    },

    async setTarget(context: RequestContext, regionCode: string, year: number, childrenTarget: number) {
      await db.transaction(async (tx) => {
        const id = await upsertTarget(tx, { id: newId(), regionCode, year, childrenTarget, updatedByUserId: context.actor.id, updatedAt: context.now });
        // A region's yearly target is one of the region's settings: the admin's part of the trail (security.md §3).
        await recordAudit(tx, context, { action: 'region_target.set', entityType: 'region', entityId: id, regionCode, data: { year, childrenTarget } });
      });
      return { regionCode, year, childrenTarget };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
