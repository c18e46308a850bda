/**
 * SQL for `unattended_requests` (seed 002, step 19): the residential requests that ended without a sale,
 * written once per instance by `requests.recordUnattended`, read by the digital channels lead's report,
 * and marked when a re-entry takes one up.
 */
import type { Knex } from 'knex';

export interface UnattendedRow {
  id: string;
  instance_id: string;
  business_key: string;
  reason_code: string;
  reason: string;
  customer_name: string;
  phone: string | null;
  owner: string;
  reentered_as: string | null;
  created_at: Date;
}

export type NewUnattended = Pick<UnattendedRow, 'instance_id' | 'business_key' | 'reason_code' | 'reason' | 'customer_name' | 'phone' | 'owner'> & { idempotency_key: string };

export function createUnattendedStore(db: Knex) {
  return {
    /**
     * Writes the request once per instance: a retry gets the row its first attempt wrote, and a second
     * reason for the same instance (an operator cancelling while its unattended step runs) keeps the first.
     */
    async record(row: NewUnattended): Promise<UnattendedRow> {
      const [inserted] = await db('unattended_requests').insert(row).onConflict('instance_id').ignore().returning('*');
      return inserted ?? (await db('unattended_requests').where({ instance_id: row.instance_id }).first());
    },

    /** Oldest first; `open`: only those no re-entry took up. */
    async list(q: { open?: boolean; limit: number; offset: number }): Promise<{ rows: UnattendedRow[]; total: number }> {
      const base = () => {
        const query = db<UnattendedRow>('unattended_requests');
        if (q.open) query.whereNull('reentered_as');
        return query;
      };
      const [rows, [{ count }]] = await Promise.all([
        base().orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(q.limit).offset(q.offset),
        base().count<{ count: string }[]>('* as count'),
      ]);
      return { rows, total: Number(count) };
    },

    async ofInstance(instanceId: string): Promise<UnattendedRow | undefined> {
      return db<UnattendedRow>('unattended_requests').where({ instance_id: instanceId }).first();
    },

    /** Marks the request taken up by `newInstanceId`; false when another re-entry took it first. */
    async markReentered(instanceId: string, newInstanceId: string): Promise<boolean> {
      return (await db('unattended_requests').where({ instance_id: instanceId }).whereNull('reentered_as').update({ reentered_as: newInstanceId })) > 0;
    },
  };
}
