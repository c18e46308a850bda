/**
 * A message delivered to a running instance waits on the workflow with a server-side timeout: past it
 * the caller hears 504 `event_pending` (the process keeps the event), and the same message sent again
 * learns the outcome. (The payment webhook goes this way: api/messages/router.ts.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deployDefinition } from '../../lib/definitions/store';
import { createMessageRouter } from '../../api/messages/router';
import { createProcessService } from '../../api/processes/service';
import { HttpError } from '../../api/errors';
import { completeInboxTask, startApiStack, type ApiStack } from '../support/api';

const FIXTURE = path.join(__dirname, '../fixtures/processes/review-loop.yaml');
const DELIVERY_MS = 1_000;
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack('delivery', {
    config: (c) => ({ ...c, http: { ...c.http, timeouts: { ...c.http.timeouts, eventDeliveryMs: DELIVERY_MS } } }),
  });
  // review-loop ends in the workflow task that takes the payment (its bookkeeping is local): here a
  // task after it keeps the instance running, so the repeat below reaches a process that took the event.
  const source = readFileSync(FIXTURE, 'utf8')
    .replace('id: review-loop', 'id: review-loop-confirmed\nmessages:\n  review.payment: { event: payment }')
    .replace('markPaid: { type: setStage, stage: paid, next: done }', 'markPaid: { type: setStage, stage: paid, next: confirm }\n  confirm: { type: userTask, title: Confirm, roles: [sales], outcomes: { done: { next: done } } }');
  await deployDefinition(stack.db, source, FIXTURE, 'test');
});

afterAll(async () => {
  await stack?.close();
});

it('answers 504 event_pending when the step that takes the event is still ahead, and the repeat learns it was taken', async () => {
  const sales = { username: 'sales', token: await stack.login('sales') };
  const started = await stack.request('POST', '/api/processes', sales.token, { definitionId: 'review-loop-confirmed', businessKey: 'delivery-1', variables: { customer: 'Ferretería Sur' } });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const deps = { db: stack.db, temporal: stack.temporal, config: stack.config };
  const router = createMessageRouter(deps, createProcessService(deps));
  const payment = { name: 'review.payment', businessKey: 'delivery-1', messageId: 'pay-1', payload: { amount: 100 } };
  const integration = { id: 0, username: 'integration', roles: ['integration'], displayName: null } as never;

  // The process is at its review task: awaitPayment, which takes the payment, is ahead.
  const began = Date.now();
  const pending = await router.send(integration, payment).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(pending).toBeInstanceOf(HttpError);
  expect(pending).toMatchObject({ status: 504, code: 'event_pending' });
  expect(Date.now() - began).toBeLessThan(DELIVERY_MS + 10_000);
  // Kept by the process meanwhile.
  expect((await stack.request('GET', `/api/processes/${id}`, sales.token)).body.parkedEvents).toEqual([expect.objectContaining({ name: 'payment', eventId: 'pay-1' })]);

  await completeInboxTask(stack, sales, id, 'review', 'done', { note: 'looks good' });
  // The same delivery again: the process took it (as soon as awaitPayment was reached), nothing new happens.
  const repeat = await router.send(integration, payment);
  expect(repeat).toMatchObject({ definitionId: 'review-loop-confirmed', opened: { instanceId: id, started: false, duplicate: true, pending: false } });
});
