/**
 * Durations counted in working time, as definitions write them: `2 business days`, `1 business day`,
 * `4 business hours`, `30 business minutes`. Kept apart from the calendar computation (no date library
 * here) so the workflow sandbox can tell a business duration from a plain one without pulling in
 * holidays or time zones: it never computes one itself, it asks the `calendar.deadline` activity.
 */

export type BusinessUnit = 'day' | 'hour' | 'minute';

export interface BusinessDuration {
  amount: number;
  unit: BusinessUnit;
}

const BUSINESS = /^(\d+(?:\.\d+)?)\s*business\s+(day|days|hour|hours|minute|minutes)$/i;

/** The business duration `spec` spells, or undefined when it is not one (a plain duration, or not a duration). */
export function parseBusinessDuration(spec: unknown): BusinessDuration | undefined {
  if (typeof spec !== 'string') return undefined;
  const match = BUSINESS.exec(spec.trim());
  if (!match) return undefined;
  const unit = match[2].toLowerCase().replace(/s$/, '') as BusinessUnit;
  return { amount: Number(match[1]), unit };
}

/** True when `spec` mentions working time at all (so a misspelt one is reported as such, not as a plain duration). */
export function mentionsBusinessTime(spec: unknown): boolean {
  return typeof spec === 'string' && /\bbusiness\b/i.test(spec);
}

export function formatBusinessDuration(d: BusinessDuration): string {
  return `${d.amount} business ${d.unit}${d.amount === 1 ? '' : 's'}`;
}
