/**
 * Seed 001's estimates as the lead's process sees them. The client's answer reaches the process as the
 * `estimate.answered` message and the API marks the version in the same transaction; `recordAnswer`
 * is the process's own record of it, so a version is marked even if that transaction was lost after
 * the process took the message. It writes only a version still waiting for an answer, and says whether
 * the answer holds: a version revised in between is not accepted behind the salesperson's back.
 */
import type { Knex } from 'knex';
import type { ProcessActivity } from '../context';
import { createEstimateStore } from '../../lib/estimates';
import { notFound, optionalString, requireEmail, requireEnum, requireUuid } from './support';

const DECISIONS = ['accepted', 'declined'] as const;

export function createEstimateActivities({ db }: { db: Knex }): Record<string, ProcessActivity> {
  const store = createEstimateStore(db);
  return {
    async 'estimates.recordAnswer'(input) {
      const estimateId = requireUuid(input, 'estimateId');
      const decision = requireEnum(input, 'decision', DECISIONS);
      const row = await store.recordAnswer(estimateId, decision, decision === 'declined' ? optionalString(input, 'reason') : null, requireEmail(input, 'answeredBy'));
      if (!row) throw notFound('estimate', estimateId);
      return {
        recorded: row.status === decision,
        estimateId: row.id,
        version: row.version,
        status: row.status,
        totalMinor: Number(row.total_minor),
        currency: row.currency,
      };
    },
  };
}
