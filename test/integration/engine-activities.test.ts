/**
 * Engine activities against a real Postgres: every write is idempotent under retries.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import { countRows, freshDatabase } from '../support/database';
import { rejectionOf } from '../support/errors';
import { createEngineActivities } from '../../activities/engine';
import type { EngineActivities } from '../../activities/context';

let env: Awaited<ReturnType<typeof freshDatabase>>;
let db: Knex;
let engine: EngineActivities;

beforeAll(async () => {
  env = await freshDatabase();
  db = env.db;
  engine = createEngineActivities({ db });
});
afterAll(async () => {
  await env?.drop();
});

let seq = 0;
function start(overrides: Partial<Parameters<EngineActivities['engine.recordStart']>[0]> = {}) {
  seq += 1;
  return {
    instanceId: `inst-${seq}`,
    definitionId: 'assisted-sale',
    version: 1,
    businessKey: `bk-${seq}`,
    startedBy: 'alice',
    variables: { client: { name: 'Panadería La Espiga' } },
    ...overrides,
  };
}

function task(instanceId: string, stepId = 'verifyClient') {
  return {
    taskId: `${instanceId}:${stepId}:1`,
    instanceId,
    stepId,
    title: 'Verify client',
    candidateRoles: ['consultant'],
    assignee: null,
    form: { type: 'object' },
    outcomes: ['found', 'notFound'],
    dueAt: '2030-01-01T00:00:00.000Z',
  };
}

const auditCount = (key: string) => countRows(db, 'audit_events', { key });

/** The type of the non-retryable ApplicationFailure `p` rejects with. */
async function failureType(p: Promise<unknown>): Promise<string | undefined> {
  const err = await rejectionOf(p, ApplicationFailure);
  expect(err.nonRetryable).toBe(true);
  return err.type ?? undefined;
}

describe('engine.recordStart', () => {
  it('upserts one row and one audit line when called twice', async () => {
    const s = start();
    await engine['engine.recordStart'](s);
    await engine['engine.recordStart'](s);
    const rows = await db('process_instances').where({ id: s.instanceId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'running', business_key: s.businessKey, variables: s.variables, started_by: 'alice' });
    expect(await auditCount(`${s.instanceId}:started`)).toBe(1);
  });

  it('keeps the workflow id the instance runs under (its own id for instances started before business-key ids)', async () => {
    const current = start();
    await engine['engine.recordStart']({ ...current, workflowId: `${current.definitionId}/${current.businessKey}` });
    const legacy = start();
    await engine['engine.recordStart'](legacy);
    expect(await db('process_instances').where({ id: current.instanceId }).first()).toMatchObject({ workflow_id: `${current.definitionId}/${current.businessKey}` });
    expect(await db('process_instances').where({ id: legacy.instanceId }).first()).toMatchObject({ workflow_id: legacy.instanceId });
  });

  it('records a new instance of a key even while an older row still says running (Temporal guards running keys)', async () => {
    // A row left running by a workflow terminated behind Cauce's back, before reconcile closed it.
    const stale = start({ businessKey: 'ACME-1' });
    const next = start({ businessKey: 'ACME-1' });
    await engine['engine.recordStart'](stale);
    await engine['engine.recordStart'](next);
    expect((await db('process_instances').where({ business_key: 'ACME-1', status: 'running' }).pluck('id')).sort()).toEqual([stale.instanceId, next.instanceId].sort());
  });

  it('allows the same business key in another definition', async () => {
    await engine['engine.recordStart'](start({ businessKey: 'SHARED' }));
    await engine['engine.recordStart'](start({ businessKey: 'SHARED', definitionId: 'ecommerce-trial' }));
    expect(await db('process_instances').where({ business_key: 'SHARED', status: 'running' })).toHaveLength(2);
  });
});

describe('tasks', () => {
  it('createTask twice: one row, one audit line', async () => {
    const s = start();
    await engine['engine.recordStart'](s);
    const t = task(s.instanceId);
    await engine['engine.createTask'](t);
    await engine['engine.createTask'](t);
    const rows = await db('tasks').where({ instance_id: s.instanceId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'open', candidate_roles: ['consultant'], outcomes: ['found', 'notFound'], form: { type: 'object' } });
    expect(rows[0].due_at.toISOString()).toBe(t.dueAt);
    expect(await auditCount(`${t.taskId}:created`)).toBe(1);
  });

  it('claimTask twice: one assignment, one audit line; release clears it', async () => {
    const s = start();
    await engine['engine.recordStart'](s);
    const t = task(s.instanceId);
    await engine['engine.createTask'](t);
    const claim = { taskId: t.taskId, key: `${t.taskId}:claim:1`, assignee: 'bob', actor: 'bob' };
    await engine['engine.claimTask'](claim);
    await engine['engine.claimTask'](claim);
    const row = await db('tasks').where({ id: t.taskId }).first();
    expect(row.assignee).toBe('bob');
    expect(row.claimed_at).toBeInstanceOf(Date);
    expect(await auditCount(`${claim.key}:claim`)).toBe(1);

    await engine['engine.claimTask']({ taskId: t.taskId, key: `${t.taskId}:claim:2`, assignee: null, actor: 'bob' });
    expect(await db('tasks').where({ id: t.taskId }).first()).toMatchObject({ assignee: null, claimed_at: null });
    expect(await db('audit_events').where({ key: `${t.taskId}:claim:2:claim` }).first('kind')).toEqual({ kind: 'task.released' });

    // A late retry of the first claim (claims and releases are concurrent updates) must not undo the release.
    await engine['engine.claimTask'](claim);
    expect(await db('tasks').where({ id: t.taskId }).first()).toMatchObject({ assignee: null, claimed_at: null });

    // A closed task keeps its last assignee, and a claim on it writes no audit line.
    await engine['engine.completeTask']({ taskId: t.taskId, outcome: 'found', data: {}, completedBy: 'carol', completedAt: new Date().toISOString() });
    await engine['engine.claimTask']({ taskId: t.taskId, key: `${t.taskId}:claim:3`, assignee: 'dave', actor: 'dave' });
    expect(await db('tasks').where({ id: t.taskId }).first('assignee')).toEqual({ assignee: 'carol' });
    expect(await auditCount(`${t.taskId}:claim:3:claim`)).toBe(0);
  });

  it('claimTask on an unknown task is a non-retryable TaskNotFound', async () => {
    expect(await failureType(engine['engine.claimTask']({ taskId: 'nope', key: 'nope:1', assignee: 'x', actor: 'x' }))).toBe('TaskNotFound');
  });

  it('completeTask twice with the same outcome: one completion, one audit line', async () => {
    const s = start();
    await engine['engine.recordStart'](s);
    const t = task(s.instanceId);
    await engine['engine.createTask'](t);
    const c = { taskId: t.taskId, outcome: 'found', data: { foundIn: 'onyx' }, completedBy: 'carol', completedAt: '2025-01-02T03:04:05.000Z' };
    await engine['engine.completeTask'](c);
    await engine['engine.completeTask'](c);
    const row = await db('tasks').where({ id: t.taskId }).first();
    expect(row).toMatchObject({ status: 'completed', outcome: 'found', data: { foundIn: 'onyx' }, completed_by: 'carol', assignee: 'carol' });
    expect(row.completed_at.toISOString()).toBe(c.completedAt);
    expect(await auditCount(`${t.taskId}:completed`)).toBe(1);
    const audit = await db('audit_events').where({ key: `${t.taskId}:completed` }).first();
    expect(audit).toMatchObject({ actor: 'carol', kind: 'task.completed', step_id: 'verifyClient', instance_id: s.instanceId });
  });

  it('completeTask after completion with a different outcome is refused', async () => {
    const s = start();
    await engine['engine.recordStart'](s);
    const t = task(s.instanceId);
    await engine['engine.createTask'](t);
    await engine['engine.completeTask']({ taskId: t.taskId, outcome: 'found', data: {}, completedBy: 'carol', completedAt: new Date().toISOString() });
    expect(
      await failureType(
        engine['engine.completeTask']({ taskId: t.taskId, outcome: 'notFound', data: {}, completedBy: 'dave', completedAt: new Date().toISOString() }),
      ),
    ).toBe('TaskNotOpen');
    expect(await db('tasks').where({ id: t.taskId }).first()).toMatchObject({ outcome: 'found', completed_by: 'carol' });
    expect(await auditCount(`${t.taskId}:completed`)).toBe(1);
  });

  it('completeTask on a cancelled task is refused', async () => {
    const s = start();
    await engine['engine.recordStart'](s);
    const t = task(s.instanceId);
    await engine['engine.createTask'](t);
    await engine['engine.cancelTask']({ taskId: t.taskId, reason: 'timeout' });
    expect(
      await failureType(engine['engine.completeTask']({ taskId: t.taskId, outcome: 'found', data: {}, completedBy: 'x', completedAt: new Date().toISOString() })),
    ).toBe('TaskNotOpen');
  });

  it('cancelTask twice: one cancellation, one audit line; a completed task stays completed', async () => {
    const s = start();
    await engine['engine.recordStart'](s);
    const open = task(s.instanceId, 'a');
    const done = task(s.instanceId, 'b');
    await engine['engine.createTask'](open);
    await engine['engine.createTask'](done);
    await engine['engine.completeTask']({ taskId: done.taskId, outcome: 'found', data: {}, completedBy: 'x', completedAt: new Date().toISOString() });
    await engine['engine.cancelTask']({ taskId: open.taskId, reason: 'overdue' });
    await engine['engine.cancelTask']({ taskId: open.taskId, reason: 'overdue' });
    await engine['engine.cancelTask']({ taskId: done.taskId, reason: 'overdue' });
    expect(await db('tasks').where({ id: open.taskId }).first()).toMatchObject({ status: 'cancelled', cancel_reason: 'overdue' });
    expect(await db('tasks').where({ id: done.taskId }).first('status')).toEqual({ status: 'completed' });
    expect(await auditCount(`${open.taskId}:cancelled`)).toBe(1);
    expect(await auditCount(`${done.taskId}:cancelled`)).toBe(0);
  });

  it('escalateTask twice: roles added once, one audit line', async () => {
    const s = start();
    await engine['engine.recordStart'](s);
    const t = task(s.instanceId);
    await engine['engine.createTask'](t);
    await engine['engine.escalateTask']({ taskId: t.taskId, addRoles: ['commercial-lead', 'consultant', 'commercial-lead'] });
    const first = await db('tasks').where({ id: t.taskId }).first();
    await engine['engine.escalateTask']({ taskId: t.taskId, addRoles: ['commercial-lead'] });
    const second = await db('tasks').where({ id: t.taskId }).first();
    expect(second.candidate_roles).toEqual(['consultant', 'commercial-lead']);
    expect(second.escalated_at.toISOString()).toBe(first.escalated_at.toISOString());
    expect(await auditCount(`${t.taskId}:escalated`)).toBe(1);
    // The inbox query shape the GIN index serves.
    const inbox = await db('tasks').where('status', 'open').andWhereRaw('candidate_roles && ?::text[]', [['commercial-lead']]).pluck('id');
    expect(inbox).toContain(t.taskId);
  });
});

describe('engine.setStage', () => {
  it('twice with one key: one audit line; a replay does not undo a later stage', async () => {
    const s = start();
    await engine['engine.recordStart'](s);
    const first = { key: `${s.instanceId}:markContract:1`, instanceId: s.instanceId, stage: 'contract', actor: 'system', at: '2025-01-01T00:00:00.000Z' };
    await engine['engine.setStage'](first);
    await engine['engine.setStage'](first);
    expect(await auditCount(`${first.key}:stage`)).toBe(1);
    await engine['engine.setStage']({ ...first, key: `${s.instanceId}:markDocs:1`, stage: 'documents' });
    await engine['engine.setStage'](first); // late retry of the first
    expect(await db('process_instances').where({ id: s.instanceId }).first('stage')).toEqual({ stage: 'documents' });
    const audit = await db('audit_events').where({ key: `${s.instanceId}:markDocs:1:stage` }).first();
    expect(audit.details).toEqual({ stage: 'documents', previous: 'contract' });
  });
});

describe('engine.finishInstance', () => {
  it('sets the end state, cancels open tasks, audits once; first terminal status wins', async () => {
    const s = start();
    await engine['engine.recordStart'](s);
    const t = task(s.instanceId);
    await engine['engine.createTask'](t);
    const f = { instanceId: s.instanceId, status: 'cancelled' as const, outcome: null, reason: 'client withdrew', actor: 'alice' };
    await engine['engine.finishInstance'](f);
    await engine['engine.finishInstance'](f);
    await engine['engine.finishInstance']({ instanceId: s.instanceId, status: 'completed', outcome: 'won' });
    const row = await db('process_instances').where({ id: s.instanceId }).first();
    expect(row).toMatchObject({ status: 'cancelled', outcome: null, end_reason: 'client withdrew' });
    expect(row.ended_at).toBeInstanceOf(Date);
    expect(await db('tasks').where({ id: t.taskId }).first()).toMatchObject({ status: 'cancelled', cancel_reason: 'client withdrew' });
    expect(await auditCount(`${s.instanceId}:finished`)).toBe(1);
    expect(await auditCount(`${t.taskId}:cancelled`)).toBe(1);
    expect(await db('audit_events').where({ key: `${s.instanceId}:finished` }).first('kind', 'actor')).toEqual({ kind: 'instance.cancelled', actor: 'alice' });
  });

  it('unknown instance is a non-retryable InstanceNotFound', async () => {
    expect(await failureType(engine['engine.finishInstance']({ instanceId: 'ghost', status: 'completed', outcome: null }))).toBe('InstanceNotFound');
  });
});

describe('engine.audit', () => {
  it('twice with one key: one line', async () => {
    const a = { key: 'inst-x:payment:evt-1', instanceId: 'inst-x', kind: 'event.consumed', stepId: 'awaitPayment', details: { eventId: 'evt-1' } };
    await engine['engine.audit'](a);
    await engine['engine.audit'](a);
    expect(await auditCount(a.key)).toBe(1);
    expect(await db('audit_events').where({ key: a.key }).first()).toMatchObject({ actor: 'system', step_id: 'awaitPayment', details: { eventId: 'evt-1' } });
  });
});

describe('engine.resolveDefinition', () => {
  beforeAll(async () => {
    const definition = (v: string) => ({ id: 'resolve-me', name: `Resolve ${v}`, variables: {}, start: 'done', steps: { done: { type: 'end' } } });
    await db('definitions').insert({ id: 'resolve-me', name: 'Resolve', latest_version: 2 });
    await db('definition_versions').insert([
      { definition_id: 'resolve-me', version: 1, content_hash: 'h1', source: 'x', definition: JSON.stringify(definition('1')), deployed_by: 't' },
      { definition_id: 'resolve-me', version: 2, content_hash: 'h2', source: 'y', definition: JSON.stringify(definition('2')), deployed_by: 't' },
    ]);
  });

  it('returns the latest version without a version, the asked one with it', async () => {
    expect(await engine['engine.resolveDefinition']({ id: 'resolve-me' })).toMatchObject({ id: 'resolve-me', version: 2, hash: 'h2', definition: { name: 'Resolve 2' } });
    expect(await engine['engine.resolveDefinition']({ id: 'resolve-me', version: 1 })).toMatchObject({ version: 1, hash: 'h1', definition: { name: 'Resolve 1' } });
  });

  it('unknown id or version is a non-retryable DefinitionNotFound', async () => {
    expect(await failureType(engine['engine.resolveDefinition']({ id: 'missing' }))).toBe('DefinitionNotFound');
    expect(await failureType(engine['engine.resolveDefinition']({ id: 'resolve-me', version: 9 }))).toBe('DefinitionNotFound');
  });
});
