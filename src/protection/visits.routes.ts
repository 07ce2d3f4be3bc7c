import { IdParams, listOf } from '../http/schemas.js';
import { apiRoutes, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import type { ReportsService } from './reports.service.js';
import {
  AcknowledgeBody,
  PoliceBody,
  RaisedReportSchema,
  RecordedVisitSchema,
  ReportBody,
  ReportCountsSchema,
  ReportListQuery,
  ReportSchema,
  VisitBody,
  VisitListQuery,
  VisitSchema,
} from './visits.schemas.js';
import type { VisitsService } from './visits.service.js';

// Visits (走访) and mandatory reports (强制报告), protection.md §9. Reads of visits and reports are
// access-logged (ACCESS_LOGGED_ROUTES, src/access/); the counts behind the civil affairs banner name
// no child and are not.

const TOWNSHIP_AND_COUNTY = ['township', 'civil_affairs'] as const;

export function registerVisitRoutes(app: App, services: { visits: VisitsService; reports: ReportsService }) {
  const { visits, reports } = services;
  const route = apiRoutes(app, 'protection');

  route(
    'POST /api/v1/protection/visits',
    {
      roles: ['township'],
      summary: 'Record a visit (走访) on behalf of the village 儿童主任: five checks, each ok, concern or danger',
      description:
        'The township of the case; the case recognised (else 409 INVALID_STATE); visitedOn not after today (else 400). Any danger raises a mandatory report in the same transaction, and the answer carries `instruction`: call the police (110) at once.',
      body: VisitBody,
      response: created(RecordedVisitSchema, 409),
    },
    async (request, reply) => reply.code(201).send(await visits.record(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/protection/visits',
    { roles: TOWNSHIP_AND_COUNTY, summary: 'Visits in scope, newest first (a township its own, civil affairs its region’s)', querystring: VisitListQuery, response: ok(listOf(VisitSchema)) },
    async (request) => visits.list(contextOf(request), request.query),
  );

  route(
    'POST /api/v1/protection/reports',
    {
      roles: TOWNSHIP_AND_COUNTY,
      summary: 'Raise a mandatory report (强制报告) without a visit',
      description: 'The child in scope (else 404). The answer carries `instruction`: call the police (110) at once and tell the county civil affairs bureau.',
      body: ReportBody,
      response: created(RaisedReportSchema),
    },
    async (request, reply) => reply.code(201).send(await reports.raise(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/protection/reports',
    { roles: TOWNSHIP_AND_COUNTY, summary: 'Mandatory reports in scope, newest first; &overdue=true: open past the region’s hours', querystring: ReportListQuery, response: ok(listOf(ReportSchema)) },
    async (request) => reports.list(contextOf(request), request.query),
  );

  route(
    'GET /api/v1/protection/reports/counts',
    { roles: TOWNSHIP_AND_COUNTY, summary: 'How many reports in scope are open and overdue (the banner on every civil affairs screen)', response: ok(ReportCountsSchema) },
    async (request) => reports.counts(contextOf(request)),
  );

  route('GET /api/v1/protection/reports/:id', { roles: TOWNSHIP_AND_COUNTY, summary: 'One mandatory report', params: IdParams, response: ok(ReportSchema) }, async (request) =>
    reports.get(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/protection/reports/:id/police',
    { roles: TOWNSHIP_AND_COUNTY, summary: 'Record when the police (110) were called (once; not in the future)', params: IdParams, body: PoliceBody, response: ok(ReportSchema, 409) },
    async (request) => reports.recordPolice(contextOf(request), request.params.id, request.body.at),
  );

  route(
    'POST /api/v1/protection/reports/:id/acknowledge',
    { roles: ['civil_affairs'], summary: 'Acknowledge an open report with the action taken (again: 409 INVALID_STATE)', params: IdParams, body: AcknowledgeBody, response: ok(ReportSchema, 409) },
    async (request) => reports.acknowledge(contextOf(request), request.params.id, request.body),
  );
}
