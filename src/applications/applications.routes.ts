import { errorResponses, ErrorEnvelopeSchema, IdParams, listOf } from '../http/schemas.js';
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

const decisionResponses = { 200: ApplicationSchema, 409: ErrorEnvelopeSchema, 422: ErrorEnvelopeSchema, ...errorResponses };

export function registerApplicationRoutes(app: App, applications: ApplicationsService) {
  app.post('/api/v1/applications', {
    config: { roles: ['reviewer', 'institution'] },
    schema: {
      tags: ['applications'],
      summary: 'File an application (申请) for a year and a list of services',
      body: FileApplicationBody,
      response: { 201: ApplicationSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.code(201).send(await applications.file(contextOf(request), request.body)),
  });

  app.get('/api/v1/applications', {
    config: { roles: ['reviewer', 'finance', 'institution'] },
    schema: { tags: ['applications'], summary: 'Applications in scope', querystring: ApplicationListQuery, response: { 200: listOf(ApplicationSchema), ...errorResponses } },
    handler: async (request) => applications.list(contextOf(request), request.query),
  });

  app.get('/api/v1/applications/:id', {
    config: { roles: ['reviewer', 'finance', 'institution'] },
    schema: { tags: ['applications'], summary: 'One application', params: IdParams, response: { 200: ApplicationSchema, ...errorResponses } },
    handler: async (request) => applications.get(contextOf(request), request.params.id),
  });

  app.post('/api/v1/applications/:id/approve', {
    config: { roles: ['reviewer'] },
    schema: {
      tags: ['applications'],
      summary: 'Approve and refer the child (审核转介); checks category, age on 1 January, designation',
      params: IdParams,
      body: ApproveApplicationBody,
      response: decisionResponses,
    },
    handler: async (request) => applications.approve(contextOf(request), request.params.id, request.body),
  });

  app.post('/api/v1/applications/:id/reject', {
    config: { roles: ['reviewer'] },
    schema: { tags: ['applications'], summary: 'Reject with a reason', params: IdParams, body: RejectBody, response: decisionResponses },
    handler: async (request) => applications.reject(contextOf(request), request.params.id, request.body.reason),
  });

  app.post('/api/v1/applications/:id/dropout', {
    config: { roles: ['reviewer', 'institution'] },
    schema: { tags: ['applications'], summary: 'Record a drop-out (中途放弃)', params: IdParams, body: DropoutBody, response: decisionResponses },
    handler: async (request) => applications.dropout(contextOf(request), request.params.id, request.body),
  });
}
