/**
 * The web app's diagram source (ui/src/diagram/toMermaid.ts) for every deployed definition: each
 * step, branch steps included, is a node, and each transition the YAML declares is an edge with
 * what takes it. Mermaid itself draws it in the browser test (test/e2e).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadDefinitionFile } from '../../lib/definitions';
import { CATALOG_FILES } from '../../lib/definitions/validate';
import { definitionToMermaid, escapeLabel } from '../../ui/src/diagram/toMermaid';
import { stepsById } from '../../workflows/definition';
import type { ProcessDefinition } from '../../workflows/model';
import { DEFINITIONS_DIR } from '../support/processes';

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');

const files = readdirSync(DEFINITIONS_DIR).filter((f) => f.endsWith('.yaml') && !CATALOG_FILES.includes(f));

test.each(files)('%s: every step is a node and every transition an edge', async (file) => {
  const definition = (await loadDefinitionFile(path.join(DEFINITIONS_DIR, file))).value as ProcessDefinition;
  const source = definitionToMermaid(definition);
  const lines = source.split('\n');
  expect(lines[0]).toBe('flowchart TD');
  expect(source).toContain(`start_ --> s_${definition.start}`);

  for (const [id, step] of Object.entries(stepsById(definition.steps))) {
    // The step's own node (any shape), not the join node `s_<id>_join[...]` of a parallel step.
    const node = new RegExp(`^s_${escapeRegExp(id)}[\\[({/]`);
    expect(lines.some((l) => node.test(l.trim()) && l.includes(`"${id}<br/>`))).toBe(true);
    const edgesFrom = lines.filter((l) => l.trim().startsWith(`s_${id} `) && /-\.?->/.test(l));
    const to = (target: string) => edgesFrom.filter((l) => l.endsWith(` s_${target}`));
    /** The edge's label starts with `text` (labels are quoted and escaped). */
    const labelled = (l: string, text: string) => l.includes(`|"${escapeLabel(text)}`);
    switch (step.type) {
      case 'userTask':
        for (const [name, o] of Object.entries(step.outcomes)) expect(to(o.next).some((l) => labelled(l, name))).toBe(true);
        if (step.onOverdue?.next) expect(to(step.onOverdue.next).some((l) => l.includes('overdue') && l.includes('-.->'))).toBe(true);
        // Interrupting events withdraw the task and lead on: dashed, like the overdue path.
        for (const [name, e] of Object.entries(step.events ?? {})) {
          expect(to(e.next).some((l) => l.includes(`|"event ${escapeLabel(name)}"|`) && l.includes('-.->'))).toBe(true);
        }
        break;
      case 'wait':
        for (const [name, e] of Object.entries(step.events ?? {})) expect(to(e.next).some((l) => l.includes(`event ${name}`))).toBe(true);
        if (step.timer) expect(to(step.timer.next).some((l) => l.includes('timer'))).toBe(true);
        break;
      case 'choice':
        for (const c of step.choices) {
          // `when` and the start of its condition (labels cut long expressions short).
          const condition = typeof c.when === 'string' ? c.when.replace(/^=/, '') : JSON.stringify(c.when);
          expect(to(c.next).some((l) => labelled(l, `when ${condition.slice(0, 20)}`))).toBe(true);
        }
        if (step.default) expect(to(step.default).some((l) => l.includes('default'))).toBe(true);
        break;
      case 'parallel':
        for (const b of step.branches) expect(to(b.start).some((l) => l.includes(b.name))).toBe(true);
        expect(source).toContain(`s_${id}_join`);
        break;
      case 'end':
        break;
      default:
        if ('next' in step && step.next) expect(to(step.next)).toHaveLength(1);
        if (step.type === 'activity' && step.onError) expect(to(step.onError.next).some((l) => l.includes('error'))).toBe(true);
    }
  }
});

test('labels cannot break out of their quotes, and a step named like a Mermaid keyword still draws', () => {
  expect(escapeLabel('a "b" <c> & d')).toBe('a #quot;b#quot; #lt;c#gt; #amp; d');
  const source = definitionToMermaid({
    id: 'x',
    name: 'x',
    variables: {},
    start: 'end',
    steps: { end: { type: 'end', outcome: 'done "now"' } },
  });
  expect(source).toContain('s_end(["end<br/><small>end · done #quot;now#quot;</small>"])');
  expect(source).not.toMatch(/^\s*end\(/m);
});
