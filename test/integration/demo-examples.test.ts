/**
 * The demo works as shipped: every definition's first example starts through the API as a demo user
 * would start it, and reaches a step that waits for someone, never a dead end on demo data.
 */
import { inboxTask, startApiStack, type ApiStack } from '../support/api';

let stack: ApiStack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startApiStack('demo-examples');
  for (const user of ['admin', 'consultant', 'back-office']) tokens[user] = await stack.login(user);
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

test('those two are every definition a person starts (the others open from business messages), so a new one needs its case here', async () => {
  const list = await stack.request('GET', '/api/definitions', tokens.admin);
  const started: string[] = [];
  for (const { id } of list.body.items) {
    if ((await stack.request('GET', `/api/definitions/${id}`, tokens.admin)).body.definition.starters?.length) started.push(id);
  }
  expect(started.sort()).toEqual(['assisted-sale', 'consultant-enrollment']);
});
