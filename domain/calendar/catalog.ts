/**
 * What a calendar entry of `definitions/calendars.yaml` must hold, checked before any deadline is
 * computed on it: a country date-holidays knows, a real IANA zone, working hours that open before they
 * close, and at least one working weekday (else no deadline would ever come).
 */
import { IANAZone } from 'luxon';
import type { CalendarSpec, Weekday } from './calendar';
import { isKnownCountry } from './holidays';

const WEEKDAYS: Record<string, Weekday> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };
const ID = /^[A-Z][A-Z0-9-]*$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The calendar `raw` describes, or the problems with it (each naming its field). */
export function readCalendarSpec(raw: unknown): { calendar?: CalendarSpec; problems: string[] } {
  const problems: string[] = [];
  const e = (raw ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null) return { problems: ['expected an object'] };
  const extra = Object.keys(e).filter((k) => !['id', 'name', 'country', 'timeZone', 'hours', 'weekend'].includes(k));
  if (extra.length) problems.push(`unknown propert${extra.length === 1 ? 'y' : 'ies'} ${extra.join(', ')}`);
  if (typeof e.id !== 'string' || !ID.test(e.id)) problems.push('id must be upper case, e.g. CO or CO-BOGOTA');
  if (typeof e.country !== 'string' || !isKnownCountry(e.country)) problems.push(`country '${String(e.country)}' is not a country date-holidays knows (ISO 3166-1 alpha-2, e.g. CO)`);
  if (typeof e.timeZone !== 'string' || !IANAZone.isValidZone(e.timeZone)) problems.push(`timeZone '${String(e.timeZone)}' is not an IANA time zone (e.g. America/Bogota)`);
  const hours = (e.hours ?? {}) as { start?: unknown; end?: unknown };
  if (typeof hours.start !== 'string' || !TIME.test(hours.start) || typeof hours.end !== 'string' || !TIME.test(hours.end)) {
    problems.push('hours must be { start: "HH:MM", end: "HH:MM" }');
  } else if (hours.start >= hours.end) problems.push(`hours: start ${hours.start} must be before end ${hours.end}`);
  const weekend = Array.isArray(e.weekend) ? e.weekend : [];
  const unknownDays = weekend.filter((d) => typeof d !== 'string' || !(d.toLowerCase() in WEEKDAYS));
  if (!Array.isArray(e.weekend) || unknownDays.length) problems.push(`weekend must list weekday names (monday … sunday)${unknownDays.length ? `, got ${unknownDays.join(', ')}` : ''}`);
  const days = [...new Set(weekend.filter((d): d is string => typeof d === 'string' && d.toLowerCase() in WEEKDAYS).map((d) => WEEKDAYS[d.toLowerCase()]))];
  if (days.length >= 7) problems.push('weekend leaves no working day');
  if (problems.length) return { problems };
  return {
    calendar: { id: e.id as string, country: (e.country as string).toUpperCase(), timeZone: e.timeZone as string, hours: { start: hours.start as string, end: hours.end as string }, weekend: days.sort() },
    problems,
  };
}
