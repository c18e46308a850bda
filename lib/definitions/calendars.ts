/** The calendar catalog (`definitions/calendars.yaml`): the only business calendars a definition may name. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readCalendarSpec, type CalendarSpec } from '../../domain/calendar';

export const CALENDARS_FILE = join(__dirname, '..', '..', 'definitions', 'calendars.yaml');

/** Reads and checks the catalog; throws naming the file and the bad entry, since deadlines depend on it. */
export function loadCalendarCatalog(file: string = CALENDARS_FILE): CalendarSpec[] {
  const doc = parse(readFileSync(file, 'utf8'), { uniqueKeys: true }) as { calendars?: unknown } | null;
  if (!doc || !Array.isArray(doc.calendars)) throw new Error(`${file}: expected a top-level 'calendars' list`);
  const seen = new Set<string>();
  return doc.calendars.map((entry: unknown, i: number) => {
    const { calendar, problems } = readCalendarSpec(entry);
    const id = (entry as { id?: unknown } | null)?.id;
    if (!calendar) throw new Error(`${file}: calendars[${i}]${typeof id === 'string' ? ` (${id})` : ''}: ${problems.join('; ')}`);
    if (seen.has(calendar.id)) throw new Error(`${file}: calendars[${i}]: duplicate calendar id '${calendar.id}'`);
    seen.add(calendar.id);
    return calendar;
  });
}

let cached: CalendarSpec[] | undefined;

/** The catalog from definitions/calendars.yaml, read once (lazily, so importing this module never does I/O). */
export function calendarCatalog(): CalendarSpec[] {
  return (cached ??= loadCalendarCatalog());
}

export function calendarIds(): string[] {
  return calendarCatalog().map((c) => c.id);
}
