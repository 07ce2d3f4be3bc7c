import { apiRoutes, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { CalendarYearParams, CalendarYearSchema, RecordCalendarBody } from './calendar.schemas.js';
import type { CalendarService } from './calendar.service.js';

export function registerCalendarRoutes(app: App, calendar: CalendarService) {
  const route = apiRoutes(app, 'calendar');

  route(
    'GET /api/v1/calendar/:year',
    { summary: 'The working calendar of a year: public holidays and make-up working days, and their source', params: CalendarYearParams, response: ok(CalendarYearSchema) },
    async (request) => calendar.get(request.params.year),
  );

  route(
    'PUT /api/v1/calendar/:year',
    {
      roles: ['admin'],
      summary: 'Record a year’s public holidays and make-up working days; the record wins over the package’s data',
      params: CalendarYearParams,
      body: RecordCalendarBody,
      response: ok(CalendarYearSchema),
    },
    async (request) => calendar.record(contextOf(request), request.params.year, request.body),
  );
}
