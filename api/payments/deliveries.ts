/**
 * Payment deliveries by Idempotency-Key (table webhook_deliveries): the store's account webhook and the
 * invoice payments share them, so one key is one payment whichever route it came by. A repeat with the
 * same body answers what the first one did; a repeat with another body is refused.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { badRequest, unprocessable } from '../errors';

export interface Delivery { key: string; source: 'store' | 'invoice'; accountId: string | null; instanceId: string; payload: unknown; response: unknown }

/** What an Idempotency-Key header may be, on every route that takes one. */
const IDEMPOTENCY_KEY = /^[\w.:-]{1,200}$/;

/** An optional Idempotency-Key header (a ticket reply's): undefined when absent, 400 naming it when malformed. */
export function optionalIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('invalid_idempotency_key', 'The Idempotency-Key must be 1-200 letters, digits or ._:-', [{ in: 'headers', path: '/idempotency-key', message: 'is malformed' }]);
  }
  return key;
}

/** The Idempotency-Key header, or a 400 naming it. */
export function requirePaymentKey(key: string | undefined): string {
  if (!key || !IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('missing_idempotency_key', 'Send an Idempotency-Key header (1-200 letters, digits, ._:-) with every payment', [
      { in: 'headers', path: '/idempotency-key', message: 'is required' },
    ]);
  }
  return key;
}

export function createDeliveryStore(db: Knex) {
  return {
    /**
     * The answer given to an earlier delivery of this key (marked duplicate), null when the key is new;
     * 422 when the key came before with another payment.
     */
    async replay<Answer extends object>(key: string, payload: unknown): Promise<(Answer & { duplicate: true }) | null> {
      const seen = await db('webhook_deliveries').where({ idempotency_key: key }).first('payload', 'response');
      if (!seen) return null;
      // Compared as values: jsonb does not keep the key order the sender used.
      if (!isDeepStrictEqual(seen.payload, payload)) {
        throw unprocessable('idempotency_key_reused', `Idempotency-Key ${key} was used before with a different payment`, { idempotencyKey: key });
      }
      return { ...(seen.response as Answer), duplicate: true };
    },
    /** false when another request recorded this key first. */
    async record(d: Delivery): Promise<boolean> {
      const rows = await db('webhook_deliveries')
        .insert({ idempotency_key: d.key, source: d.source, account_id: d.accountId, instance_id: d.instanceId, payload: JSON.stringify(d.payload), response: JSON.stringify(d.response) })
        .onConflict('idempotency_key').ignore()
        .returning('idempotency_key');
      return rows.length === 1;
    },
  };
}
