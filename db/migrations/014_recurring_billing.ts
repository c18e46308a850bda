/**
 * Recurring billing (issue 9 §5): a paid subscription renews every calendar month from its anchor (the
 * first payment), in its account's time zone. Each renewal is an invoice of kind `renewal` tied to its
 * subscription and period; the unique index on (subscription_id, period_index) is what makes issuing a
 * period idempotent, whoever retries it. `paid_at` / `payment_id` close the invoice (dunning stops);
 * a subscription whose renewal went unpaid past the grace period is `suspended` until it is paid.
 */
import type { Knex } from 'knex';

const tz = { useTz: true } as const;

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('subscriptions', (t) => {
    t.timestamp('billing_anchor_at', tz);
    t.text('billing_zone').notNullable().defaultTo('America/Santiago');
  });
  await db.raw('alter table subscriptions drop constraint subscriptions_status_check');
  await db.raw(`alter table subscriptions add constraint subscriptions_status_check check (status in ('trial', 'free', 'active', 'lapsed', 'suspended', 'cancelled'))`);

  await db.schema.alterTable('invoices', (t) => {
    t.uuid('subscription_id').references('subscriptions.id');
    t.integer('period_index');
    t.timestamp('period_start', tz);
    t.timestamp('period_end', tz);
    t.timestamp('due_at', tz);
    t.timestamp('paid_at', tz);
    t.uuid('payment_id').references('payments.id');
  });
  await db.raw(`create unique index invoices_one_per_period on invoices (subscription_id, period_index) where subscription_id is not null`);
  // The payment webhook looks for an account's open renewal.
  await db.raw(`create index invoices_open_renewals on invoices (account_id) where kind = 'renewal' and paid_at is null`);
  // The funnel report counts renewals as MRR by when they were paid.
  await db.raw(`create index invoices_renewals_paid on invoices (paid_at) where kind = 'renewal'`);
  await db.raw(`alter table invoices add constraint invoices_period_check check ((subscription_id is null) = (period_index is null) and (period_index is null or period_index >= 1))`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('alter table invoices drop constraint if exists invoices_period_check');
  await db.raw('drop index if exists invoices_renewals_paid');
  await db.raw('drop index if exists invoices_open_renewals');
  await db.raw('drop index if exists invoices_one_per_period');
  await db.schema.alterTable('invoices', (t) => t.dropColumns('subscription_id', 'period_index', 'period_start', 'period_end', 'due_at', 'paid_at', 'payment_id'));
  await db('subscriptions').where({ status: 'suspended' }).update({ status: 'lapsed' });
  await db.raw('alter table subscriptions drop constraint subscriptions_status_check');
  await db.raw(`alter table subscriptions add constraint subscriptions_status_check check (status in ('trial', 'free', 'active', 'lapsed', 'cancelled'))`);
  await db.schema.alterTable('subscriptions', (t) => t.dropColumns('billing_anchor_at', 'billing_zone'));
}
