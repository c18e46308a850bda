import { priceLines, recurringPart, totalsProblems, type CatalogItem } from '../../../domain/estimates';

const catalog = new Map<string, CatalogItem>([
  ['kontaly-pro', { code: 'kontaly-pro', name: 'Kontaly Pro (mensual)', unitPriceMinor: 4_990_000, taxRateBp: 1900, currency: 'COP', recurring: true }],
  ['implementacion', { code: 'implementacion', name: 'Implementación', unitPriceMinor: 1_234_567, taxRateBp: 1900, currency: 'COP', recurring: false }],
  ['soporte-usd', { code: 'soporte-usd', name: 'Soporte', unitPriceMinor: 10_000, taxRateBp: 0, currency: 'USD', recurring: false }],
]);

test('each line rounds its discount and then its tax half up, once; the totals are the sums of the lines', () => {
  const priced = priceLines([{ itemCode: 'kontaly-pro', quantity: 3, discountBp: 1000 }, { itemCode: 'implementacion', quantity: 1, discountBp: 250 }], catalog, 'COP');
  if (!('lines' in priced)) throw new Error('refused');
  // 3 × 4,990,000 = 14,970,000; 10 % off = 1,497,000; net 13,473,000; 19 % = 2,559,870.
  expect(priced.lines[0]).toMatchObject({ grossMinor: 14_970_000, discountMinor: 1_497_000, netMinor: 13_473_000, taxMinor: 2_559_870, totalMinor: 16_032_870 });
  // 1,234,567 × 2.5 % = 30,864.175 → 30,864; net 1,203,703; × 19 % = 228,703.57 → 228,704.
  expect(priced.lines[1]).toMatchObject({ discountMinor: 30_864, netMinor: 1_203_703, taxMinor: 228_704, totalMinor: 1_432_407 });
  expect(priced.totals).toEqual({ grossMinor: 16_204_567, discountMinor: 1_527_864, netMinor: 14_676_703, taxMinor: 2_788_574, totalMinor: 17_465_277 });
  expect(priced.totals.netMinor + priced.totals.taxMinor).toBe(priced.totals.totalMinor);
});

test('bad lines are refused, each naming its line and field', () => {
  expect(priceLines([{ itemCode: 'nada', quantity: 1 }, { itemCode: 'soporte-usd', quantity: 1 }, { itemCode: 'kontaly-pro', quantity: 0.5 }, { itemCode: 'kontaly-pro', quantity: 1, discountBp: 12_000 }], catalog, 'COP')).toEqual({
    problems: [
      { field: 'lines/0/itemCode', message: 'no catalog item "nada"' },
      { field: 'lines/1/itemCode', message: 'soporte-usd is priced in USD, the estimate in COP' },
      { field: 'lines/2/quantity', message: 'must be a whole number from 1 to 1000000' },
      { field: 'lines/3/discountBp', message: 'must be whole basis points from 0 to 10000 (100 %)' },
    ],
  });
  expect(priceLines([], catalog, 'COP')).toEqual({ problems: [{ field: 'lines', message: 'must have 1 to 200 lines' }] });
});

test('claimed totals that do not add up are named field by field', () => {
  const priced = priceLines([{ itemCode: 'kontaly-pro', quantity: 1 }], catalog, 'COP');
  if (!('lines' in priced)) throw new Error('refused');
  expect(totalsProblems({ totalMinor: 5_938_100, taxMinor: 948_100 }, priced.totals)).toEqual([]);
  expect(totalsProblems({ totalMinor: 5_938_000 }, priced.totals)).toEqual([{ field: 'totals/totalMinor', message: '5938000 does not add up: the lines give 5938100' }]);
});

describe('recurringPart', () => {
  it('bills every month only the recurring lines, with their discount and tax', () => {
    const priced = priceLines([{ itemCode: 'kontaly-pro', quantity: 2, discountBp: 1000 }, { itemCode: 'implementacion', quantity: 1 }], catalog, 'COP');
    if (!('lines' in priced)) throw new Error('priced');
    const pro = priced.lines[0];
    expect(recurringPart(priced.lines, catalog)).toEqual({ monthlyMinor: pro.totalMinor, product: '2 × Kontaly Pro (mensual)' });
    expect(pro.totalMinor).toBe(10_688_580);
  });
  it('an estimate with no recurring line bills nothing monthly; an item gone from the catalog is not billed again', () => {
    const priced = priceLines([{ itemCode: 'implementacion', quantity: 1 }], catalog, 'COP');
    if (!('lines' in priced)) throw new Error('priced');
    expect(recurringPart(priced.lines, catalog)).toEqual({ monthlyMinor: 0, product: null });
    const pro = priceLines([{ itemCode: 'kontaly-pro', quantity: 1 }], catalog, 'COP');
    if (!('lines' in pro)) throw new Error('priced');
    expect(recurringPart(pro.lines, new Map())).toEqual({ monthlyMinor: 0, product: null });
  });
});
