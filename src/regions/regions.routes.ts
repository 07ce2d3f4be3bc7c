import { errorResponses } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import { RegionParams, RegionSettingsBody, RegionSettingsSchema } from './regions.schemas.js';
import type { RegionsService } from './regions.service.js';

export function registerRegionRoutes(app: App, regions: RegionsService) {
  app.get('/api/v1/regions/:regionCode/settings', {
    config: { roles: ['admin', 'reviewer', 'finance'] },
    schema: {
      tags: ['regions'],
      summary: 'A region’s settings: review working days (default 5), supervision phone',
      params: RegionParams,
      response: { 200: RegionSettingsSchema, ...errorResponses },
    },
    handler: async (request) => regions.getSettings(contextOf(request), request.params.regionCode),
  });

  app.put('/api/v1/regions/:regionCode/settings', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['regions'],
      summary: 'Set a region’s review working days and supervision phone (each optional)',
      params: RegionParams,
      body: RegionSettingsBody,
      response: { 200: RegionSettingsSchema, ...errorResponses },
    },
    handler: async (request) => regions.putSettings(contextOf(request), request.params.regionCode, request.body),
  });
}
