/**
 * Seed 002, step 12: collections validates a transfer against COMTECO's bank statement — amount, date,
 * deposit number, operation type and depositor. The statement line is found by its deposit number;
 * the rest must agree. Pure: the activity reads the lines, this decides.
 *
 * - `matched`: one line with the receipt's deposit number agrees on everything and no other sale holds it;
 * - `mismatch`: the line is there but says something else (the executive must fix the receipt);
 * - `not-found`: no line yet (the statement may not be imported): collections looks;
 * - `ambiguous`: several lines, or a deposit that already paid for another sale (confirmed by a line or
 *   by collections): never auto-matched, collections decides.
 */
import { plainMoney } from '../money';

/** An amount as text (`1234.5`, `1234.50`, `1.234,50` is refused) → minor units, exactly; null when it is not one. */
export function parseMinor(text: string): number | null {
  const m = /^\s*([0-9]{1,12})(?:\.([0-9]{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export const OPERATION_TYPES = ['transfer', 'deposit', 'qr'] as const;

export interface DepositReceipt {
  depositNumber: string;
  amountMinor: number;
  /** YYYY-MM-DD */
  depositedOn: string;
  operationType: string;
  depositor: string;
}

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** A real calendar day written YYYY-MM-DD. */
export function isDay(text: string): boolean {
  return DATE.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

/** A statement line from text (a CSV row), or the reasons it is not one, each naming its column. */
export function parseStatementRow(values: { date?: string; amount?: string; deposit_number?: string; operation_type?: string; depositor?: string }): { row: DepositReceipt } | { reasons: string[] } {
  const reasons: string[] = [];
  const date = values.date?.trim() ?? '';
  if (!isDay(date)) reasons.push(`date: must be a day written YYYY-MM-DD (got ${JSON.stringify(values.date ?? '')})`);
  const amountMinor = parseMinor(values.amount ?? '');
  if (amountMinor === null || amountMinor === 0) reasons.push(`amount: must be a positive amount with a dot and at most two decimals, e.g. 279.00 (got ${JSON.stringify(values.amount ?? '')})`);
  const depositNumber = values.deposit_number?.trim() ?? '';
  if (!depositNumber || depositNumber.length > 50) reasons.push('deposit_number: is required (at most 50 characters)');
  const operationType = values.operation_type?.trim().toLowerCase() ?? '';
  if (!(OPERATION_TYPES as readonly string[]).includes(operationType)) reasons.push(`operation_type: must be one of ${OPERATION_TYPES.join(', ')} (got ${JSON.stringify(values.operation_type ?? '')})`);
  const depositor = values.depositor?.trim() ?? '';
  if (!depositor || depositor.length > 200) reasons.push('depositor: is required (at most 200 characters)');
  return reasons.length ? { reasons } : { row: { depositNumber, amountMinor: amountMinor!, depositedOn: date, operationType, depositor } };
}

export interface StatementLine extends DepositReceipt {
  id: string;
}

export type DepositDecision =
  | { kind: 'matched'; line: StatementLine }
  | { kind: 'mismatch'; line: StatementLine; mismatches: string[] }
  | { kind: 'not-found' }
  | { kind: 'ambiguous'; reason: string };

/** Names compared as a person reads them: case, accents and spacing aside. */
export function sameName(a: string, b: string): boolean {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
  return fold(a) === fold(b);
}

const bob = (minor: number) => plainMoney(minor, 'BOB');

/** What the line says that the receipt does not, field by field. */
export function depositMismatches(receipt: DepositReceipt, line: DepositReceipt): string[] {
  const out: string[] = [];
  if (receipt.amountMinor !== line.amountMinor) out.push(`amount: the statement says ${bob(line.amountMinor)}, the receipt ${bob(receipt.amountMinor)}`);
  if (receipt.depositedOn !== line.depositedOn) out.push(`date: the statement says ${line.depositedOn}, the receipt ${receipt.depositedOn}`);
  if (receipt.operationType !== line.operationType) out.push(`operation type: the statement says ${line.operationType}, the receipt ${receipt.operationType}`);
  if (!sameName(receipt.depositor, line.depositor)) out.push(`depositor: the statement says ${line.depositor}, the receipt ${receipt.depositor}`);
  return out;
}

/** Why a deposit that already paid for sale `holder` cannot pay for `instanceId`, or null. */
export function claimedElsewhere(depositNumber: string, holder: string | null, instanceId: string): string | null {
  return holder && holder !== instanceId ? `deposit ${depositNumber} already confirmed sale ${holder}` : null;
}

/**
 * The decision for `receipt` of sale `instanceId`, given the statement lines with its deposit number
 * and the sale the deposit already paid for (`holder`, or null).
 */
export function matchDeposit(receipt: DepositReceipt, lines: StatementLine[], instanceId: string, holder: string | null): DepositDecision {
  const taken = claimedElsewhere(receipt.depositNumber, holder, instanceId);
  if (taken) return { kind: 'ambiguous', reason: taken };
  if (lines.length === 0) return { kind: 'not-found' };
  if (lines.length > 1) return { kind: 'ambiguous', reason: `${lines.length} statement lines carry deposit number ${receipt.depositNumber}` };
  const [line] = lines;
  const mismatches = depositMismatches(receipt, line);
  return mismatches.length ? { kind: 'mismatch', line, mismatches } : { kind: 'matched', line };
}
