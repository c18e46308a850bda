/**
 * Real e-mail end to end: a process step queues a notification, the outbox delivers it over SMTP
 * (nodemailer) to the real embedded sink (smtp-server + mailparser), and operators read it through
 * GET /api/mail. A redelivered outbox row keeps its Message-ID; a template whose variable the step
 * does not give is refused at deploy, naming the variable and its line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { smtpTransport } from '../../activities/mail-transport';
import { createOutboxActivities } from '../../activities/outbox';
import { createHealthService } from '../../api/health/service';
import { startMailSink, type MailSink } from '../../lib/mail/sink';
import { ApplicationFailure } from '@temporalio/common';
import { createDomainActivities } from '../../activities/domain';
import { createAttachmentResolver } from '../../lib/mail/attachments';
import { eventually, expectError, startApiStack, type ApiStack } from '../support/api';
import { rejectionOf } from '../support/errors';
import { issuedInvoice } from '../support/invoices';

let stack: ApiStack;
let sink: MailSink;
let transport: ReturnType<typeof smtpTransport>;
let admin: string;
let store: string;

beforeAll(async () => {
  stack = await startApiStack('mail');
  sink = await startMailSink({ db: stack.db });
  transport = smtpTransport({ url: sink.url, from: stack.config.mail.from, attachments: createAttachmentResolver(stack.db) });
  [admin, store] = await Promise.all([stack.login('admin'), stack.login('integration')]);
});

afterAll(async () => {
  transport?.close();
  await sink?.stop();
  await stack?.close();
});

const deliverPending = () => createOutboxActivities({ db: stack.db, transport })['outbox.deliverPending']({ limit: 50 });
const inbox = async (to: string) => (await stack.request('GET', `/api/mail?to=${encodeURIComponent(to)}`, admin)).body;

test('a freemium sign-up sends its welcome in Spanish through the sink, and a redelivery keeps the Message-ID', async () => {
  const email = `bienvenida${Date.now()}@cafeteriaelmolino.cl`;
  const signup = await stack.request('POST', '/api/accounts', store, { kind: 'freemium', email, rut: '77.123.456-9', name: 'Cafetería El Molino Ltda.', channel: 'landing' });
  expect(signup.status).toBe(201);
  // The process's notify step (freemium-account.yaml, sendWelcome) queues it in the outbox.
  const row = (await eventually<{ id: string } | undefined>(() => stack.db('outbox').where({ recipient: email }).first(), Boolean, 'the welcome queued in the outbox'))!;
  expect(row).toMatchObject({ template: 'freemium-welcome', language: 'es', status: 'pending' });

  expect((await deliverPending()).sent).toBeGreaterThanOrEqual(1);
  expect(await stack.db('outbox').where({ id: row.id }).first()).toMatchObject({ status: 'sent', transport: 'smtp', attempts: 1 });

  const first = await inbox(email);
  expect(first.total).toBe(1);
  const [summary] = first.items;
  expect(summary).toMatchObject({
    to: [email],
    from: '"Cauce" <no-reply@cauce.example>', // mail.from as mailparser prints it
    subject: 'Bienvenido a tu cuenta gratuita, Cafetería El Molino Ltda.',
    template: 'freemium-welcome',
    outboxId: row.id,
    messageId: `outbox.${row.id}@cauce.example`,
  });
  const message = (await stack.request('GET', `/api/mail/${summary.id}`, admin)).body;
  expect(message.text).toContain(`La cuenta gratuita de Cafetería El Molino Ltda. está lista (cuenta ${signup.body.accountId})`);
  expect(message.html).toBeNull();

  // A crash after the relay took it but before the row was marked: the drainer sends the row again.
  await stack.db('outbox').where({ id: row.id }).update({ status: 'pending', sent_at: null });
  await deliverPending();
  const again = await inbox(email);
  expect(again.total).toBe(2);
  expect(new Set(again.items.map((m: { messageId: string }) => m.messageId))).toEqual(new Set([`outbox.${row.id}@cauce.example`]));
  expect(await stack.db('outbox').where({ id: row.id }).first()).toMatchObject({ status: 'sent', attempts: 2 });
});

test('English when the row asks for it; the HTML part escapes the data, the text part does not', async () => {
  const email = `reminder${Date.now()}@example.com`;
  const [{ id }] = await stack
    .db('outbox')
    .insert({
      channel: 'email',
      recipient: email,
      template: 'trial-reminder',
      language: 'en',
      payload: { accountName: 'Tom & <Jerry>', daysLeft: 7, expiresAt: '2026-12-31', planCode: 'trial-pyme' },
      idempotency_key: `mail-test:${email}`,
    })
    .returning('id');
  await deliverPending();
  const [summary] = (await inbox(email)).items;
  expect(summary).toMatchObject({ subject: 'Your Tom & <Jerry> trial ends in 7 days', outboxId: id });
  const message = (await stack.request('GET', `/api/mail/${summary.id}`, admin)).body;
  expect(message.text).toContain('The trial of Tom & <Jerry> (plan trial-pyme) has 7 days left');
  expect(message.html).toContain('<strong>Tom &amp; &lt;Jerry&gt;</strong>');
});

test('an unknown template, or a relay that is down, leaves the row pending with its error', async () => {
  const email = `nadie${Date.now()}@example.com`;
  const [{ id }] = await stack
    .db('outbox')
    .insert({ channel: 'email', recipient: email, template: 'no-such-template', payload: {}, idempotency_key: `mail-test:${email}` })
    .returning('id');
  await deliverPending();
  expect(await stack.db('outbox').where({ id }).first()).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining("unknown e-mail template 'no-such-template'") });
  await stack.db('outbox').where({ id }).update({ template: 'task-overdue' });

  const down = smtpTransport({ url: 'smtp://127.0.0.1:1', from: stack.config.mail.from });
  await createOutboxActivities({ db: stack.db, transport: down })['outbox.deliverPending']({ limit: 50 });
  down.close();
  expect(await stack.db('outbox').where({ id }).first()).toMatchObject({ status: 'pending', attempts: 2, last_error: expect.stringContaining('ECONNREFUSED') });
  expect((await inbox(email)).total).toBe(0);

  await deliverPending(); // the relay is back
  expect(await stack.db('outbox').where({ id }).first()).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
  expect((await inbox(email)).items).toEqual([expect.objectContaining({ subject: 'Tienes una tarea vencida', messageId: `outbox.${id}@cauce.example` })]);
});

test('deploy refuses a step whose data lacks a variable its template prints, naming it and its line', async () => {
  const source = readFileSync(path.join(__dirname, '..', 'fixtures', 'broken', 'template-missing-variable.yaml'), 'utf8');
  const res = await stack.request('POST', '/api/definitions?file=reminder.yaml', admin, undefined, { raw: source, headers: { 'content-type': 'application/yaml' } });
  expectError(res, 422, 'invalid_definition');
  expect(res.body.error.details).toEqual([
    expect.objectContaining({
      file: 'reminder.yaml',
      line: 21,
      column: 7,
      path: '/steps/remind/input/data',
      message: expect.stringMatching(/^e-mail template 'trial-reminder' uses \{\{daysLeft\}\} at definitions\/templates\/es\/trial-reminder\.subject:1:\d+, which the step's data does not provide/),
    }),
  ]);
});

test('GET /api/mail/:id of an unknown message is 404', async () => {
  expectError(await stack.request('GET', '/api/mail/00000000-0000-4000-8000-000000000000', admin), 404, 'not_found');
});

describe('/healthz reports e-mail without letting it decide the status', () => {
  const health = (smtpUrl: string) => createHealthService({ db: stack.db, temporal: stack.temporal, config: { ...stack.config, mail: { ...stack.config.mail, smtpUrl } } }).check();

  test('the relay answering, and the outbox backlog: pending, failing, given up', async () => {
    await stack.db('outbox').insert([
      { channel: 'email', recipient: 'a@health.cl', template: 'trial-reminder', payload: {}, attempts: 3, idempotency_key: 'health:failing' },
      { channel: 'email', recipient: 'b@health.cl', template: 'trial-reminder', payload: {}, attempts: 10, idempotency_key: 'health:given-up' },
    ]);
    const pending = await stack.db('outbox').where({ status: 'pending' }).where('attempts', '<', 10).count({ n: '*' }).first();
    const report = await health(sink.url);
    expect(report).toMatchObject({ status: 'ok', mail: { ok: true, transport: 'smtp', relay: sink.url } });
    expect(report.mail.outbox).toEqual({ pending: Number(pending!.n), failing: expect.any(Number), givenUp: 1 });
    expect(report.mail.outbox!.failing).toBeGreaterThanOrEqual(1);
    await stack.db('outbox').whereIn('idempotency_key', ['health:failing', 'health:given-up']).delete();
  });

  test('a relay that does not answer is reported, its password never, and requests still work', async () => {
    const report = await health('smtp://cauce:s3cr3t-pass@127.0.0.1:9/');
    expect(report.status).toBe('ok');
    expect(report.mail).toMatchObject({ ok: false, transport: 'smtp', error: expect.any(String) });
    expect(JSON.stringify(report)).not.toContain('s3cr3t-pass');
    expect(report.mail.relay).toBe('smtp://cauce:***@127.0.0.1:9/');
  });
});

test("an invoice's PDF goes attached: the outbox keeps the reference, the transport renders it when it sends", async () => {
  const invoice = await issuedInvoice(stack.db, new Date().toISOString(), '279.00');
  const send = createDomainActivities({ db: stack.db })['notifications.send'];
  const ctx = (n: number) => ({ instanceId: `mail-attach-${n}`, definitionId: 'residential-sale', version: 1, businessKey: `k${n}`, stepId: 'emailInvoice', key: `mail-attach-${n}:emailInvoice:1` });
  const input = { channel: 'email', to: 'cliente.adjunto@gmail.com', template: 'residential-invoice-issued', data: { customerName: 'Ana', invoiceNumber: invoice.number, amount: 279, plan: 'Hogar Fibra 100' } };
  const queued = (await send({ ...input, attachments: [{ invoicePdf: invoice.id }] }, ctx(1))) as { notificationId: string };
  expect((await stack.db('outbox').where({ id: queued.notificationId }).first()).attachments).toEqual([{ invoicePdf: invoice.id }]);

  // An attachment that names nothing real is refused before anything is queued.
  const unknown = await rejectionOf(send({ ...input, attachments: [{ invoicePdf: '00000000-0000-4000-8000-000000000000' }] }, ctx(2)), ApplicationFailure);
  expect(unknown).toMatchObject({ type: 'InvalidInput', message: expect.stringMatching(/^attachments\[0\]\.invoicePdf: invoice 0{8}-.* does not exist/) });
  expect((await rejectionOf(send({ ...input, attachments: [{ file: '/etc/passwd' }] }, ctx(3)), ApplicationFailure)).message).toMatch(/^attachments: \[0\] must be \{ invoicePdf/);

  // A transport that cannot render attachments leaves the row pending, with the reason.
  const plain = smtpTransport({ url: sink.url, from: stack.config.mail.from });
  await createOutboxActivities({ db: stack.db, transport: plain })['outbox.deliverPending']({ limit: 50 });
  plain.close();
  expect(await stack.db('outbox').where({ id: queued.notificationId }).first()).toMatchObject({ status: 'pending', last_error: expect.stringContaining('cannot render attachments') });

  await deliverPending();
  expect(await stack.db('outbox').where({ id: queued.notificationId }).first()).toMatchObject({ status: 'sent' });
  const [received] = (await inbox('cliente.adjunto@gmail.com')).items;
  expect(received.attachments).toEqual([{ filename: `factura-${invoice.number}.pdf`, contentType: 'application/pdf', size: expect.any(Number) }]);
  expect(received.attachments[0].size).toBeGreaterThan(500);
});
