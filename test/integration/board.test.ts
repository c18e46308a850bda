/**
 * Seed 001's pipeline board through the HTTP API on real Postgres and Temporal: the lead definition's
 * stages are the columns, each paged by keyset; a card's moves are its open task's outcomes, and
 * dragging it (completing the task with that outcome) moves the lead, recorded with its actor.
 */
import { completeTask, eventually, expectError, inboxTask, startApiStack, type ApiStack, type Caller } from '../support/api';
import { seed001People } from '../support/lead-api';

let stack: ApiStack;
let sales: Caller;
const run = Date.now().toString(36);

beforeAll(async () => {
  stack = await startApiStack('board');
  ({ sales } = await seed001People(stack));
});

afterAll(async () => {
  await stack?.close();
});

const board = (path = '') => stack.request('GET', `/api/boards/lead-to-customer${path}`, sales.token);

test("the columns are the lead's stages; a column pages newest first; dragging a card to a column completes its task and moves the lead", async () => {
  const leads: string[] = [];
  for (let n = 1; n <= 3; n++) {
    const res = await stack.request('POST', '/api/processes', sales.token, { definitionId: 'lead-to-customer', businessKey: `board-${run}-${n}`, variables: { contact: { name: `Lead ${n}`, email: `board-${run}-${n}@lead.example` }, company: { name: `Empresa ${n}` } } });
    leads.push(res.body.id);
    await inboxTask(stack, sales, res.body.id, 'qualify');
  }
  const columns = (await board()).body.columns;
  expect(columns.map((c: { stage: string }) => c.stage)).toEqual(['new', 'qualified', 'proposal-declined', 'won', 'contract-sent', 'contract-signed', 'customer', 'invoiced', 'overdue', 'paid', 'lost']);
  expect(columns.find((c: { stage: string }) => c.stage === 'new').count).toBe(3);

  const first = await board('/columns/new?limit=2');
  expect(first.body.items.map((i: { processId: string }) => i.processId)).toEqual([leads[2], leads[1]]);
  expect(first.body.items[0]).toMatchObject({ title: 'Lead 3 (Empresa 3)', startedBy: 'valentina' });
  const moves = first.body.items[0].moves;
  expect(moves.map((m: { stage: string; outcome: string }) => [m.stage, m.outcome]).sort()).toEqual([['lost', 'notAFit'], ['qualified', 'qualified']]);
  const second = await board(`/columns/new?limit=2&after=${first.body.next}`);
  expect(second.body).toMatchObject({ items: [{ processId: leads[0] }], next: null });

  // Dragging lead 3 to "qualified": its qualify task completed with the outcome the move names.
  const move = moves.find((m: { stage: string }) => m.stage === 'qualified');
  await completeTask(stack, sales, { id: move.taskId, stepId: 'qualify' }, move.outcome, { need: 'Facturación electrónica' });
  await eventually(() => board('/columns/qualified'), (r) => r.body.items.length === 1, 'the card in qualified');
  expect((await board()).body.columns.filter((c: { count: number }) => c.count > 0).map((c: { stage: string; count: number }) => [c.stage, c.count])).toEqual([['new', 2], ['qualified', 1]]);
  const lead = (await stack.request('GET', `/api/processes/${leads[2]}`, sales.token)).body;
  expect(lead.stageHistory.at(-1)).toMatchObject({ stage: 'qualified', actor: 'valentina' });
});

test('leads started within one millisecond (an import) are each on a page: the cursor keeps the microseconds', async () => {
  const ids: string[] = [];
  for (let n = 10; n < 13; n++) {
    const res = await stack.request('POST', '/api/processes', sales.token, { definitionId: 'lead-to-customer', businessKey: `board-ms-${run}-${n}`, variables: { contact: { name: `Import ${n}`, email: `board-ms-${run}-${n}@lead.example` } } });
    ids.push(res.body.id);
  }
  for (const [i, id] of ids.entries()) await stack.db('process_instances').where({ id }).update({ started_at: `2020-01-01T00:00:00.000${i + 1}00Z`, stage: 'won' });
  const seen: string[] = [];
  let after = '';
  do {
    const page = await board(`/columns/won?limit=1${after ? `&after=${after}` : ''}`);
    seen.push(...page.body.items.map((i: { processId: string }) => i.processId));
    after = page.body.next ?? '';
  } while (after);
  expect(seen).toEqual([...ids].reverse());
});

test('a cursor no page gave is 400; an unknown stage or definition is 404; the board is the salespeople\'s', async () => {
  expectError(await board('/columns/new?after=garbage'), 400, 'invalid_cursor');
  expectError(await board('/columns/nowhere'), 404);
  expectError(await stack.request('GET', '/api/boards/no-such-definition', sales.token), 404);
  await stack.addUser('otro', ['billing']);
  expectError(await stack.request('GET', '/api/boards/lead-to-customer', await stack.login('otro')), 403);
});
