/**
 * Durations as people write them in process definitions: `30d`, `2 days`, `1h30m`, `90s`, `500ms`,
 * or ISO-8601 (`P30D`, `PT2H`, `P1W`), which BPMN timers use. Pure: used by the validator and the interpreter.
 */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

const ISO = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const PART = /(\d+(?:\.\d+)?)\s*([a-z]+)/gi;

export class DurationError extends Error {}

/** Milliseconds in `spec`; throws DurationError naming the input when it is not a duration. */
export function parseDuration(spec: string | number): number {
  if (typeof spec === 'number') {
    if (Number.isFinite(spec) && spec >= 0) return spec;
    throw new DurationError(`invalid duration ${spec}: must be a non-negative number of milliseconds`);
  }
  const text = String(spec).trim();
  const iso = ISO.exec(text);
  if (iso && text.length > 1 && text.toUpperCase() !== 'PT') {
    const [w, d, h, m, s] = iso.slice(1).map((v) => (v ? Number(v) : 0));
    return Math.round(((w * 7 + d) * 24 * 3600 + h * 3600 + m * 60 + s) * 1000);
  }
  let total = 0;
  let consumed = '';
  for (const match of text.matchAll(PART)) {
    const unit = UNIT_MS[match[2].toLowerCase()];
    if (unit === undefined) throw new DurationError(`invalid duration "${text}": unknown unit "${match[2]}"`);
    total += Number(match[1]) * unit;
    consumed += match[0];
  }
  if (!consumed || consumed.replace(/\s+/g, '') !== text.replace(/\s+/g, '')) {
    throw new DurationError(`invalid duration "${text}": expected e.g. 30d, 2 days, 1h30m or P30D`);
  }
  return Math.round(total);
}
