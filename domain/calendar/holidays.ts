/**
 * Public holidays per country, from `date-holidays` (its data ships inside the package, so the answer
 * depends only on the pinned version: no I/O, no clock). Only `public` holidays close offices: `bank`,
 * `observance` and `optional` days (e.g. Chile's 31 December bank holiday) are working days.
 */
import Holidays from 'date-holidays';

const byCountry = new Map<string, Holidays>();
const byYear = new Map<string, Set<string>>();

function holidaysOf(country: string): Holidays {
  let h = byCountry.get(country);
  if (!h) {
    if (!isKnownCountry(country)) throw new RangeError(`unknown country '${country}' (date-holidays has no calendar for it)`);
    h = new Holidays(country);
    byCountry.set(country, h);
  }
  return h;
}

/** Whether `date-holidays` knows the country (an ISO 3166-1 alpha-2 code such as CO, CL, BO). */
export function isKnownCountry(country: string): boolean {
  countries ??= new Set(Object.keys(new Holidays().getCountries()));
  return countries.has(country.toUpperCase());
}
let countries: Set<string> | undefined;

/** The country's public holidays in `year`, as local dates `YYYY-MM-DD`. */
export function publicHolidays(country: string, year: number): Set<string> {
  const key = `${country}:${year}`;
  let days = byYear.get(key);
  if (!days) {
    days = new Set(
      holidaysOf(country)
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    byYear.set(key, days);
  }
  return days;
}

/** Whether the local date `isoDate` (`YYYY-MM-DD`) is a public holiday in `country`. */
export function isPublicHoliday(country: string, isoDate: string): boolean {
  return publicHolidays(country, Number(isoDate.slice(0, 4))).has(isoDate);
}
