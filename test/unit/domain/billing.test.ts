/** What a digital account owes and whether a payment pays it (domain/billing). */
import { billFor, gatewayPaymentMismatch, linesMismatch, paymentMismatch } from '../../../domain/billing';

const pyme = { planCode: 'trial-pyme', basePrice: 29990, firstInvoiced: false };

describe('billFor', () => {
  test('before the first invoice: the first period of the plan plus each unpaid module, in order', () => {
    expect(billFor(pyme, [{ moduleCode: 'remuneraciones', price: 9990 }, { moduleCode: 'inventario', price: 4990 }])).toEqual({
      kind: 'first-period',
      description: 'Primer periodo plan trial-pyme',
      lines: [
        { description: 'Plan trial-pyme: primer periodo', moduleCode: null, amount: 29990 },
        { description: 'Módulo remuneraciones', moduleCode: 'remuneraciones', amount: 9990 },
        { description: 'Módulo inventario', moduleCode: 'inventario', amount: 4990 },
      ],
      due: 44970,
    });
  });

  test('after the first invoice every sale is an upgrade: the modules only', () => {
    const bill = billFor({ ...pyme, firstInvoiced: true }, [{ moduleCode: 'inventario', price: 4990 }]);
    expect(bill).toMatchObject({ kind: 'upgrade', description: 'Upgrade de módulos', due: 4990 });
    expect(bill.lines).toHaveLength(1);
  });

  test('a $0 plan adds no line, and nothing unpaid leaves nothing due', () => {
    expect(billFor({ planCode: 'freemium', basePrice: 0, firstInvoiced: false }, [])).toMatchObject({ kind: 'first-period', lines: [], due: 0 });
    expect(billFor({ ...pyme, firstInvoiced: true }, [])).toMatchObject({ kind: 'upgrade', lines: [], due: 0 });
  });
});

describe('paymentMismatch', () => {
  const bill = { due: 44970, currency: 'CLP' };

  test('the exact amount in the account currency pays the bill; currency codes are case-insensitive', () => {
    expect(paymentMismatch({ amount: 44970, currency: 'CLP' }, bill)).toBeNull();
    expect(paymentMismatch({ amount: 44970, currency: 'clp' }, bill)).toBeNull();
  });

  test('amounts within half a cent are the same amount; more is a mismatch either way', () => {
    expect(paymentMismatch({ amount: 19.99, currency: 'USD' }, { due: 9.99 + 10, currency: 'USD' })).toBeNull();
    expect(paymentMismatch({ amount: 44970.004, currency: 'CLP' }, bill)).toBeNull();
    expect(paymentMismatch({ amount: 44970.01, currency: 'CLP' }, bill)).toBe('amount');
    expect(paymentMismatch({ amount: 44969, currency: 'CLP' }, bill)).toBe('amount');
    expect(paymentMismatch({ amount: 0, currency: 'CLP' }, bill)).toBe('amount');
  });

  test('another currency is refused before the amount is looked at', () => {
    expect(paymentMismatch({ amount: 44970, currency: 'USD' }, bill)).toBe('currency');
    expect(paymentMismatch({ amount: 1, currency: 'USD' }, bill)).toBe('currency');
  });
});

describe('linesMismatch', () => {
  const line = (amount: number) => ({ description: 'x', moduleCode: null, amount });
  test('lines that add up to the amount, in cents, pass; others say both sums', () => {
    expect(linesMismatch(0.3, [line(0.1), line(0.2)])).toBeNull();
    expect(linesMismatch(1190, [])).toBeNull();
    expect(linesMismatch(1190, [line(1000), line(189.99)])).toBe('its lines add up to 1189.99, not its amount 1190.00');
  });
});

describe('gatewayPaymentMismatch', () => {
  const due = { amountMinor: 5_938_100, currency: 'COP' };
  it('pays only the exact amount, in the invoice currency (any case)', () => {
    expect(gatewayPaymentMismatch({ amountMinor: 5_938_100, currency: 'cop' }, due)).toBeNull();
    expect(gatewayPaymentMismatch({ amountMinor: 5_938_099, currency: 'COP' }, due)).toBe('paid 5938099 minor units, the invoice is for 5938100');
    expect(gatewayPaymentMismatch({ amountMinor: 5_938_100, currency: 'USD' }, due)).toBe('paid in USD, the invoice is in COP');
  });
});
