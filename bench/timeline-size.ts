/**
 * The time to build the timeline of an instance with a long history, against the real server: one
 * interpreter instance at its user task, claimed and released through the API until its history has
 * `events` events. Then, several times: fetch its history, build the timeline with the public functions
 * of api/processes/timeline.ts (as the history route does), and the whole route over HTTP.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { historyFromProto, mergeTimeline, timelineFromAudit, timelineFromHistory, timelineFromTrail, type AuditRow } from '../api/processes/timeline';
import { stateQuery } from '../workflows/messages';
import { percentile } from './stats';
import { instanceHandle } from '../lib/temporal';

const ROUNDS = 10;

export interface TimelineMeasurement {
  events: number;
  entries: number;
  fetchP50: number;
  buildP50: number;
  buildMax: number;
  routeP50: number;
}

type Call = (method: string, url: string, body?: unknown) => Promise<any>;

const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
};

export async function measureTimeline(opts: { call: Call; client: Client; db: Knex; instanceId: string; taskId: string; events: number }): Promise<TimelineMeasurement> {
  const { call, client, db, instanceId, taskId } = opts;
  // The instance id is its chain's first run id; its row names the workflow id (`<definitionId>/<businessKey>`).
  const handle = instanceHandle(client, await db('process_instances').where({ id: instanceId }).first('id', 'workflow_id'));
  // Each claim or release is an update (accepted, completed), a local activity and a workflow task.
  let release = false;
  while ((await handle.describe()).historyLength < opts.events) {
    for (let i = 0; i < 20; i++, release = !release) await call('POST', `/api/tasks/${encodeURIComponent(taskId)}/${release ? 'release' : 'claim'}`, {});
  }

  // The rows the history route reads (api/processes/store.ts `audit`).
  const auditRows = (): Promise<AuditRow[]> =>
    db('audit_events').where({ instance_id: instanceId }).orderBy([{ column: 'at' }, { column: 'id' }]).select('at', 'kind', 'actor', 'step_id', 'task_id', 'details');
  const fetches: number[] = [];
  const builds: number[] = [];
  const routes: number[] = [];
  let events = 0;
  let entries = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const [history, fetchMs] = await timed(() => handle.fetchHistory());
    const rows = await auditRows();
    const trail = (await handle.query(stateQuery)).trail;
    const [items, buildMs] = await timed(() => {
      const json = historyFromProto(history);
      events = json.events.length;
      return mergeTimeline(timelineFromHistory(json), timelineFromAudit(rows), timelineFromTrail(trail));
    });
    entries = items.length;
    const [, routeMs] = await timed(() => call('GET', `/api/processes/${instanceId}/history`));
    fetches.push(fetchMs);
    builds.push(buildMs);
    routes.push(routeMs);
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    events,
    entries,
    fetchP50: percentile(sorted(fetches), 50),
    buildP50: percentile(sorted(builds), 50),
    buildMax: Math.max(...builds),
    routeP50: percentile(sorted(routes), 50),
  };
}
