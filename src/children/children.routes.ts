import { BulkQuery, bulkRequestRows, BulkResultSchema, MAX_BULK_ROWS, summarise } from '../http/bulk.js';
import { IdParams, listOf } from '../http/schemas.js';
import { apiRoutes, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import type { ChildCorrectionsService } from './childCorrections.service.js';
import { CertificateBody, ChildForRoleSchema, ChildListQuery, ChildSchema, CloseChildBody, RegisterChildBody, RevokeCertificateBody, UpdateChildBody, VillageBody } from './children.schemas.js';
import type { ChildrenService } from './children.service.js';
import { CHILD_COLUMNS, childBodyOfRow, REQUIRED_CHILD_COLUMNS } from './children.spreadsheet.js';

export function registerChildRoutes(app: App, children: ChildrenService, corrections: ChildCorrectionsService) {
  const route = apiRoutes(app, 'children');

  route(
    'POST /api/v1/children',
    {
      roles: ['reviewer', 'institution', 'township', 'civil_affairs'],
      summary: 'Register a child (一人一档); birth date and sex come from the ID number',
      description: 'A reviewer or civil affairs registers children of its region; a township children of its own villages (villageCode required).',
      body: RegisterChildBody,
      response: created(ChildSchema, 409),
    },
    async (request, reply) => reply.code(201).send(await children.register(contextOf(request), request.body)),
  );

  route(
    'POST /api/v1/children/bulk',
    {
      roles: ['reviewer', 'institution'],
      bodyLimit: 32 * 1024 * 1024,
      summary: `Register up to ${MAX_BULK_ROWS} children: JSON rows, or a CSV / XLSX file`,
      description:
        'JSON: {"rows": [<body of POST /children>, ...], "atomic": false}. Or a file (text/csv or XLSX) with the columns ' +
        '身份证号, 姓名, 地区代码, 残疾类别, 残疾证号, 监护人姓名, 监护人关系, 监护人电话, and ?atomic=true|false. ' +
        'A child already registered in the caller’s scope is answered "existing" with its id; one registered outside it is refused ' +
        'with ALREADY_EXISTS and no id (the attempt is in the access log).',
      querystring: BulkQuery,
      response: ok(BulkResultSchema, 422),
    },
    async (request) => {
      const { rows, atomic } = await bulkRequestRows(request, {
        rowSchema: RegisterChildBody,
        columns: CHILD_COLUMNS,
        requiredColumns: REQUIRED_CHILD_COLUMNS,
        bodyOfRow: childBodyOfRow,
      });
      const results = await children.registerMany(contextOf(request), rows, atomic);
      return { summary: summarise(results), results: results.map(({ id, ...result }) => ({ ...result, childId: id })) };
    },
  );

  route(
    'GET /api/v1/children',
    {
      roles: ['reviewer', 'finance', 'civil_affairs', 'institution', 'township'],
      summary: 'Children in the caller’s scope (finance: name, masked ID number and region only)',
      description: 'A township: the children of its villages; by the exact ID number also a child of its region without a village yet.',
      querystring: ChildListQuery,
      response: ok(listOf(ChildForRoleSchema)),
    },
    async (request) => children.list(contextOf(request), request.query),
  );

  route(
    'PUT /api/v1/children/:id/certificate',
    {
      roles: ['reviewer'],
      summary: 'Record or replace the child’s disability certificate (a child registered before certification can then be enrolled for the care allowance)',
      params: IdParams,
      body: CertificateBody,
      response: ok(ChildSchema),
    },
    async (request) => children.recordCertificate(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/children/:id/certificate/revoke',
    {
      roles: ['reviewer'],
      summary: 'Revoke the child’s certificate; the care allowance record exits from the next month in the same transaction',
      params: IdParams,
      body: RevokeCertificateBody,
      response: ok(ChildSchema, 409),
    },
    async (request) => children.revokeCertificate(contextOf(request), request.params.id, request.body),
  );

  route(
    'PATCH /api/v1/children/:id',
    {
      roles: ['reviewer', 'institution'],
      summary: 'Correct a child’s name or guardian (name, relation, phone); each change audited as child.updated with old and new values',
      description:
        'A reviewer of the child’s region, or the institution that registered the child and still holds an approved referral of it. ' +
        'The ID number never changes (a wrong one is a new registration); certificateNo and village have their own routes: either in the body → 400.',
      params: IdParams,
      body: UpdateChildBody,
      response: ok(ChildSchema),
    },
    async (request) => corrections.update(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/children/:id/close',
    {
      roles: ['reviewer'],
      summary: 'Close a child’s record (registered under a wrong ID number: the child is registered again under the right one); audited as child.closed',
      description:
        'Nothing the record holds is removed; it takes no new application, enrolment or case. Refused with 409 INVALID_STATE while the record is already closed, ' +
        'has a pending application, or a live care allowance record (each to be finished first).',
      params: IdParams,
      body: CloseChildBody,
      response: ok(ChildSchema, 409),
    },
    async (request) => children.close(contextOf(request), request.params.id, request.body),
  );

  route(
    'GET /api/v1/children/:id',
    { roles: ['reviewer', 'finance', 'civil_affairs', 'institution', 'township'], summary: 'One child (finance: name, masked ID number and region only)', params: IdParams, response: ok(ChildForRoleSchema) },
    async (request) => children.get(contextOf(request), request.params.id),
  );

  route(
    'PUT /api/v1/children/:id/village',
    {
      roles: ['civil_affairs', 'township'],
      summary: 'Set the child’s village or community (civil affairs: of its region; township: of its own villages)',
      description: 'A township also reaches a child of its region that has no village yet.',
      params: IdParams,
      body: VillageBody,
      response: ok(ChildSchema),
    },
    async (request) => children.setVillage(contextOf(request), request.params.id, request.body.villageCode),
  );
}
