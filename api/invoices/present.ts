/** An invoice as the API answers it: to staff (GET /api/invoices) and to its customer (the portal). */
import { PAYABLE_STATUSES } from '../../domain/billing';
import { minorUnits } from '../../domain/money';
import type { InvoiceRow } from '../../lib/billing';
import { toIso } from '../../lib/time';


export const presentInvoice = (i: InvoiceRow) => ({
  id: i.id, number: i.number, status: i.status, kind: i.kind, description: i.description, customerId: i.customer_id,
  amountMinor: minorUnits(i.amount), currency: i.currency, issuedAt: toIso(i.issued_at), paidAt: toIso(i.paid_at), dueAt: toIso(i.due_at),
  // Where to pay it, while it can still be paid.
  paymentUrl: PAYABLE_STATUSES.includes(i.status) && !i.paid_at ? i.payment_url : null,
});
