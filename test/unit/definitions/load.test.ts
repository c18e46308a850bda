import { loadDefinitionSource } from '../../../lib/definitions';

const source = `# a comment
id: demo
steps:
  verifyClient:
    type: userTask
    roles: [consultant, commercial-support]
    outcomes:
      found: { next: done }
  "odd/key": { type: end }
  empty:
list:
  - first
  - second
`;

describe('locate', () => {
  const loaded = loadDefinitionSource(source, 'demo.yaml');

  test('parses without errors', () => {
    expect(loaded.errors).toEqual([]);
    expect((loaded.value as { id: string }).id).toBe('demo');
  });

  test('maps a JSON pointer to the value node', () => {
    expect(loaded.locate('/id')).toEqual({ line: 2, column: 5 });
    expect(loaded.locate('/steps/verifyClient/roles/1')).toEqual({ line: 6, column: 25 });
    expect(loaded.locate('/steps/verifyClient/outcomes/found/next')).toEqual({ line: 8, column: 22 });
    expect(loaded.locate('/list/1')).toEqual({ line: 13, column: 5 });
  });

  test('can point at the key of an entry instead', () => {
    expect(loaded.locate('/steps/verifyClient', 'key')).toEqual({ line: 4, column: 3 });
    expect(loaded.locate('/steps/odd~1key', 'key')).toEqual({ line: 9, column: 3 });
  });

  test('an entry without a value points at its key', () => {
    expect(loaded.locate('/steps/empty')).toEqual({ line: 10, column: 3 });
  });

  test('a path that does not exist points at the deepest node that does', () => {
    expect(loaded.locate('/steps/verifyClient/form/type')).toEqual({ line: 5, column: 5 });
    expect(loaded.locate('')).toEqual({ line: 2, column: 1 });
  });

  test('errorAt builds a located error', () => {
    expect(loaded.errorAt('/id', 'boom')).toEqual({ file: 'demo.yaml', line: 2, column: 5, path: '/id', message: 'boom' });
  });
});

describe('YAML problems', () => {
  test('a syntax error is located, and its echoes are dropped', () => {
    const loaded = loadDefinitionSource('id: demo\nsteps:\n  a: [1, 2\n  b: 3\n', 'x.yaml');
    expect(loaded.value).toBeUndefined();
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toMatchObject({ file: 'x.yaml', line: 4, message: expect.stringContaining('YAML syntax error') });
  });

  test('every duplicate key is an error naming the key and its path', () => {
    const loaded = loadDefinitionSource('id: a\nsteps:\n  s: { type: end }\n  s: { type: end }\nid: b\n', 'x.yaml');
    expect(loaded.value).toBeUndefined();
    expect(loaded.errors).toEqual([
      { file: 'x.yaml', line: 4, column: 3, path: '/steps/s', message: "duplicate key 's'" },
      { file: 'x.yaml', line: 5, column: 1, path: '/id', message: "duplicate key 'id'" },
    ]);
  });

  test('more than one document is an error', () => {
    const loaded = loadDefinitionSource('id: a\n---\nid: b\n', 'x.yaml');
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0].line).toBe(2);
  });
});
