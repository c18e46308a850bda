/**
 * The API's one logger. `LOG_LEVEL` sets the level (default `info`, `silent` under jest).
 */
import pino from 'pino';

export const logger = pino({
  name: 'cauce-api',
  level: process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info'),
});

export type Logger = pino.Logger;
