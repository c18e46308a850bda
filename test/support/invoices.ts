/**
 * Invoice rows written straight into Postgres, for tests of what reads them (the portfolio check, the
 * billing KPI).
 */
import type { Knex } from 'knex';
import { takeFolio } from '../../lib/billing';

/**
 * An invoice of this customer ten days past its due date and unpaid (a renewal the billing workflow
 * issued, as it would leave it), COP 89900; the tax id is stored without dots. Answers the row.
 */
export async function overdueInvoice(db: Knex, taxId: string, name: string) {
  const [row] = await db('invoices')
    .insert({
      number: await takeFolio(db),
      customer_tax_id: taxId.replace(/\./g, ''),
      customer_name: name,
      description: 'Mi Negocio Digital mnd-basico — renovación',
      amount: 89900,
      currency: 'COP',
      channel: 'Mi Negocio Digital',
      idempotency_key: `test-overdue-${taxId}`,
      due_at: new Date(Date.now() - 10 * 86_400_000),
    })
    .returning('*');
  return row;
}

let issued = 0;

/** An invoice issued at `issuedAt` for `amount` (major units, two decimals) in `currency`. Answers the row. */
export async function issuedInvoice(db: Knex, issuedAt: string, amount: number | string, currency = 'BOB') {
  const [row] = await db('invoices')
    .insert({
      number: await takeFolio(db),
      customer_tax_id: '4455667',
      customer_name: 'Familia Rojas',
      description: 'Internet residencial 50 Mbps',
      amount,
      currency,
      channel: 'Ventas digitales',
      idempotency_key: `test-issued-${++issued}-${issuedAt}`,
      issued_at: new Date(issuedAt),
    })
    .returning('*');
  return row;
}
