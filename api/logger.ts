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
 * A request's address as the log may show it: the secret of a task link (`/api/public/task-links/<token>`)
 * is replaced, so whoever reads the logs cannot open the task. Anything else is kept as sent.
 */
export function loggableUrl(url: string): string {
  return url.replace(/(\/api\/public\/task-links\/)[^/?#]*/i, '$1[redacted]');
}
