import { BulkQuery, bulkRequestRows, BulkResultSchema, MAX_BULK_ROWS, summarise } from '../http/bulk.js';
import { errorResponses, ErrorEnvelopeSchema, IdParams, listOf } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import { ChildForRoleSchema, ChildListQuery, ChildSchema, RegisterChildBody } from './children.schemas.js';
import type { ChildrenService } from './children.service.js';
import { CHILD_COLUMNS, childBodyOfRow, REQUIRED_CHILD_COLUMNS } from './children.spreadsheet.js';

export function registerChildRoutes(app: App, children: ChildrenService) {
  app.post('/api/v1/children', {
    config: { roles: ['reviewer', 'institution'] },
    schema: {
      tags: ['children'],
      summary: 'Register a child (一人一档); birth date and sex come from the ID number',
      body: RegisterChildBody,
      response: { 201: ChildSchema, 409: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.code(201).send(await children.register(contextOf(request), request.body)),
  });

  app.post('/api/v1/children/bulk', {
    config: { roles: ['reviewer', 'institution'] },
    bodyLimit: 32 * 1024 * 1024,
    schema: {
      tags: ['children'],
      summary: `Register up to ${MAX_BULK_ROWS} children: JSON rows, or a CSV / XLSX file`,
      description:
        'JSON: {"rows": [<body of POST /children>, ...], "atomic": false}. Or a file (text/csv or XLSX) with the columns ' +
        '身份证号, 姓名, 地区代码, 残疾类别, 残疾证号, 监护人姓名, 监护人关系, 监护人电话, and ?atomic=true|false. ' +
        'A child already registered in the caller’s scope is answered "existing" with its id; one registered outside it is refused ' +
        'with ALREADY_EXISTS and no id (the attempt is in the access log).',
      querystring: BulkQuery,
      response: { 200: BulkResultSchema, 422: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request) => {
      const { rows, atomic } = await bulkRequestRows(request, {
        rowSchema: RegisterChildBody,
        columns: CHILD_COLUMNS,
        requiredColumns: REQUIRED_CHILD_COLUMNS,
        bodyOfRow: childBodyOfRow,
      });
      const results = await children.registerMany(contextOf(request), rows, atomic);
      return { summary: summarise(results), results: results.map(({ id, ...result }) => ({ ...result, childId: id })) };
    },
  });

  app.get('/api/v1/children', {
    config: { roles: ['reviewer', 'finance', 'civil_affairs', 'institution'] },
    schema: {
      tags: ['children'],
      summary: 'Children in the caller’s scope (finance: name, masked ID number and region only)',
      querystring: ChildListQuery,
      response: { 200: listOf(ChildForRoleSchema), ...errorResponses },
    },
    handler: async (request) => children.list(contextOf(request), request.query),
  });

  app.get('/api/v1/children/:id', {
    config: { roles: ['reviewer', 'finance', 'civil_affairs', 'institution'] },
    schema: { tags: ['children'], summary: 'One child (finance: name, masked ID number and region only)', params: IdParams, response: { 200: ChildForRoleSchema, ...errorResponses } },
    handler: async (request) => children.get(contextOf(request), request.params.id),
  });
}
