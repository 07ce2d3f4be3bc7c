import { Decimal } from 'decimal.js';
import type { RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { sqlState, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { formatMoney, normaliseMoney } from '../domain/money.js';
import type { Category, DeviceKind, Service } from '../domain/vocabulary.js';
import { personalAdminHasActivated } from '../auth/users.repository.js';
import { chinaDate } from '../domain/chinaTime.js';
import { AppError, invalidState, notFound } from '../http/errors.js';
import { decodeDateCursor, page } from '../http/pagination.js';
import type { CreatePolicyBody } from './policies.schemas.js';
import {
  findPolicyVersion,
  findPolicyVersionInForce,
  insertPolicy,
  listPolicyVersions,
  policyWasUsed,
  rulesOf,
  updatePolicyVersion,
  type PolicyRuleRow,
  type PolicyVersionRow,
} from './policies.repository.js';
import type { PolicyVersion } from './policy.js';
import { iso, isoOrNull } from '../http/schemas.js';

const moneyOrNull = (value: string | null) => (value === null ? null : new Decimal(value));

/** A version and its rules, with each limit as `amount` makes it (a Decimal for the engine, a string for the API). */
function policyWith<Amount>(version: PolicyVersionRow, rules: PolicyRuleRow[], amount: (value: string | null) => Amount) {
  return {
    id: version.id,
    name: version.name,
    effectiveFrom: version.effectiveFrom,
    regionCode: version.regionCode,
    rules: rules.map((rule) => ({
      service: rule.service as Service,
      deviceKind: rule.deviceKind as DeviceKind | null,
      categories: rule.categories as Category[] | null,
      annualLimit: amount(rule.annualLimit),
      monthlyLimit: amount(rule.monthlyLimit),
      oncePerChildLimit: amount(rule.oncePerChildLimit),
      maxAge: rule.maxAge,
    })),
  };
}

function toPolicyVersion(version: PolicyVersionRow, rules: PolicyRuleRow[]): PolicyVersion {
  return policyWith(version, rules, moneyOrNull);
}

function presentPolicy(version: PolicyVersionRow, rules: PolicyRuleRow[]) {
  const formatted = (value: string | null) => (value === null ? null : formatMoney(new Decimal(value)));
  return {
    ...policyWith(version, rules, formatted),
    createdAt: iso(version.createdAt),
    status: version.status as 'pending' | 'approved' | 'withdrawn',
    createdBy: version.createdByUserId,
    approvedBy: version.approvedByUserId,
    approvedAt: isoOrNull(version.approvedAt),
    withdrawnAt: isoOrNull(version.withdrawnAt),
    withdrawalReason: version.withdrawalReason,
  };
}

/** The policy version in force for a region on a date, or null when none had started. */
export async function policyInForce(db: Executor, regionCode: string, onDate: string): Promise<PolicyVersion | null> {
  const version = await findPolicyVersionInForce(db, regionCode, onDate);
  if (!version) return null;
  return toPolicyVersion(version, await rulesOf(db, [version.id]));
}

/** A version by id, as a settlement that recorded it reads it again. */
export async function policyById(db: Executor, id: string): Promise<PolicyVersion | null> {
  const version = await findPolicyVersion(db, id);
  if (!version) return null;
  return toPolicyVersion(version, await rulesOf(db, [version.id]));
}

export function createPoliciesService(deps: { db: Database }) {
  const { db } = deps;

  async function getPolicy(id: string) {
    const version = await findPolicyVersion(db, id);
    if (!version) throw notFound('policy');
    return presentPolicy(version, await rulesOf(db, [id]));
  }

  return {
    /**
     * POST /policies: once a personal admin has activated, a new version waits for a second admin
     * (POST /policies/:id/approve) and is not applied until then; while only the bootstrap admin
     * sets the service up, it is approved at once, as its accounts are (security.md §1).
     */
    async create(context: RequestContext, body: CreatePolicyBody) {
      const id = newId();
      const rules = body.rules.map((rule, index) => ({
        id: newId(),
        policyId: id,
        position: index + 1,
        service: rule.service,
        deviceKind: rule.deviceKind ?? null,
        categories: rule.categories ?? null,
        annualLimit: rule.annualLimit ? normaliseMoney(rule.annualLimit) : null,
        monthlyLimit: rule.monthlyLimit ? normaliseMoney(rule.monthlyLimit) : null,
        oncePerChildLimit: rule.oncePerChildLimit ? normaliseMoney(rule.oncePerChildLimit) : null,
        maxAge: rule.maxAge ?? null,
      }));
      try {
        await db.transaction(async (tx) => {
          const reviewed = await personalAdminHasActivated(tx);
          const version = {
            id,
            name: body.name,
            effectiveFrom: body.effectiveFrom,
            regionCode: body.regionCode ?? null,
            createdByUserId: context.actor.id,
            createdAt: context.now,
            status: reviewed ? 'pending' : 'approved',
            approvedByUserId: reviewed ? null : context.actor.id,
            approvedAt: reviewed ? null : context.now,
          };
          await insertPolicy(tx, version, rules);
          await recordAudit(tx, context, {
            action: 'policy.created',
            entityType: 'policy',
            entityId: id,
            regionCode: version.regionCode,
            data: { name: version.name, effectiveFrom: version.effectiveFrom, regionCode: version.regionCode, ruleCount: rules.length, status: version.status },
          });
        });
      } catch (error) {
        if (sqlState(error) === '23505') {
          throw new AppError('ALREADY_EXISTS', 'a policy version for this region already starts on this date');
        }
        throw error;
      }
      const stored = await findPolicyVersion(db, id);
      return presentPolicy(stored!, await rulesOf(db, [id]));
    },

    /** POST /policies/:id/approve: a second admin applies a pending version from its date on. */
    async approve(context: RequestContext, id: string) {
      await db.transaction(async (tx) => {
        const version = await findPolicyVersion(tx, id, { lock: true });
        if (!version) throw notFound('policy');
        if (version.status !== 'pending') throw invalidState(`the version is ${version.status}; only a pending version is approved`);
        if (version.createdByUserId === context.actor.id) throw new AppError('FOUR_EYES_REQUIRED', 'another admin approves the version you added');
        await updatePolicyVersion(tx, id, { status: 'approved', approvedByUserId: context.actor.id, approvedAt: context.now });
        await recordAudit(tx, context, { action: 'policy.approved', entityType: 'policy', entityId: id, regionCode: version.regionCode, data: { name: version.name, effectiveFrom: version.effectiveFrom } });
      });
      return getPolicy(id);
    },

    /**
     * POST /policies/:id/withdraw: a version not yet in force (its date after today, China time, and
     * no settlement made under it) is withdrawn and never applied; one in force is 409 (add a new
     * version instead). Pending or approved alike.
     */
    async withdraw(context: RequestContext, id: string, reason: string) {
      await db.transaction(async (tx) => {
        const version = await findPolicyVersion(tx, id, { lock: true });
        if (!version) throw notFound('policy');
        if (version.status === 'withdrawn') throw invalidState('the version is already withdrawn');
        if (version.effectiveFrom <= chinaDate(context.now) || (await policyWasUsed(tx, id))) {
          throw invalidState(`the version is in force since ${version.effectiveFrom}: it cannot be withdrawn; add a new version from the date it should end`);
        }
        await updatePolicyVersion(tx, id, { status: 'withdrawn', withdrawnByUserId: context.actor.id, withdrawnAt: context.now, withdrawalReason: reason });
        await recordAudit(tx, context, {
          action: 'policy.withdrawn',
          entityType: 'policy',
          entityId: id,
          regionCode: version.regionCode,
          data: { name: version.name, effectiveFrom: version.effectiveFrom, previousStatus: version.status, reason },
        });
      });
      return getPolicy(id);
    },

    get: getPolicy,

    async list(query: { regionCode?: string | undefined; cursor?: string | undefined; limit: number }) {
      const versions = await listPolicyVersions(db, {
        regionCode: query.regionCode,
        before: decodeDateCursor(query.cursor),
        limit: query.limit,
      });
      const result = page(versions, query.limit, (version) => [version.effectiveFrom, version.id]);
      const rules = await rulesOf(db, result.items.map((version) => version.id));
      return {
        items: result.items.map((version) => presentPolicy(version, rules.filter((rule) => rule.policyId === version.id))),
        nextCursor: result.nextCursor,
      };
    },

    async getInForce(regionCode: string, onDate: string) {
      const version = await findPolicyVersionInForce(db, regionCode, onDate);
      if (!version) throw notFound('policy in force');
      return presentPolicy(version, await rulesOf(db, [version.id]));
    },
  };
}

export type PoliciesService = ReturnType<typeof createPoliciesService>;
