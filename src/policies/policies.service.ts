import { Decimal } from 'decimal.js';
import type { RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { sqlState, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { formatMoney, normaliseMoney } from '../domain/money.js';
import type { Category, DeviceKind, Service } from '../domain/vocabulary.js';
import { AppError, notFound } from '../http/errors.js';
import { decodeDateCursor, page } from '../http/pagination.js';
import type { CreatePolicyBody } from './policies.schemas.js';
import {
  findPolicyVersion,
  findPolicyVersionInForce,
  insertPolicy,
  listPolicyVersions,
  rulesOf,
  type PolicyRuleRow,
  type PolicyVersionRow,
} from './policies.repository.js';
import type { PolicyVersion } from './policy.js';
import { iso } from '../http/schemas.js';

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
  return { ...policyWith(version, rules, formatted), createdAt: iso(version.createdAt) };
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
  return {
    async create(context: RequestContext, body: CreatePolicyBody) {
      const id = newId();
      const version = { id, name: body.name, effectiveFrom: body.effectiveFrom, regionCode: body.regionCode ?? null, createdByUserId: context.actor.id, createdAt: context.now };
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
          await insertPolicy(tx, version, rules);
          await recordAudit(tx, context, {
            action: 'policy.created',
            entityType: 'policy',
            entityId: id,
            regionCode: version.regionCode,
            data: { name: version.name, effectiveFrom: version.effectiveFrom, regionCode: version.regionCode, ruleCount: rules.length },
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

    async get(id: string) {
      const version = await findPolicyVersion(db, id);
      if (!version) throw notFound('policy');
      return presentPolicy(version, await rulesOf(db, [id]));
    },

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
