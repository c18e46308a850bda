/**
 * `calendar.deadline`: when a business duration ends, on a calendar of definitions/calendars.yaml.
 * The interpreter calls it as a local activity and records its answer (an absolute epoch ms), so the
 * holidays, time zones and working hours of this worker's libraries are read once, never on replay.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { addBusinessTime, formatBusinessDuration, type BusinessDuration, type CalendarSpec } from '../domain/calendar';
import { calendarCatalog } from '../lib/definitions/calendars';

export interface DeadlineRequest {
  /** A calendar id (`CO`), as the definition or the instance's variable names it. */
  calendar: string;
  /** Epoch ms the duration counts from (the step's entry). */
  from: number;
  duration: BusinessDuration;
}

export interface CalendarActivities {
  'calendar.deadline'(request: DeadlineRequest): Promise<number>;
}

/** Failure type of a calendar id the catalog does not hold: a fault of the definition's data, not retried. */
export const UNKNOWN_CALENDAR = 'UnknownCalendar';

/** Reads the catalog at once, so a worker with a broken definitions/calendars.yaml stops at start naming the entry. */
export function createCalendarActivities(known: CalendarSpec[] = calendarCatalog()): CalendarActivities {
  return {
    async 'calendar.deadline'({ calendar, from, duration }) {
      const spec = known.find((c) => c.id === calendar);
      if (!spec) {
        throw ApplicationFailure.nonRetryable(`unknown calendar '${calendar}' (definitions/calendars.yaml has ${known.map((c) => c.id).join(', ')})`, UNKNOWN_CALENDAR);
      }
      try {
        return addBusinessTime(spec, from, duration);
      } catch (err) {
        throw ApplicationFailure.nonRetryable(`${formatBusinessDuration(duration)} on calendar '${calendar}': ${(err as Error).message}`, 'InvalidDuration');
      }
    },
  };
}
