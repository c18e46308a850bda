/**
 * TEMPORARY golden comparison: the mapper table (api/processes/timeline.ts) gives exactly what the
 * old switch (legacy-timeline.ts) gave, on every recorded history, read as JSON and through
 * historyFromProto. Deleted with the old code once it passes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { historyFromProto, timelineFromHistory, type HistoryJson } from '../../../api/processes/timeline';
import * as legacy from './legacy-timeline';

const dir = path.join(__dirname, '../../histories');
const recorded: Array<[string, HistoryJson]> = [
  ...readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, HistoryJson] => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')).history]),
  ['fixtures/recorded-history.json', JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'recorded-history.json'), 'utf8'))],
];

test.each(recorded)('%s: the same timeline from the JSON history', (_name, history) => {
  const expected = legacy.timelineFromHistory(history);
  expect(expected.length).toBeGreaterThan(3);
  expect(timelineFromHistory(history)).toStrictEqual(expected);
});

// The fixture was written by historyFromProto itself, whose `0.05s` durations protojson does not read back.
test.each(recorded.filter(([name]) => !name.startsWith('fixtures/')))('%s: the same JSON and timeline through historyFromProto', (_name, history) => {
  const proto = historyFromJSON(history);
  const converted = historyFromProto(proto);
  expect(converted).toStrictEqual(legacy.historyFromProto(historyFromJSON(history)));
  expect(timelineFromHistory(converted)).toStrictEqual(legacy.timelineFromHistory(legacy.historyFromProto(historyFromJSON(history))));
});

/** The event types no recorded history has, with the attributes the old switch read. */
const failure = { message: 'outer', cause: { message: 'inner', applicationFailureInfo: { type: 'Boom' } } };
const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
const others = [
  ['ACTIVITY_TASK_SCHEDULED', 'activityTaskScheduledEventAttributes', { activityType: { name: 'slow' }, activityId: '1' }],
  ['ACTIVITY_TASK_TIMED_OUT', 'activityTaskTimedOutEventAttributes', { scheduledEventId: '1', failure, retryState: 'RETRY_STATE_TIMEOUT' }],
  ['ACTIVITY_TASK_CANCELED', 'activityTaskCanceledEventAttributes', { scheduledEventId: '99' }],
  ['WORKFLOW_EXECUTION_SIGNALED', 'workflowExecutionSignaledEventAttributes', { signalName: 'poke' }],
  ['WORKFLOW_EXECUTION_UPDATE_COMPLETED', 'workflowExecutionUpdateCompletedEventAttributes', { acceptedEventId: '77', outcome: { failure } }],
  ['START_CHILD_WORKFLOW_EXECUTION_FAILED', 'startChildWorkflowExecutionFailedEventAttributes', { workflowId: 'c1', cause: 'START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS' }],
  ['CHILD_WORKFLOW_EXECUTION_FAILED', 'childWorkflowExecutionFailedEventAttributes', { workflowExecution: { workflowId: 'c2', runId: 'r' }, failure }],
  ['CHILD_WORKFLOW_EXECUTION_CANCELED', 'childWorkflowExecutionCanceledEventAttributes', { workflowExecution: { workflowId: 'c3' } }],
  ['CHILD_WORKFLOW_EXECUTION_TERMINATED', 'childWorkflowExecutionTerminatedEventAttributes', { workflowExecution: { workflowId: 'c4' } }],
  ['CHILD_WORKFLOW_EXECUTION_TIMED_OUT', 'childWorkflowExecutionTimedOutEventAttributes', { workflowExecution: { workflowId: 'c5' } }],
  ['WORKFLOW_TASK_FAILED', 'workflowTaskFailedEventAttributes', { cause: 'WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND' }],
  ['MARKER_RECORDED', 'markerRecordedEventAttributes', { markerName: 'core_local_activity' }],
  ['WORKFLOW_EXECUTION_CANCEL_REQUESTED', 'workflowExecutionCancelRequestedEventAttributes', { cause: 'ops', identity: 'cli@host' }],
  ['WORKFLOW_EXECUTION_CONTINUED_AS_NEW', 'workflowExecutionContinuedAsNewEventAttributes', { newExecutionRunId: 'run-2' }],
  ['WORKFLOW_EXECUTION_FAILED', 'workflowExecutionFailedEventAttributes', { failure }],
  ['WORKFLOW_EXECUTION_CANCELED', 'workflowExecutionCanceledEventAttributes', {}],
  ['WORKFLOW_EXECUTION_TERMINATED', 'workflowExecutionTerminatedEventAttributes', { reason: 'stuck', identity: 'ops' }],
  ['WORKFLOW_EXECUTION_TIMED_OUT', 'workflowExecutionTimedOutEventAttributes', {}],
] as const;
const otherHistory: HistoryJson = {
  events: others.map(([type, key, attrs], i) => ({ eventId: String(i + 1), eventTime: at(i), eventType: `EVENT_TYPE_${type}`, [key]: attrs })),
};

test('the event types no recorded history has: the same timeline', () => {
  expect(timelineFromHistory(otherHistory)).toStrictEqual(legacy.timelineFromHistory(otherHistory));
  expect(legacy.timelineFromHistory(otherHistory)).toHaveLength(others.length - 2);
});
