/**
 * An invoice as a PDF (pdf-lib, standard Helvetica: its WinAnsi encoding covers Spanish). Seed 000's
 * attribution: a digital sale is invoiced on "Canal Digital" and names the seller only when the CRM had
 * a commercial owner for it (the invoice row's seller_name, set by the checkout; renewals repeat it).
 */
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

/** The seeds' customers are in Chile, Colombia and Bolivia; dates are printed as Chile's (seed 000). */
const ZONE = 'America/Santiago';
const day = (d: Date) => d.toLocaleDateString('es-CL', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const money = (amount: number, currency: string) => `${currency} ${amount.toLocaleString('es-CL', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;

export async function renderInvoicePdf(invoice: InvoiceDocument): Promise<Uint8Array> {
  const page = await a4Page(`Factura ${invoice.number}`, invoice.issuedAt);
  const { line, text } = page;
  line(`Factura N° ${invoice.number}`, { size: 18, bold: true, gap: 28 });
  line(`Canal: ${invoice.channel}`);
  if (invoice.sellerName) line(`Vendedor: ${invoice.sellerName}`);
  line(`Emitida: ${day(invoice.issuedAt)}`);
  if (invoice.period) line(`Periodo: ${day(invoice.period.start)} al ${day(invoice.period.end)}`);
  page.skip(10);
  line(`Cliente: ${invoice.customerName}`, { bold: true });
  line(`RUT / NIT: ${invoice.customerTaxId}`);
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
