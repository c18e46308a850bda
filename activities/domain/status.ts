/**
 * Status changes of accounts, consultants and work orders, done once per idempotency key.
 * The `status_changes` row is both the history and the proof that this step already ran: a retry
 * returns it instead of applying the change again (which could undo a later change by another step).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { StepContext } from '../context';
import { findByKey, notFound } from './support';

type Entity = 'account' | 'consultant' | 'work_order';

const tables: Record<Entity, string> = { account: 'accounts', consultant: 'consultants', work_order: 'work_orders' };

export interface StatusChange {
  entity_id: string;
  from_status: string;
  to_status: string;
  at: Date;
}

export interface TransitionSpec {
  entity: Entity;
  id: string;
  to: string;
  /** Statuses the change may start from; anything else is a non-retryable InvalidTransition. */
  from: readonly string[];
  reason?: string | null;
  /** Extra columns set with the status, e.g. `closed_at`. */
  set?: Record<string, unknown>;
}

/**
 * Applies the change once per key. `alsoDo` runs in the same transaction, only the first time, for
 * writes that belong with the change (e.g. what a suspended trial's other states become).
 */
export async function transition(
  db: Knex,
  spec: TransitionSpec,
  ctx: StepContext,
  alsoDo?: (trx: Knex.Transaction, change: StatusChange) => Promise<void>,
): Promise<StatusChange> {
  return db.transaction(async (trx) => {
    const done = await findByKey<StatusChange>(trx, 'status_changes', ctx.key);
    if (done) return done;
    const change = await applyTransition(trx, spec, ctx.key, ctx.instanceId);
    await alsoDo?.(trx, change);
    return change;
  });
}

/** The seed's account state dimensions other than the activation `status` (columns on `accounts`). */
export type AccountDimension = 'conversion' | 'payment' | 'operation';

/**
 * Set account state dimensions inside the caller's transaction (e.g. a checkout). Each dimension that
 * actually changes writes one `status_changes` row keyed `${key}:${dimension}`, so a retry adds none.
 */
export async function setAccountStates(
  trx: Knex.Transaction,
  accountId: string,
  states: Partial<Record<AccountDimension, string>>,
  opts: { key: string; instanceId: string | null; reason: string | null; actor?: string | null },
): Promise<void> {
  const row = await trx('accounts').where({ id: accountId }).forUpdate().first();
  if (!row) throw notFound('account', accountId);
  for (const [dimension, to] of Object.entries(states) as Array<[AccountDimension, string]>) {
    const column = `${dimension}_state`;
    if (row[column] === to) continue;
    const [inserted] = await trx('status_changes')
      .insert({
        entity: 'account', entity_id: accountId, dimension, from_status: row[column], to_status: to, reason: opts.reason,
        actor: opts.actor ?? null, instance_id: opts.instanceId, idempotency_key: `${opts.key}:${dimension}`,
      })
      .onConflict('idempotency_key').ignore()
      .returning('id');
    if (inserted) await trx('accounts').where({ id: accountId }).update({ [column]: to, updated_at: trx.fn.now() });
  }
}

/** One status change inside the caller's transaction, keyed by `key` (the caller checks for an earlier one). */
export async function applyTransition(trx: Knex.Transaction, spec: TransitionSpec, key: string, instanceId: string): Promise<StatusChange> {

  const table = tables[spec.entity];
  const row = await trx(table).where({ id: spec.id }).forUpdate().first();
  if (!row) throw notFound(spec.entity.replace('_', ' '), spec.id);
  if (!spec.from.includes(row.status)) {
    throw ApplicationFailure.nonRetryable(
      `${spec.entity.replace('_', ' ')} ${spec.id} is ${row.status}; cannot become ${spec.to}`,
      'InvalidTransition',
      { id: spec.id, status: row.status, to: spec.to },
    );
  }
  await trx(table).where({ id: spec.id }).update({ status: spec.to, updated_at: trx.fn.now(), ...spec.set });
  const [change] = await trx('status_changes')
    .insert({
      entity: spec.entity,
      entity_id: spec.id,
      from_status: row.status,
      to_status: spec.to,
      reason: spec.reason ?? null,
      instance_id: instanceId,
      idempotency_key: key,
    })
    .returning('*');
  return change as StatusChange;
}
