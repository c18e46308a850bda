/**
 * An invoice as a PDF (pdf-lib, standard Helvetica: its WinAnsi encoding covers Spanish). Seed 000's
 * attribution: a digital sale is invoiced on "Canal Digital" and names the seller only when the CRM had
 * a commercial owner for it (the invoice row's seller_name, set by the checkout; renewals repeat it).
 */
import { BILLING_ZONES } from '../domain/billing';
import { a4Page } from './pdf-page';
import type { BillLine } from '../domain/billing';

export interface InvoiceDocument {
  number: number;
  kind: string | null;
  channel: string;
  sellerName: string | null;
  customerName: string;
  customerTaxId: string;
  description: string;
  amount: number;
  currency: string;
  issuedAt: Date;
  period: { start: Date; end: Date } | null;
  lines: BillLine[];
}

/**
 * The seeds' customers are in Chile (CLP, seed 000), Colombia (COP, 004) and Bolivia (BOB, 002): an
 * invoice's currency says whose dates and tax-id name it prints.
 */
const LOCALE: Record<string, { zone: string; locale: string; taxId: string }> = {
  CLP: { zone: BILLING_ZONES.CL, locale: 'es-CL', taxId: 'RUT' },
  COP: { zone: BILLING_ZONES.CO, locale: 'es-CO', taxId: 'NIT' },
  BOB: { zone: BILLING_ZONES.BO, locale: 'es-BO', taxId: 'NIT / CI' },
};
const localeOf = (currency: string) => LOCALE[currency] ?? { zone: BILLING_ZONES.CL, locale: 'es-CL', taxId: 'RUT / NIT' };
const money = (amount: number, currency: string) => `${currency} ${amount.toLocaleString('es-CL', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;

export async function renderInvoicePdf(invoice: InvoiceDocument): Promise<Uint8Array> {
  const { zone, locale, taxId } = localeOf(invoice.currency);
  const day = (d: Date) => d.toLocaleDateString(locale, { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const page = await a4Page(`Factura ${invoice.number}`, invoice.issuedAt);
  const { line, text } = page;
  line(`Factura N° ${invoice.number}`, { size: 18, bold: true, gap: 28 });
  line(`Canal: ${invoice.channel}`);
  if (invoice.sellerName) line(`Vendedor: ${invoice.sellerName}`);
  line(`Emitida: ${day(invoice.issuedAt)}`);
  if (invoice.period) line(`Periodo: ${day(invoice.period.start)} al ${day(invoice.period.end)}`);
  page.skip(10);
  line(`Cliente: ${invoice.customerName}`, { bold: true });
  line(`${taxId}: ${invoice.customerTaxId}`);
  line(invoice.description, { gap: 28 });

  line('Detalle', { bold: true });
  const lines = invoice.lines.length ? invoice.lines : [{ description: invoice.description, moduleCode: null, amount: invoice.amount }];
  for (const l of lines) {
    text(l.description);
    line(money(l.amount, invoice.currency), { x: 420 });
  }
  page.skip(10);
  text('Total', { bold: true });
  text(money(invoice.amount, invoice.currency), { x: 420, bold: true });
  return page.save();
}
