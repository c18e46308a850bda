/**
 * The billing KPI of seed 002 (COMTECO's residential digital sale, "Parámetros de seguimiento"): each
 * month's billing volume against the month before, × 100; 98 % or more is APPROVED, less is OBSERVED.
 *
 * - The volume is the sum of the invoices issued in the month, in BOB, in integer minor units
 *   (centavos): exact, so the verdict at the 98 % line never depends on floating point.
 * - Months are calendar months in Bolivia's time zone: an invoice issued at 23:30 on the 31st in La Paz
 *   counts in that month, whatever UTC says.
 * - A month with nothing to compare against (no billing the month before) has no ratio. It is APPROVED
 *   when it billed something (billing did not fall) and OBSERVED when it billed nothing either.
 */
import { DateTime } from 'luxon';
import { BILLING_ZONES } from './periods';

export const BILLING_KPI = {
  currency: 'BOB',
  zone: BILLING_ZONES.BO,
  /** The ratio (in %) at and above which a month is APPROVED. */
  approvedAtPercent: 98,
  /** Months the trend shows, ending at the month asked for. */
  trendMonths: 12,
} as const;

export type KpiVerdict = 'APPROVED' | 'OBSERVED';

export interface KpiFigures {
  /**
   * The ratio in percent, rounded down to two decimals (so a ratio shown as 98.00 is always APPROVED,
   * and 97.999… shows as 97.99); null with no billing the month before.
   */
  ratio: number | null;
  verdict: KpiVerdict;
}

/** `YYYY-MM`, months 01 to 12. */
export const MONTH_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';

function monthStart(month: string): DateTime {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: BILLING_KPI.zone });
  if (!start.isValid) throw new RangeError(`not a month: ${month}`);
  return start;
}

/** The month `offset` months after `month` (before, when negative). */
export function shiftMonth(month: string, offset: number): string {
  return monthStart(month).plus({ months: offset }).toFormat('yyyy-MM');
}

/** The month in Bolivia at `at`. */
export function monthAt(at: Date): string {
  return DateTime.fromJSDate(at, { zone: BILLING_KPI.zone }).toFormat('yyyy-MM');
}

/** The half-open interval [start, end) of `month` in Bolivia. */
export function monthBounds(month: string): { start: Date; end: Date } {
  const start = monthStart(month);
  return { start: start.toJSDate(), end: start.plus({ months: 1 }).toJSDate() };
}

/** The KPI of a month that billed `thisMonth` after a month that billed `lastMonth` (minor units). */
export function billingKpi(thisMonth: bigint, lastMonth: bigint): KpiFigures {
  if (thisMonth < 0n || lastMonth < 0n) throw new RangeError('billing volumes are never negative');
  if (lastMonth === 0n) return { ratio: null, verdict: thisMonth > 0n ? 'APPROVED' : 'OBSERVED' };
  // Hundredths of a percent, rounded down (BigInt division truncates; both are non-negative).
  const hundredths = (thisMonth * 10_000n) / lastMonth;
  const approved = thisMonth * 100n >= BigInt(BILLING_KPI.approvedAtPercent) * lastMonth;
  return { ratio: Number(hundredths) / 100, verdict: approved ? 'APPROVED' : 'OBSERVED' };
}
