/** What the API adds to Express' request: a request id, a child logger, and the signed-in user. */
import type { Logger } from './logger';

export interface SessionUser {
  id: string;
  username: string;
  roles: string[];
  displayName?: string | null;
  /** Set for a client-portal session (seed 001) only: the customer signed in. */
  customerId?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    id?: string;
    log?: Logger;
    user?: SessionUser;
    /** The bearer token of the current request (to log out). */
    token?: string;
  }
}
