/**
 * The demo works as shipped: every definition's first example starts through the API as a demo user
 * would start it (the admin, for those that business messages start), and reaches a step that waits
 * for someone, never a dead end on demo data.
 */
import { DEMO_FREEMIUM_ACCOUNT, seedDemoData } from '../../lib/demo-data';
import { completeTask, eventually, inboxTask, startApiStack, type ApiStack } from '../support/api';

let stack: ApiStack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startApiStack('demo-examples');
  for (const user of ['admin', 'consultant', 'back-office', 'digital-sales-executive', 'help-desk', 'sales']) tokens[user] = await stack.login(user);
});

afterAll(async () => {
  await stack?.close();
});

async function startExample(definitionId: string, businessKey: string) {
  const def = await stack.request('GET', `/api/definitions/${definitionId}`, tokens.admin);
  expect(def.status).toBe(200);
  const res = await stack.request('POST', '/api/processes', tokens.admin, { definitionId, businessKey, variables: def.body.definition.variables.examples[0] });
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res.body.id as string;
}

/** The instance as GET /api/processes/:id shows it, once `done` holds. */
async function processWhen(id: string, what: string, done: (p: any) => boolean) {
  const res = await eventually(() => stack.request('GET', `/api/processes/${id}`, tokens.admin), (r) => r.status === 200 && done(r.body), what);
  return res.body;
}

test("assisted-sale's example gives its first task to the demo consultant, who can work it", async () => {
  const id = await startExample('assisted-sale', 'demo-assisted');
  const task = await inboxTask(stack, { username: 'consultant', token: tokens.consultant }, id, 'chooseTemplate');
  expect(task).toMatchObject({ assignee: 'consultant' });
});

test("consultant-enrollment's example reaches the back office's approval (its sponsor is demo data)", async () => {
  const id = await startExample('consultant-enrollment', 'demo-enrollment');
  const task = await inboxTask(stack, { username: 'back-office', token: tokens['back-office'] }, id, 'approveRegistration');
  expect(task.title).toContain('Marcela Ríos');
  const detail = await stack.request('GET', `/api/processes/${id}`, tokens.admin);
  expect(detail.body.variables.sponsorCheck).toMatchObject({ found: true, name: 'David López' });
});

test("account-upgrade's example provisions its modules on the demo freemium account and waits for their payment", async () => {
  const example = (await stack.request('GET', '/api/definitions/account-upgrade', tokens.admin)).body.definition.variables.examples[0];
  expect(example).toMatchObject({ accountId: DEMO_FREEMIUM_ACCOUNT.id, email: DEMO_FREEMIUM_ACCOUNT.email, name: DEMO_FREEMIUM_ACCOUNT.name });
  // The demo account is what a freemium signup makes: active, free, operating, with its open sale.
  const before = await stack.request('GET', `/api/accounts/${DEMO_FREEMIUM_ACCOUNT.id}`, tokens.admin);
  expect({ status: before.status, body: before.body }).toMatchObject({
    status: 200,
    body: {
      kind: 'freemium', planCode: 'freemium', basePrice: 0, amountDue: 0, items: [],
      states: { conversion: 'freemium', payment: 'none', activation: 'active', operation: 'operating' },
      subscription: { planCode: 'freemium', status: 'free' },
      opportunityId: expect.any(String),
    },
  });

  // Keyed as POST /api/accounts/:id/upgrades keys it (the account's opportunity), so the store's payment would reach it.
  const id = await startExample('account-upgrade', before.body.opportunityId);
  const waiting = await processWhen(id, 'the wait for the payment', (p) => p.currentSteps?.includes('awaitPayment'));
  expect(waiting).toMatchObject({ status: 'running', stage: 'closed-won' });
  expect(waiting.variables.activation).toMatchObject({
    accountId: DEMO_FREEMIUM_ACCOUNT.id,
    items: expect.arrayContaining([expect.objectContaining({ module: 'remuneraciones', status: 'activated' }), expect.objectContaining({ module: 'usuarios-extra', status: 'activated' })]),
    total: 9990 + 4990,
    windowEndsAt: expect.any(String),
    beforeFirstInvoice: true,
  });

  const after = await stack.request('GET', `/api/accounts/${DEMO_FREEMIUM_ACCOUNT.id}`, tokens.admin);
  expect(after.body).toMatchObject({ amountDue: 9990 + 4990, states: { payment: 'pending' }, renewalDueAt: waiting.variables.activation.windowEndsAt });
  expect(after.body.items.map((i: any) => i.module).sort()).toEqual(['remuneraciones', 'usuarios-extra']);
  const provisioned = await stack.db('provisioning').where({ account_id: DEMO_FREEMIUM_ACCOUNT.id }).orderBy('code').select('kind', 'code', 'status');
  expect(provisioned).toEqual([
    { kind: 'module', code: 'remuneraciones', status: 'enabled' },
    { kind: 'module', code: 'usuarios-extra', status: 'enabled' },
  ]);

  // The next npm start seeds again: nothing new, and the upgraded account stays as the demo left it.
  expect(await seedDemoData(stack.db)).toEqual([]);
  const again = await stack.request('GET', `/api/accounts/${DEMO_FREEMIUM_ACCOUNT.id}`, tokens.admin);
  expect(again.body).toEqual(after.body);
  expect(await stack.db('accounts').where({ email: DEMO_FREEMIUM_ACCOUNT.email }).count({ n: '*' })).toEqual([{ n: '1' }]);
  expect(await stack.db('opportunities').where({ id: before.body.opportunityId }).first('status', 'account_id')).toEqual({ status: 'open', account_id: DEMO_FREEMIUM_ACCOUNT.id });
});

test("freemium-account's example signs up a business that is not an account yet (not the demo's)", async () => {
  const id = await startExample('freemium-account', 'demo-freemium');
  const done = await processWhen(id, 'the freemium account process to end', (p) => p.status !== 'running');
  expect(done).toMatchObject({ status: 'completed', outcome: 'active' });
});

// Definitions that business messages start (starters: []) have their examples here when they need demo data
// (account-upgrade) or could collide with it (freemium-account); one a person starts always needs its case.
test("residential-sale's example goes to the demo executive, and its recorded customer reaches the help desk (its zone is in the demo coverage)", async () => {
  const id = await startExample('residential-sale', 'demo-residential');
  const executive = { username: 'digital-sales-executive', token: tokens['digital-sales-executive'] };
  const classify = await inboxTask(stack, executive, id, 'classifyCustomer');
  expect(classify).toMatchObject({ assignee: 'digital-sales-executive' });
  await completeTask(stack, executive, classify, 'residential');
  // The customer form's example is what the demo executive would type.
  await completeTask(stack, executive, await inboxTask(stack, executive, id, 'recordCustomer'), 'recorded');
  const capacity = await inboxTask(stack, { username: 'help-desk', token: tokens['help-desk'] }, id, 'checkCapacity');
  expect(capacity.title).toContain('cochabamba-centro');
});

test("lead-to-customer's example puts the lead's qualification in the demo salesperson's inbox, titled with the contact and company", async () => {
  const id = await startExample('lead-to-customer', 'demo-lead');
  const task = await inboxTask(stack, { username: 'sales', token: tokens.sales }, id, 'qualify');
  expect(task.title).toBe('Qualify the lead: Laura Restrepo (Panadería El Trigal S.A.S.)');
  expect((await processWhen(id, 'the lead at stage new', (p) => p.stage === 'new')).status).toBe('running');
});

test('assisted-sale, consultant-enrollment, lead-to-customer and residential-sale are every definition a person starts, so a new one needs its case here', async () => {
  const list = await stack.request('GET', '/api/definitions', tokens.admin);
  const started: string[] = [];
  for (const { id } of list.body.items) {
    if ((await stack.request('GET', `/api/definitions/${id}`, tokens.admin)).body.definition.starters?.length) started.push(id);
  }
  expect(started.sort()).toEqual(['assisted-sale', 'consultant-enrollment', 'lead-to-customer', 'residential-sale']);
});
