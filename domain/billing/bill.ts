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
