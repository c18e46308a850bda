/**
 * A definition of a chosen number of steps (a chain of notifications.send activities, then an end) padded to about
 * a chosen size, for the deploy limits and responsiveness tests and bench/deploy-size.ts.
 */
export function largeDefinition(id: string, steps: number, approxBytes = 0): string {
  const activities = steps - 1;
  const head = [`id: ${id}`, `name: ${id}`, 'roles: [sales]', 'variables: { type: object, examples: [{}] }', 'start: s0', 'steps:'];
  const stepLines = (i: number, description: string) => [
    `  s${i}:`,
    '    type: activity',
    ...(description ? [`    description: ${description}`] : []),
    '    activity: notifications.send',
    `    input: { channel: email, to: "step${i}@example.com", template: step-reached, data: { step: "=$string(${i})" } }`,
    `    next: ${i + 1 < activities ? `s${i + 1}` : 'done'}`,
  ];
  const plain = [...head, ...Array.from({ length: activities }, (_, i) => stepLines(i, '')).flat(), '  done: { type: end }'].join('\n') + '\n';
  // Descriptions take up the rest: each step gets an equal share (each description line costs 18 bytes more).
  const perStep = Math.floor((approxBytes - plain.length) / activities) - 18;
  if (perStep <= 0) return plain;
  const description = 'x'.repeat(perStep);
  return [...head, ...Array.from({ length: activities }, (_, i) => stepLines(i, description)).flat(), '  done: { type: end }'].join('\n') + '\n';
}
