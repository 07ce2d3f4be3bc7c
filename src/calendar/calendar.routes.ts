import { errorResponses } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import { CalendarYearParams, CalendarYearSchema, RecordCalendarBody } from './calendar.schemas.js';
import type { CalendarService } from './calendar.service.js';

export function registerCalendarRoutes(app: App, calendar: CalendarService) {
  app.get('/api/v1/calendar/:year', {
    schema: {
      tags: ['calendar'],
      summary: 'The working calendar of a year: public holidays and make-up working days, and their source',
      params: CalendarYearParams,
      response: { 200: CalendarYearSchema, ...errorResponses },
    },
    handler: async (request) => calendar.get(request.params.year),
  });

  app.put('/api/v1/calendar/:year', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['calendar'],
      summary: 'Record a year’s public holidays and make-up working days; the record wins over the package’s data',
      params: CalendarYearParams,
      body: RecordCalendarBody,
      response: { 200: CalendarYearSchema, ...errorResponses },
    },
    handler: async (request) => calendar.record(contextOf(request), request.params.year, request.body),
  });
}
