/**
 * A definition's steps as a Mermaid flowchart: one node per step (its shape says its type), one
 * edge per transition labelled with what takes it (an outcome, an event, a timer, a condition, an
 * error or an overdue task). Parallel steps draw each branch as a subgraph between a fork and a
 * join node. Pure, so it is tested without a browser (test/unit/ui-diagram.test.ts).
 */
import type { ProcessDefinition, Step } from '../../../workflows/model';

/** Step ids are camelCase, but Mermaid reserves some words (`end`, `graph`…): prefix every id. */
const nodeId = (stepId: string) => `s_${stepId}`;

/** Text inside a quoted Mermaid label: quotes and markup become entities. */
export function escapeLabel(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\n/g, ' ');
}

const shorten = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** An expression or literal as a label (`=` prefix dropped). */
const show = (value: unknown) => shorten(typeof value === 'string' ? value.replace(/^=/, '') : JSON.stringify(value));

function nodeLine(id: string, step: Step): string {
  const n = nodeId(id);
  const label = (detail: string) => `"${escapeLabel(id)}<br/><small>${escapeLabel(detail)}</small>"`;
  switch (step.type) {
    case 'userTask':
      return `${n}(${label(`task · ${step.roles.join(', ')}${step.dueIn ? ` · due ${step.dueIn}` : ''}`)})`;
    case 'activity':
      return `${n}[${label(step.activity)}]`;
    case 'choice':
      return `${n}{${label('choice')}}`;
    case 'wait':
      return `${n}{{${label(`wait${step.events ? ` · ${Object.keys(step.events).join(', ')}` : ''}`)}}}`;
    case 'setStage':
      return `${n}[/${label(`stage → ${step.stage}`)}/]`;
    case 'subProcess':
      return `${n}[[${label(`sub-process ${step.definition}`)}]]`;
    case 'send':
      return `${n}[\\${label(`send ${step.event} → ${step.to.definition}`)}\\]`;
    case 'end':
      return `${n}([${label(`end${step.outcome ? ` · ${step.outcome}` : ''}`)}])`;
    case 'parallel':
      return `${n}[${label('parallel: fork')}]`;
  }
}

interface Edge {
  from: string;
  to: string;
  label?: string;
  dashed?: boolean;
}

/** Transitions out of one step, to Mermaid node ids. `join` is where a step without `next` goes inside a branch. */
function edgesOf(id: string, step: Step, join: string | null): Edge[] {
  const from = nodeId(id);
  const to = (target: string) => nodeId(target);
  const fallthrough = (next: string | undefined): Edge[] => (next ? [{ from, to: to(next) }] : join ? [{ from, to: join }] : []);
  switch (step.type) {
    case 'activity':
      return [...fallthrough(step.next), ...(step.onError ? [{ from, to: to(step.onError.next), label: 'error', dashed: true }] : [])];
    case 'userTask':
      return [
        ...Object.entries(step.outcomes).map(([name, o]) => ({ from, to: to(o.next), label: o.label ? `${name}: ${o.label}` : name })),
        ...(step.onOverdue?.next ? [{ from, to: to(step.onOverdue.next), label: `overdue after ${step.dueIn ?? '?'}`, dashed: true }] : []),
        ...Object.entries(step.events ?? {}).map(([name, e]) => ({ from, to: to(e.next), label: `event ${name}`, dashed: true })),
      ];
    case 'wait':
      return [
        ...Object.entries(step.events ?? {}).map(([name, e]) => ({ from, to: to(e.next), label: `event ${name}` })),
        ...(step.timer ? [{ from, to: to(step.timer.next), label: `timer ${show(step.timer.after)}`, dashed: true }] : []),
      ];
    case 'choice':
      return [
        ...step.choices.map((c) => ({ from, to: to(c.next), label: `when ${show(c.when)}` })),
        ...(step.default ? [{ from, to: to(step.default), label: 'default' }] : []),
      ];
    case 'parallel':
      return []; // drawn with its branches
    case 'end':
      return join ? [{ from, to: join }] : [];
    default:
      return fallthrough(step.next);
  }
}

function drawSteps(steps: Record<string, Step>, join: string | null, lines: string[], edges: Edge[], indent: string): void {
  for (const [id, step] of Object.entries(steps)) {
    lines.push(`${indent}${nodeLine(id, step)}`);
    if (step.type === 'parallel') {
      const joinId = `${nodeId(id)}_join`;
      lines.push(`${indent}${joinId}[${`"${escapeLabel(id)}<br/><small>parallel: join</small>"`}]`);
      for (const [i, branch] of step.branches.entries()) {
        lines.push(`${indent}subgraph ${nodeId(id)}_b${i}["${escapeLabel(`branch ${branch.name}`)}"]`);
        drawSteps(branch.steps, joinId, lines, edges, `${indent}  `);
        lines.push(`${indent}end`);
        edges.push({ from: nodeId(id), to: nodeId(branch.start), label: branch.name });
      }
      if (step.next) edges.push({ from: joinId, to: nodeId(step.next) });
      else if (join) edges.push({ from: joinId, to: join });
    } else {
      edges.push(...edgesOf(id, step, join));
    }
  }
}

export function definitionToMermaid(definition: ProcessDefinition): string {
  const lines = ['flowchart TD', '  start_((start))'];
  const edges: Edge[] = [{ from: 'start_', to: nodeId(definition.start) }];
  drawSteps(definition.steps, null, lines, edges, '  ');
  if (definition.onCancel) {
    lines.push('  cancel_((cancelled))');
    edges.push({ from: 'cancel_', to: nodeId(definition.onCancel), label: 'on cancel', dashed: true });
  }
  for (const e of edges) {
    const arrow = e.dashed ? '-.->' : '-->';
    lines.push(e.label ? `  ${e.from} ${arrow}|"${escapeLabel(e.label)}"| ${e.to}` : `  ${e.from} ${arrow} ${e.to}`);
  }
  return lines.join('\n');
}
