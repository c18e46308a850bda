import { MAX_DEPTH, valueProblems } from '../../lib/value-checks';

describe('valueProblems', () => {
  test('ordinary values, emoji and the deepest allowed nesting pass', () => {
    let deep: unknown = 'leaf';
    // With the root object, MAX_DEPTH objects in all.
    for (let i = 0; i < MAX_DEPTH - 1; i++) deep = { a: deep };
    expect(valueProblems({ name: 'Panadería 😀', n: -1.5e300, list: [1, null, true], deep })).toEqual([]);
  });

  test('names each problem by its JSON pointer, escaping ~ and /', () => {
    expect(valueProblems({ 'a/b': { 'c~d': [Infinity, NaN, 'x\uD800'] } })).toEqual([
      { path: '/a~1b/c~0d/0', message: expect.stringContaining('finite') },
      { path: '/a~1b/c~0d/1', message: expect.stringContaining('finite') },
      { path: '/a~1b/c~0d/2', message: expect.stringContaining('surrogate') },
    ]);
    expect(valueProblems('\uDC00')).toEqual([{ path: '', message: expect.stringContaining('surrogate') }]);
  });

  test('a value far too deep for recursion is reported once, without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(valueProblems(deep)).toEqual([{ path: '/0'.repeat(MAX_DEPTH), message: `is nested more than ${MAX_DEPTH} levels deep` }]);
  });

  test('stops after `limit` problems', () => {
    expect(valueProblems(Array(1_000).fill(Infinity), 5)).toHaveLength(5);
  });
});
