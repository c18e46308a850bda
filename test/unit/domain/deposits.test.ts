import { depositMismatches, matchDeposit, parseMinor, parseStatementRow, sameName, type StatementLine } from '../../../domain/residential';

const receipt = { depositNumber: 'DEP-1', amountMinor: 27_900, depositedOn: '2026-11-30', operationType: 'transfer', depositor: 'Ana Rojas Quiroga' };
const line = (over: Partial<StatementLine> = {}): StatementLine => ({ id: 'l1', ...receipt, ...over });

test('amounts are parsed to minor units exactly, and only with a dot and at most two decimals', () => {
  expect(parseMinor('279')).toBe(27_900);
  expect(parseMinor('279.5')).toBe(27_950);
  expect(parseMinor(' 0.07 ')).toBe(7);
  expect(parseMinor('1234567.89')).toBe(123_456_789);
  for (const bad of ['1.234,50', '12.345', '-5', '', 'abc', '1e3']) expect(parseMinor(bad)).toBeNull();
});

test('depositor names compare without case, accents or extra spaces', () => {
  expect(sameName('  ANA  Rojas quiroga', 'Ána Rojas Quiroga')).toBe(true);
  expect(sameName('Ana Rojas', 'Ana Rojas Quiroga')).toBe(false);
});

test('one line that agrees on everything is matched; a deposit that paid for another sale is never auto-matched, line or no line', () => {
  expect(matchDeposit(receipt, [line()], 'sale-1', null)).toEqual({ kind: 'matched', line: line() });
  expect(matchDeposit(receipt, [line()], 'sale-1', 'sale-1').kind).toBe('matched');
  expect(matchDeposit(receipt, [line()], 'sale-1', 'sale-9')).toEqual({ kind: 'ambiguous', reason: 'deposit DEP-1 already confirmed sale sale-9' });
  // Collections confirmed it for sale-9 before any statement had it.
  expect(matchDeposit(receipt, [], 'sale-1', 'sale-9')).toEqual({ kind: 'ambiguous', reason: 'deposit DEP-1 already confirmed sale sale-9' });
  expect(matchDeposit(receipt, [line(), line({ id: 'l2' })], 'sale-1', null)).toEqual({ kind: 'ambiguous', reason: '2 statement lines carry deposit number DEP-1' });
  expect(matchDeposit(receipt, [], 'sale-1', null)).toEqual({ kind: 'not-found' });
});

test('a line that says otherwise is a mismatch naming each field', () => {
  const other = line({ amountMinor: 27_000, depositedOn: '2026-11-29', operationType: 'qr', depositor: 'Juan Pérez' });
  expect(depositMismatches(receipt, other)).toEqual([
    'amount: the statement says BOB 270.00, the receipt BOB 279.00',
    'date: the statement says 2026-11-29, the receipt 2026-11-30',
    'operation type: the statement says qr, the receipt transfer',
    'depositor: the statement says Juan Pérez, the receipt Ana Rojas Quiroga',
  ]);
  expect(matchDeposit(receipt, [other], 'sale-1', null)).toMatchObject({ kind: 'mismatch', mismatches: expect.arrayContaining([expect.stringMatching(/^amount/)]) });
});

test('a statement row is read with its amount in minor units, or refused naming each column', () => {
  expect(parseStatementRow({ date: '2026-11-30', amount: '279.00', deposit_number: ' DEP-1 ', operation_type: 'Transfer', depositor: 'Ana Rojas' })).toEqual({
    row: { depositedOn: '2026-11-30', amountMinor: 27_900, depositNumber: 'DEP-1', operationType: 'transfer', depositor: 'Ana Rojas' },
  });
  expect(parseStatementRow({ date: '2026-02-30', amount: '1.234,50', deposit_number: '', operation_type: 'cheque', depositor: '' })).toEqual({
    reasons: [
      'date: must be a day written YYYY-MM-DD (got "2026-02-30")',
      'amount: must be a positive amount with a dot and at most two decimals, e.g. 279.00 (got "1.234,50")',
      'deposit_number: is required (at most 50 characters)',
      'operation_type: must be one of transfer, deposit, qr (got "cheque")',
      'depositor: is required (at most 200 characters)',
    ],
  });
  expect(parseStatementRow({ date: '2026-11-30', amount: '0.00', deposit_number: 'D', operation_type: 'qr', depositor: 'X' })).toMatchObject({ reasons: [expect.stringMatching(/^amount/)] });
});
