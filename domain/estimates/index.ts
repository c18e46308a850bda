/**
 * Seed 001's estimates (Kontaly): lines of catalog items with quantities, a discount per line and the
 * item's tax, and their totals. Money is exact: every amount is an integer of minor units, each line
 * rounds half up once (its discount, then its tax), and the totals are the sums of the lines, so a
 * total always adds up to what its lines say. Pure: the API and the activities both use it.
 */

/** A catalog item as an estimate prices it. */
export interface CatalogItem {
  code: string;
  name: string;
  unitPriceMinor: number;
  /** Tax in basis points (1900 = 19 %). */
  taxRateBp: number;
  currency: string;
  /** Billed every month (a plan, extra users), not once (implementation, training). */
  recurring: boolean;
}

export interface LineInput {
  itemCode: string;
  quantity: number;
  /** Discount in basis points of the line (1000 = 10 %); default 0. */
  discountBp?: number;
}

export interface PricedLine {
  itemCode: string;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  discountBp: number;
  taxRateBp: number;
  grossMinor: number;
  discountMinor: number;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface Totals {
  grossMinor: number;
  discountMinor: number;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface EstimateProblem {
  field: string;
  message: string;
}

export const MAX_QUANTITY = 1_000_000;
export const MAX_LINES = 200;

/** `amount × bp / 10000`, rounded half up, in integers. */
function share(amount: bigint, bp: number): bigint {
  return (amount * BigInt(bp) * 2n + 10_000n) / 20_000n;
}

function toSafe(n: bigint, field: string): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${field}: the amount is too large`);
  return Number(n);
}

/** The lines priced from the catalog, or the problems of the input (each naming its line and field). */
export function priceLines(lines: LineInput[], catalog: Map<string, CatalogItem>, currency: string): { lines: PricedLine[]; totals: Totals } | { problems: EstimateProblem[] } {
  const problems: EstimateProblem[] = [];
  if (lines.length === 0 || lines.length > MAX_LINES) problems.push({ field: 'lines', message: `must have 1 to ${MAX_LINES} lines` });
  const priced: PricedLine[] = [];
  lines.forEach((l, i) => {
    const at = `lines/${i}`;
    const item = catalog.get(l.itemCode);
    if (!item) return problems.push({ field: `${at}/itemCode`, message: `no catalog item ${JSON.stringify(l.itemCode)}` });
    if (item.currency !== currency) return problems.push({ field: `${at}/itemCode`, message: `${item.code} is priced in ${item.currency}, the estimate in ${currency}` });
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_QUANTITY) return problems.push({ field: `${at}/quantity`, message: `must be a whole number from 1 to ${MAX_QUANTITY}` });
    const discountBp = l.discountBp ?? 0;
    if (!Number.isInteger(discountBp) || discountBp < 0 || discountBp > 10_000) return problems.push({ field: `${at}/discountBp`, message: 'must be whole basis points from 0 to 10000 (100 %)' });
    const gross = BigInt(item.unitPriceMinor) * BigInt(l.quantity);
    const discount = share(gross, discountBp);
    const net = gross - discount;
    const tax = share(net, item.taxRateBp);
    priced.push({
      itemCode: item.code, description: item.name, quantity: l.quantity, unitPriceMinor: item.unitPriceMinor, discountBp, taxRateBp: item.taxRateBp,
      grossMinor: toSafe(gross, at), discountMinor: toSafe(discount, at), netMinor: toSafe(net, at), taxMinor: toSafe(tax, at), totalMinor: toSafe(net + tax, at),
    });
  });
  if (problems.length) return { problems };
  const sum = (key: keyof Totals) => priced.reduce((acc, l) => acc + l[key], 0);
  return { lines: priced, totals: { grossMinor: sum('grossMinor'), discountMinor: sum('discountMinor'), netMinor: sum('netMinor'), taxMinor: sum('taxMinor'), totalMinor: sum('totalMinor') } };
}

/** Where totals someone claims differ from those the lines give (an estimate whose money does not add up). */
export function totalsProblems(claimed: Partial<Totals>, computed: Totals): EstimateProblem[] {
  return (Object.keys(computed) as Array<keyof Totals>)
    .filter((k) => claimed[k] !== undefined && claimed[k] !== computed[k])
    .map((k) => ({ field: `totals/${k}`, message: `${claimed[k]} does not add up: the lines give ${computed[k]}` }));
}

/**
 * An accepted estimate's lines as invoice lines (the draft invoice of a conversion): each line's
 * quantity, discount and tax in its description, and what it costs with tax, in major units.
 */
export function invoiceLinesOf(lines: PricedLine[]): Array<{ description: string; moduleCode: string | null; amount: number }> {
  return lines.map((l) => ({
    description: `${l.quantity} × ${l.description}${l.discountBp ? ` (−${l.discountBp / 100} %)` : ''}, IVA ${l.taxRateBp / 100} %`,
    moduleCode: null,
    amount: (l.netMinor + l.taxMinor) / 100,
  }));
}

/**
 * What an accepted estimate bills every month once the customer pays it: its lines of recurring catalog
 * items, with their discounts and taxes (an item no longer in the catalog is not billed again), and
 * what they are, for the renewal invoices.
 */
export function recurringPart(lines: PricedLine[], catalog: Map<string, CatalogItem>): { monthlyMinor: number; product: string | null } {
  const recurring = lines.filter((l) => catalog.get(l.itemCode)?.recurring);
  return {
    monthlyMinor: recurring.reduce((sum, l) => sum + l.totalMinor, 0),
    product: recurring.length ? recurring.map((l) => (l.quantity === 1 ? l.description : `${l.quantity} × ${l.description}`)).join(', ') : null,
  };
}

/**
 * The message the client's answer is sent as (api/messages/router.ts): the process that declares it in
 * its `messages` (lead-to-customer) hears it, so only such a process can own an estimate.
 */
export const ESTIMATE_ANSWERED = 'estimate.answered';

/** What the message carries; `messageId` is `estimate-answer:<linkId>`, so a repeat is not taken twice. */
export interface EstimateAnswer {
  estimateId: string;
  version: number;
  decision: 'accepted' | 'declined';
  reason: string | null;
  totalMinor: number;
  currency: string;
  /** Who answered: the e-mail the link was sent to. */
  answeredBy: string;
}
export { CONTRACT_SIGNED, MAX_DRAWING_BYTES, drawingProblem, type ContractSignature, type SignatureMethod } from './contract';
