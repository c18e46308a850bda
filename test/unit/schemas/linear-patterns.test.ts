/**
 * Patterns in administrators' schemas run in linear time in every validator that evaluates them: the
 * API's ajv (start variables), deploy (examples against their schema), the workflow's task forms and
 * the UI's rjsf validator. `^(a+)+$` against `aaaa…!` doubles its cost with each character on a
 * backtracking engine: with 5,000 characters it never returns. Each call runs in a worker thread
 * (test/support/in-thread.ts) so that a validator that backtracks fails the test instead of hanging it.
 */
import { callInThread } from '../../support/in-thread';
import { validateDefinitionSource } from '../../../lib/definitions/validate';

const VALIDATORS = require.resolve('./validators');
const EVIL = '^(a+)+$';
const attack = 'a'.repeat(5_000) + '!';
const call = <T>(name: string, ...args: unknown[]) => callInThread<T>(VALIDATORS, name, args);

const withPattern = { type: 'object', properties: { code: { type: 'string', pattern: EVIL } } };
const withPatternProperties = { type: 'object', patternProperties: { [EVIL]: { type: 'number' } } };

describe('a catastrophic pattern neither blocks nor changes meaning', () => {
  test('API (start variables)', async () => {
    await expect(call('apiAccepts', withPattern, { code: attack })).resolves.toBe(false);
    await expect(call('apiAccepts', withPattern, { code: 'aaaa' })).resolves.toBe(true);
    await expect(call('apiAccepts', withPatternProperties, { [attack]: 'not a number' })).resolves.toBe(true);
    await expect(call('apiAccepts', withPatternProperties, { aaa: 'not a number' })).resolves.toBe(false);
  });

  test('deploy (examples checked against the variables schema)', async () => {
    const source = [
      'id: evil-pattern',
      'name: Evil pattern',
      'roles: [sales]',
      'variables:',
      '  type: object',
      '  properties:',
      `    code: { type: string, pattern: "${EVIL}" }`,
      `  examples: [{ code: "${attack}" }]`,
      'start: done',
      'steps:',
      '  done: { type: end }',
    ].join('\n');
    const problems = await call<string[]>('deployProblems', source);
    expect(problems).toEqual([expect.stringMatching(/example 0 does not match the variables schema: \/code must match pattern/)]);
  });

  test('workflow (task form data)', async () => {
    await expect(call('workflowProblems', withPattern, { code: attack })).resolves.toEqual([`/code: String does not match pattern "${EVIL}".`]);
    await expect(call('workflowProblems', withPattern, { code: 'aaa' })).resolves.toEqual([]);
    await expect(call('workflowProblems', withPatternProperties, { [attack]: 'text', aaa: 'text' })).resolves.toEqual([
      '/aaa: Instance type "string" is invalid. Expected "number".',
    ]);
  });

  test('UI (rjsf validator)', async () => {
    await expect(call('uiAccepts', withPattern, { code: attack })).resolves.toBe(false);
    await expect(call('uiAccepts', withPattern, { code: 'aaaa' })).resolves.toBe(true);
    await expect(call('uiAccepts', withPatternProperties, { [attack]: 'x' })).resolves.toBe(true);
  });
});

describe('deploy refuses a pattern a linear-time engine cannot run, where it is written', () => {
  test('a backreference in `pattern` and a lookahead in `patternProperties`, with line and column', () => {
    const source = [
      'id: unsupported-pattern',
      'name: Unsupported pattern',
      'roles: [sales]',
      'variables:',
      '  type: object',
      '  properties:',
      '    twice: { type: string, pattern: "^(a)\\\\1$" }',
      '  patternProperties:',
      '    "^(?=x)": { type: string }',
      '  examples: [{}]',
      'start: review',
      'steps:',
      '  review:',
      '    type: userTask',
      '    title: Review',
      '    roles: [sales]',
      '    form:',
      '      type: object',
      '      properties:',
      '        tag: { type: string, pattern: "(?<!x)y" }',
      '    outcomes: { done: { next: done } }',
      '  done: { type: end }',
    ];
    const { definition, errors } = validateDefinitionSource(source.join('\n'), 'unsupported.yaml', { activities: [], roles: ['sales'] });
    expect(definition).toBeUndefined();
    /** 1-based line and column where `text` starts. */
    const at = (text: string) => {
      const line = source.findIndex((l) => l.includes(text));
      return { line: line + 1, column: source[line].indexOf(text) + 1 };
    };
    expect(errors.map(({ line, column, path }) => ({ line, column, path }))).toEqual([
      { ...at('"^(a)'), path: '/variables/properties/twice/pattern' },
      { ...at('"^(?=x)"'), path: '/variables/patternProperties/^(?=x)' },
      { ...at('"(?<!x)y"'), path: '/steps/review/form/properties/tag/pattern' },
    ]);
    for (const e of errors) expect(e.message).toMatch(/cannot be matched in linear time/);
  });
});
