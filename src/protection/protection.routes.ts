import { z } from 'zod';
import { BinaryFile, IdParams, listOf } from '../http/schemas.js';
import { apiRoutes, attachment, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { chinaDate } from '../domain/chinaTime.js';
import { latestOpenQuarter } from '../domain/protectionQuarterRule.js';
import { registerCaseRoutes, type CaseServices } from './cases.routes.js';
import type { FilesService } from './files.service.js';
import { QuarterlyStatusSchema, QuarterlyUpdateBody, QuarterlyUpdateSchema, QuarterQuery } from './quarterly.schemas.js';
import type { QuarterlyService } from './quarterly.service.js';
import { quarterlyReport } from './quarterlyReport.js';
import { ChildFileSchema, NoticeListQuery, NoticeSchema, ProtectionStatsQuery, ProtectionStatsSchema } from './reads.schemas.js';
import { CriteriaBody, CriteriaSchema, RoutesBody, RoutesParams, RoutesQuery, RoutesSchema } from './setup.schemas.js';
import type { SetupService } from './setup.service.js';
import { ProtectionStandardBody, ProtectionStandardSchema } from './standards.schemas.js';
import type { ProtectionStandardsService } from './standards.service.js';
import type { ProtectionStatsService } from './stats.service.js';
import type { Database } from '../db/client.js';
import type { FieldCipher } from '../keys/fieldCipher.js';

// The protection of children in difficulty (困境儿童保障, protection.md §1–7, §10): criteria,
// routes and basic-living standards as data, cases, village notices, quarterly updates, a child's file and the statistics.
// Every read of a case, a file or a document is access-logged (ACCESS_LOGGED_ROUTES, src/access/).

export interface ProtectionServices extends CaseServices {
  db: Database;
  cipher: FieldCipher;
  setup: SetupService;
  standards: ProtectionStandardsService;
  quarterly: QuarterlyService;
  files: FilesService;
  stats: ProtectionStatsService;
}

/** Every role but the institution reads the criteria, the routes and the standards (protection.md §11). */
const SETUP_READERS = ['admin', 'auditor', 'reviewer', 'finance', 'civil_affairs', 'township', 'department'] as const;
const TOWNSHIP_AND_COUNTY = ['township', 'civil_affairs'] as const;

export function registerProtectionRoutes(app: App, services: ProtectionServices) {
  const { notices, setup, standards, quarterly, files, stats, db, cipher } = services;
  registerCaseRoutes(app, services);
  const route = apiRoutes(app, 'protection');

  route('GET /api/v1/protection/criteria', { roles: SETUP_READERS, summary: 'Criteria versions (认定标准), latest effectiveFrom first', response: ok(z.object({ items: z.array(CriteriaSchema) })) }, async () =>
    setup.listCriteria(),
  );

  route(
    'POST /api/v1/protection/criteria',
    { roles: ['admin'], summary: 'Add a criteria version from a day (for a region, or the default)', body: CriteriaBody, response: created(CriteriaSchema, 409) },
    async (request, reply) => reply.code(201).send(await setup.createCriteria(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/protection/routes',
    { roles: SETUP_READERS, summary: 'The county review’s routes of a region (its own table, else the default)', querystring: RoutesQuery, response: ok(RoutesSchema) },
    async (request) => setup.routes(contextOf(request), request.query.regionCode),
  );

  route(
    'PUT /api/v1/protection/routes/:regionCode',
    { roles: ['admin'], summary: 'Set a region’s routes (or `default`), for cases entering county review from now on; civil_affairs is required', params: RoutesParams, body: RoutesBody, response: ok(RoutesSchema) },
    async (request) => setup.setRoutes(contextOf(request), request.params.regionCode, request.body),
  );

  route(
    'GET /api/v1/protection/standards',
    { roles: SETUP_READERS, summary: 'Basic-living standards (基本生活费标准) by month and region, latest effectiveFrom first', response: ok(z.object({ items: z.array(ProtectionStandardSchema) })) },
    async () => standards.list(),
  );

  route(
    'POST /api/v1/protection/standards',
    {
      roles: ['admin'],
      summary: 'Add a basic-living standard from a month (for a region, or the default)',
      description: 'Each month is paid at the region’s own latest standard in force, else the latest default. deFactoUnsupportedMonthly defaults to orphanScatteredMonthly; one of the same region and month is 409 ALREADY_EXISTS.',
      body: ProtectionStandardBody,
      response: created(ProtectionStandardSchema, 409),
    },
    async (request, reply) => reply.code(201).send(await standards.create(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/protection/notices',
    { roles: TOWNSHIP_AND_COUNTY, summary: 'Village notices (公示) in scope', querystring: NoticeListQuery, response: ok(listOf(NoticeSchema)) },
    async (request) => notices.list(contextOf(request), request.query),
  );

  route('GET /api/v1/protection/notices/:id', { roles: TOWNSHIP_AND_COUNTY, summary: 'One notice with the cases on it', params: IdParams, response: ok(NoticeSchema) }, async (request) =>
    notices.get(contextOf(request), request.params.id),
  );

  route(
    'GET /api/v1/protection/notices/:id/notice.pdf',
    { roles: TOWNSHIP_AND_COUNTY, summary: 'The notice to post in the village: masked names and the categories that may be posted, nothing else', params: IdParams, response: ok(BinaryFile) },
    async (request, reply) => {
      const document = await notices.pdf(contextOf(request), request.params.id);
      return attachment(reply, document.pdf, document.fileName, '困境儿童分类认定公示.pdf');
    },
  );

  route(
    'POST /api/v1/protection/notices/:id/close',
    { roles: TOWNSHIP_AND_COUNTY, summary: 'Close a notice after its period: every case still on it goes to the county (报县复核)', params: IdParams, response: ok(NoticeSchema, 409) },
    async (request) => notices.close(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/protection/quarterly-updates',
    {
      roles: ['township'],
      summary: 'Submit the township’s quarterly update (季度更新): a line for each recognised case',
      description: 'Accepted from the first day of the quarter’s last month (earlier: 422 SERVICE_NOT_YET_DELIVERED); one per township and quarter (409 ALREADY_EXISTS).',
      body: QuarterlyUpdateBody,
      response: created(QuarterlyUpdateSchema, 409, 422),
    },
    async (request, reply) => {
      const context = contextOf(request);
      return reply.code(201).send(await quarterly.get(context, await quarterly.submit(context, request.body)));
    },
  );

  route(
    'GET /api/v1/protection/quarterly-updates',
    {
      roles: TOWNSHIP_AND_COUNTY,
      summary: 'The townships’ status for a quarter: not_yet_due, due, submitted (late or not), overdue',
      querystring: QuarterQuery,
      response: ok(listOf(QuarterlyStatusSchema).extend({ quarter: z.string() })),
    },
    async (request) => quarterly.statuses(contextOf(request), request.query.quarter),
  );

  route(
    'GET /api/v1/protection/quarterly-updates/report.xlsx',
    { roles: TOWNSHIP_AND_COUNTY, summary: 'The quarter’s report: 汇总 and a sheet per township (a township: its own sheet)', querystring: QuarterQuery, response: ok(BinaryFile) },
    async (request, reply) => {
      const context = contextOf(request);
      const today = chinaDate(context.now);
      const quarter = request.query.quarter ?? latestOpenQuarter(today);
      return attachment(reply, await quarterlyReport(db, cipher, context.actor, quarter, today), `quarterly-${quarter}.xlsx`, `困境儿童季度更新${quarter}.xlsx`);
    },
  );

  route('GET /api/v1/protection/quarterly-updates/:id', { roles: TOWNSHIP_AND_COUNTY, summary: 'One quarterly update with its lines', params: IdParams, response: ok(QuarterlyUpdateSchema) }, async (request) =>
    quarterly.get(contextOf(request), request.params.id),
  );

  route(
    'GET /api/v1/protection/children/:id/file',
    { roles: TOWNSHIP_AND_COUNTY, summary: 'One person, one file (一人一档): the child, every case, the quarterly updates', params: IdParams, response: ok(ChildFileSchema) },
    async (request) => files.file(contextOf(request), request.params.id),
  );

  route(
    'GET /api/v1/protection/children/:id/file.pdf',
    { roles: TOWNSHIP_AND_COUNTY, summary: '困境儿童信息登记表 (PDF)', params: IdParams, response: ok(BinaryFile) },
    async (request, reply) => {
      const document = await files.filePdf(contextOf(request), request.params.id);
      return attachment(reply, document.pdf, document.fileName, '困境儿童信息登记表.pdf');
    },
  );

  route(
    'GET /api/v1/protection/stats',
    { roles: ['civil_affairs', 'finance', 'admin'], summary: 'The programme’s figures of a year (admin names the region)', querystring: ProtectionStatsQuery, response: ok(ProtectionStatsSchema) },
    async (request) => stats.forRegion(contextOf(request), request.query),
  );
}
