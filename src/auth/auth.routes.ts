import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { apiRoutes, ok } from '../http/routes.js';
import { authenticationOf, clientOf, type App } from '../http/types.js';
import { AccountFields, ActivateBody, SessionAnswer, SignInAnswer, SignInBody } from './auth.schemas.js';
import { SESSION_COOKIE } from './authenticator.js';
import type { SignInService } from './signIn.service.js';

// Activation, sign-in and sign-out (security.md §1). Sign-in and activation need no credential.
// Besides the service's own counts of failed attempts (per name and address, per address; in the
// database, for every instance), @fastify/rate-limit caps all attempts of one address at each
// instance, so that a flood of passwords to hash cannot take the machine's two cores.

export const SIGN_IN_FLOOD_LIMIT = { max: 600, timeWindow: 60_000 };

/** The session cookie: HttpOnly, SameSite=Strict, Path=/, Secure whenever the request came over TLS. */
function cookieOptions(request: FastifyRequest) {
  return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: request.protocol === 'https' };
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
}

export function registerAuthRoutes(app: App, signIn: SignInService) {
  const route = apiRoutes(app, 'auth');

  route(
    'POST /api/v1/auth/sign-in',
    {
      public: true,
      rateLimit: SIGN_IN_FLOOD_LIMIT,
      summary: 'Sign in with username, password and (when the account has one) the second factor’s code; sets the session cookie',
      body: SignInBody,
      response: ok(SignInAnswer, 429),
    },
    async (request, reply) => {
      const { cookieValue, answer } = await signIn.signIn(request.body, clientOf(request));
      reply.setCookie(SESSION_COOKIE, cookieValue, cookieOptions(request));
      return answer;
    },
  );

  route(
    'POST /api/v1/auth/activate',
    {
      public: true,
      rateLimit: SIGN_IN_FLOOD_LIMIT,
      summary: 'The owner sets their first password with the activation code an admin handed over',
      body: ActivateBody,
      response: ok(z.object({ user: z.object(AccountFields) }), 429),
    },
    async (request) => signIn.activate(request.body, clientOf(request)),
  );

  route(
    'POST /api/v1/auth/sign-out',
    { restricted: 'open', summary: 'End this session at once', response: ok(z.object({ signedOut: z.literal(true) })) },
    async (request, reply) => {
      const answer = await signIn.signOut(authenticationOf(request), clientOf(request));
      clearSessionCookie(request, reply);
      return answer;
    },
  );

  route(
    'GET /api/v1/auth/session',
    { restricted: 'open', summary: 'This session: its limits and CSRF token (for a console page loaded again)', response: ok(SessionAnswer) },
    async (request) => signIn.session(authenticationOf(request)),
  );
}
