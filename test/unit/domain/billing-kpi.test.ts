import { billingKpi, monthAt, monthBounds, shiftMonth } from '../../../domain/billing/kpi';

describe('billingKpi', () => {
  test('98 % of last month exactly is APPROVED; a centavo less is OBSERVED', () => {
    expect(billingKpi(98_000n, 100_000n)).toEqual({ ratio: 98, verdict: 'APPROVED' });
    expect(billingKpi(97_999n, 100_000n)).toEqual({ ratio: 97.99, verdict: 'OBSERVED' });
    expect(billingKpi(150_000n, 100_000n)).toEqual({ ratio: 150, verdict: 'APPROVED' });
  });

  test('the ratio is rounded down to two decimals, from integers, so it never shows 98.00 on an OBSERVED month', () => {
    expect(billingKpi(1n, 3n).ratio).toBe(33.33);
    expect(billingKpi(2n, 3n).ratio).toBe(66.66);
    expect(billingKpi(147_049n, 150_050n)).toEqual({ ratio: 98, verdict: 'APPROVED' });
    expect(billingKpi(147_048n, 150_050n)).toEqual({ ratio: 97.99, verdict: 'OBSERVED' });
    // 12345 / 80000 = 15.43125 %
    expect(billingKpi(12_345n, 80_000n).ratio).toBe(15.43);
    // Beyond Number's exact range, still exact: 98 % of 2^60.
    const big = 2n ** 60n;
    expect(billingKpi((big * 98n) / 100n + 1n, big).verdict).toBe('APPROVED');
  });

  test('with no billing the month before there is no ratio: a month that billed is APPROVED, one that did not is OBSERVED', () => {
    expect(billingKpi(5_000n, 0n)).toEqual({ ratio: null, verdict: 'APPROVED' });
    expect(billingKpi(0n, 0n)).toEqual({ ratio: null, verdict: 'OBSERVED' });
    expect(billingKpi(0n, 5_000n)).toEqual({ ratio: 0, verdict: 'OBSERVED' });
  });
});

describe('months in Bolivia', () => {
  test('a month runs from 00:00 on its first day in La Paz (UTC-4) to the next month', () => {
    expect(monthBounds('2026-03')).toEqual({ start: new Date('2026-03-01T04:00:00Z'), end: new Date('2026-04-01T04:00:00Z') });
    expect(monthAt(new Date('2026-04-01T03:30:00Z'))).toBe('2026-03');
    expect(monthAt(new Date('2026-04-01T04:00:00Z'))).toBe('2026-04');
  });

  test('shifting crosses years both ways', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-03', -12)).toBe('2025-03');
  });
});
