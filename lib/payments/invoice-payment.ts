/**
 * An invoice's payment page at the gateway: opened once and kept on the invoice (a retry, or a second
 * step asking, gets the same page). The seed-001 invoice and its customer's renewals are paid there.
 */
import type { Knex } from 'knex';
import { minorUnits } from '../../domain/money';
import { invoiceStore, type InvoiceRow } from '../billing';
import { appUrl } from '../config';
import { createCustomerStore } from '../customers';
import type { PaymentGateway } from './gateway';

/** Where the payer lands after paying. */
export const PAYMENT_RECEIVED_PAGE = '/portal/payment-received';

/**
 * The invoice with its page; as it is when it has one already, or when no gateway is configured. A
 * customer's page saves the card for the automatic charges of the renewals, as the Stripe customer the
 * card was saved on before, if any.
 */
export async function openInvoicePayment(db: Knex, gateway: PaymentGateway | null, invoice: InvoiceRow, customerEmail: string, publicUrl: string): Promise<InvoiceRow> {
  if (invoice.payment_url || !gateway) return invoice;
  const saved = invoice.customer_id ? await createCustomerStore(db).savedPaymentMethod(invoice.customer_id) : null;
  const page = await gateway.openPayment({
    invoiceId: invoice.id, invoiceNumber: invoice.number, amountMinor: minorUnits(invoice.amount), currency: invoice.currency,
    description: `Factura ${invoice.number}`, customerEmail, returnUrl: appUrl(publicUrl, PAYMENT_RECEIVED_PAGE),
    saveMethod: invoice.customer_id !== null, gatewayCustomerRef: saved?.gateway === gateway.name ? saved.customerRef : null,
  });
  return (await invoiceStore.setPaymentPage(db, invoice.id, page))!;
}
