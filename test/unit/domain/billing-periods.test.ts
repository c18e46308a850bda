/** Calendar-month billing periods (domain/billing/periods). */
import { BILLING_ZONES, billingPeriod, periodAt, periodKey, periodStart } from '../../../domain/billing';

const local = (d: Date, zone: string) => d.toLocaleString('sv-SE', { timeZone: zone });

describe('billing periods', () => {
  const zone = BILLING_ZONES.CO; // no daylight saving: instants are easy to read
  const jan31 = new Date('2027-01-31T15:00:00-05:00');

  test('a start on the 31st bills on the last day of February, then on the 31st again in March', () => {
    expect(local(periodStart(jan31, 1, zone), zone)).toBe('2027-02-28 15:00:00');
    expect(local(periodStart(jan31, 2, zone), zone)).toBe('2027-03-31 15:00:00');
    expect(local(periodStart(jan31, 3, zone), zone)).toBe('2027-04-30 15:00:00');
    expect(local(periodStart(jan31, 4, zone), zone)).toBe('2027-05-31 15:00:00');
  });

  test('leap years: the 29th of February exists in 2028, not in 2027; a start on Feb 29 bills on the 29th where it can', () => {
    expect(local(periodStart(new Date('2028-01-31T10:00:00-05:00'), 1, zone), zone)).toBe('2028-02-29 10:00:00');
    expect(local(periodStart(new Date('2027-01-29T10:00:00-05:00'), 1, zone), zone)).toBe('2027-02-28 10:00:00');
    expect(local(periodStart(new Date('2028-01-29T10:00:00-05:00'), 1, zone), zone)).toBe('2028-02-29 10:00:00');
    const feb29 = new Date('2028-02-29T10:00:00-05:00');
    expect(local(periodStart(feb29, 1, zone), zone)).toBe('2028-03-29 10:00:00');
    expect(local(periodStart(feb29, 12, zone), zone)).toBe('2029-02-28 10:00:00');
    expect(local(periodStart(feb29, 48, zone), zone)).toBe('2032-02-29 10:00:00');
  });

  test('the 30th: February is clamped, the other months keep the 30th', () => {
    const jan30 = new Date('2027-01-30T09:00:00-05:00');
    expect([1, 2, 3].map((n) => local(periodStart(jan30, n, zone), zone))).toEqual(['2027-02-28 09:00:00', '2027-03-30 09:00:00', '2027-04-30 09:00:00']);
  });

  test('periods are contiguous: each ends where the next starts', () => {
    for (let n = 0; n < 24; n++) expect(billingPeriod(jan31, n, zone).end).toEqual(billingPeriod(jan31, n + 1, zone).start);
  });

  test("months are counted on the account's wall clock: Chile's daylight saving change does not move the local time", () => {
    const cl = BILLING_ZONES.CL;
    // Chile leaves summer time in April: the local hour stays 00:30, the UTC offset changes.
    const mar15 = new Date('2027-03-15T00:30:00-03:00');
    const next = periodStart(mar15, 1, cl);
    expect(local(next, cl)).toBe('2027-04-15 00:30:00');
    expect(next.getTime() - mar15.getTime()).toBe(31 * 24 * 3600_000 + 3600_000);
  });

  test('the same instant falls on different local days in CL, CO and BO: the period key is the local day', () => {
    const anchor = new Date('2027-01-31T02:30:00Z'); // Jan 30 in Bogotá and La Paz, Jan 30 23:30 in Santiago (summer, -03)
    expect(periodKey(billingPeriod(anchor, 1, BILLING_ZONES.CL), BILLING_ZONES.CL)).toBe('2027-02-28');
    expect(periodKey(billingPeriod(anchor, 1, BILLING_ZONES.CO), BILLING_ZONES.CO)).toBe('2027-02-28');
    expect(periodKey(billingPeriod(anchor, 2, BILLING_ZONES.CO), BILLING_ZONES.CO)).toBe('2027-03-30');
    expect(periodKey(billingPeriod(anchor, 2, BILLING_ZONES.CL), BILLING_ZONES.CL)).toBe('2027-03-30');
  });

  test('periodAt finds the period holding an instant, including the clamped ones', () => {
    expect(periodAt(jan31, new Date('2027-03-01T00:00:00-05:00'), zone).index).toBe(1);
    expect(periodAt(jan31, new Date('2027-03-31T14:59:59-05:00'), zone).index).toBe(1);
    expect(periodAt(jan31, new Date('2027-03-31T15:00:00-05:00'), zone).index).toBe(2);
    expect(periodAt(jan31, new Date('2026-12-01T00:00:00-05:00'), zone).index).toBe(0);
  });

  test('bad input is refused with what is wrong', () => {
    expect(() => periodStart(jan31, -1)).toThrow('period index must be a whole number >= 0, not -1');
    expect(() => periodStart(jan31, 1, 'Mars/Olympus')).toThrow('unknown time zone Mars/Olympus');
  });
});
