/**
 * The digital-sale model of seed 000 (docs/DIGITAL-SALE.md tells the story these tables hold):
 *
 *   channels ─┐                       owners (DCS / sales / support) ── owner_assignments (history)
 *   contacts ─┼─ opportunities ── accounts ── subscriptions ── subscription_items (base plan, upgrades)
 *   companies ┘    (funnel: the             │                  provisioning (modules, users, permissions)
 *                   stage history is the    ├── orders (store checkout) ── payments
 *                   engine's audit trail)   └── invoices ── invoice_lines
 *   imports ── import_rows (CRM CSV loads)       webhook_deliveries (payment webhooks by idempotency key)
 *
 * Same rules as 002: written rows carry `idempotency_key text unique`; money is numeric(14,2) + currency.
 * Accounts gain the seed's four state dimensions (conversion, payment, activation = `status`, operation);
 * every change of any of them is a `status_changes` row naming its dimension.
 */
import type { Knex } from 'knex';

const tz = { useTz: true } as const;

function money(t: Knex.CreateTableBuilder, name: string): void {
  t.decimal(name, 14, 2).notNullable();
}

function check(table: string, name: string, condition: string): string {
  return `alter table ${table} add constraint ${table}_${name}_check check (${condition})`;
}

// Frozen with this migration; code validates against activities/domain/channels.ts.
const CHANNELS = [
  { code: 'ecommerce', name: 'E-commerce / tienda digital (self-service)' },
  { code: 'landing', name: 'Landing + formulario' },
  { code: 'hubspot', name: 'HubSpot (carga masiva, partners, campañas, referidos)' },
  { code: 'assisted', name: 'Canal asistido (ejecutivo)' },
  { code: 'partner', name: 'Partner / alianza (source = partner)' },
  { code: 'upgrade', name: 'Reactivación / upgrade en cartera' },
] as const;

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('channels', (t) => {
    t.text('code').primary();
    t.text('name').notNullable();
  });
  await db('channels').insert([...CHANNELS]);
  // The channel list now lives in one table; accounts reference it instead of repeating it in a check.
  await db.raw('alter table accounts drop constraint accounts_channel_check');
  await db.schema.alterTable('accounts', (t) => t.foreign('channel').references('channels.code'));

  await db.schema.createTable('owners', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.text('email').notNullable().unique();
    t.text('team').notNullable();
    // The Cauce user who works this owner's tasks (userTask assignee), when there is one.
    t.text('username').unique();
    t.boolean('active').notNullable().defaultTo(true);
  });
  await db.raw(check('owners', 'team', `team in ('dcs', 'sales', 'support')`));
  // Reference data; demo users are named after their role, so these owners are workable after `npm start`.
  await db('owners').insert([
    { name: 'Camila Rojas', email: 'camila.rojas@cauce.example', team: 'sales', username: 'sales' },
    { name: 'Matías Pérez', email: 'matias.perez@cauce.example', team: 'sales', username: null },
    { name: 'Diego Fuentes', email: 'diego.fuentes@cauce.example', team: 'dcs', username: 'dcs' },
    { name: 'Valentina Soto', email: 'valentina.soto@cauce.example', team: 'support', username: 'support' },
  ]);

  await db.schema.createTable('companies', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('rut').unique(); // normalised `76086428-5`
    t.text('name').notNullable();
    t.uuid('owner_id').references('owners.id');
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('contacts', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('email').notNullable().unique(); // lower-cased
    t.text('name').notNullable();
    t.text('phone');
    t.text('rut');
    t.uuid('company_id').references('companies.id');
    t.uuid('owner_id').references('owners.id');
    t.text('channel').notNullable().references('channels.code');
    // How the contact reached the channel: bulk load, partner, campaign, referral, form, store, executive.
    t.text('source_detail');
    t.text('campaign');
    t.text('partner');
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('imports', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('kind').notNullable().defaultTo('contacts');
    t.text('filename').notNullable();
    t.text('content_sha256').notNullable();
    t.text('status').notNullable().defaultTo('running');
    t.integer('total_rows').notNullable().defaultTo(0);
    t.integer('processed_rows').notNullable().defaultTo(0);
    t.integer('created_rows').notNullable().defaultTo(0);
    t.integer('duplicate_rows').notNullable().defaultTo(0);
    t.integer('invalid_rows').notNullable().defaultTo(0);
    t.text('error');
    t.text('created_by').notNullable();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('finished_at', tz);
  });
  await db.raw(check('imports', 'status', `status in ('running', 'completed', 'failed')`));

  await db.schema.createTable('opportunities', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('contact_id').notNullable().references('contacts.id');
    t.uuid('company_id').references('companies.id');
    t.uuid('account_id').references('accounts.id');
    t.text('channel').notNullable().references('channels.code');
    t.text('source_detail');
    t.uuid('owner_id').references('owners.id');
    t.text('status').notNullable().defaultTo('open');
    t.text('lost_reason');
    t.uuid('import_id').references('imports.id');
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('closed_at', tz);
    t.index(['owner_id']);
    t.index(['channel']);
  });
  await db.raw(check('opportunities', 'status', `status in ('open', 'won', 'lost')`));
  // A contact has at most one live opportunity: a second signup or import row joins the open one.
  await db.raw(`create unique index opportunities_open_contact on opportunities (contact_id) where status = 'open'`);

  await db.schema.createTable('import_rows', (t) => {
    t.uuid('import_id').notNullable().references('imports.id').onDelete('CASCADE');
    t.integer('line').notNullable();
    t.text('status').notNullable();
    t.jsonb('errors').notNullable().defaultTo('[]');
    t.uuid('contact_id').references('contacts.id');
    t.uuid('opportunity_id').references('opportunities.id');
    t.primary(['import_id', 'line']);
  });
  await db.raw(check('import_rows', 'status', `status in ('created', 'duplicate', 'invalid')`));

  await db.schema.createTable('owner_assignments', (t) => {
    t.bigIncrements('id').primary();
    t.text('entity').notNullable();
    t.uuid('entity_id').notNullable();
    t.uuid('owner_id').notNullable().references('owners.id');
    t.text('assigned_by').notNullable();
    t.timestamp('assigned_at', tz).notNullable().defaultTo(db.fn.now());
    t.text('idempotency_key').unique();
    t.index(['entity', 'entity_id', 'id']);
  });
  await db.raw(check('owner_assignments', 'entity', `entity in ('contact', 'company', 'opportunity', 'account')`));

  await db.schema.alterTable('accounts', (t) => {
    t.uuid('contact_id').references('contacts.id');
    t.uuid('company_id').references('companies.id');
    t.uuid('opportunity_id').references('opportunities.id');
    t.uuid('owner_id').references('owners.id');
    // The seed's "valor base": the plan's price when the account was created.
    t.decimal('base_price', 14, 2).notNullable().defaultTo(0);
    t.text('currency').notNullable().defaultTo('CLP');
    t.text('conversion_state').notNullable().defaultTo('trial');
    t.text('payment_state').notNullable().defaultTo('none');
    t.text('operation_state').notNullable().defaultTo('setup');
    // Freemium with unpaid upgrades: the renewal must be paid before this (seed: 30 days).
    t.timestamp('renewal_due_at', tz);
    t.timestamp('first_paid_at', tz);
  });
  await db.raw(check('accounts', 'conversion_state', `conversion_state in ('trial', 'freemium', 'converted', 'lost')`));
  await db.raw(check('accounts', 'payment_state', `payment_state in ('none', 'pending', 'paid', 'overdue')`));
  await db.raw(check('accounts', 'operation_state', `operation_state in ('setup', 'operating', 'restricted')`));

  await db.schema.alterTable('status_changes', (t) => {
    t.text('dimension').notNullable().defaultTo('status');
    t.text('actor');
  });
  await db.raw(check('status_changes', 'dimension', `dimension in ('status', 'conversion', 'payment', 'operation')`));

  await db.schema.createTable('modules', (t) => {
    t.text('code').primary();
    t.text('name').notNullable();
    money(t, 'price');
    t.text('currency').notNullable().defaultTo('CLP');
    t.text('periodicity').notNullable().defaultTo('monthly');
  });
  await db('modules').insert([
    { code: 'remuneraciones', name: 'Remuneraciones', price: 9990 },
    { code: 'inventario', name: 'Inventario', price: 7990 },
    { code: 'usuarios-extra', name: 'Usuarios adicionales (5)', price: 4990 },
    { code: 'factura-plus', name: 'Factura electrónica Plus', price: 5990 },
  ]);

  await db.schema.createTable('subscriptions', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('account_id').notNullable().unique().references('accounts.id');
    t.text('plan_code').notNullable().references('plans.code');
    money(t, 'base_price');
    t.text('currency').notNullable();
    t.text('periodicity').notNullable();
    t.text('status').notNullable();
    t.timestamp('started_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('current_period_end', tz);
    t.text('idempotency_key').notNullable().unique();
  });
  await db.raw(check('subscriptions', 'status', `status in ('trial', 'free', 'active', 'lapsed', 'cancelled')`));

  await db.schema.createTable('orders', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('kind').notNullable();
    money(t, 'amount');
    t.text('currency').notNullable();
    // The store / gateway transaction: one order per transaction and account, whatever retries the webhook.
    t.text('transaction_id').notNullable();
    t.uuid('payment_id').references('payments.id');
    t.text('instance_id');
    t.text('idempotency_key').notNullable().unique();
    t.timestamp('paid_at', tz).notNullable();
    t.timestamp('created_at', tz).notNullable().defaultTo(db.fn.now());
    t.unique(['account_id', 'transaction_id']);
  });
  await db.raw(check('orders', 'kind', `kind in ('first-period', 'upgrade', 'renewal')`));

  await db.schema.createTable('subscription_items', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('subscription_id').notNullable().references('subscriptions.id');
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('module_code').notNullable().references('modules.code');
    money(t, 'price');
    t.text('currency').notNullable();
    t.text('status').notNullable().defaultTo('activated');
    t.timestamp('activated_at', tz).notNullable().defaultTo(db.fn.now());
    t.timestamp('paid_at', tz);
    t.timestamp('revoked_at', tz);
    t.uuid('order_id').references('orders.id');
    t.text('instance_id');
    t.text('idempotency_key').notNullable().unique();
    t.index(['account_id', 'status']);
    t.index(['activated_at']);
  });
  await db.raw(check('subscription_items', 'status', `status in ('activated', 'paid', 'revoked')`));
  // An account has a module at most once while it is activated or paid.
  await db.raw(`create unique index subscription_items_live_module on subscription_items (account_id, module_code) where status <> 'revoked'`);

  await db.schema.createTable('provisioning', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('kind').notNullable();
    t.text('code').notNullable();
    t.text('status').notNullable();
    t.text('instance_id');
    t.text('idempotency_key').notNullable().unique();
    t.timestamp('at', tz).notNullable().defaultTo(db.fn.now());
    t.index(['account_id', 'kind', 'code', 'id']);
  });
  await db.raw(check('provisioning', 'kind', `kind in ('module', 'user', 'permission')`));
  await db.raw(check('provisioning', 'status', `status in ('enabled', 'disabled')`));

  await db.schema.alterTable('payments', (t) => t.uuid('order_id').references('orders.id'));
  await db.schema.alterTable('invoices', (t) => {
    t.uuid('order_id').references('orders.id');
    // first-period: the sale's first invoice (a new customer); upgrade / renewal: later sales (MRR).
    t.text('kind');
    t.text('seller_source');
    t.index(['issued_at']);
  });
  await db.raw(check('invoices', 'kind', `kind is null or kind in ('first-period', 'upgrade', 'renewal')`));
  // One first invoice per account, whatever path reaches it.
  await db.raw(`create unique index invoices_first_per_account on invoices (account_id) where kind = 'first-period'`);

  await db.schema.createTable('invoice_lines', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('invoice_id').notNullable().references('invoices.id').onDelete('CASCADE');
    t.integer('line_no').notNullable();
    t.text('description').notNullable();
    t.text('module_code').references('modules.code');
    money(t, 'amount');
    t.unique(['invoice_id', 'line_no']);
  });

  await db.schema.createTable('webhook_deliveries', (t) => {
    t.text('idempotency_key').primary();
    t.text('source').notNullable();
    t.uuid('account_id').references('accounts.id');
    t.text('instance_id');
    t.jsonb('payload').notNullable();
    t.jsonb('response').notNullable();
    t.timestamp('received_at', tz).notNullable().defaultTo(db.fn.now());
  });

  // Delivery bookkeeping for the outbox drainer (activities/outbox.ts).
  await db.schema.alterTable('outbox', (t) => {
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.text('transport');
  });

  // The funnel report reads stage changes by time.
  await db.raw(`create index audit_events_stage_changes on audit_events (at) where kind = 'stage.changed'`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists audit_events_stage_changes');
  await db.schema.alterTable('outbox', (t) => t.dropColumns('attempts', 'last_error', 'transport'));
  for (const table of ['webhook_deliveries', 'invoice_lines']) await db.schema.dropTableIfExists(table);
  await db.raw('drop index if exists invoices_first_per_account');
  await db.raw('alter table invoices drop constraint if exists invoices_kind_check');
  await db.schema.alterTable('invoices', (t) => {
    t.dropIndex(['issued_at']);
    t.dropColumns('order_id', 'kind', 'seller_source');
  });
  await db.schema.alterTable('payments', (t) => t.dropColumn('order_id'));
  for (const table of ['provisioning', 'subscription_items', 'orders', 'subscriptions', 'modules']) await db.schema.dropTableIfExists(table);
  await db.raw('alter table status_changes drop constraint if exists status_changes_dimension_check');
  await db.schema.alterTable('status_changes', (t) => t.dropColumns('dimension', 'actor'));
  for (const c of ['conversion_state', 'payment_state', 'operation_state']) await db.raw(`alter table accounts drop constraint if exists accounts_${c}_check`);
  await db.schema.alterTable('accounts', (t) => {
    t.dropColumns('contact_id', 'company_id', 'opportunity_id', 'owner_id', 'base_price', 'currency', 'conversion_state', 'payment_state',
      'operation_state', 'renewal_due_at', 'first_paid_at');
  });
  for (const table of ['owner_assignments', 'import_rows', 'opportunities', 'imports', 'contacts', 'companies', 'owners']) {
    await db.schema.dropTableIfExists(table);
  }
  await db.schema.alterTable('accounts', (t) => t.dropForeign('channel'));
  await db.schema.dropTableIfExists('channels');
  await db.raw(check('accounts', 'channel', `channel in ('ecommerce', 'landing', 'hubspot', 'assisted', 'partner', 'upgrade')`));
}
