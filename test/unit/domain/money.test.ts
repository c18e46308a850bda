import { decimalAmount, localMoney, plainMoney } from '../../../domain/money';

test('minor units become two decimals, exactly, for payloads and messages', () => {
  expect(decimalAmount(27900)).toBe('279.00');
  expect(decimalAmount(5)).toBe('0.05');
  expect(plainMoney(147048, 'BOB')).toBe('BOB 1470.48');
});

test("an amount shown to a person is grouped as the document's locale writes it", () => {
  expect(localMoney(5938100, 'COP', 'es-CO')).toBe('COP 59.381,00');
  expect(localMoney(123456789, 'USD', 'en-US')).toBe('USD 1,234,567.89');
});
