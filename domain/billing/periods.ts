/**
 * Billing periods that follow calendar months (issue 9 §5). Period n starts n months after the anchor,
 * counted from the anchor every time (never from the previous period), so a start on the 31st bills on
 * the last day of February and on the 31st again in March. Months are counted on the wall clock of
 * the account's time zone: a period starts at the anchor's local time of day even across a daylight
 * saving change (Chile has one; Colombia and Bolivia do not). Luxon clamps a day past the month's end
 * to its last day, which is the rule the seed asks for.
 */
import { DateTime } from 'luxon';

/** The zones of the seeds' countries; seed 000 (RUT, CLP) is Chile. */
export const BILLING_ZONES = { CL: 'America/Santiago', CO: 'America/Bogota', BO: 'America/La_Paz' } as const;
export type BillingCountry = keyof typeof BILLING_ZONES;
export const DEFAULT_BILLING_ZONE = BILLING_ZONES.CL;

export interface BillingPeriod {
  /** 0 is the first period (billed by the checkout); renewals are 1, 2, … */
  index: number;
  start: Date;
  /** Exclusive: the next period's start. */
  end: Date;
}

function anchorIn(anchor: Date, zone: string): DateTime {
  const local = DateTime.fromJSDate(anchor, { zone });
  if (!local.isValid) throw new RangeError(`unknown time zone ${zone}`);
  return local;
}

/** The start of period `index` for a subscription anchored at `anchor`. */
export function periodStart(anchor: Date, index: number, zone: string = DEFAULT_BILLING_ZONE): Date {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`period index must be a whole number >= 0, not ${index}`);
  return anchorIn(anchor, zone).plus({ months: index }).toJSDate();
}

export function billingPeriod(anchor: Date, index: number, zone: string = DEFAULT_BILLING_ZONE): BillingPeriod {
  return { index, start: periodStart(anchor, index, zone), end: periodStart(anchor, index + 1, zone) };
}

/** The period that contains `at` (the first one for an instant before the anchor). */
export function periodAt(anchor: Date, at: Date, zone: string = DEFAULT_BILLING_ZONE): BillingPeriod {
  const months = Math.floor(anchorIn(at, zone).diff(anchorIn(anchor, zone), 'months').months);
  let index = Math.max(0, months);
  // diff() in months is exact for clamped days only approximately: settle on the period holding `at`.
  while (index > 0 && periodStart(anchor, index, zone) > at) index -= 1;
  while (periodStart(anchor, index + 1, zone) <= at) index += 1;
  return billingPeriod(anchor, index, zone);
}

/** The local calendar day a period starts on, e.g. `2027-02-28`: the key an invoice is issued once for. */
export function periodKey(period: BillingPeriod, zone: string = DEFAULT_BILLING_ZONE): string {
  return DateTime.fromJSDate(period.start, { zone }).toISODate()!;
}
