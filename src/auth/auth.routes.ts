import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorResponses, ErrorEnvelopeSchema } from '../http/schemas.js';
import { authenticationOf, clientOf, type App } from '../http/types.js';
import { z } from 'zod';
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
  const tooMany = { 429: ErrorEnvelopeSchema };

  app.post('/api/v1/auth/sign-in', {
    config: { public: true, rateLimit: SIGN_IN_FLOOD_LIMIT },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with username, password and (when the account has one) the second factor’s code; sets the session cookie',
      security: [],
      body: SignInBody,
      response: { 200: SignInAnswer, ...errorResponses, ...tooMany },
    },
    handler: async (request, reply) => {
      const { cookieValue, answer } = await signIn.signIn(request.body, clientOf(request));
      reply.setCookie(SESSION_COOKIE, cookieValue, cookieOptions(request));
      return answer;
    },
  });

  app.post('/api/v1/auth/activate', {
    config: { public: true, rateLimit: SIGN_IN_FLOOD_LIMIT },
    schema: {
      tags: ['auth'],
      summary: 'The owner sets their first password with the activation code an admin handed over',
      security: [],
      body: ActivateBody,
      response: { 200: z.object({ user: z.object(AccountFields) }), ...errorResponses, ...tooMany },
    },
    handler: async (request) => signIn.activate(request.body, clientOf(request)),
  });

  app.post('/api/v1/auth/sign-out', {
    config: { restricted: 'open' },
    schema: { tags: ['auth'], summary: 'End this session at once', response: { 200: z.object({ signedOut: z.literal(true) }), ...errorResponses } },
    handler: async (request, reply) => {
      const answer = await signIn.signOut(authenticationOf(request), clientOf(request));
      clearSessionCookie(request, reply);
      return answer;
    },
  });

  app.get('/api/v1/auth/session', {
    config: { restricted: 'open' },
    schema: { tags: ['auth'], summary: 'This session: its limits and CSRF token (for a console page loaded again)', response: { 200: SessionAnswer, ...errorResponses } },
    handler: async (request) => signIn.session(authenticationOf(request)),
  });
}
