/**
 * What a digital account owes now (seed 000), the one rule the checkout bills by and the API reads (the
 * amount due on an account, the payment webhook's check), so the two can never disagree.
 */

export type SaleKind = 'first-period' | 'upgrade';

/** A module the account has activated and not paid yet. */
export interface UnpaidModule {
  moduleCode: string;
  price: number;
}

export interface BillLine {
  description: string;
  moduleCode: string | null;
  amount: number;
}

export interface Bill {
  /** `first-period` until the account's first invoice (it makes a new customer); every later sale is an upgrade (MRR). */
  kind: SaleKind;
  /** What the invoice says it is for. */
  description: string;
  lines: BillLine[];
  due: number;
}

/**
 * The base plan's first period while the account has no first invoice (a $0 plan adds no line), plus
 * every activated, unpaid module, in the order given.
 */
export function billFor(account: { planCode: string; basePrice: number; firstInvoiced: boolean }, unpaid: readonly UnpaidModule[]): Bill {
  const first = !account.firstInvoiced;
  const lines: BillLine[] = [];
  if (first && account.basePrice > 0) {
    lines.push({ description: `Plan ${account.planCode}: primer periodo`, moduleCode: null, amount: account.basePrice });
  }
  for (const m of unpaid) lines.push({ description: `Módulo ${m.moduleCode}`, moduleCode: m.moduleCode, amount: m.price });
  return {
    kind: first ? 'first-period' : 'upgrade',
    description: first ? `Primer periodo plan ${account.planCode}` : 'Upgrade de módulos',
    lines,
    due: lines.reduce((sum, l) => sum + l.amount, 0),
  };
}

/**
 * Why an invoice's lines do not add up to its amount, or null when they do: compared in cents, so
 * 0.1 + 0.2 is 0.30. An invoice with no lines is its amount alone.
 */
export function linesMismatch(amount: number, lines: readonly BillLine[]): string | null {
  if (!lines.length) return null;
  const cents = (n: number) => Math.round(n * 100);
  const sum = lines.reduce((total, l) => total + cents(l.amount), 0);
  return sum === cents(amount) ? null : `its lines add up to ${(sum / 100).toFixed(2)}, not its amount ${(cents(amount) / 100).toFixed(2)}`;
}
