/**
 * The outbox drainer: the delivery activity against real Postgres with a recording (and a failing)
 * transport, and the drainer workflow on the time-skipping server delivering what processes queue.
 */
import { createOutboxActivities, MAX_DELIVERY_ATTEMPTS, type NotificationTransport, type OutboxMessage } from '../../activities/outbox';
import { OUTBOX_DELIVERY_WORKFLOW } from '../../workflows/outbox-delivery';
import { countRows } from '../support/database';
import { eventually } from '../support/eventually';
import { useTimeSkippingStack } from '../support/time-skipping';

const stack = useTimeSkippingStack('outbox');
const db = () => stack.database.db;

let seq = 0;
async function queue(n: number): Promise<string[]> {
  const rows = Array.from({ length: n }, () => ({ channel: 'email', recipient: `r${++seq}@example.cl`, template: 'trial-reminder', payload: { seq }, idempotency_key: `test:${seq}` }));
  return (await db()('outbox').insert(rows).returning('id')).map((r: { id: string }) => r.id);
}

function recorder(): NotificationTransport & { sent: OutboxMessage[] } {
  const sent: OutboxMessage[] = [];
  return { name: 'recorder', sent, send: async (m) => void sent.push(m) };
}

beforeEach(() => db()('outbox').delete());

test('delivers pending messages in batches and marks them sent', async () => {
  const ids = await queue(3);
  const transport = recorder();
  const { 'outbox.deliverPending': deliver } = createOutboxActivities({ db: db(), transport });

  expect(await deliver({ limit: 2 })).toEqual({ sent: 2, failed: 0, remaining: 1 });
  expect(await deliver({ limit: 2 })).toEqual({ sent: 1, failed: 0, remaining: 0 });
  expect(await deliver({ limit: 2 })).toEqual({ sent: 0, failed: 0, remaining: 0 });

  expect(transport.sent.map((m) => m.id).sort()).toEqual([...ids].sort());
  expect(transport.sent[0]).toMatchObject({ channel: 'email', template: 'trial-reminder', payload: { seq: expect.any(Number) } });
  const rows = await db()('outbox').whereIn('id', ids);
  expect(rows).toHaveLength(ids.length);
  for (const row of rows) expect(row).toMatchObject({ status: 'sent', sent_at: expect.any(Date), transport: 'recorder' });
});

test("a task link's secret goes to the transport and stays in the outbox only until it is sent", async () => {
  const linkUrl = 'http://localhost:3000/link#dGhpcy1pcy1hLXNlY3JldC1vZi1mb3J0eS10aHJlZS1jaGFycw';
  const [{ id }] = await db()('outbox')
    .insert({ channel: 'email', recipient: 'cliente@laespiga.co', template: 'task-link', payload: { name: 'Andrés', title: 'Aprobar', linkUrl, expiresAt: '2027-01-01T00:00:00.000Z' }, idempotency_key: 'test:link' })
    .returning('id');
  const broken: NotificationTransport = { name: 'broken', send: async () => { throw new Error('SMTP 451 try later'); } };
  await createOutboxActivities({ db: db(), transport: broken })['outbox.deliverPending']({ limit: 1 });
  // Not delivered yet: a retry needs the link.
  expect((await db()('outbox').where({ id }).first()).payload.linkUrl).toBe(linkUrl);

  const transport = recorder();
  expect(await createOutboxActivities({ db: db(), transport })['outbox.deliverPending']({ limit: 1 })).toMatchObject({ sent: 1 });
  expect(transport.sent[0].payload.linkUrl).toBe(linkUrl);
  const row = await db()('outbox').where({ id }).first();
  expect(row).toMatchObject({ status: 'sent', payload: { name: 'Andrés', title: 'Aprobar', linkUrl: '[redacted]', expiresAt: '2027-01-01T00:00:00.000Z' } });
});

test('a failing transport leaves the message pending with its error, and gives up after the last attempt', async () => {
  const [id] = await queue(1);
  const broken: NotificationTransport = { name: 'broken', send: async () => { throw new Error('SMTP 451 try later'); } };
  const { 'outbox.deliverPending': deliver } = createOutboxActivities({ db: db(), transport: broken });

  expect(await deliver({ limit: 10 })).toEqual({ sent: 0, failed: 1, remaining: 1 });
  expect(await db()('outbox').where({ id }).first()).toMatchObject({ status: 'pending', attempts: 1, last_error: 'SMTP 451 try later' });
  for (let i = 1; i < MAX_DELIVERY_ATTEMPTS; i++) await deliver({ limit: 10 });
  expect(await deliver({ limit: 10 })).toEqual({ sent: 0, failed: 0, remaining: 0 });
  expect(await db()('outbox').where({ id }).first()).toMatchObject({ status: 'pending', attempts: MAX_DELIVERY_ATTEMPTS });
});

test('the drainer workflow delivers what is queued, also after sleeping on an empty outbox', async () => {
  await queue(2);
  const handle = await stack.env.client.workflow.start(OUTBOX_DELIVERY_WORKFLOW, {
    workflowId: `outbox-${Date.now()}`,
    taskQueue: stack.taskQueue,
    args: [{ batchSize: 10, idleMs: 60_000 }],
  });
  const sentCount = () => countRows(db(), 'outbox', { status: 'sent' });
  await eventually(sentCount, (n) => n === 2, 'the first two messages sent');

  await queue(1);
  await stack.env.sleep(61_000); // the drainer's idle sleep on an empty outbox
  await eventually(sentCount, (n) => n === 3, 'the message queued while it slept');
  await handle.terminate('test done');
});
