import { recordAudit } from '../audit/audit.repository.js';
import { sqlState, type Database, type Executor } from '../db/client.js';
import { newId } from '../db/ids.js';
import { criteriaInForce, type CriteriaVersion } from '../domain/protectionCriteriaRule.js';
import type { RouteCondition } from '../domain/protectionRoutesRule.js';
import type { RequestContext } from '../http/context.js';
import { AppError, notFound, validationFailed } from '../http/errors.js';
import { iso } from '../http/schemas.js';
import { criteriaForRegion, insertCriteria, listCriteria, routeConditionsOf, routeTablesFor, upsertRouteTable, type CriteriaRow } from './setup.repository.js';
import type { CriteriaBody, RoutesBody } from './setup.schemas.js';

// Criteria versions (protection.md §3) and route tables (§4.4): an admin adds a version or sets a
// table; every decision reads the one in force.

function presentCriteria(row: CriteriaRow) {
  return {
    id: row.id,
    name: row.name,
    effectiveFrom: row.effectiveFrom,
    regionCode: row.regionCode,
    deFactoUnsupported: row.deFactoUnsupported as { absent: string[]; qualifying: Record<string, { minElapsedMonths?: number; minTermMonths?: number }> },
    extremePovertyUnderAge: row.extremePovertyUnderAge,
    createdAt: iso(row.createdAt),
  };
}

/** A route table as answered. */
function presentRoutes(routes: readonly RouteCondition[]) {
  return routes.map((condition) => ({
    route: condition.route,
    categories: condition.categories ? [...condition.categories] : null,
    severeBasis: condition.severeBasis ? [...condition.severeBasis] : null,
    schoolingSupport: condition.schoolingSupport,
  }));
}

/** The criteria version in force on a day for a region (the seeded default always applies from 2000). */
export async function criteriaOn(db: Executor, regionCode: string, on: string): Promise<CriteriaVersion> {
  const version = criteriaInForce(await criteriaForRegion(db, regionCode), regionCode, on);
  if (!version) throw new Error(`no criteria version in force on ${on}: the seeded default is missing`);
  return version;
}

/** The route table a case of the region gets on entering county review. */
export async function routesOfRegion(db: Executor, regionCode: string): Promise<{ source: 'region' | 'default'; routes: RouteCondition[] }> {
  const { own, fallback } = await routeTablesFor(db, regionCode);
  const table = own ?? fallback;
  if (!table) throw new Error('no route table: the seeded default is missing');
  return { source: own ? 'region' : 'default', routes: routeConditionsOf(table) };
}

export function createSetupService(deps: { db: Database }) {
  const { db } = deps;
  return {
    async listCriteria() {
      return { items: (await listCriteria(db)).map(presentCriteria) };
    },

    /** POST /protection/criteria: a new version; one of the same region and day → 409. */
    async createCriteria(context: RequestContext, body: CriteriaBody) {
      try {
        const row = await db.transaction(async (tx) => {
          const created = await insertCriteria(tx, { id: newId(), ...body, createdByUserId: context.actor.id, createdAt: context.now });
          await recordAudit(tx, context, {
            action: 'criteria.created',
            entityType: 'criteria',
            entityId: created.id,
            regionCode: created.regionCode,
            data: { name: created.name, effectiveFrom: created.effectiveFrom, regionCode: created.regionCode, deFactoUnsupported: body.deFactoUnsupported, extremePovertyUnderAge: body.extremePovertyUnderAge },
          });
          return created;
        });
        return presentCriteria(row);
      } catch (error) {
        if (sqlState(error) === '23505') throw new AppError('ALREADY_EXISTS', `a criteria version of ${body.regionCode ?? 'the default'} from ${body.effectiveFrom} exists; add one from another day`);
        throw error;
      }
    },

    /** GET /protection/routes: the region's table or the default it falls back to. */
    async routes(context: RequestContext, requested: string | undefined) {
      const { actor } = context;
      // The admin and the auditor have no region: they read any region's table.
      const anyRegion = actor.role === 'admin' || actor.role === 'auditor';
      if (!anyRegion && requested && requested !== actor.regionCode) throw notFound('region');
      const regionCode = anyRegion ? requested : (requested ?? actor.regionCode ?? undefined);
      if (!regionCode) {
        const { fallback } = await routeTablesFor(db, 'default');
        return { regionCode: null, source: 'default' as const, routes: presentRoutes(fallback ? routeConditionsOf(fallback) : []) };
      }
      const table = await routesOfRegion(db, regionCode);
      return { regionCode, source: table.source, routes: presentRoutes(table.routes) };
    },

    /** PUT /protection/routes/:regionCode: for cases entering county review from now on. */
    async setRoutes(context: RequestContext, scope: string, body: RoutesBody) {
      const routes = body.routes;
      const seen = new Set<string>();
      for (const condition of routes) seen.add(condition.route);
      if (!seen.has('civil_affairs')) throw validationFailed('a table has the civil_affairs route', [{ field: 'routes' }]);
      const row = await db.transaction(async (tx) => {
        const { own } = await routeTablesFor(tx, scope);
        const written = await upsertRouteTable(tx, { scope, id: own?.id ?? newId(), routes, updatedByUserId: context.actor.id, updatedAt: context.now });
        await recordAudit(tx, context, {
          action: 'routes.set',
          entityType: 'routes',
          entityId: written.id,
          regionCode: scope === 'default' ? null : scope,
          data: { scope, before: own ? routeConditionsOf(own) : null, after: routes },
        });
        return written;
      });
      return { regionCode: scope === 'default' ? null : scope, source: scope === 'default' ? ('default' as const) : ('region' as const), routes: presentRoutes(routeConditionsOf(row)) };
    },
  };
}

export type SetupService = ReturnType<typeof createSetupService>;
