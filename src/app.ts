import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { registerAllowanceRoutes } from './allowance/allowance.routes.js';
import { createAllowanceStatsService } from './allowance/allowanceStats.service.js';
import { createBeneficiariesService } from './allowance/beneficiaries.service.js';
import { createOverpaymentsService } from './allowance/overpayments.service.js';
import { createRollsService } from './allowance/rolls.service.js';
import { createStandardsService } from './allowance/standards.service.js';
import { registerApplicationRoutes } from './applications/applications.routes.js';
import { createApplicationsService, rehabilitationRefusalToClose } from './applications/applications.service.js';
import { createAccessLog } from './access/accessLog.service.js';
import { registerAccessLogging } from './access/accessLogged.js';
import { registerAccessLogRoutes } from './access/accessLog.routes.js';
import { registerAuditRoutes } from './audit/audit.routes.js';
import { fieldCipher } from './keys/fieldCipher.js';
import { registerAccountRoutes } from './auth/account.routes.js';
import { createAccountService } from './auth/account.service.js';
import { registerAuthRoutes } from './auth/auth.routes.js';
import { createAuthenticator } from './auth/authenticator.js';
import { toActor } from './auth/me.js';
import { createPasswordHasher } from './auth/passwords.js';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from './auth/settings.js';
import { createSignInService } from './auth/signIn.service.js';
import { sameSecret } from './auth/tokens.js';
import { registerUserRoutes } from './auth/users.routes.js';
import { createUsersService } from './auth/users.service.js';
import { registerBackupRoutes } from './backups/backups.routes.js';
import { createBackupsService, type BackupsService } from './backups/backups.service.js';
import { registerBatchRoutes } from './batches/batches.routes.js';
import { registerCalendarRoutes } from './calendar/calendar.routes.js';
import { createCalendarService } from './calendar/calendar.service.js';
import { createBatchesService } from './batches/batches.service.js';
import { registerClaimRoutes } from './claims/claims.routes.js';
import { createClaimsService } from './claims/claims.service.js';
import { registerEvidenceRoutes } from './evidence/evidence.routes.js';
import { createEvidenceService } from './evidence/evidence.service.js';
import { registerChildRoutes } from './children/children.routes.js';
import { createChildCorrectionsService } from './children/childCorrections.service.js';
import { createChildrenService } from './children/children.service.js';
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './config.js';
import type { Database } from './db/client.js';
import { AppError, envelope, forbidden } from './http/errors.js';
import { errorHandler } from './http/errorHandler.js';
import { loggableError } from './http/logging.js';
import type { App } from './http/types.js';
import type { ServiceKeyring } from './keys/serviceKeys.js';
import { registerInstitutionRoutes } from './institutions/institutions.routes.js';
import { createInstitutionsService } from './institutions/institutions.service.js';
import { registerReconciliationRoutes } from './reconciliation/reconciliation.routes.js';
import { registerRegionRoutes } from './regions/regions.routes.js';
import { createRegionsService } from './regions/regions.service.js';
import { createReconciliationService } from './reconciliation/reconciliation.service.js';
import { registerUploadParsers } from './http/uploads.js';
import { registerStatsRoutes } from './stats/stats.routes.js';
import { createWorkerPool, type Offload } from './workers/pool.js';
import { createStatsService } from './stats/stats.service.js';
import { registerWebRoutes } from './web/web.routes.js';
import { registerPolicyRoutes } from './policies/policies.routes.js';
import { createPoliciesService } from './policies/policies.service.js';
import { createEntitlementsService } from './settlement/entitlements.service.js';
import { createAftercareService } from './protection/aftercare.service.js';
import { createCasesService } from './protection/cases.service.js';
import { createFilesService } from './protection/files.service.js';
import { createIntakeService, moveLiveCaseWithChild, protectionRefusalToClose } from './protection/intake.service.js';
import { createNoticesService } from './protection/notices.service.js';
import { registerProtectionRoutes } from './protection/protection.routes.js';
import { createQuarterlyService } from './protection/quarterly.service.js';
import { createReviewService } from './protection/review.service.js';
import { createSetupService } from './protection/setup.service.js';
import { createProtectionStandardsService } from './protection/standards.service.js';
import { createProtectionStatsService } from './protection/stats.service.js';
import { createReportsService } from './protection/reports.service.js';
import { createVisitsService } from './protection/visits.service.js';
import { registerVisitRoutes } from './protection/visits.routes.js';
import { registerBasicLivingRollRoutes } from './protection/rolls.routes.js';
import { createBasicLivingOverpaymentsService, createBasicLivingRollsService } from './protection/rolls.service.js';
import { registerSettlementRoutes } from './settlement/settlement.routes.js';

export interface AppDependencies {
  db: Database;
  /** The service key ring (DATA_KEY_FILE): keys the access log's HMACs and the audit seal. */
  keyring: ServiceKeyring;
  /** The clock every date rule reads; tests pass a fixed one. */
  clock?: () => Date;
  /** Fastify's logger option: false in tests, pino options in production. */
  logger?: FastifyServerOptions['logger'];
  /** Told of every route as it is added (the authorization matrix test lists them). */
  onRoute?: (route: { method: string; url: string; roles: readonly string[] | undefined }) => void;
  /** The built web console (dist/console); without it GET / says how to build one. */
  webRoot?: string;
  /** Backups of the embedded database; without it GET /admin/backup answers as on PostgreSQL. */
  backups?: BackupsService;
  /** The worker threads for PDFs and spreadsheets; without it a pool of the app's own is made. */
  offload?: Offload;
  /** Limits on slow or stuck clients; the defaults of the configuration when not given. */
  timeouts?: HttpTimeouts;
  /** Sign-in, sessions and passwords (security.md §1); the defaults of the configuration where not given. */
  auth?: Partial<AuthSettings>;
  /** TLS_CERT_FILE and TLS_KEY_FILE, read: the service serves HTTPS with Strict-Transport-Security. */
  https?: { cert: Buffer; key: Buffer };
  /** TRUST_PROXY: addresses or CIDRs of a reverse proxy whose X-Forwarded-* headers are believed. */
  trustProxy?: string[];
}

/** Methods that change something: with a session cookie they must carry the session's X-CSRF-Token. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const RESTRICTION_MESSAGES = {
  PASSWORD_CHANGE_REQUIRED: 'change your password first (PUT /api/v1/me/password)',
  SECOND_FACTOR_SETUP_REQUIRED: 'set up your second factor first (POST /api/v1/me/totp)',
  PASSWORD_SETUP_TOKEN: 'this token of the service before sign-in existed only sets your first password (PUT /api/v1/me/password)',
} as const;

/** Builds the whole service from its dependencies; main.ts listens, tests inject. */
export async function buildApp(deps: AppDependencies): Promise<App> {
  const clock = deps.clock ?? (() => new Date());
  const timeouts = deps.timeouts ?? DEFAULT_HTTP_TIMEOUTS;
  const authSettings: AuthSettings = { ...DEFAULT_AUTH_SETTINGS, ...deps.auth };
  const app = Fastify({
    ...(deps.https ? { https: deps.https } : {}),
    // Behind a reverse proxy that terminates TLS, the client's address and scheme come from
    // X-Forwarded-For and X-Forwarded-Proto, believed only from the proxy's own addresses.
    trustProxy: deps.trustProxy && deps.trustProxy.length > 0 ? deps.trustProxy : false,
    logger: deps.logger ?? false,
    // A client that sends its request slowly, or keeps a socket open doing nothing, cannot hold it
    // for ever: the request must arrive whole within requestTimeout (else 408), a socket silent for
    // connectionTimeout is closed, and an idle keep-alive connection after keepAliveTimeout.
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node checks the request timeout every connectionsCheckingInterval (30 s by default): check
    // often enough for the timeout to mean what it says; headers must arrive within it too.
    http: {
      connectionsCheckingInterval: Math.min(30_000, Math.max(500, Math.floor(timeouts.requestMs / 4))),
      headersTimeout: Math.min(60_000, timeouts.requestMs),
    },
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    // Shutdown waits for requests in flight, then closes idle keep-alive connections.
    forceCloseConnections: 'idle',
    // One log line per request, written when it is answered (below), rather than two.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    // Errors the router raises before any route runs: a path segment too long to be an id names
    // nothing (404); a URL that cannot be decoded is bad input (400).
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return reply.code(404).send(envelope('NOT_FOUND', 'resource not found'));
      return reply.code(400).send(envelope('VALIDATION_FAILED', error.message));
    },
  }).withTypeProvider<ZodTypeProvider>();

  if (deps.onRoute) {
    const listener = deps.onRoute;
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') listener({ method, url: route.url, roles: route.config?.roles });
      }
    });
  }

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(envelope('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  // Actions such as approve take an optional body: a POST with a JSON content type and an empty
  // body is a request without a body, not malformed JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });

  registerUploadParsers(app);

  // Heavy work goes to worker threads; a pool the app made itself ends with the app.
  const offload = deps.offload ?? createWorkerPool({ onFailure: (kind, error) => app.log.error({ task: kind, error: loggableError(error) }, 'a worker task failed') });
  if (!deps.offload) app.addHook('onClose', async () => offload.close());
  app.decorate('readSpreadsheet', (input) => offload.run('readSpreadsheet', input));

  app.decorateRequest('actor', null);
  app.decorateRequest('authentication', null);
  app.decorateRequest('receivedAt', null as unknown as Date);

  // Children's ID numbers, phones and certificate numbers, bank account numbers and second-factor
  // secrets are kept sealed (security.md §5).
  const cipher = fieldCipher(deps.keyring);
  const authenticator = createAuthenticator({ db: deps.db, clock, settings: authSettings });
  const hasher = createPasswordHasher(authSettings.passwordHashCost);
  const users = createUsersService({ db: deps.db, keyring: deps.keyring, authenticator });
  const signIn = createSignInService({ db: deps.db, clock, settings: authSettings, hasher, authenticator, keyring: deps.keyring });
  const account = createAccountService({ db: deps.db, clock, settings: authSettings, hasher, authenticator, signIn, cipher });

  // Cookies for the console's sessions; the usual protective headers (HSTS where the service or
  // its proxy serves TLS; the console's page sets its own Content-Security-Policy, web.routes.ts);
  // a cap on sign-in attempts per address and instance (auth.routes.ts).
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: false,
    hsts: deps.https || (deps.trustProxy && deps.trustProxy.length > 0) ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `too many sign-in attempts from this address; try again in ${Math.ceil(context.ttl / 1000)} s`, [{ retryAfterSeconds: Math.ceil(context.ttl / 1000) }]),
  });

  // No copies in transit (security.md §5): nothing the API answers, errors included, is kept by a
  // browser or a proxy, and no answer is sniffed into another type than it declares.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/')) {
      reply.header('cache-control', 'no-store');
      reply.header('x-content-type-options', 'nosniff');
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ req: request, statusCode: reply.statusCode, responseTimeMs: Math.round(reply.elapsedTime) }, 'request completed');
  });

  app.addHook('onRequest', async (request, reply) => {
    request.receivedAt = clock();
    reply.header('x-request-id', request.id);
    if (!request.url.startsWith('/api/')) return;
    const config = request.routeOptions.config;
    if (config?.public) return;
    const authentication = await authenticator.authenticate(request, request.receivedAt);
    request.authentication = authentication;
    request.actor = toActor(authentication.user);
    // A page of another site cannot read the session's CSRF token, so it cannot send it.
    if (authentication.credential === 'session' && UNSAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, authentication.csrfToken ?? '')) throw forbidden('send the session’s X-CSRF-Token header with every POST, PUT, PATCH and DELETE');
    }
    const restriction = authentication.restriction;
    if (restriction) {
      const open = restriction === 'PASSWORD_SETUP_TOKEN' ? config?.restricted === 'passwordSetup' : config?.restricted !== undefined;
      if (!open) throw new AppError('FORBIDDEN', RESTRICTION_MESSAGES[restriction], [{ reason: restriction }]);
    }
    const roles = config?.roles;
    if (roles && !roles.includes(authentication.user.role as never)) throw forbidden(`the role ${authentication.user.role} may not do this`);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '残疾儿童康复救助结算服务 API',
        description: 'Settlement service for the rehabilitation assistance scheme for disabled children.',
        version: '1.0.0',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An institution’s API token (POST /api/v1/me/tokens)' },
          session: { type: 'apiKey', in: 'cookie', name: 'rehab_session', description: 'The console’s session (POST /api/v1/auth/sign-in); unsafe methods also send X-CSRF-Token' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await deps.db.execute(sql`select 1 from policy_versions limit 1`);
      return { status: 'ok' };
    } catch (error) {
      app.log.error({ error: loggableError(error) }, 'health check failed');
      return reply.code(503).send(envelope('SERVICE_UNAVAILABLE', 'the database is not reachable'));
    }
  });

  // Reads of children's and beneficiaries' files, searches, downloads and exports are logged;
  // the rules attach to routes as they are added below.
  const accessLog = createAccessLog({ db: deps.db, keyring: deps.keyring });
  registerAccessLogging(app, accessLog);

  registerAuthRoutes(app, signIn);
  registerAccountRoutes(app, account, authSettings);
  registerUserRoutes(app, users);
  registerInstitutionRoutes(app, createInstitutionsService({ db: deps.db, cipher }));
  registerPolicyRoutes(app, createPoliciesService({ db: deps.db }));
  const beneficiaries = createBeneficiariesService({ db: deps.db, cipher });
  // A revoked certificate exits the child's care allowance record in the revocation's transaction.
  registerChildRoutes(
    app,
    createChildrenService({
      db: deps.db,
      accessLog,
      cipher,
      onCertificateRevoked: beneficiaries.exitForRevokedCertificate,
      closeRefusals: [rehabilitationRefusalToClose, beneficiaries.refusalToClose, protectionRefusalToClose],
      onVillageChanged: moveLiveCaseWithChild,
    }),
    createChildCorrectionsService({ db: deps.db, cipher }),
  );
  registerApplicationRoutes(app, createApplicationsService({ db: deps.db }));
  const claims = createClaimsService({ db: deps.db, cipher });
  registerClaimRoutes(app, claims);
  registerEvidenceRoutes(app, createEvidenceService({ db: deps.db }));
  registerSettlementRoutes(app, { claims, entitlements: createEntitlementsService({ db: deps.db }) });
  registerBatchRoutes(app, createBatchesService({ db: deps.db, cipher, offload }));
  registerReconciliationRoutes(app, createReconciliationService({ db: deps.db }), offload);
  registerStatsRoutes(app, createStatsService({ db: deps.db }));
  registerRegionRoutes(app, createRegionsService({ db: deps.db }));
  registerCalendarRoutes(app, createCalendarService({ db: deps.db }));
  registerAllowanceRoutes(app, {
    beneficiaries,
    rolls: createRollsService({ db: deps.db, cipher, offload }),
    overpayments: createOverpaymentsService({ db: deps.db }),
    standards: createStandardsService({ db: deps.db }),
    stats: createAllowanceStatsService({ db: deps.db }),
  });
  registerProtectionRoutes(app, {
    db: deps.db,
    cipher,
    cases: createCasesService({ db: deps.db, cipher }),
    intake: createIntakeService({ db: deps.db, cipher }),
    notices: createNoticesService({ db: deps.db, offload, cipher }),
    review: createReviewService({ db: deps.db, offload, cipher }),
    aftercare: createAftercareService({ db: deps.db, cipher }),
    setup: createSetupService({ db: deps.db }),
    standards: createProtectionStandardsService({ db: deps.db }),
    quarterly: createQuarterlyService({ db: deps.db, cipher }),
    files: createFilesService({ db: deps.db, offload, cipher }),
    stats: createProtectionStatsService({ db: deps.db, cipher }),
  });
  registerVisitRoutes(app, { visits: createVisitsService({ db: deps.db, cipher }), reports: createReportsService({ db: deps.db, cipher }) });
  registerBasicLivingRollRoutes(app, {
    rolls: createBasicLivingRollsService({ db: deps.db, cipher, offload }),
    overpayments: createBasicLivingOverpaymentsService({ db: deps.db, cipher }),
  });
  registerAuditRoutes(app, { db: deps.db, keyring: deps.keyring });
  registerAccessLogRoutes(app, { db: deps.db });
  registerBackupRoutes(app, deps.backups ?? createBackupsService({ db: deps.db, snapshot: null, dir: './backups', keep: 14 }));
  registerWebRoutes(app, { webRoot: deps.webRoot });

  return app;
}

