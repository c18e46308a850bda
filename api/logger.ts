/**
 * The API's one logger. `LOG_LEVEL` sets the level (default `info`, `silent` under jest).
 */
import pino from 'pino';

export const logger = pino({
  name: 'cauce-api',
  level: process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info'),
});

export type Logger = pino.Logger;

/**
 * A request's address as the log may show it. On a public route the segment after the resource is the
 * caller's credential (`/api/public/task-links/<token>`, `/api/public/estimates/<token>/accept`), so it is
 * replaced: whoever reads the logs cannot open what the link opens. Anything else is kept as sent.
 */
export function loggableUrl(url: string): string {
  return url.replace(/(\/api\/public\/[^/?#]+\/)[^/?#]+/i, '$1[redacted]');
}
