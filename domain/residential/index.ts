/**
 * Seed 002 (COMTECO's residential digital sale): the coverage table that stands in for Smartflex/GIS,
 * and the commercial plans the offer is made from. Pure rules, read by the coverage import (API), the
 * coverage check (activity) and the tests.
 */

/** The definition of seed 002's process (definitions/residential-sale.yaml), which the intake, re-entry and reports name. */
export const RESIDENTIAL_SALE = 'residential-sale';

/** Where a prospect reached COMTECO (seed step 1). */
export const PROSPECT_CHANNELS = ['web', 'facebook', 'chatbot', 'whatsapp', 'other'] as const;

/**
 * The business key of a prospect's sale: the digits of their phone (`+591 707-12345` → `prospect-59170712345`),
 * so a second request from the same phone while the first is worked reaches the same sale.
 */
export function prospectKey(phone: string): string | null {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 6 && digits.length <= 15 ? `prospect-${digits}` : null;
}

/** Why a request ended without a sale (step 19's report groups by it); `cancelled`: by an operator. */
export const UNATTENDED_REASONS = ['no-coverage', 'no-capacity', 'offer-refused', 'no-payment', 'cancelled'] as const;

/** Access technologies of the residential network. */
export const TECHNOLOGIES = ['fiber', 'hfc', 'adsl', 'wireless'] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

/** The highest speed any row may claim (Mbps): a typo of 100000 is refused, not believed. */
export const MAX_SPEED_MBPS = 10_000;

/** A zone code: lower-case words joined by hyphens (`cochabamba-centro`). */
const ZONE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** One row of the coverage table: in `zone`, `technology` reaches up to `maxSpeedMbps`. */
export interface CoverageRow {
  zone: string;
  technology: Technology;
  maxSpeedMbps: number;
}

/** A coverage row from text (a CSV row, a form), or the reasons it is not one, each naming its column. */
export function parseCoverageRow(values: { zone?: string; technology?: string; max_speed_mbps?: string }): { row: CoverageRow } | { reasons: string[] } {
  const reasons: string[] = [];
  const zone = values.zone?.trim().toLowerCase() ?? '';
  if (!zone) reasons.push('zone: is required');
  else if (zone.length > 100 || !ZONE.test(zone)) reasons.push(`zone: must be lower-case words joined by hyphens, e.g. cochabamba-centro (got ${JSON.stringify(values.zone)})`);
  const technology = values.technology?.trim().toLowerCase() ?? '';
  if (!(TECHNOLOGIES as readonly string[]).includes(technology)) reasons.push(`technology: must be one of ${TECHNOLOGIES.join(', ')} (got ${JSON.stringify(values.technology ?? '')})`);
  const speedText = values.max_speed_mbps?.trim() ?? '';
  const speed = /^[0-9]{1,6}$/.test(speedText) ? Number(speedText) : NaN;
  if (!(speed >= 1 && speed <= MAX_SPEED_MBPS)) reasons.push(`max_speed_mbps: must be a whole number of Mbps from 1 to ${MAX_SPEED_MBPS} (got ${JSON.stringify(values.max_speed_mbps ?? '')})`);
  return reasons.length ? { reasons } : { row: { zone, technology: technology as Technology, maxSpeedMbps: speed } };
}

export interface CoverageAnswer {
  covered: boolean;
  zone: string;
  speedMbps: number;
  /** The zone's technologies that reach the speed (the requested one only, when one is asked), fastest first. */
  options: Array<{ technology: Technology; maxSpeedMbps: number }>;
  /** Why not, in words for the executive and the unattended-requests report; null when covered. */
  reason: string | null;
}

/** Whether the zone's rows reach `speedMbps` (over `technology`, when one is asked). */
export function coverageFor(zone: string, rows: CoverageRow[], speedMbps: number, technology?: Technology): CoverageAnswer {
  const inZone = rows.filter((r) => r.zone === zone && (!technology || r.technology === technology));
  const options = inZone.filter((r) => r.maxSpeedMbps >= speedMbps).sort((a, b) => b.maxSpeedMbps - a.maxSpeedMbps).map(({ technology: t, maxSpeedMbps }) => ({ technology: t, maxSpeedMbps }));
  let reason: string | null = null;
  const over = technology ? ` over ${technology}` : '';
  if (inZone.length === 0) reason = `no coverage${over} in zone ${zone}`;
  else if (options.length === 0) reason = `zone ${zone} reaches at most ${Math.max(...inZone.map((r) => r.maxSpeedMbps))} Mbps${over}; ${speedMbps} Mbps were asked for`;
  return { covered: options.length > 0, zone, speedMbps, options, reason };
}

/** A plan as the offer needs it. */
export interface PlanOffer {
  code: string;
  technology: string;
  speedMbps: number;
}

/** Why a plan cannot be installed in the zone (its technology is not there, or not at its speed), or null. */
export function planProblem(plan: PlanOffer, zone: string, rows: CoverageRow[]): string | null {
  const row = rows.find((r) => r.zone === zone && r.technology === plan.technology);
  if (!row) return `plan ${plan.code} is ${plan.technology}, which zone ${zone} does not have`;
  if (row.maxSpeedMbps < plan.speedMbps) return `plan ${plan.code} needs ${plan.speedMbps} Mbps over ${plan.technology}; zone ${zone} reaches ${row.maxSpeedMbps}`;
  return null;
}

export * from './deposits';
export * from './report';
