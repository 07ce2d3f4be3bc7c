import { z } from 'zod';
import { errorResponses } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import { StatsQuery, StatsSchema, TargetBody, TargetParams } from './stats.schemas.js';
import type { StatsService } from './stats.service.js';

export function registerStatsRoutes(app: App, stats: StatsService) {
  app.get('/api/v1/stats', {
    config: { roles: ['reviewer', 'admin'] },
    schema: {
      tags: ['stats'],
      summary: 'Dashboard figures of a region for a year',
      querystring: StatsQuery,
      response: { 200: StatsSchema, ...errorResponses },
    },
    handler: async (request) => stats.forRegion(contextOf(request), request.query),
  });

  app.put('/api/v1/regions/:regionCode/targets/:year', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['stats'],
      summary: 'Set a region’s yearly target of children aided (default 270)',
      params: TargetParams,
      body: TargetBody,
      response: { 200: z.object({ regionCode: z.string(), year: z.number().int(), childrenTarget: z.number().int() }), ...errorResponses },
    },
    handler: async (request) => stats.setTarget(contextOf(request), request.params.regionCode, request.params.year, request.body.childrenTarget),
  });
}
