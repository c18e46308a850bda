import { defineRoute, type RouteDef } from '../routing';
import { LoginBody, LoginResponse, Me } from './schemas';
import { errorReply } from '../shared-schemas';
import { publicUser, type AuthService } from './service';

export function authRoutes(auth: AuthService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in; returns a bearer token valid for 12 hours',
      tag: 'auth',
      auth: 'public',
      body: LoginBody,
      responses: {
        200: { description: 'Signed in', schema: LoginResponse },
        401: errorReply('Bad credentials'),
        429: errorReply('Too many failed sign-ins for this username or address; see Retry-After'),
        503: errorReply('Too many sign-ins in progress, or the database is down; see Retry-After'),
      },
      handler: ({ body, req }) => auth.login(body.username, body.password, req.ip ?? req.socket.remoteAddress ?? 'unknown'),
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/logout',
      summary: 'End the current session',
      tag: 'auth',
      auth: 'user',
      responses: { 204: { description: 'Signed out' } },
      handler: async ({ req }) => {
        await auth.logout(req.token!);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/auth/me',
      summary: 'The signed-in user',
      tag: 'auth',
      auth: 'user',
      responses: { 200: { description: 'The user', schema: Me } },
      handler: async ({ user }) => publicUser(user),
    }),
  ];
}
