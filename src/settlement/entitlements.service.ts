import { Decimal } from 'decimal.js';
import { and, eq, exists, sql } from 'drizzle-orm';
import type { RequestContext } from '../http/context.js';
import { pendingEstimates, usageByService } from '../claims/ledgers.repository.js';
import type { Database } from '../db/client.js';
import { applications, children } from '../db/schema.js';
import { chinaDate } from '../domain/chinaTime.js';
import { formatMoney, ZERO } from '../domain/money.js';
import type { Category } from '../domain/vocabulary.js';
import { notFound } from '../http/errors.js';
import { policyInForce } from '../policies/policies.service.js';
import { maxAgeOf, ruleCoversCategory } from '../policies/policy.js';

/**
 * What a child has left, per service, in a year: so that an institution knows before it submits.
 * Figures come from the entitlement ledger (approved claims of every institution); claims still
 * waiting for review are shown apart as "pending".
 */
export function createEntitlementsService(deps: { db: Database }) {
  const { db } = deps;

  /** Reviewers and finance: their region's children; an institution: children referred to it that year. */
  async function findChild(context: RequestContext, childId: string, year: number) {
    const { actor } = context;
    const scope =
      actor.role === 'institution'
        ? exists(
            db
              .select({ one: sql`1` })
              .from(applications)
              .where(
                and(
                  eq(applications.childId, children.id),
                  eq(applications.institutionId, actor.institutionId!),
                  eq(applications.status, 'approved'),
                  eq(applications.year, year),
                ),
              ),
          )
        : eq(children.regionCode, actor.regionCode!);
    const rows = await db.select().from(children).where(and(eq(children.id, childId), scope)).limit(1);
    return rows[0];
  }

  return {
    async forChild(context: RequestContext, childId: string, year: number) {
      const child = await findChild(context, childId, year);
      if (!child) throw notFound('child');
      // The policy of that year as it stands today (or on its last or first day for other years).
      const today = chinaDate(context.now);
      const onDate = today < `${year}-01-01` ? `${year}-01-01` : today > `${year}-12-31` ? `${year}-12-31` : today;
      const policy = await policyInForce(db, child.regionCode, onDate);
      const category = child.category as Category | null;
      const [usage, pending] = await Promise.all([usageByService(db, child.id), pendingEstimates(db, child.id, year)]);
      const sameKind = (row: { service: string; deviceKind: string | null }, service: string, deviceKind: string | null) =>
        row.service === service && row.deviceKind === deviceKind;

      // A child without a category is covered by no rule: its list is empty.
      const items = (category === null ? [] : (policy?.rules ?? []))
        .filter((rule) => ruleCoversCategory(rule, category))
        .map((rule) => {
          const usedThisYear = usage
            .filter((row) => sameKind(row, rule.service, rule.deviceKind) && row.year === year)
            .reduce((total, row) => total.plus(row.amount), ZERO);
          const usedEver = usage.filter((row) => sameKind(row, rule.service, rule.deviceKind)).reduce((total, row) => total.plus(row.amount), ZERO);
          const remaining = [
            rule.annualLimit ? Decimal.max(ZERO, rule.annualLimit.minus(usedThisYear)) : null,
            rule.oncePerChildLimit ? Decimal.max(ZERO, rule.oncePerChildLimit.minus(usedEver)) : null,
          ].filter((value): value is Decimal => value !== null);
          const pendingAmount = pending.find((row) => sameKind(row, rule.service, rule.deviceKind))?.amount ?? '0';
          return {
            service: rule.service,
            deviceKind: rule.deviceKind,
            annualLimit: rule.annualLimit ? formatMoney(rule.annualLimit) : null,
            monthlyLimit: rule.monthlyLimit ? formatMoney(rule.monthlyLimit) : null,
            oncePerChildLimit: rule.oncePerChildLimit ? formatMoney(rule.oncePerChildLimit) : null,
            maxAge: maxAgeOf(rule, category!),
            usedThisYear: formatMoney(usedThisYear),
            usedEver: formatMoney(usedEver),
            remaining: remaining.length > 0 ? formatMoney(Decimal.min(...remaining)) : null,
            pending: formatMoney(new Decimal(pendingAmount)),
          };
        });
      return { childId: child.id, year, policyId: policy?.id ?? null, items };
    },
  };
}

export type EntitlementsService = ReturnType<typeof createEntitlementsService>;
