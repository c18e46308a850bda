/**
 * The one way to open the database and bring its schema up to date.
 */
import knex, { Knex } from 'knex';
import * as engine from '../db/migrations/001_engine';
import * as domain from '../db/migrations/002_domain';
import * as digitalSale from '../db/migrations/003_digital_sale';
import * as lookupKeys from '../db/migrations/004_lookup_keys';
import * as incidents from '../db/migrations/005_incidents';
import * as closedStatuses from '../db/migrations/006_instance_closed_statuses';
import * as importJobs from '../db/migrations/007_import_jobs';
import * as loginFailures from '../db/migrations/008_login_failures';
import * as workflowIds from '../db/migrations/009_workflow_ids';
import * as finalState from '../db/migrations/010_final_state';
import * as documents from '../db/migrations/011_documents';
import * as mail from '../db/migrations/012_mail';
import * as recurringBilling from '../db/migrations/014_recurring_billing';
import * as taskLinks from '../db/migrations/015_task_links';
import * as customerSubscriptions from '../db/migrations/016_customer_subscriptions';
import * as contractConsecutives from '../db/migrations/017_contract_consecutives';
import * as residentialSale from '../db/migrations/018_residential_sale';
import * as bankStatements from '../db/migrations/019_bank_statements';
import * as reportIndexes from '../db/migrations/020_report_indexes';
import * as mailAttachments from '../db/migrations/021_mail_attachments';
import * as unattendedCancelled from '../db/migrations/022_unattended_cancelled';
import * as estimates from '../db/migrations/023_estimates';
import * as estimateLinks from '../db/migrations/024_estimate_links';
import * as depositClaims from '../db/migrations/025_deposit_claims';
import * as estimateProcess from '../db/migrations/026_estimate_process';
import * as customers from '../db/migrations/027_customers';
import * as invoiceFolio from '../db/migrations/028_invoice_folio';
import * as leadNotes from '../db/migrations/029_lead_notes';
import * as gatewayPayments from '../db/migrations/030_gateway_payments';
import * as recurringCustomers from '../db/migrations/031_recurring_customers';
import * as portalSessions from '../db/migrations/032_portal_sessions';
import * as tickets from '../db/migrations/033_tickets';
import * as contractSignatures from '../db/migrations/034_contract_signatures';
import * as boardIndex from '../db/migrations/035_board_index';
import * as savedPaymentMethods from '../db/migrations/036_saved_payment_methods';
import * as consultantRegistrations from '../db/migrations/037_consultant_registrations';
import * as agreements from '../db/migrations/038_agreements';
import * as consultantAccounts from '../db/migrations/039_consultant_accounts';

interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

/**
 * Migrations are listed explicitly (not discovered on disk) so they load the same way under tsx,
 * jest/@swc, the Temporal worker and a bundled build, where there is no `db/migrations` folder.
 * Append new migrations here in order; the name is what knex records in `knex_migrations`.
 */
const migrations: ReadonlyArray<[name: string, migration: Migration]> = [
  ['001_engine', engine],
  ['002_domain', domain],
  ['003_digital_sale', digitalSale],
  ['004_lookup_keys', lookupKeys],
  ['005_incidents', incidents],
  ['006_instance_closed_statuses', closedStatuses],
  ['007_import_jobs', importJobs],
  ['008_login_failures', loginFailures],
  ['009_workflow_ids', workflowIds],
  ['010_final_state', finalState],
  ['011_documents', documents],
  ['012_mail', mail],
  ['014_recurring_billing', recurringBilling],
  ['015_task_links', taskLinks],
  ['016_customer_subscriptions', customerSubscriptions],
  ['017_contract_consecutives', contractConsecutives],
  ['018_residential_sale', residentialSale],
  ['019_bank_statements', bankStatements],
  ['020_report_indexes', reportIndexes],
  ['021_mail_attachments', mailAttachments],
  ['022_unattended_cancelled', unattendedCancelled],
  ['023_estimates', estimates],
  ['024_estimate_links', estimateLinks],
  ['025_deposit_claims', depositClaims],
  ['026_estimate_process', estimateProcess],
  ['027_customers', customers],
  ['028_invoice_folio', invoiceFolio],
  ['029_lead_notes', leadNotes],
  ['030_gateway_payments', gatewayPayments],
  ['031_recurring_customers', recurringCustomers],
  ['032_portal_sessions', portalSessions],
  ['033_tickets', tickets],
  ['034_contract_signatures', contractSignatures],
  ['035_board_index', boardIndex],
  ['036_saved_payment_methods', savedPaymentMethods],
  ['037_consultant_registrations', consultantRegistrations],
  ['038_agreements', agreements],
  ['039_consultant_accounts', consultantAccounts],
];

const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => [...migrations],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

export function createDb(url: string, options: { poolMax?: number } = {}): Knex {
  return knex({
    client: 'pg',
    connection: url,
    // min 0: idle connections are closed, so short-lived processes and tests exit cleanly.
    pool: { min: 0, max: options.poolMax ?? 10, idleTimeoutMillis: 30_000 },
    acquireConnectionTimeout: 10_000,
  });
}

export async function migrateLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

/** Undo every migration (tests use it to prove each `down` works). */
export async function rollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback({ migrationSource }, true);
}

/** Whether `error` is Postgres' unique violation (23505), optionally of one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string } | null | undefined;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
