/**
 * When a step's SLA or timer ends: `from` plus a duration. Calendar time (`1d`, `24h`) is added here,
 * with no command, exactly as before business calendars existed. Working time (`2 business days`) is
 * counted by the `calendar.deadline` local activity on the instance's calendar, and the answer (an
 * absolute epoch ms) is what the history records: holidays and time zones come from the worker's
 * libraries and must never be recomputed on replay.
 *
 * Runs recorded before this existed could only have met a business duration as a bad one (an
 * InvalidDuration incident); `patched(BUSINESS_CALENDAR_PATCH)` keeps them on that path.
 */
import { ActivityFailure, ApplicationFailure, patched, proxyLocalActivities } from '@temporalio/workflow';
import type { CalendarActivities } from '../activities/calendar';
import { parseBusinessDuration } from '../domain/calendar/duration';
import { isExpression } from './expressions';
import type { DurationSpec } from './model';

export const BUSINESS_CALENDAR_PATCH = 'business-calendar';

const calendars = proxyLocalActivities<CalendarActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: ['UnknownCalendar', 'InvalidDuration'] },
});

/** What of the instance a deadline needs. */
export interface DeadlineHost {
  /** Its `calendar`: an id, or an expression yielding one. */
  readonly definition: { calendar?: string };
  resolve(value: unknown, stepId?: string, field?: string): Promise<unknown>;
  resolveDuration(spec: DurationSpec, where: string, stepId?: string, field?: string): Promise<number>;
}

export async function deadlineAfter(host: DeadlineHost, spec: DurationSpec, from: number, where: string, stepId?: string, field?: string): Promise<number> {
  // A literal plain duration: today's path, untouched.
  if (!isExpression(spec) && !parseBusinessDuration(spec)) return from + (await host.resolveDuration(spec, where, stepId, field));
  const value = isExpression(spec) ? await host.resolve(spec, stepId, field) : spec;
  const business = parseBusinessDuration(value);
  if (!business || !patched(BUSINESS_CALENDAR_PATCH)) {
    // Calendar time, or a run recorded before business calendars: as resolveDuration always read it.
    if (isExpression(value)) throw ApplicationFailure.nonRetryable(`${where}: invalid duration "${String(value)}"`, 'InvalidDuration');
    return from + (await host.resolveDuration(value as DurationSpec, where, stepId, field));
  }
  const calendar = await calendarOf(host, where);
  try {
    return await calendars['calendar.deadline']({ calendar, from, duration: business });
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    if (cause instanceof ApplicationFailure && (cause.type === 'UnknownCalendar' || cause.type === 'InvalidDuration')) {
      throw ApplicationFailure.nonRetryable(`${where}: ${cause.message}`, cause.type);
    }
    throw err;
  }
}

async function calendarOf(host: DeadlineHost, where: string): Promise<string> {
  if (host.definition.calendar === undefined) {
    throw ApplicationFailure.nonRetryable(`${where}: a business duration needs a calendar, and the definition names none (add e.g. \`calendar: CO\`)`, 'InvalidDuration');
  }
  const calendar = isExpression(host.definition.calendar) ? await host.resolve(host.definition.calendar) : host.definition.calendar;
  if (typeof calendar !== 'string' || !calendar) {
    throw ApplicationFailure.nonRetryable(`${where}: the definition's calendar ${host.definition.calendar} gave ${JSON.stringify(calendar) ?? 'nothing'}, not a calendar id`, 'UnknownCalendar');
  }
  return calendar;
}
