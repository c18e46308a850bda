/**
 * Working time over business calendars (domain/calendar). Every expectation is counted by hand from
 * the 08:00–18:00 window and the country's public holidays (Colombia 2026: San José Monday 23 March,
 * Holy Thursday and Good Friday 2–3 April, …; Bolivia: 22 January; Chile: Good Friday 3 April).
 */
import {
  addBusinessTime,
  businessTimeBetween,
  inBusinessDays,
  isPublicHoliday,
  parseBusinessDuration,
  readCalendarSpec,
  type CalendarSpec,
} from '../../../domain/calendar';
import { loadCalendarCatalog } from '../../../lib/definitions/calendars';

const week = { hours: { start: '08:00', end: '18:00' }, weekend: [6, 7] as CalendarSpec['weekend'] };
const CO: CalendarSpec = { id: 'CO', country: 'CO', timeZone: 'America/Bogota', ...week };
const CL: CalendarSpec = { id: 'CL', country: 'CL', timeZone: 'America/Santiago', ...week };
const BO: CalendarSpec = { id: 'BO', country: 'BO', timeZone: 'America/La_Paz', ...week };

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;
const days = (amount: number) => ({ amount, unit: 'day' as const });
const hours = (amount: number) => ({ amount, unit: 'hour' as const });

describe('business durations as definitions write them', () => {
  test.each([
    ['2 business days', { amount: 2, unit: 'day' }],
    ['1 business day', { amount: 1, unit: 'day' }],
    ['4 business hours', { amount: 4, unit: 'hour' }],
    [' 1.5 Business Hours ', { amount: 1.5, unit: 'hour' }],
    ['30 business minutes', { amount: 30, unit: 'minute' }],
  ])('%p', (text, expected) => expect(parseBusinessDuration(text)).toEqual(expected));

  test.each(['2d', '2 days', 'P2D', 'business days', '2 business weeks', '2 busines days', 48])('%p is not one', (text) => {
    expect(parseBusinessDuration(text)).toBeUndefined();
  });
});

describe('adding business time (Colombia, America/Bogota, UTC-5 all year)', () => {
  test('within one working day', () => {
    expect(iso(addBusinessTime(CO, at('2026-03-05T10:00:00-05:00'), hours(4)))).toBe(iso(at('2026-03-05T14:00:00-05:00')));
  });

  test('crossing the close of the day carries the rest to the next opening', () => {
    // Thursday 16:00 + 4 h: 2 h on Thursday, 2 h from Friday 08:00.
    expect(iso(addBusinessTime(CO, at('2026-03-05T16:00:00-05:00'), hours(4)))).toBe(iso(at('2026-03-05T16:00:00-05:00') + 18 * HOUR));
    expect(iso(addBusinessTime(CO, at('2026-03-05T16:00:00-05:00'), hours(4)))).toBe(iso(at('2026-03-06T10:00:00-05:00')));
  });

  test('before or after working hours, counting starts at the next opening', () => {
    expect(iso(addBusinessTime(CO, at('2026-03-05T06:00:00-05:00'), hours(1)))).toBe(iso(at('2026-03-05T09:00:00-05:00')));
    expect(iso(addBusinessTime(CO, at('2026-03-05T19:00:00-05:00'), hours(4)))).toBe(iso(at('2026-03-06T12:00:00-05:00')));
  });

  test('the weekend does not count', () => {
    // Friday 17:00 + 1 business day: 1 h on Friday, 9 h on Monday.
    expect(iso(addBusinessTime(CO, at('2026-03-06T17:00:00-05:00'), days(1)))).toBe(iso(at('2026-03-09T17:00:00-05:00')));
    // Opened on Saturday: the whole of Monday.
    expect(iso(addBusinessTime(CO, at('2026-03-07T11:00:00-05:00'), days(1)))).toBe(iso(at('2026-03-09T18:00:00-05:00')));
  });

  test('a day that fills exactly ends at the close, not at the next opening', () => {
    expect(iso(addBusinessTime(CO, at('2026-03-09T08:00:00-05:00'), days(1)))).toBe(iso(at('2026-03-09T18:00:00-05:00')));
  });

  test('public holidays do not count: San José (Monday 23 March 2026) and Holy Week', () => {
    expect(isPublicHoliday('CO', '2026-03-23')).toBe(true);
    // Friday 10:00 + 2 business days: Friday 8 h, Monday is a holiday, Tuesday 10 h, Wednesday 2 h.
    expect(iso(addBusinessTime(CO, at('2026-03-20T10:00:00-05:00'), days(2)))).toBe(iso(at('2026-03-25T10:00:00-05:00')));
    // Wednesday 1 April 17:00 + 1 business day: Holy Thursday and Good Friday, then the weekend.
    expect(iso(addBusinessTime(CO, at('2026-04-01T17:00:00-05:00'), days(1)))).toBe(iso(at('2026-04-06T17:00:00-05:00')));
  });

  test('a zone without daylight saving keeps the same wall-clock hour all year', () => {
    for (const month of ['01', '04', '07', '10']) {
      const from = at(`2026-${month}-14T09:30:00-05:00`);
      const due = addBusinessTime(CO, from, days(1));
      expect(new Date(due).getUTCHours() * 60 + new Date(due).getUTCMinutes()).toBe(14 * 60 + 30);
    }
  });

  test('a long span: Colombia 2026 has 242 working days (365 − 104 weekend days − 19 weekday holidays)', () => {
    const yearStart = at('2026-01-01T00:00:00-05:00');
    const yearEnd = at('2027-01-01T00:00:00-05:00');
    expect(businessTimeBetween(CO, yearStart, yearEnd)).toBe(242 * 10 * HOUR);
    expect(iso(addBusinessTime(CO, yearStart, days(242)))).toBe(iso(at('2026-12-31T18:00:00-05:00')));
    // 500 business days and back.
    const due = addBusinessTime(CO, yearStart, days(500));
    expect(inBusinessDays(CO, businessTimeBetween(CO, yearStart, due))).toBe(500);
  });
});

describe('other countries', () => {
  test('Bolivia (America/La_Paz, UTC-4): 22 January is a public holiday', () => {
    expect(iso(addBusinessTime(BO, at('2026-01-21T12:00:00-04:00'), days(1)))).toBe(iso(at('2026-01-23T12:00:00-04:00')));
  });

  test('Chile (America/Santiago) counts working hours in local time across the end of daylight saving', () => {
    // Thursday 2 April 10:00 (UTC-3) + 2 business days: Thursday 8 h, Good Friday, the weekend (clocks go
    // back on Sunday 5 April), Monday 10 h, Tuesday 2 h → Tuesday 10:00 local, now UTC-4.
    expect(iso(addBusinessTime(CL, at('2026-04-02T10:00:00-03:00'), days(2)))).toBe(iso(at('2026-04-07T10:00:00-04:00')));
  });

  test('Chile: the 31 December bank holiday is a working day (only public holidays close offices)', () => {
    expect(iso(addBusinessTime(CL, at('2026-12-30T10:00:00-03:00'), days(1)))).toBe(iso(at('2026-12-31T10:00:00-03:00')));
  });
});

test('the day cache never changes an answer, across both daylight-saving changes of Santiago', () => {
  // CL reuses its cached days; each fresh copy of it starts with none.
  for (let from = at('2026-03-30T00:00:00-03:00'); from < at('2026-09-20T00:00:00-04:00'); from += 37 * 3_600_000 + 11 * 60_000) {
    for (const d of [hours(3), days(2)]) expect(addBusinessTime(CL, from, d)).toBe(addBusinessTime({ ...CL }, from, d));
  }
});

describe('business time between two instants', () => {
  test('counts only working hours of working days', () => {
    expect(businessTimeBetween(CO, at('2026-03-06T17:00:00-05:00'), at('2026-03-09T09:00:00-05:00'))).toBe(2 * HOUR);
    expect(businessTimeBetween(CO, at('2026-03-20T10:00:00-05:00'), at('2026-03-25T10:00:00-05:00'))).toBe(20 * HOUR);
    expect(inBusinessDays(CO, businessTimeBetween(CO, at('2026-03-20T10:00:00-05:00'), at('2026-03-25T10:00:00-05:00')))).toBe(2);
  });

  test('nothing on a weekend, and nothing when the end is not after the start', () => {
    expect(businessTimeBetween(CO, at('2026-03-07T08:00:00-05:00'), at('2026-03-08T20:00:00-05:00'))).toBe(0);
    expect(businessTimeBetween(CO, at('2026-03-09T10:00:00-05:00'), at('2026-03-09T10:00:00-05:00'))).toBe(0);
    expect(businessTimeBetween(CO, at('2026-03-09T10:00:00-05:00'), at('2026-03-06T10:00:00-05:00'))).toBe(0);
  });

  test('is the inverse of adding business time', () => {
    const from = at('2026-06-12T15:45:00-05:00');
    for (const d of [hours(1), hours(7.5), days(1), days(3), days(20)]) {
      const due = addBusinessTime(CO, from, d);
      expect(businessTimeBetween(CO, from, due)).toBe(d.unit === 'day' ? d.amount * 10 * HOUR : d.amount * HOUR);
    }
  });
});

describe('the calendar catalog', () => {
  test('definitions/calendars.yaml holds CO, CL and BO, 08:00–18:00 in their zones', () => {
    expect(loadCalendarCatalog()).toEqual([CO, CL, BO]);
  });

  test('a bad entry is refused naming each problem', () => {
    const { calendar, problems } = readCalendarSpec({ id: 'XX', country: 'XX', timeZone: 'Mars/Olympus', hours: { start: '18:00', end: '08:00' }, weekend: ['caturday'] });
    expect(calendar).toBeUndefined();
    expect(problems).toEqual([
      "country 'XX' is not a country date-holidays knows (ISO 3166-1 alpha-2, e.g. CO)",
      "timeZone 'Mars/Olympus' is not an IANA time zone (e.g. America/Bogota)",
      'hours: start 18:00 must be before end 08:00',
      'weekend must list weekday names (monday … sunday), got caturday',
    ]);
  });
});
