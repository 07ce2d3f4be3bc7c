import { errorResponses } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import { BudgetBody, BudgetParams, BudgetSchema, RegionNameSchema, RegionParams, RegionSettingsBody, RegionSettingsSchema } from './regions.schemas.js';
import type { RegionsService } from './regions.service.js';

export function registerRegionRoutes(app: App, regions: RegionsService) {
  app.get('/api/v1/regions/:regionCode', {
    schema: {
      tags: ['regions'],
      summary: 'A region’s names from the division table (通川区, 四川省达州市通川区); an unknown code is 404',
      params: RegionParams,
      response: { 200: RegionNameSchema, ...errorResponses },
    },
    handler: async (request) => regions.name(request.params.regionCode),
  });

  app.get('/api/v1/regions/:regionCode/settings', {
    config: { roles: ['admin', 'reviewer', 'finance', 'civil_affairs'] },
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

  app.get('/api/v1/regions/:regionCode/budgets/:year', {
    config: { roles: ['admin', 'reviewer', 'finance', 'civil_affairs'] },
    schema: {
      tags: ['regions'],
      summary: 'A region’s budgets of a year: rehabilitation assistance and the care allowance’s two funds (null when unset)',
      params: BudgetParams,
      response: { 200: BudgetSchema, ...errorResponses },
    },
    handler: async (request) => regions.getBudget(contextOf(request), request.params.regionCode, request.params.year),
  });

  app.put('/api/v1/regions/:regionCode/budgets/:year', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['regions'],
      summary: 'Set a region’s budgets of a year (each optional; null removes one)',
      params: BudgetParams,
      body: BudgetBody,
      response: { 200: BudgetSchema, ...errorResponses },
    },
    handler: async (request) => regions.putBudget(contextOf(request), request.params.regionCode, request.params.year, request.body),
  });
}
