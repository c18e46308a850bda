import { parseWorkflowId, workflowIdOf } from '../../../workflows/workflow-ids';

test('a workflow id is <definitionId>/<businessKey>, readable as it is for plain keys', () => {
  expect(workflowIdOf('trial-lifecycle', '3f1c0a4e-2b7d-4c1e-9a55-0c1d2e3f4a5b')).toBe('trial-lifecycle/3f1c0a4e-2b7d-4c1e-9a55-0c1d2e3f4a5b');
});

test.each([
  ['a/b', 'x/a%2Fb'],
  ['100%', 'x/100%25'],
  ['%2F', 'x/%252F'],
  ['', 'x/'],
  ['ñandú 76.086.428-5', 'x/ñandú 76.086.428-5'],
])('the key %j is escaped so the first slash always ends the definition id (%s), and parses back', (key, id) => {
  expect(workflowIdOf('x', key)).toBe(id);
  expect(parseWorkflowId(id)).toEqual({ definitionId: 'x', businessKey: key });
});

test('keys that differ give ids that differ', () => {
  const keys = ['a/b', 'a%2Fb', 'a%252Fb', 'a', 'a/'];
  expect(new Set(keys.map((k) => workflowIdOf('d', k))).size).toBe(keys.length);
});

test('an id without a definition part is not a business-key id', () => {
  expect(parseWorkflowId('3f1c0a4e-2b7d-4c1e-9a55-0c1d2e3f4a5b')).toBeNull();
  expect(parseWorkflowId('/key')).toBeNull();
});
