/**
 * Plain paths (`=email`, `=client.name`) are read without JSONata (workflows/expressions.ts): the
 * result, and the evaluation steps counted against the activation's budget, must be JSONata's.
 */
import jsonata from 'jsonata';
import { beginActivation, compileExpression, EXPRESSION_BUDGET, evaluateExpression, ExpressionError, readPlainPaths, resolveValue } from '../../../workflows/expressions';

const context = {
  email: 'ana@panaderia.cl',
  client: { name: 'Panadería Ana', address: { city: 'Temuco' }, tags: ['a', 'b'], none: null },
  items: [{ name: 'x' }, { name: 'y' }],
  single: [{ name: 'only' }],
  zero: 0,
  empty: '',
  no: false,
};

beforeEach(() => beginActivation());

/** As the value travels (activity input, workflow state): JSONata's sequences are arrays with a flag. */
const asJson = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

describe('a plain path gives what JSONata gives', () => {
  test.each([
    'email',
    'client.name',
    'client.address.city',
    'client.address',
    'client.none',
    'client.missing',
    'missing',
    'missing.deeper',
    'client.tags',
    'items.name',
    'single.name',
    'zero',
    'empty',
    'no',
    'true',
    'null',
    'constructor',
    'client.toString',
    'email.length',
  ])('%s', async (src) => {
    const expected = await jsonata(src).evaluate(context);
    expect(asJson(await evaluateExpression(`=${src}`, context))).toEqual(asJson(expected));
  });

  test('inside a literal input, as resolveValue reads it', async () => {
    const input = { channel: 'email', to: '=email', city: '=client.address.city', names: ['=items.name', 'fixed'], n: 3 };
    expect(asJson(await resolveValue(input, context))).toEqual({ channel: 'email', to: context.email, city: 'Temuco', names: [['x', 'y'], 'fixed'], n: 3 });
  });
});

describe("the activation's budget counts a plain path as JSONata does (the path and each name)", () => {
  const perRead = 2; // `=email`: the path node and one name
  const reads = EXPRESSION_BUDGET.activationSteps / perRead;

  test('the read that passes the budget fails, as with JSONata', async () => {
    for (let i = 0; i < reads; i++) await evaluateExpression('=email', context);
    await expect(evaluateExpression('=email', context)).rejects.toMatchObject({ code: 'ExpressionBudgetExceeded' });
  });

  test('plain paths and JSONata expressions share it', async () => {
    // `email & ""`: a binary node, a path, a name and a string: 4 steps, counted by JSONata.
    for (let i = 0; i < reads - 2; i++) await evaluateExpression('=email', context);
    await evaluateExpression('=email & ""', context);
    const err = await evaluateExpression('=email', context).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExpressionError);
    expect((err as ExpressionError).code).toBe('ExpressionBudgetExceeded');
  });

  test('an input of plain paths is counted in one go, and over the budget is refused', async () => {
    for (let i = 0; i < reads - 1; i++) await evaluateExpression('=email', context);
    await expect(resolveValue({ a: '=email', b: '=email' }, context, undefined, '/steps/notify/input')).rejects.toMatchObject({
      code: 'ExpressionBudgetExceeded',
      path: '/steps/notify/input/b',
    });
  });
});

test('runs recorded before the fewer-promises patch read every expression through JSONata', async () => {
  const evaluate = jest.spyOn(compileExpression('=email'), 'evaluate');
  try {
    await evaluateExpression('=email', context);
    expect(evaluate).not.toHaveBeenCalled();
    readPlainPaths(false);
    expect(await evaluateExpression('=email', context)).toBe(context.email);
    expect(await resolveValue({ to: '=email' }, context)).toEqual({ to: context.email });
    expect(evaluate).toHaveBeenCalledTimes(2);
  } finally {
    readPlainPaths(true);
    evaluate.mockRestore();
  }
});
