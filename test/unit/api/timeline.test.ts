/**
 * api/processes/timeline.ts on a recorded history (test/unit/api/fixtures/recorded-history.json,
 * recorded from a dev server run shaped like the interpreter: a flaky activity that succeeded on its
 * third attempt, one that exhausted its retries, an `event` signal, a rejected and an accepted
 * `completeTask` update, a timer, a child workflow).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { humanDuration, mergeTimeline, timelineFromAudit, timelineFromHistory, type HistoryJson } from '../../../api/processes/timeline';

const history: HistoryJson = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'recorded-history.json'), 'utf8'));

describe('timelineFromHistory', () => {
  const entries = timelineFromHistory(history);
  const kinds = entries.map((e) => e.kind);

  test('keeps the events people care about, in order, and drops workflow-task noise', () => {
    expect(kinds).toEqual([
      'workflow.started',
      'activity.scheduled',
      'activity.completed',
      'activity.scheduled',
      'event.received',
      'update.accepted',
      'update.completed',
      'activity.failed',
      'activity.scheduled',
      'activity.completed',
      'timer.started',
      'timer.fired',
      'child.initiated',
      'child.started',
      'child.completed',
      'workflow.completed',
    ]);
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  test('workflow start names the definition, business key and who started it', () => {
    expect(entries[0]).toMatchObject({ title: 'Process started: trial-sale v2 (ACME-7)', actor: 'ana', source: 'temporal' });
  });

  test('activity retries show the attempt count and the previous error; step ids come from the StepContext', () => {
    expect(entries[2]).toMatchObject({
      title: 'flaky completed after 3 attempts',
      stepId: 'createAccount',
      details: { attempt: 3, previousError: 'ONYX unavailable (call 2)' },
    });
    const failed = entries.find((e) => e.kind === 'activity.failed')!;
    expect(failed).toMatchObject({ title: 'broken failed after 2 attempts: smtp down', stepId: 'notify', details: { error: 'smtp down', attempt: 2 } });
    // Step id recovered from an idempotency key `instance:step:visit`.
    expect(entries[8].stepId).toBe('verifyClient');
  });

  test('signals and updates carry the actor from their input; the rejected update left no trace', () => {
    expect(entries.find((e) => e.kind === 'event.received')).toMatchObject({ title: "Event 'payment' received", actor: 'webhook', details: { eventId: 'pay-1' } });
    const completed = entries.filter((e) => e.kind === 'update.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ title: 'Task inst-1:verifyClient:1 completed by bob: found', actor: 'bob', details: { outcome: 'found' } });
  });

  test('timers, child workflows and completion', () => {
    expect(entries.find((e) => e.kind === 'timer.started')!.title).toBe('Timer started: 200ms');
    expect(entries.find((e) => e.kind === 'child.completed')!.title).toBe('Sub-process inst-1-child completed');
    expect(entries.at(-1)).toMatchObject({ kind: 'workflow.completed', title: 'Process completed: won' });
  });
});

describe('audit and merge', () => {
  test('audit rows get readable titles and merge by time with history entries', () => {
    const audit = timelineFromAudit([
      { at: '2026-11-22T11:30:26.500Z', kind: 'task.completed', actor: 'bob', step_id: 'verifyClient', task_id: 't1', details: { outcome: 'found' } },
      { at: new Date('2026-11-22T11:30:20.000Z'), kind: 'stage.changed', actor: 'system', step_id: null, task_id: null, details: { stage: 'contacted', previous: null } },
      { at: '2026-11-22T11:30:30.000Z', kind: 'task.escalated', actor: 'system', step_id: 'verifyClient', task_id: 't1', details: { addRoles: ['commercial-lead'] } },
    ]);
    expect(audit.map((e) => e.title)).toEqual(['Task completed by bob: found', 'Stage: contacted', 'Task escalated to commercial-lead']);
    const merged = mergeTimeline(timelineFromHistory(history), audit);
    expect(merged[0].title).toBe('Stage: contacted');
    expect(merged.at(-1)!.kind).toBe('task.escalated');
    const i = merged.findIndex((e) => e.source === 'audit' && e.kind === 'task.completed');
    expect(merged[i - 1].kind).toBe('update.completed');
  });

  test("the business trail's start, events taken, incidents and end read as what happened to the sale", () => {
    const row = (kind: string, details: Record<string, unknown>, actor: string | null = 'system') => ({ at: '2026-11-22T11:30:00.000Z', kind, actor, step_id: null, task_id: null, details });
    const titles = timelineFromAudit([
      row('instance.started', { definitionId: 'trial-lifecycle', version: 2, businessKey: 'opp-7' }, 'ana'),
      row('event.received', { name: 'payment', eventId: 'pay-1' }, 'webhook'),
      row('incident.raised', { incidentId: 'i1', type: 'ExpressionFailed', message: 'expression "amount > 0" failed: amount is not a number' }, null),
      row('incident.retried', { incidentId: 'i1' }, 'root'),
      row('incident.recovered', { incidentId: 'i2' }, 'temporal'),
      row('instance.timed_out', { status: 'timed_out', outcome: null, reason: 'workflow timed out' }),
      row('instance.completed', { status: 'completed', outcome: 'won' }),
      row('account.suspended', {}),
    ]).map((e) => e.title);
    expect(titles).toEqual([
      'Process started: trial-lifecycle v2 (opp-7)',
      "Event 'payment' taken",
      'Incident: expression "amount > 0" failed: amount is not a number',
      'Incident retried by root',
      'Incident recovered: Temporal retried the workflow task and it went through',
      'Process timed out (workflow timed out)',
      'Process completed: won',
      'Account suspended',
    ]);
  });

  test('humanDuration', () => {
    expect(humanDuration('86400s')).toBe('1d');
    expect(humanDuration('5400s')).toBe('1h30m');
    expect(humanDuration('0.2s')).toBe('200ms');
  });
});
