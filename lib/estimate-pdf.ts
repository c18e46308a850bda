/** A seed 001 estimate as a PDF: the customer, each line with its discount and tax, and the totals, in the estimate's currency. */
import type { PricedLine, Totals } from '../domain/estimates';
import { a4Page } from './pdf-page';
import { localMoney } from '../domain/money';
import { estimateTotals, type EstimateRow } from './estimates';

export interface EstimateDocument {
  version: number;
  customerName: string;
  customerEmail: string;
  currency: string;
  lines: PricedLine[];
  totals: Totals;
  createdAt: Date;
}

const money = (minor: number, currency: string) => localMoney(minor, currency, 'es-CO');

export async function renderEstimatePdf(e: EstimateDocument): Promise<Uint8Array> {
  const page = await a4Page(`Cotización versión ${e.version}`, e.createdAt);
  const { line, text } = page;
  line(`Cotización (versión ${e.version})`, { size: 18, bold: true, gap: 28 });
  line(`Cliente: ${e.customerName} <${e.customerEmail}>`);
  line(`Fecha: ${e.createdAt.toLocaleDateString('es-CO', { timeZone: 'America/Bogota', year: 'numeric', month: '2-digit', day: '2-digit' })}`, { gap: 28 });
  line('Detalle', { bold: true });
  for (const l of e.lines) {
    const discount = l.discountBp ? `, descuento ${l.discountBp / 100} %` : '';
    text(`${l.quantity} × ${l.description}${discount}`);
    line(money(l.netMinor, e.currency), { x: 420 });
  }
  page.skip(10);
  for (const [label, amount] of [['Subtotal', e.totals.grossMinor], ['Descuentos', e.totals.discountMinor], ['Impuestos', e.totals.taxMinor]] as const) {
    text(label);
    line(money(amount, e.currency), { x: 420 });
  }
  text('Total', { bold: true });
  line(money(e.totals.totalMinor, e.currency), { x: 420, bold: true });
  return page.save();
}

/** A stored version as the file staff, the client's link and the portal download. */
export async function estimatePdfFile(r: EstimateRow): Promise<{ filename: string; pdf: Uint8Array }> {
  return {
    filename: `cotizacion-v${r.version}.pdf`,
    pdf: await renderEstimatePdf({ version: r.version, customerName: r.customer_name, customerEmail: r.customer_email, currency: r.currency, lines: r.lines, totals: estimateTotals(r), createdAt: r.created_at }),
  };
}
