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

export async function transition(db: Knex, spec: TransitionSpec, ctx: StepContext): Promise<StatusChange> {
  return db.transaction(async (trx) => {
    const done = await findByKey<StatusChange>(trx, 'status_changes', ctx.key);
    if (done) return done;

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
        instance_id: ctx.instanceId,
        idempotency_key: ctx.key,
      })
      .returning('*');
    return change as StatusChange;
  });
}
