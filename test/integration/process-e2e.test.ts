/**
 * A real assisted sale through the HTTP API: real app, real worker on the shared dev server, real
 * Postgres, the definitions in definitions/ and the demo users. Inboxes, task completion with form
 * data, live state, the timeline, listing, cancellation, and the start-time refusals.
 */
import { completeInboxTask, completeTask, eventually, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';
import { contractDocuments, productContent, uploadSink, verdicts } from '../support/assisted-sale';
import { countRows } from '../support/database';
import { SA } from '../../workflows/search-attributes';
import { recordHistory } from '../support/histories';

let stack: ApiStack;
const tokens: Record<string, string> = {};
let example: Record<string, any>;

/** The consultant these tests name in the variables: assisted-sale assigns the consultant's tasks to them. */
const CONSULTANT = 'laura.gomez';

beforeAll(async () => {
  stack = await startApiStack('process-e2e');
  await stack.addUser(CONSULTANT, ['consultant']);
  for (const user of ['admin', CONSULTANT, 'consultant', 'commercial-support', 'provisioning', 'partner']) tokens[user] = await stack.login(user);
  const def = await stack.request('GET', '/api/definitions/assisted-sale', tokens.admin);
  expect(def.status).toBe(200);
  const shipped = def.body.definition.variables.examples[0];
  // The shipped example names the demo consultant; here another one, so a plain consultant sees none of it.
  expect(shipped.consultant.username).toBe('consultant');
  example = { ...shipped, consultant: { ...shipped.consultant, username: CONSULTANT } };
});

afterAll(async () => {
  await stack?.close();
});

async function start(businessKey: string, variables: Record<string, unknown> = example) {
  return stack.request('POST', '/api/processes', tokens.admin, { definitionId: 'assisted-sale', businessKey, variables });
}

/** Open tasks of one process in a user's inbox. */
async function inbox(user: string, processId: string): Promise<any[]> {
  const res = await stack.request('GET', `/api/tasks?processId=${processId}`, tokens[user]);
  expect(res.status).toBe(200);
  return res.body.items;
}

const stepsOf = (tasks: any[]) => tasks.map((t) => t.stepId).sort();

const as = (user: string): Caller => ({ username: user, token: tokens[user] });

/** Waits for the step's task in the user's inbox and completes it with the form's example (or `data`). */
const complete = (user: string, processId: string, stepId: string, outcome: string, data?: Record<string, unknown>) =>
  completeInboxTask(stack, as(user), processId, stepId, outcome, data);

describe('assisted-sale through the API', () => {
  test('start, work the inboxes up to document validation, inspect, list and cancel', async () => {
    const started = await start('e2e-espiga-1');
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ id: expect.any(String), definitionId: 'assisted-sale', version: 1, businessKey: 'e2e-espiga-1' });
    const id: string = started.body.id;

    // The first task goes to consultants (assigned to the example's consultant), never to commercial support.
    const first = await eventually(() => inbox(CONSULTANT, id), (ts) => ts.length > 0, 'the first task');
    expect(first).toEqual([expect.objectContaining({ stepId: 'chooseTemplate', assignee: CONSULTANT, candidateRoles: ['consultant'], status: 'open' })]);
    expect(first[0].title).toBe(`Choose template and scope with ${example.client.name}`);
    expect(stepsOf(await inbox('consultant', id))).toEqual(['chooseTemplate']);
    expect(await inbox('commercial-support', id)).toEqual([]);

    await complete(CONSULTANT, id, 'chooseTemplate', 'chosen');
    await complete(CONSULTANT, id, 'confirmBusinessType', 'confirmed');
    await complete(CONSULTANT, id, 'explainContent', 'explained');
    await complete(CONSULTANT, id, 'verifyClient', 'inOnyx');
    await complete('provisioning', id, 'registerContract', 'registered');

    // The parallel step opens both consultant branches; commercial support still sees nothing.
    await eventually(() => inbox(CONSULTANT, id), (ts) => stepsOf(ts).join() === 'collectDocuments,purchaseForm', 'both branches');
    expect(await inbox('commercial-support', id)).toEqual([]);
    // The answer says where the instance stands once the completion is durable: the product content follows in its branch.
    const purchase = await completeTask(stack, as(CONSULTANT), await inboxTask(stack, as(CONSULTANT), id, 'purchaseForm'), 'submitted');
    expect(purchase.body.instance).toMatchObject({ id, status: 'running' });
    expect(stepsOf(purchase.body.instance.tasks)).toEqual(['collectContent', 'collectDocuments']);
    expect(purchase.body.instance.currentSteps).toEqual(expect.arrayContaining(['collectContent', 'collectDocuments']));
    expect(purchase.body.instance.currentSteps).not.toContain('purchaseForm');
    expect(await inbox('commercial-support', id)).toEqual([]);
    const uploads = uploadSink(stack.baseUrl, tokens[CONSULTANT]);
    await complete(CONSULTANT, id, 'collectContent', 'submitted', await productContent(uploads, 3));
    await complete(CONSULTANT, id, 'collectDocuments', 'sent', await contractDocuments(uploads));

    // Only now does commercial support get the validation, and consultants and partners do not see it.
    const validation = await eventually(() => inbox('commercial-support', id), (ts) => ts.length > 0, 'validateDocuments for commercial support');
    expect(stepsOf(validation)).toEqual(['validateDocuments']);
    expect(validation[0]).toMatchObject({ candidateRoles: ['commercial-support'], assignee: null, dueAt: expect.any(String), overdue: false });
    expect(await inbox('consultant', id)).toEqual([]);
    expect(await inbox(CONSULTANT, id)).toEqual([]);
    expect(await inbox('partner', id)).toEqual([]);

    await complete('commercial-support', id, 'validateDocuments', 'approve', verdicts({}, 'Documentos completos.'));

    // Work order created, both branches joined: the partner produces the product.
    const detail = await eventually(
      () => stack.request('GET', `/api/processes/${id}`, tokens.admin),
      (r) => r.status === 200 && r.body.currentSteps?.includes('produceProduct'),
      'the produceProduct step',
    );
    expect(detail.body).toMatchObject({
      id,
      live: true,
      status: 'running',
      stage: 'production',
      currentSteps: ['produceProduct'],
      businessKey: 'e2e-espiga-1',
      startedBy: 'admin',
    });
    expect(detail.body.stageHistory.map((s: any) => s.stage)).toEqual(['discovery', 'client-verification', 'contract', 'documents', 'production']);
    expect(detail.body.tasks).toEqual([expect.objectContaining({ stepId: 'produceProduct', candidateRoles: ['partner'] })]);
    // What operators filter by in the Temporal UI.
    const attributes = (await (await stack.handle(id)).describe()).typedSearchAttributes;
    expect([SA.definitionId, SA.businessKey, SA.stage, SA.status, SA.openTaskRoles].map((key) => attributes.get(key as never))).toEqual([
      'assisted-sale',
      'e2e-espiga-1',
      'production',
      'running',
      ['partner'],
    ]);
    expect(detail.body.variables).toMatchObject({
      validation: { outcome: 'approve', completedBy: 'commercial-support' },
      workOrder: { number: expect.any(String) },
      purchase: { outcome: 'submitted', completedBy: CONSULTANT },
      content: { outcome: 'submitted', completedBy: CONSULTANT },
    });
    expect(detail.body.variables.content.data.products).toHaveLength(3);
    // The live state lists the task as it opens; its inbox row is written by the activity right after.
    expect(stepsOf(await eventually(() => inbox('partner', id), (tasks) => tasks.length > 0, "the partner's task in the inbox"))).toEqual(['produceProduct']);

    // The timeline, oldest first. The business view: who did what, stages, steps; the technical view adds Temporal's events (activities, updates).
    const timeline = async (view: 'business' | 'technical') => {
      const res = await stack.request('GET', `/api/processes/${id}/history${view === 'technical' ? '?view=technical' : ''}`, tokens.admin);
      expect(res.status).toBe(200);
      expect(res.body.view).toBe(view);
      const items: any[] = res.body.items;
      const times = items.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const index = (pred: (e: any) => boolean, what: string) => {
        const i = items.findIndex(pred);
        if (i < 0) throw new Error(`no ${view} timeline entry for ${what}: ${items.map((e) => `${e.kind} ${e.title}`).join(' | ')}`);
        return i;
      };
      return {
        items,
        created: (step: string) => index((e) => e.kind === 'task.created' && e.stepId === step, `${step} created`),
        completed: (step: string, actor: string) => index((e) => e.kind === 'task.completed' && e.stepId === step && e.actor === actor, `${step} completed by ${actor}`),
        stage: (name: string) => index((e) => e.kind === 'stage.changed' && e.details?.stage === name, `stage ${name}`),
        activity: (name: string) => index((e) => e.kind === 'activity.completed' && e.details?.activity === name, `activity ${name}`),
        entered: (step: string) => index((e) => e.kind === 'step.entered' && e.stepId === step, `${step} entered`),
        left: (step: string) => index((e) => e.kind === 'step.left' && e.stepId === step, `${step} left`),
      };
    };

    const business = await timeline('business');
    expect(business.items.find((e) => e.kind === 'instance.started')).toMatchObject({ title: 'Process started: assisted-sale v1 (e2e-espiga-1)', actor: 'admin', source: 'audit' });
    expect(business.items.filter((e) => e.source === 'temporal')).toEqual([]);
    const { entered, stage, left, created, completed } = business;
    const order = [
      entered('markDiscovery'),
      stage('discovery'),
      left('markDiscovery'),
      created('chooseTemplate'),
      completed('chooseTemplate', CONSULTANT),
      completed('explainContent', CONSULTANT),
      stage('client-verification'),
      completed('verifyClient', CONSULTANT),
      left('verifyClient'),
      entered('requestContractNumber'),
      stage('contract'),
      completed('registerContract', 'provisioning'),
      completed('collectDocuments', CONSULTANT),
      created('validateDocuments'),
      completed('validateDocuments', 'commercial-support'),
      stage('production'),
      created('produceProduct'),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));

    const technical = await timeline('technical');
    expect(technical.items[0].kind).toMatch(/^(workflow\.started|instance\.started)$/);
    // The business view, in its order, with Temporal's events in between (nothing happens meanwhile: the partner's task waits).
    expect(technical.items.filter((e) => e.source !== 'temporal')).toEqual(business.items);
    const steps = [
      technical.completed('explainContent', CONSULTANT),
      technical.activity('crm.lookupClient'),
      technical.stage('client-verification'),
      technical.entered('requestContractNumber'),
      technical.activity('notifications.send'),
      technical.stage('contract'),
      technical.activity('contracts.register'),
      technical.completed('validateDocuments', 'commercial-support'),
      technical.activity('workOrders.create'),
      technical.stage('production'),
    ];
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(technical.items.some((e) => e.kind === 'update.completed' && e.actor === 'commercial-support' && /completed by commercial-support: approve/.test(e.title))).toBe(true);

    const listed = await stack.request('GET', '/api/processes?definitionId=assisted-sale&status=running', tokens[CONSULTANT]);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id, status: 'running', businessKey: 'e2e-espiga-1' })]));

    // Cancel: accepted, then the instance ends cancelled and its open task leaves every inbox.
    const cancel = await stack.request('POST', `/api/processes/${id}/cancel`, tokens.admin, { reason: 'client withdrew' });
    expect(cancel.status).toBe(202);
    expect(cancel.body).toMatchObject({ accepted: true, id });
    const row = await eventually(() => stack.db('process_instances').where({ id }).first(), (r) => r.status !== 'running', 'the instance to end');
    expect(row).toMatchObject({ status: 'cancelled', end_reason: 'client withdrew' });
    expect(row.ended_at).toBeTruthy();
    // The row is written by the closing activity; the final search attributes come with the workflow's
    // last task, after it: read them (and record the history) once the execution has closed.
    const closed = await eventually(async () => (await stack.handle(id)).describe(), (d) => d.status.name !== 'RUNNING', 'the workflow to close');
    // Parallel branches since the fewer-promises patch (assisted-sale-api-cancelled.json was recorded before it).
    await recordHistory(await stack.handle(id), 'assisted-sale-api-cancelled-fewer-promises');
    const closedAttributes = closed.typedSearchAttributes;
    // An empty keyword list reads back as unset.
    expect([closedAttributes.get(SA.status), closedAttributes.get(SA.openTaskRoles) ?? []]).toEqual(['cancelled', []]);

    const after = await stack.request('GET', `/api/processes/${id}`, tokens.admin);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ status: 'cancelled', outcome: null, endedAt: expect.any(String) });
    // Its tasks are now its rows, none open: the last one withdrawn by the cancel.
    expect(after.body.tasks.filter((t: any) => t.status === 'open')).toEqual([]);
    expect(after.body.tasks).toContainEqual(expect.objectContaining({ stepId: 'produceProduct', status: 'cancelled' }));
    // The state it ended with comes from its row (live: false), not from a query that would make a worker replay it.
    const ended = await stack.request('GET', `/api/processes/${id}`, tokens.admin);
    expect(ended.body).toMatchObject({ status: 'cancelled', live: false, stage: 'production', currentSteps: [], runs: 1 });
    expect(ended.body.stageHistory.map((s: any) => s.stage)).toEqual(['discovery', 'client-verification', 'contract', 'documents', 'production']);
    expect(ended.body.variables).toMatchObject({ validation: { outcome: 'approve', completedBy: 'commercial-support' }, workOrder: { number: expect.any(String) } });
    expect(await inbox('partner', id)).toEqual([]);
    expect(await inbox('admin', id)).toEqual([]);
    expect(await stack.db('tasks').where({ instance_id: id, step_id: 'produceProduct' }).first('status')).toEqual({ status: 'cancelled' });
    const running = await stack.request('GET', '/api/processes?definitionId=assisted-sale&status=running', tokens.admin);
    expect(running.body.items.map((p: any) => p.id)).not.toContain(id);
    const cancelledList = await stack.request('GET', '/api/processes?definitionId=assisted-sale&status=cancelled', tokens.admin);
    expect(cancelledList.body.items.map((p: any) => p.id)).toContain(id);

    // A second cancel finds nothing running.
    expect((await stack.request('POST', `/api/processes/${id}/cancel`, tokens.admin, { reason: 'again' })).status).toBe(409);
  });

  test('a second start with the same business key while the first runs is 409; after it ends the key is free', async () => {
    const first = await start('e2e-dup');
    expect(first.status).toBe(201);
    const second = await start('e2e-dup');
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'duplicate_business_key', details: { definitionId: 'assisted-sale', businessKey: 'e2e-dup', runningId: first.body.id } });
    expect(await countRows(stack.db, 'process_instances', { business_key: 'e2e-dup' })).toBe(1);

    expect((await stack.request('POST', `/api/processes/${first.body.id}/cancel`, tokens.admin, { reason: 'test' })).status).toBe(202);
    await eventually(() => stack.db('process_instances').where({ id: first.body.id }).first('status'), (r) => r.status === 'cancelled', 'the first to end');
    // The row says cancelled as the interpreter finishes, just before its workflow closes; the key is
    // free once Temporal has closed it.
    await eventually(() => stack.temporal.workflow.getHandle(first.body.workflowId, first.body.id).describe(), (d) => d.status.name !== 'RUNNING', 'the first workflow closed');
    const third = await start('e2e-dup');
    expect(third.status).toBe(201);
    expect((await stack.request('POST', `/api/processes/${third.body.id}/cancel`, tokens.admin, { reason: 'test' })).status).toBe(202);
  });

  test('a task assigned from the start variables to someone who is not a user is refused at start, naming the variable', async () => {
    const res = await start('e2e-nobody', { ...example, consultant: { ...example.consultant, username: 'nadie' } });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unknown_assignee', details: [{ in: 'variables', path: '/consultant/username', message: expect.stringContaining('chooseTemplate') }] });
    expect(res.body.error.message).toContain('nadie');
    expect(await stack.db('process_instances').where({ business_key: 'e2e-nobody' })).toEqual([]);
  });

  test("variables that do not match the definition's schema are 422 naming the field; nothing starts", async () => {
    const res = await start('e2e-bad-vars', {
      ...example,
      client: { ...example.client, taxId: '12', email: 'not-an-email' },
      discount: 10,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_variables');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'variables', path: '/client/taxId' }),
        expect.objectContaining({ in: 'variables', path: '/client/email' }),
        expect.objectContaining({ in: 'variables', path: '/discount', message: 'is not allowed' }),
      ]),
    );
    const { consultant: _omitted, ...withoutConsultant } = example;
    const missing = await start('e2e-bad-vars', withoutConsultant);
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ in: 'variables', path: '/consultant', message: 'is required' })]);
    expect(await stack.db('process_instances').where({ business_key: 'e2e-bad-vars' })).toEqual([]);
  });

  test('an unknown definition (or version) is 404', async () => {
    const res = await stack.request('POST', '/api/processes', tokens.admin, { definitionId: 'no-such-process', businessKey: 'x', variables: {} });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', details: { definitionId: 'no-such-process' } });
    const version = await stack.request('POST', '/api/processes', tokens.admin, { definitionId: 'assisted-sale', version: 99, businessKey: 'x', variables: example });
    expect(version.status).toBe(404);
  });
});
