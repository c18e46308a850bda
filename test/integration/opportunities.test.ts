/**
 * Leads through the HTTP API (POST /api/opportunities) and the digital-opportunity process they start,
 * on the real dev server, worker and Postgres: round-robin owner, the owner's inbox, stage by stage to a
 * hand-over to the account the contact creates, the lost path from an unassigned pool task, duplicates
 * and bad input.
 */
import { completeInboxTask, completeTask, eventually, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';
import { countRows } from '../support/database';

let stack: ApiStack;
const tokens: Record<string, string> = {};
let owners: Record<'camila' | 'matias', string>;

beforeAll(async () => {
  stack = await startApiStack('opportunities');
  for (const user of ['admin', 'sales', 'dcs', 'support']) tokens[user] = await stack.login(user);
  const id = async (email: string) => (await stack.db('owners').where({ email }).first('id')).id as string;
  owners = { camila: await id('camila.rojas@cauce.example'), matias: await id('matias.perez@cauce.example') };
});

afterAll(async () => {
  await stack?.close();
});

const lead = (overrides: Record<string, unknown> = {}) => ({
  email: 'maria.gonzalez@ferreteriaelsol.cl',
  name: 'María González',
  phone: '+56 9 8765 4321',
  rut: '12.345.678-5',
  company: { name: 'Ferretería El Sol Ltda.', rut: '77.123.456-9' },
  channel: 'landing',
  sourceDetail: 'form',
  ...overrides,
});

const getProcess = (id: string) => stack.request('GET', `/api/processes/${id}`, tokens.admin);
const processAt = (id: string, what: string, done: (p: any) => boolean) =>
  eventually(() => getProcess(id), (r) => r.status === 200 && done(r.body), what).then((r) => r.body);

const as = (user: string): Caller => ({ username: user, token: tokens[user] });

const stagesOf = (p: any) => p.stageHistory.map((s: any) => s.stage);

describe('a lead through the API', () => {
  let first: { opportunityId: string; processId: string };

  test('starts one digital-opportunity at opportunity-assigned, owned round-robin, its first task in the owner\'s inbox', async () => {
    const res = await stack.request('POST', '/api/opportunities', tokens.sales, lead());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      opportunityId: expect.any(String), contactId: expect.any(String), companyId: expect.any(String), ownerId: null, created: true, processId: expect.any(String),
    });
    first = res.body;

    const p = await processAt(first.processId, 'stage opportunity-assigned', (b) => b.stage === 'opportunity-assigned' && b.tasks?.length === 1);
    expect(p).toMatchObject({ definitionId: 'digital-opportunity', businessKey: first.opportunityId, status: 'running', startedBy: 'sales' });
    expect(p.variables).toMatchObject({
      opportunityId: first.opportunityId,
      contact: { email: 'maria.gonzalez@ferreteriaelsol.cl', name: 'María González', rut: '12345678-5', phone: '+56 9 8765 4321' },
      company: { name: 'Ferretería El Sol Ltda.', rut: '77123456-9' },
      channel: 'landing',
      owner: { ownerId: owners.camila, ownerName: 'Camila Rojas', username: 'sales' },
    });
    const task = await inboxTask(stack, as('sales'), first.processId, 'firstContact');
    expect(task).toMatchObject({ assignee: 'sales', candidateRoles: ['sales', 'dcs'], title: 'First effective contact: María González <maria.gonzalez@ferreteriaelsol.cl>' });
    expect(task.dueAt).toEqual(expect.any(String));

    expect(await stack.db('opportunities').where({ id: first.opportunityId }).first()).toMatchObject({ owner_id: owners.camila, status: 'open' });
    expect(await stack.db('owner_assignments').where({ entity: 'opportunity', entity_id: first.opportunityId })).toEqual([
      expect.objectContaining({ owner_id: owners.camila, assigned_by: 'round-robin' }),
    ]);
  });

  test('the same contact again is 200 created: false with the running process, and no second process', async () => {
    const res = await stack.request('POST', '/api/opportunities', tokens.dcs, lead({ email: 'MARIA.GONZALEZ@ferreteriaelsol.cl', channel: 'partner', partner: 'Contadores Asociados' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ opportunityId: first.opportunityId, created: false, processId: first.processId });
    const list = await stack.request('GET', `/api/processes?businessKey=${first.opportunityId}`, tokens.admin);
    expect(list.body.total).toBe(1);
  });

  test('completing the tasks moves the stages; the accountCreated event hands the open opportunity over to the account', async () => {
    await completeInboxTask(stack, as('sales'), first.processId, 'firstContact', 'contacted', { medium: 'phone', notes: 'Quiere facturación electrónica.' });
    const proposalTask = await inboxTask(stack, as('sales'), first.processId, 'deliverProposal');
    expect(proposalTask).toMatchObject({ assignee: 'sales', title: 'Deliver the digital proposal: María González' });
    expect((await getProcess(first.processId)).body.stage).toBe('opportunity-contacted');

    await completeTask(stack, as('sales'), proposalTask, 'delivered', { plan: 'trial-pyme', modules: ['factura-plus'] });
    const waiting = await processAt(first.processId, 'the wait for the account', (b) => b.currentSteps?.includes('awaitAccount'));
    expect(waiting.stage).toBe('digital-proposal-delivered');

    // What the accounts API does when this contact signs up: the account row, then the event.
    const [account] = await stack.db('accounts')
      .insert({ email: 'maria.gonzalez@ferreteriaelsol.cl', rut: '12345678-5', name: 'Ferretería El Sol Ltda.', plan_code: 'trial-pyme', kind: 'trial', status: 'trial', channel: 'landing', idempotency_key: 'test:account:maria' })
      .returning('id');
    const event = await stack.request('POST', `/api/processes/${first.processId}/events/accountCreated`, tokens.admin, { eventId: 'signup-1', payload: { accountId: account.id } });
    expect(event.status).toBe(202);

    const done = await processAt(first.processId, 'the process to complete', (b) => b.status === 'completed');
    expect(done.outcome).toBe('converted');
    expect(stagesOf(done)).toEqual(['opportunity-assigned', 'opportunity-contacted', 'digital-proposal-delivered']);
    // Still open: the account's process closes it (won when paid, lost when the trial expires).
    expect(await stack.db('opportunities').where({ id: first.opportunityId }).first()).toMatchObject({ status: 'open', account_id: account.id, closed_at: null });
    expect(done.variables.handover).toEqual({ opportunityId: first.opportunityId, accountId: account.id, status: 'open' });
    // Each stage change is in the audit trail with its time and actor (what the funnel report reads).
    const changes = await stack.db('audit_events').where({ instance_id: first.processId, kind: 'stage.changed' }).orderBy('id');
    expect(changes.map((c) => c.details.stage)).toEqual(['opportunity-assigned', 'opportunity-contacted', 'digital-proposal-delivered']);
    expect(changes.every((c) => c.at instanceof Date && typeof c.actor === 'string')).toBe(true);
  });

  test('lost path: an owner without a Cauce user leaves the task in the pool; "not interested" closes the opportunity as lost', async () => {
    // Matías has no Cauce user. The lead names him, so the process keeps him whatever round-robin would pick.
    const res = await stack.request('POST', '/api/opportunities', tokens.admin, lead({
      email: 'jperez@panaderialaespiga.cl', name: 'Juan Pérez', rut: undefined, company: undefined, channel: 'assisted', sourceDetail: 'executive', ownerId: owners.matias,
    }));
    expect(res.status).toBe(201);
    expect(res.body.ownerId).toBe(owners.matias);
    const { opportunityId, processId } = res.body;

    const task = await inboxTask(stack, as('dcs'), processId, 'firstContact');
    expect(task).toMatchObject({ assignee: null, candidateRoles: ['sales', 'dcs'] });
    expect((await getProcess(processId)).body.variables.owner).toEqual({ ownerId: owners.matias, ownerName: 'Matías Pérez', username: null });
    await completeTask(stack, as('dcs'), task, 'notInterested', { medium: 'whatsapp', notes: 'Ya usa otro ERP' });

    const done = await processAt(processId, 'the process to complete', (b) => b.status === 'completed');
    expect(done).toMatchObject({ outcome: 'lost', stage: 'opportunity-lost' });
    expect(stagesOf(done)).toEqual(['opportunity-assigned', 'opportunity-lost']);
    expect(done.tasks.filter((t: any) => t.stepId === 'deliverProposal')).toEqual([]);
    expect(await stack.db('opportunities').where({ id: opportunityId }).first()).toMatchObject({
      status: 'lost', owner_id: owners.matias, lost_reason: 'Not interested at first contact: Ya usa otro ERP', account_id: null,
    });
  });
});

describe('refusals', () => {
  const counts = () => Promise.all(['contacts', 'opportunities', 'process_instances'].map((t) => countRows(stack.db, t)));

  test('a bad email, RUT, company RUT, channel or owner is 422 naming the field; a missing name is 400; nothing is written', async () => {
    const before = await counts();
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ rut: '12.345.678-9' }, 422, '/rut', 'rut: is not a valid Chilean RUT'],
      [{ company: { name: 'El Sol', rut: '77.123.456-0' } }, 422, '/company/rut', 'company.rut: is not a valid Chilean RUT'],
      [{ channel: 'linkedin' }, 422, '/channel', 'channel: must be one of'],
      [{ ownerId: '00000000-0000-4000-8000-000000000000' }, 422, '/ownerId', 'ownerId: no owner'],
      [{ email: 'no-es-correo' }, 422, '/email', 'email: is not a valid email'],
      [{ name: undefined }, 400, '/name', 'is required'],
    ];
    for (const [overrides, status, path, message] of cases) {
      const res = await stack.request('POST', '/api/opportunities', tokens.sales, lead({ email: 'rechazo@ejemplo.cl', ...overrides }));
      expect({ overrides, status: res.status }).toEqual({ overrides, status });
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) })]));
    }
    expect(await counts()).toEqual(before);
  });

  test('a user without the admin, sales or dcs role is 403', async () => {
    const res = await stack.request('POST', '/api/opportunities', tokens.support, lead({ email: 'soporte@ejemplo.cl' }));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/admin, sales, dcs/);
  });
});
