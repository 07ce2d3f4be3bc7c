import { z } from 'zod';
import { errorResponses, ErrorEnvelopeSchema, IdParams, listOf } from '../http/schemas.js';
import { authenticationOf, clientOf, type App } from '../http/types.js';
import type { AccountService } from './account.service.js';
import { ChangePasswordBody, CreatedToken, CreateTokenBody, MeSchema, OtpBody, RecoveryCodesAnswer, SessionItem, TokenItem, TotpSetupAnswer } from './auth.schemas.js';
import { clearSessionCookie } from './auth.routes.js';
import { presentMe } from './me.js';
import type { AuthSettings } from './settings.js';

// One's own account (security.md §1): GET /me, the password, the second factor, sessions and, for
// an institution, API tokens.

export function registerAccountRoutes(app: App, account: AccountService, settings: AuthSettings) {
  const conflict = { 409: ErrorEnvelopeSchema };

  app.get('/api/v1/me', {
    config: { restricted: 'passwordSetup' },
    schema: { tags: ['account'], summary: 'The calling user, how they signed in, and what they must do first', response: { 200: MeSchema, ...errorResponses } },
    handler: async (request) => presentMe(authenticationOf(request), settings),
  });

  app.put('/api/v1/me/password', {
    config: { restricted: 'passwordSetup' },
    schema: {
      tags: ['account'],
      summary: 'Change the password (an upgraded admin’s one-time token sets the first one without currentPassword); other sessions end',
      body: ChangePasswordBody,
      response: { 200: MeSchema, ...errorResponses },
    },
    handler: async (request) => account.changePassword(authenticationOf(request), request.body, clientOf(request)),
  });

  app.post('/api/v1/me/totp', {
    config: { restricted: 'open' },
    schema: { tags: ['account'], summary: 'Start setting up the second factor: a secret and its QR code', response: { 200: TotpSetupAnswer, ...errorResponses, ...conflict } },
    handler: async (request) => account.setUpTotp(authenticationOf(request)),
  });

  app.post('/api/v1/me/totp/confirm', {
    config: { restricted: 'open' },
    schema: { tags: ['account'], summary: 'Turn the second factor on with a code of the new secret; answers the recovery codes once', body: OtpBody, response: { 200: RecoveryCodesAnswer, ...errorResponses, ...conflict } },
    handler: async (request) => account.confirmTotp(authenticationOf(request), request.body.otp, clientOf(request)),
  });

  app.delete('/api/v1/me/totp', {
    config: { restricted: 'open' },
    schema: { tags: ['account'], summary: 'Turn the second factor off (with a code), where REQUIRE_SECOND_FACTOR allows it', body: OtpBody, response: { 200: z.object({ enabled: z.literal(false) }), ...errorResponses, ...conflict } },
    handler: async (request) => account.disableTotp(authenticationOf(request), request.body.otp, clientOf(request)),
  });

  app.get('/api/v1/me/sessions', {
    schema: { tags: ['account'], summary: 'One’s sessions still open', response: { 200: listOf(SessionItem), ...errorResponses } },
    handler: async (request) => account.listSessions(authenticationOf(request)),
  });

  app.delete('/api/v1/me/sessions/:id', {
    config: { restricted: 'open' },
    schema: { tags: ['account'], summary: 'End one of one’s sessions at once', params: IdParams, response: { 200: z.object({ id: z.string(), ended: z.literal(true), current: z.boolean() }), ...errorResponses } },
    handler: async (request, reply) => {
      const answer = await account.endSession(authenticationOf(request), request.params.id, clientOf(request));
      if (answer.current) clearSessionCookie(request, reply);
      return answer;
    },
  });

  app.post('/api/v1/me/tokens', {
    config: { roles: ['institution'] },
    schema: { tags: ['account'], summary: 'An API token for the institution’s own system (shown once); needs a full session', body: CreateTokenBody, response: { 201: CreatedToken, ...errorResponses } },
    handler: async (request, reply) => reply.code(201).send(await account.createToken(authenticationOf(request), request.body, clientOf(request))),
  });

  app.get('/api/v1/me/tokens', {
    schema: { tags: ['account'], summary: 'One’s API tokens (never their values)', response: { 200: listOf(TokenItem), ...errorResponses } },
    handler: async (request) => account.listTokens(authenticationOf(request)),
  });

  app.delete('/api/v1/me/tokens/:id', {
    schema: { tags: ['account'], summary: 'Revoke one of one’s API tokens at once', params: IdParams, response: { 200: TokenItem, ...errorResponses } },
    handler: async (request) => account.revokeToken(authenticationOf(request), request.params.id, clientOf(request)),
  });
}
