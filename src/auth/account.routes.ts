import { z } from 'zod';
import { apiRoutes, created, ok } from '../http/routes.js';
import { IdParams, listOf } from '../http/schemas.js';
import { authenticationOf, clientOf, type App } from '../http/types.js';
import type { AccountService } from './account.service.js';
import { ChangePasswordBody, CreatedToken, CreateTokenBody, MeSchema, OtpBody, RecoveryCodesAnswer, SessionItem, TokenItem, TotpSetupAnswer } from './auth.schemas.js';
import { clearSessionCookie } from './auth.routes.js';
import { presentMe } from './me.js';
import type { AuthSettings } from './settings.js';

// One's own account (security.md §1): GET /me, the password, the second factor, sessions and, for
// an institution, API tokens.

export function registerAccountRoutes(app: App, account: AccountService, settings: AuthSettings) {
  const route = apiRoutes(app, 'account');

  route(
    'GET /api/v1/me',
    { restricted: 'passwordSetup', summary: 'The calling user, how they signed in, and what they must do first', response: ok(MeSchema) },
    async (request) => presentMe(authenticationOf(request), settings),
  );

  route(
    'PUT /api/v1/me/password',
    {
      restricted: 'passwordSetup',
      summary: 'Change the password (an upgraded admin’s one-time token sets the first one without currentPassword); other sessions end',
      body: ChangePasswordBody,
      response: ok(MeSchema),
    },
    async (request) => account.changePassword(authenticationOf(request), request.body, clientOf(request)),
  );

  route(
    'POST /api/v1/me/totp',
    { restricted: 'open', summary: 'Start setting up the second factor: a secret and its QR code', response: ok(TotpSetupAnswer, 409) },
    async (request) => account.setUpTotp(authenticationOf(request)),
  );

  route(
    'POST /api/v1/me/totp/confirm',
    { restricted: 'open', summary: 'Turn the second factor on with a code of the new secret; answers the recovery codes once', body: OtpBody, response: ok(RecoveryCodesAnswer, 409) },
    async (request) => account.confirmTotp(authenticationOf(request), request.body.otp, clientOf(request)),
  );

  route(
    'DELETE /api/v1/me/totp',
    { restricted: 'open', summary: 'Turn the second factor off (with a code), where REQUIRE_SECOND_FACTOR allows it', body: OtpBody, response: ok(z.object({ enabled: z.literal(false) }), 409) },
    async (request) => account.disableTotp(authenticationOf(request), request.body.otp, clientOf(request)),
  );

  route('GET /api/v1/me/sessions', { summary: 'One’s sessions still open', response: ok(listOf(SessionItem)) }, async (request) => account.listSessions(authenticationOf(request)));

  route(
    'DELETE /api/v1/me/sessions/:id',
    { restricted: 'open', summary: 'End one of one’s sessions at once', params: IdParams, response: ok(z.object({ id: z.string(), ended: z.literal(true), current: z.boolean() })) },
    async (request, reply) => {
      const answer = await account.endSession(authenticationOf(request), request.params.id, clientOf(request));
      if (answer.current) clearSessionCookie(request, reply);
      return answer;
    },
  );

  route(
    'POST /api/v1/me/tokens',
    { roles: ['institution'], summary: 'An API token for the institution’s own system (shown once); needs a full session', body: CreateTokenBody, response: created(CreatedToken) },
    async (request, reply) => reply.code(201).send(await account.createToken(authenticationOf(request), request.body, clientOf(request))),
  );

  route('GET /api/v1/me/tokens', { summary: 'One’s API tokens (never their values)', response: ok(listOf(TokenItem)) }, async (request) => account.listTokens(authenticationOf(request)));

  route(
    'DELETE /api/v1/me/tokens/:id',
    { summary: 'Revoke one of one’s API tokens at once', params: IdParams, response: ok(TokenItem) },
    async (request) => account.revokeToken(authenticationOf(request), request.params.id, clientOf(request)),
  );
}
