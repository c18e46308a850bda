import { compactTaxId, portfolioStanding, type PortfolioInvoice } from '../../../domain/billing/portfolio';

const NOW = new Date('2026-06-15T12:00:00Z');
const invoice = (over: Partial<PortfolioInvoice>): PortfolioInvoice => ({
  number: 1, description: 'renewal', amount: 89900, currency: 'COP', dueAt: '2026-06-01T00:00:00Z', paidAt: null, ...over,
});

describe('portfolioStanding', () => {
  test('nothing open is clear', () => {
    expect(portfolioStanding([], [], NOW)).toMatchObject({ clear: true, overdueInvoices: [], owed: [], summary: 'nothing owed' });
  });

  test('an invoice not yet due, a paid one and one with no due date are not owed', () => {
    const standing = portfolioStanding([
      invoice({ number: 1, dueAt: '2026-07-01T00:00:00Z' }),
      invoice({ number: 2, paidAt: '2026-06-02T00:00:00Z' }),
      invoice({ number: 3, dueAt: null }),
    ], [{ subscriptionId: 's1', planCode: null, status: 'active' }], NOW);
    expect(standing.clear).toBe(true);
  });

  test('overdue invoices are summed per currency, oldest first, and a suspended subscription is owed too', () => {
    const standing = portfolioStanding([
      invoice({ number: 7, dueAt: '2026-06-10T00:00:00Z', amount: 89900.1 }),
      invoice({ number: 5, dueAt: '2026-05-10T00:00:00Z', amount: 89900.2 }),
      invoice({ number: 6, dueAt: '2026-05-20T00:00:00Z', amount: 10, currency: 'USD' }),
    ], [
      { subscriptionId: 's1', planCode: null, status: 'suspended' },
      { subscriptionId: 's2', planCode: 'pro', status: 'active' },
    ], NOW);
    expect(standing.clear).toBe(false);
    expect(standing.overdueInvoices.map((i) => i.number)).toEqual([5, 6, 7]);
    expect(standing.owed).toEqual([{ currency: 'COP', amount: 179800.3 }, { currency: 'USD', amount: 10 }]);
    expect(standing.suspendedSubscriptions).toEqual([{ subscriptionId: 's1', planCode: null, status: 'suspended' }]);
    expect(standing.summary).toBe('3 overdue invoices (COP 179800.3, USD 10), 1 suspended subscription');
  });

  test('a suspended subscription alone is not clear', () => {
    const standing = portfolioStanding([], [{ subscriptionId: 's1', planCode: null, status: 'suspended' }], NOW);
    expect(standing).toMatchObject({ clear: false, summary: '1 suspended subscription' });
  });

  test('tax ids compare in their compact form', () => {
    expect(compactTaxId('900.123.456-8')).toBe(compactTaxId('900123456 8'));
  });
});
