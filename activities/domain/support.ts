/**
 * Helpers every domain activity shares: input checks that fail as non-retryable `InvalidInput`
 * naming the field, and the write-once pattern keyed by `StepContext.key`.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { FIELD_PROBLEM, fieldMessage, isUuid, notAnEmail, notOneOf } from '../../domain/fields';
import { isEmail } from '../../domain/identity';
export { toIso as iso } from '../../lib/time';
export { isUniqueViolation } from '../../lib/db';

export type Input = Record<string, unknown>;

/** Bad input never gets better on retry, so it must not burn the retry policy. */
export function invalid(field: string, problem: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(fieldMessage(field, problem), 'InvalidInput', { field });
}

export function requireString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, FIELD_PROBLEM.required);
  return value.trim();
}

export function optionalString(input: Input, field: string): string | null {
  const value = input[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw invalid(field, FIELD_PROBLEM.notString);
  return value.trim();
}

/** A nested object (a contact, a company), or null when it is left out. */
export function optionalObject(input: Input, field: string): Input | null {
  const value = input[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'must be an object');
  return value as Input;
}

export function requireObject(input: Input, field: string): Input {
  const value = optionalObject(input, field);
  if (!value) throw invalid(field, 'is required and must be an object');
  return value;
}

export function requireEnum<T extends string>(input: Input, field: string, allowed: readonly T[], fallback?: T): T {
  const value = input[field] ?? fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw invalid(field, notOneOf(allowed, value));
  }
  return value as T;
}

/** Amounts arrive from YAML as numbers or numeric strings (form data, webhook payloads). */
export function requireAmount(input: Input, field: string, opts: { allowZero?: boolean } = {}): number {
  const raw = input[field];
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!opts.allowZero && value === 0)) {
    throw invalid(field, `must be a ${opts.allowZero ? 'non-negative' : 'positive'} amount (got ${JSON.stringify(raw)})`);
  }
  return Math.round(value * 100) / 100;
}

export function requireEmail(input: Input, field: string): string {
  return checkEmail(field, requireString(input, field).toLowerCase());
}

/** `value` when it is an email by the domain's one rule (domain/identity); InvalidInput naming `field` otherwise. */
export function checkEmail(field: string, value: string): string {
  if (!isEmail(value)) throw invalid(field, notAnEmail(value));
  return value;
}

export function requireUuid(input: Input, field: string): string {
  const value = requireString(input, field);
  if (!isUuid(value)) throw invalid(field, FIELD_PROBLEM.uuid);
  return value.toLowerCase();
}

export function optionalUuid(input: Input, field: string): string | null {
  return input[field] === undefined || input[field] === null || input[field] === '' ? null : requireUuid(input, field);
}

export function optionalTimestamp(input: Input, field: string): Date | null {
  const value = input[field];
  if (value === undefined || value === null || value === '') return null;
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw invalid(field, 'must be an ISO-8601 timestamp');
  return date;
}

export function notFound(what: string, id: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${what} ${id} does not exist`, 'NotFound', { id });
}

/**
 * Insert a row keyed by `idempotency_key` once: a retry (same key) gets the row the first attempt wrote.
 * Other unique violations (e.g. a taken email) still throw, for the caller to translate.
 */
export async function insertOnce<Row>(db: Knex | Knex.Transaction, table: string, row: Record<string, unknown> & { idempotency_key: string }): Promise<Row> {
  const [inserted] = await db(table).insert(row).onConflict('idempotency_key').ignore().returning('*');
  if (inserted) return inserted as Row;
  return findByKey<Row>(db, table, row.idempotency_key) as Promise<Row>;
}

export async function findByKey<Row>(db: Knex | Knex.Transaction, table: string, key: string): Promise<Row | undefined> {
  return (await db(table).where({ idempotency_key: key }).first()) as Row | undefined;
}

