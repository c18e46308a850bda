/**
 * Working time over a business calendar: weekends, a country's public holidays and one window of
 * working hours per working day, in the calendar's time zone (`luxon` turns local wall-clock times into
 * instants, DST included, e.g. America/Santiago). Pure: the same calendar and instants give the same
 * answer, so a deadline computed once in an activity and recorded by the workflow never moves.
 *
 * A business day is one full working day of working time (10 h for 08:00–18:00), counted only inside
 * working hours: a task opened on Friday at 10:00 with `2 business days` is due on Tuesday at 10:00
 * (Monday a holiday: Wednesday at 10:00); one opened on Saturday starts counting on Monday at 08:00 and is
 * due at the close of Tuesday. So `businessTimeBetween(from, addBusinessTime(from, d)) === d`.
 */
import { DateTime } from 'luxon';
import type { BusinessDuration } from './duration';
import { isPublicHoliday } from './holidays';

/** ISO weekday: 1 Monday … 7 Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface CalendarSpec {
  /** What definitions name with `calendar:` (e.g. `CO`). */
  id: string;
  /** ISO 3166-1 alpha-2 country whose public holidays close offices (date-holidays). */
  country: string;
  /** IANA time zone the working hours are in (e.g. `America/Bogota`). */
  timeZone: string;
  /** Working hours of every working day, local `HH:MM`, start before end. */
  hours: { start: string; end: string };
  /** Days that are never working days. */
  weekend: Weekday[];
}

const DAY_LIMIT = 366 * 30;
const HOUR_MS = 3_600_000;

function minutesOf(hhmm: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new RangeError(`invalid time '${hhmm}': expected HH:MM (00:00-23:59)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Milliseconds of working time in one working day (what one business day counts). */
export function workdayMs(cal: CalendarSpec): number {
  return (minutesOf(cal.hours.end) - minutesOf(cal.hours.start)) * 60_000;
}

/** Milliseconds of working time a business duration stands for. */
export function businessMs(cal: CalendarSpec, d: BusinessDuration): number {
  const per = d.unit === 'day' ? workdayMs(cal) : d.unit === 'hour' ? HOUR_MS : 60_000;
  return Math.round(d.amount * per);
}

/** Whether the local date `day` (midnight in the calendar's zone) is a working day. */
export function isWorkingDay(cal: CalendarSpec, day: DateTime): boolean {
  return !cal.weekend.includes(day.weekday as Weekday) && !isPublicHoliday(cal.country, day.toISODate()!);
}

/** One local day of a calendar: its start, whether it is worked, its working window, and where the next day starts. */
interface Day {
  start: number;
  working: boolean;
  open: number;
  close: number;
  next: number;
}

/**
 * Days already worked out, per calendar, by their start (epoch ms). Deadlines cluster on the same few
 * weeks, so most steps are a lookup instead of a time-zone conversion (see bench/business-deadlines.ts).
 * Values are pure functions of the calendar, so the cache cannot change an answer; it is dropped when large.
 */
const dayCache = new WeakMap<CalendarSpec, Map<number, Day>>();
const DAY_CACHE_LIMIT = 20_000;

function dayStarting(cal: CalendarSpec, day: DateTime): Day {
  let days = dayCache.get(cal);
  if (!days) dayCache.set(cal, (days = new Map()));
  const start = day.toMillis();
  let found = days.get(start);
  if (!found) {
    const [startMin, endMin] = [minutesOf(cal.hours.start), minutesOf(cal.hours.end)];
    found = {
      start,
      working: isWorkingDay(cal, day),
      open: day.set({ hour: Math.floor(startMin / 60), minute: startMin % 60 }).toMillis(),
      close: day.set({ hour: Math.floor(endMin / 60), minute: endMin % 60 }).toMillis(),
      next: day.plus({ days: 1 }).toMillis(),
    };
    if (days.size >= DAY_CACHE_LIMIT) days.clear();
    days.set(start, found);
  }
  return found;
}

/** The day after `day`. */
function following(cal: CalendarSpec, day: Day): Day {
  return dayCache.get(cal)?.get(day.next) ?? dayStarting(cal, DateTime.fromMillis(day.next, { zone: cal.timeZone }));
}
/** The UTC offset (ms) of the calendar's last day looked up: the day of the next instant is then found without luxon. */
const lastOffset = new WeakMap<CalendarSpec, number>();
const DAY_MS = 86_400_000;

function localDay(cal: CalendarSpec, at: number): Day {
  const offset = lastOffset.get(cal);
  if (offset !== undefined) {
    const known = dayCache.get(cal)?.get(Math.floor((at + offset) / DAY_MS) * DAY_MS - offset);
    if (known && known.start <= at && at < known.next) return known;
  }
  const day = DateTime.fromMillis(at, { zone: cal.timeZone }).startOf('day');
  if (!day.isValid) throw new RangeError(`calendar '${cal.id}': invalid time zone '${cal.timeZone}'`);
  lastOffset.set(cal, day.offset * 60_000);
  return dayStarting(cal, day);
}

/**
 * The instant (epoch ms) when `amount` of working time (a business duration, or ms of working time)
 * has passed since `from`. Zero working time from outside working hours is the next opening.
 */
export function addBusinessTime(cal: CalendarSpec, from: number, amount: BusinessDuration | number): number {
  let remaining = typeof amount === 'number' ? amount : businessMs(cal, amount);
  if (!(remaining >= 0) || !Number.isFinite(from)) throw new RangeError(`invalid business time ${remaining} from ${from}`);
  let day = localDay(cal, from);
  for (let i = 0; i < DAY_LIMIT; i++, day = following(cal, day)) {
    if (!day.working) continue;
    const start = Math.max(from, day.open);
    if (start >= day.close) continue;
    if (remaining <= day.close - start) return start + remaining;
    remaining -= day.close - start;
  }
  throw new RangeError(`calendar '${cal.id}': no end found within ${DAY_LIMIT} days`);
}

/** Milliseconds of working time between two instants (0 when `to` is not after `from`): elapsed time for SLAs. */
export function businessTimeBetween(cal: CalendarSpec, from: number, to: number): number {
  if (!(to > from)) return 0;
  let total = 0;
  const last = localDay(cal, to).start;
  let day = localDay(cal, from);
  for (let i = 0; day.start <= last; i++, day = following(cal, day)) {
    if (i > DAY_LIMIT) throw new RangeError(`calendar '${cal.id}': span longer than ${DAY_LIMIT} days`);
    if (!day.working) continue;
    const overlap = Math.min(day.close, to) - Math.max(day.open, from);
    if (overlap > 0) total += overlap;
  }
  return total;
}

/** `ms` of working time in business days of this calendar (e.g. 1.5 for 15 h of a 10-hour day). */
export function inBusinessDays(cal: CalendarSpec, ms: number): number {
  return ms / workdayMs(cal);
}
