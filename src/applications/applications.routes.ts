import { IdParams, listOf } from '../http/schemas.js';
import { apiRoutes, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import {
  ApplicationListQuery,
  ApplicationSchema,
  ApproveApplicationBody,
  DropoutBody,
  FileApplicationBody,
  RejectBody,
} from './applications.schemas.js';
import type { ApplicationsService } from './applications.service.js';

const decisionResponses = ok(ApplicationSchema, 409, 422);

export function registerApplicationRoutes(app: App, applications: ApplicationsService) {
  const route = apiRoutes(app, 'applications');

  route(
    'POST /api/v1/applications',
    { roles: ['reviewer', 'institution'], summary: 'File an application (申请) for a year and a list of services', body: FileApplicationBody, response: created(ApplicationSchema) },
    async (request, reply) => reply.code(201).send(await applications.file(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/applications',
    { roles: ['reviewer', 'finance', 'institution'], summary: 'Applications in scope', querystring: ApplicationListQuery, response: ok(listOf(ApplicationSchema)) },
    async (request) => applications.list(contextOf(request), request.query),
  );

  route(
    'GET /api/v1/applications/:id',
    { roles: ['reviewer', 'finance', 'institution'], summary: 'One application', params: IdParams, response: ok(ApplicationSchema) },
    async (request) => applications.get(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/applications/:id/approve',
    { roles: ['reviewer'], summary: 'Approve and refer the child (审核转介); checks category, age on 1 January, designation', params: IdParams, body: ApproveApplicationBody, response: decisionResponses },
    async (request) => applications.approve(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/applications/:id/reject',
    { roles: ['reviewer'], summary: 'Reject with a reason', params: IdParams, body: RejectBody, response: decisionResponses },
    async (request) => applications.reject(contextOf(request), request.params.id, request.body.reason),
  );

  route(
    'POST /api/v1/applications/:id/dropout',
    { roles: ['reviewer', 'institution'], summary: 'Record a drop-out (中途放弃)', params: IdParams, body: DropoutBody, response: decisionResponses },
    async (request) => applications.dropout(contextOf(request), request.params.id, request.body),
  );
}
