/**
 * A customer's portfolio (cartera) standing, seed 004 step 9: after-sales design changes go ahead only
 * once "la revisión de cartera del cliente" finds nothing owed. In arrears means an invoice past its due
 * date and unpaid, or a subscription suspended for not paying. An invoice with no due date (a one-off
 * invoice issued at a sale) is not counted: nothing in Cauce records its payment, so it cannot be late.
 */

export interface PortfolioInvoice { number: number; description: string; amount: number; currency: string; dueAt: string | null; paidAt: string | null }
export interface PortfolioSubscription { subscriptionId: string; planCode: string | null; status: string }

export interface PortfolioStanding {
  clear: boolean;
  overdueInvoices: Array<{ number: number; description: string; amount: number; currency: string; dueAt: string }>;
  suspendedSubscriptions: PortfolioSubscription[];
  /** Overdue amounts per currency, largest first. */
  owed: Array<{ currency: string; amount: number }>;
  /** One line for a task title or an e-mail, e.g. `2 overdue invoices (COP 179800), 1 suspended subscription`. */
  summary: string;
}

/** The compact form tax ids are compared in: `900.123.456-8` and `900123456-8` are the same customer. */
export function compactTaxId(taxId: string): string {
  return taxId.replace(/[.\s-]/g, '').toUpperCase();
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function portfolioStanding(invoices: readonly PortfolioInvoice[], subscriptions: readonly PortfolioSubscription[], now: Date): PortfolioStanding {
  const overdueInvoices = invoices
    .filter((i): i is PortfolioInvoice & { dueAt: string } => i.paidAt === null && i.dueAt !== null && Date.parse(i.dueAt) < now.getTime())
    .map(({ number, description, amount, currency, dueAt }) => ({ number, description, amount, currency, dueAt }))
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const suspendedSubscriptions = subscriptions.filter((s) => s.status === 'suspended');
  const totals = new Map<string, number>();
  for (const i of overdueInvoices) totals.set(i.currency, Math.round(((totals.get(i.currency) ?? 0) + i.amount) * 100) / 100);
  const owed = [...totals].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => b.amount - a.amount);
  const parts: string[] = [];
  if (overdueInvoices.length) parts.push(`${plural(overdueInvoices.length, 'overdue invoice')} (${owed.map((o) => `${o.currency} ${o.amount}`).join(', ')})`);
  if (suspendedSubscriptions.length) parts.push(plural(suspendedSubscriptions.length, 'suspended subscription'));
  return { clear: parts.length === 0, overdueInvoices, suspendedSubscriptions, owed, summary: parts.length ? parts.join(', ') : 'nothing owed' };
}
