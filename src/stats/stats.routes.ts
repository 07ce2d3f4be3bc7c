import { z } from 'zod';
import { apiRoutes, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { StatsQuery, StatsSchema, TargetBody, TargetParams } from './stats.schemas.js';
import type { StatsService } from './stats.service.js';

export function registerStatsRoutes(app: App, stats: StatsService) {
  const route = apiRoutes(app, 'stats');

  route(
    'GET /api/v1/stats',
    { roles: ['reviewer', 'admin'], summary: 'Dashboard figures of a region for a year', querystring: StatsQuery, response: ok(StatsSchema) },
    async (request) => stats.forRegion(contextOf(request), request.query),
  );

  route(
    'PUT /api/v1/regions/:regionCode/targets/:year',
    {
      roles: ['admin'],
      summary: 'Set a region’s yearly target of children aided (default 270)',
      params: TargetParams,
      body: TargetBody,
      response: ok(z.object({ regionCode: z.string(), year: z.number().int(), childrenTarget: z.number().int() })),
    },
    async (request) => stats.setTarget(contextOf(request), request.params.regionCode, request.params.year, request.body.childrenTarget),
  );
}
