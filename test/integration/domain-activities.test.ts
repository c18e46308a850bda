/**
 * Domain activities against a real Postgres (a fresh copy of the migrated template): each write happens
 * once per idempotency key, and the business rules of seeds 000, 003 and 004 hold on real rows.
 */
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import { countRows, freshDatabase, type FreshDatabase } from '../support/database';
import { attachedSink } from '../support/assisted-sale';
import { pdfBytes } from '../support/documents';
import { rejectionOf } from '../support/errors';
import { overdueInvoice } from '../support/invoices';
import { activityCatalog } from '../../lib/definitions/activity-catalog';
import { createDomainActivities } from '../../activities/domain';
import { createEstimateStore } from '../../lib/estimates';
import { takeFolio } from '../../lib/billing';
import type { ProcessActivity, StepContext } from '../../activities/context';

let env: FreshDatabase;
let db: Knex;
let act: Record<string, ProcessActivity>;

beforeAll(async () => {
  env = await freshDatabase();
  db = env.db;
  act = createDomainActivities({ db });
});
afterAll(async () => {
  await env?.drop();
});

let seq = 0;
/** A fresh step execution; pass the same ctx twice to simulate a retry. */
function ctx(stepId = 'step'): StepContext {
  seq += 1;
  const instanceId = `inst-${seq}`;
  return { instanceId, definitionId: 'trial-lifecycle', version: 1, businessKey: `bk-${seq}`, stepId, key: `${instanceId}:${stepId}:1` };
}

const call = (name: string, input: Record<string, unknown>, c: StepContext) => act[name](input, c) as Promise<Record<string, any>>;

let emailSeq = 0;
function trialInput(overrides: Record<string, unknown> = {}) {
  emailSeq += 1;
  return { email: `user${emailSeq}@laespiga.cl`, rut: '76.086.428-5', name: 'Panadería La Espiga SpA', planCode: 'trial-pyme', channel: 'ecommerce', ...overrides };
}

async function trialAccount(): Promise<string> {
  return (await call('accounts.createTrial', trialInput(), ctx('createAccount'))).accountId;
}

describe('catalog', () => {
  test('createDomainActivities provides exactly the catalog names', () => {
    expect(Object.keys(act).sort()).toEqual(Object.keys(activityCatalog).sort());
  });
});

describe('accounts', () => {
  test('createTrial twice with the same key writes one account and returns the same result', async () => {
    const c = ctx('createAccount');
    const input = trialInput();
    const first = await call('accounts.createTrial', input, c);
    const second = await call('accounts.createTrial', input, c);
    expect(second).toEqual(first);
    expect(await countRows(db, 'accounts', { idempotency_key: c.key })).toBe(1);
    expect(first).toMatchObject({ status: 'trial', planCode: 'trial-pyme', trialDays: 30 });
    const row = await db('accounts').where({ id: first.accountId }).first();
    expect(row).toMatchObject({ email: input.email, rut: '76086428-5', kind: 'trial', instance_id: c.instanceId });
  });

  test('trial days come from the plan row', async () => {
    const emprende = await call('accounts.createTrial', trialInput({ planCode: 'trial-emprende' }), ctx());
    expect(emprende.trialDays).toBe(14);
    const days = (Date.parse(emprende.expiresAt) - Date.parse(emprende.createdAt)) / 86_400_000;
    expect(days).toBe(14);

    await db('plans').insert({ code: 'trial-45', name: 'Trial 45', kind: 'trial', base_price: 10000, periodicity: 'monthly', trial_days: 45 });
    expect((await call('accounts.createTrial', trialInput({ planCode: 'trial-45' }), ctx())).trialDays).toBe(45);
  });

  test('an email already used by another account is a non-retryable EmailTaken naming the email', async () => {
    const input = trialInput();
    await call('accounts.createTrial', input, ctx());
    const err = await rejectionOf(call('accounts.createTrial', { ...input, email: input.email.toUpperCase() }, ctx()), ApplicationFailure);
    expect(err).toMatchObject({ type: 'EmailTaken', nonRetryable: true });
    expect(err.message).toContain(input.email);
    const freemium = await rejectionOf(call('accounts.createFreemium', { ...input, planCode: undefined }, ctx()), ApplicationFailure);
    expect(freemium.type).toBe('EmailTaken');
  });

  test('bad input is a non-retryable InvalidInput naming the field', async () => {
    const badRut = await rejectionOf(call('accounts.createTrial', trialInput({ rut: '76.086.428-4' }), ctx()), ApplicationFailure);
    expect(badRut).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(badRut.message).toMatch(/^rut:/);
    expect((await rejectionOf(call('accounts.createTrial', trialInput({ email: 'no-at-sign' }), ctx()), ApplicationFailure)).message).toMatch(/^email:/);
    expect((await rejectionOf(call('accounts.createTrial', trialInput({ channel: 'fax' }), ctx()), ApplicationFailure)).message).toMatch(/^channel:/);
    expect((await rejectionOf(call('accounts.createTrial', trialInput({ planCode: 'freemium' }), ctx()), ApplicationFailure)).message).toMatch(/^planCode:/);
  });

  test('freemium accounts are active, at $0 and without a time limit', async () => {
    const result = await call('accounts.createFreemium', trialInput({ planCode: undefined }), ctx());
    expect(result).toMatchObject({ status: 'active', planCode: 'freemium' });
    expect(await db('accounts').where({ id: result.accountId }).first('trial_ends_at')).toEqual({ trial_ends_at: null });
  });

  test('suspend and activate change the status once per key and keep the history', async () => {
    const accountId = await trialAccount();
    const suspend = ctx('suspendAccount');
    const first = await call('accounts.suspend', { accountId, reason: 'trial expired' }, suspend);
    const again = await call('accounts.suspend', { accountId, reason: 'trial expired' }, suspend);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ status: 'suspended', previousStatus: 'trial' });
    // A suspended trial expired unpaid: activation, conversion and operation each changed once.
    const history = await db('status_changes').where({ entity_id: accountId }).orderBy('id').select('dimension', 'from_status', 'to_status');
    expect(history).toEqual([
      { dimension: 'status', from_status: 'trial', to_status: 'suspended' },
      { dimension: 'conversion', from_status: 'trial', to_status: 'lost' },
      { dimension: 'operation', from_status: 'setup', to_status: 'restricted' },
    ]);

    // A retry of the suspension after a later activation must not suspend the account again.
    await call('accounts.activate', { accountId }, ctx('activateAccount'));
    await call('accounts.suspend', { accountId, reason: 'trial expired' }, suspend);
    expect((await db('accounts').where({ id: accountId }).first()).status).toBe('active');
    expect(await countRows(db, 'status_changes', { entity_id: accountId, dimension: 'status' })).toBe(2);
    expect(await countRows(db, 'status_changes', { entity_id: accountId })).toBe(4);
  });

  test('an unknown account is NotFound', async () => {
    const err = await rejectionOf(call('accounts.suspend', { accountId: '00000000-0000-4000-8000-000000000000', reason: 'x' }, ctx()), ApplicationFailure);
    expect(err).toMatchObject({ type: 'NotFound', nonRetryable: true });
  });
});

describe('payments and invoices', () => {
  test('payments.record twice with the same key writes one payment', async () => {
    const accountId = await trialAccount();
    const c = ctx('recordPayment');
    const input = { accountId, amount: '29990', currency: 'clp', method: 'webpay', reference: 'WP-8812' };
    const first = await call('payments.record', input, c);
    expect(await call('payments.record', input, c)).toEqual(first);
    expect(first).toMatchObject({ amount: 29990, currency: 'CLP', reference: 'WP-8812' });
    expect(await countRows(db, 'payments', { account_id: accountId })).toBe(1);
    expect((await rejectionOf(call('payments.record', { ...input, amount: -1 }, ctx()), ApplicationFailure)).message).toMatch(/^amount:/);
    expect((await rejectionOf(call('payments.record', { amount: 1, method: 'x' }, ctx()), ApplicationFailure)).message).toMatch(/^accountId:/);
  });

  test('invoice numbers are sequential, unique, and taken only once per key', async () => {
    const accountId = await trialAccount();
    const input = { accountId, customerTaxId: '76086428-5', customerName: 'Panadería La Espiga SpA', description: 'Primer periodo', amount: 29990 };
    const c1 = ctx('issueFirstInvoice');
    const first = await call('invoices.issue', input, c1);
    const retried = await call('invoices.issue', input, c1);
    const second = await call('invoices.issue', input, ctx('issueFirstInvoice'));
    const third = await call('invoices.issue', input, ctx('issueFirstInvoice'));
    expect(retried).toEqual(first);
    expect([second.number, third.number]).toEqual([first.number + 1, first.number + 2]);
    expect(first).toMatchObject({ channel: 'Canal Digital', sellerName: null, amount: 29990, currency: 'CLP' });
    expect(await countRows(db, 'invoices', { idempotency_key: c1.key })).toBe(1);

    const concurrent = await Promise.all(Array.from({ length: 10 }, () => call('invoices.issue', input, ctx())));
    const numbers = concurrent.map((r) => r.number);
    expect(new Set(numbers).size).toBe(10);
    expect(Math.min(...numbers)).toBe(third.number + 1);
    expect(Math.max(...numbers)).toBe(third.number + 10);
  });
});

describe('crm', () => {
  beforeAll(async () => {
    await db('crm_records').insert([
      { system: 'hubspot', kind: 'contact', external_id: 'hs-1', email: 'owner@hubspot.cl', name: 'Ana', owner_name: 'Carla Soto' },
      { system: 'crm-nova', kind: 'contact', external_id: 'nv-1', email: 'owner@hubspot.cl', name: 'Ana', owner_name: 'Pedro Nova' },
      { system: 'crm-nova', kind: 'contact', external_id: 'nv-2', email: 'nova@contact.cl', name: 'Luis', owner_name: 'Pedro Nova' },
      { system: 'crm-nova', kind: 'contact', external_id: 'nv-3', email: 'via@company.cl', name: 'Eva', company_tax_id: '77777777-7' },
      { system: 'crm-nova', kind: 'company', external_id: 'nv-c1', tax_id: '77777777-7', name: 'Eva SpA', owner_name: 'Rosa Empresa' },
      { system: 'onyx', kind: 'company', external_id: 'onx-1', tax_id: '900123456-8', name: 'La Espiga SAS' },
      { system: 'rr', kind: 'company', external_id: 'rr-1', tax_id: '900123456-8', name: 'La Espiga SAS' },
    ]);
  });

  test('the commercial owner follows seed 000: HubSpot contact, CRM Nova contact, CRM Nova company', async () => {
    expect(await call('crm.lookupClient', { email: 'OWNER@hubspot.cl' }, ctx())).toMatchObject({ commercialOwner: 'Carla Soto', ownerSource: 'hubspot-contact' });
    expect(await call('crm.lookupClient', { email: 'nova@contact.cl' }, ctx())).toMatchObject({ commercialOwner: 'Pedro Nova', ownerSource: 'crm-nova-contact' });
    expect(await call('crm.lookupClient', { email: 'via@company.cl' }, ctx())).toMatchObject({ commercialOwner: 'Rosa Empresa', ownerSource: 'crm-nova-company' });
    expect(await call('crm.lookupClient', { taxId: '77.777.777-7' }, ctx())).toMatchObject({ commercialOwner: 'Rosa Empresa' });
    expect(await call('crm.lookupClient', { email: 'nobody@nowhere.cl' }, ctx())).toEqual({
      found: false, systems: [], inOnyx: false, inRr: false, commercialOwner: null, ownerSource: null,
    });
  });

  test('reports ONYX / RR presence for the assisted sale', async () => {
    expect(await call('crm.lookupClient', { taxId: '900.123.456-8' }, ctx())).toMatchObject({ found: true, inOnyx: true, inRr: true, commercialOwner: null });
    expect((await rejectionOf(call('crm.lookupClient', {}, ctx()), ApplicationFailure)).type).toBe('InvalidInput');
  });
});

describe('contracts and work orders', () => {
  test('contracts.register records provisioning\'s consecutive once per key, and answers a number another sale holds with its holder', async () => {
    const input = { system: 'onyx', contractNumber: 'mnd-610001', clientTaxId: '900123456-8', clientName: 'La Espiga SAS', registeredBy: 'provisioning' };
    const c = ctx('recordContract');
    const first = await call('contracts.register', input, c);
    expect(first).toMatchObject({ registered: true, contractNumber: 'MND-610001', system: 'onyx', registeredBy: 'provisioning' });
    expect(await call('contracts.register', input, c)).toEqual(first);
    // The same sale on a later visit of the step (a new key) holds it already: registered, not taken.
    expect(await call('contracts.register', input, { ...c, key: `${c.instanceId}:recordContract:2` })).toMatchObject({ registered: true, contractId: first.contractId });
    const other = ctx('recordContract');
    expect(await call('contracts.register', { ...input, clientTaxId: '800999111-2', clientName: 'Otra SAS' }, other)).toMatchObject({
      registered: false, contractNumber: 'MND-610001', system: 'onyx', takenBy: { clientName: 'La Espiga SAS', clientTaxId: '900123456-8' },
    });
    // Unique per system: RR has its own numbers.
    expect(await call('contracts.register', { ...input, system: 'rr' }, other)).toMatchObject({ registered: true, system: 'rr' });
    expect(await countRows(db, 'contract_numbers', { number: 'MND-610001' })).toBe(2);
    expect((await rejectionOf(call('contracts.register', { ...input, system: 'sap' }, ctx()), ApplicationFailure)).message).toMatch(/^system:/);
  });

  test('portfolio.check reads the customer\'s overdue invoices whatever the tax id\'s punctuation', async () => {
    expect(await call('portfolio.check', { customerTaxId: '811.222.333-4' }, ctx())).toMatchObject({ clear: true, summary: 'nothing owed' });
    await overdueInvoice(db, '811222333-4', 'Morosa SAS');
    const owing = await call('portfolio.check', { customerTaxId: '811.222.333-4' }, ctx());
    expect(owing).toMatchObject({ clear: false, owed: [{ currency: 'COP', amount: 89900 }], summary: '1 overdue invoice (COP 89900)' });
    expect((await rejectionOf(call('portfolio.check', {}, ctx()), ApplicationFailure)).type).toBe('InvalidInput');
  });

  test('contract numbers and work orders are written once per key, with consecutive numbers', async () => {
    const c = ctx('requestContractNumber');
    const input = { system: 'onyx', clientTaxId: '900123456-8', clientName: 'La Espiga SAS', requestedBy: 'laura.gomez' };
    const contract = await call('contracts.requestNumber', input, c);
    expect(await call('contracts.requestNumber', input, c)).toEqual(contract);
    expect(contract.contractNumber).toMatch(/^MND-\d{6}$/);
    const next = await call('contracts.requestNumber', input, ctx());
    expect(Number(next.contractNumber.slice(4))).toBe(Number(contract.contractNumber.slice(4)) + 1);
    expect((await rejectionOf(call('contracts.requestNumber', { ...input, system: 'sap' }, ctx()), ApplicationFailure)).message).toMatch(/^system:/);

    const w = ctx('createWorkOrder');
    const woInput = { contractNumber: contract.contractNumber, clientTaxId: '900123456-8', clientName: 'La Espiga SAS', product: 'mnd-posicionamiento', documents: [{ kind: 'contract', url: 'https://x.co/c.pdf' }] };
    const wo = await call('workOrders.create', woInput, w);
    expect(await call('workOrders.create', woInput, w)).toEqual(wo);
    expect(wo).toMatchObject({ status: 'open', number: expect.stringMatching(/^OT-\d{6}$/) });
    expect(await countRows(db, 'work_orders', { contract_number: contract.contractNumber })).toBe(1);

    const close = ctx('closeWorkOrder');
    const closed = await call('workOrders.close', { workOrderId: wo.workOrderId }, close);
    expect(await call('workOrders.close', { workOrderId: wo.workOrderId }, close)).toEqual(closed);
    expect(closed).toMatchObject({ status: 'closed', number: wo.number });
    expect((await db('work_orders').where({ id: wo.workOrderId }).first()).billing_started_at).not.toBeNull();
    // Closing again from another step is a business error, not something to retry.
    expect((await rejectionOf(call('workOrders.close', { workOrderId: wo.workOrderId }, ctx()), ApplicationFailure)).type).toBe('InvalidTransition');
  });
});

describe('unattended requests', () => {
  test('requests.recordUnattended writes one row per instance: a retry, or a cancellation racing the unattended step, keeps the first reason', async () => {
    const first = ctx('recordNoCoverage');
    const input = { reasonCode: 'no-coverage', reason: 'no coverage in zone tiquipaya', customerName: 'Ana Rojas', phone: '+591 70712345', owner: 'mariela' };
    const recorded = await call('requests.recordUnattended', input, first);
    expect(await call('requests.recordUnattended', input, first)).toEqual(recorded);
    // The onCancel path of the same instance: another step, another key.
    const cancelled = { ...first, stepId: 'recordCancelled', key: `${first.instanceId}:recordCancelled:1` };
    expect(await call('requests.recordUnattended', { ...input, reasonCode: 'cancelled', reason: 'cancelled by admin: x' }, cancelled)).toEqual(recorded);
    expect(await db('unattended_requests').where({ instance_id: first.instanceId })).toEqual([expect.objectContaining({ reason_code: 'no-coverage' })]);
  });
});

describe('work order documents', () => {
  const instance = async (c: StepContext) => {
    await db('process_instances').insert({ id: c.instanceId, workflow_id: c.instanceId, definition_id: 'assisted-sale', version: 1, business_key: c.businessKey, status: 'running', started_by: 'consultant' });
  };
  const order = (documents: unknown) => ({ contractNumber: 'MND-000777', clientTaxId: '900123456-8', clientName: 'La Espiga SAS', product: 'mnd-basico', documents });

  test('workOrders.create carries the uploaded documents attached to the sale, with their files, and refuses one of another sale or kind', async () => {
    const c = ctx('createWorkOrder');
    const other = ctx('other');
    await instance(c);
    await instance(other);
    const contract = await attachedSink(db, c.instanceId)('contract', pdfBytes('contrato 777'), 'contrato.pdf');
    const foreign = await attachedSink(db, other.instanceId)('contract', pdfBytes('otro'), 'otro.pdf');

    const wrongSale = await rejectionOf(call('workOrders.create', order([{ kind: 'contract', documentId: foreign }]), c), ApplicationFailure);
    expect(wrongSale).toMatchObject({ type: 'InvalidInput', nonRetryable: true, message: `documents[0].documentId: document ${foreign} is not attached to this sale` });
    const wrongKind = await rejectionOf(call('workOrders.create', order([{ kind: 'annex', documentId: contract }]), c), ApplicationFailure);
    expect(wrongKind.message).toBe(`documents[0].documentId: document ${contract} is of kind 'contract', not 'annex'`);
    const notAnId = await rejectionOf(call('workOrders.create', order([{ kind: 'annex', documentId: '' }]), c), ApplicationFailure);
    expect(notAnId.message).toMatch(/^documents\[0\]\.documentId: must be the id of an uploaded document/);
    expect(await countRows(db, 'work_orders', { idempotency_key: c.key })).toBe(0);

    const wo = await call('workOrders.create', order([{ kind: 'contract', documentId: contract }]), c);
    const row = await db('documents').where({ id: contract }).first();
    expect(wo.documents).toEqual([{ kind: 'contract', documentId: contract, filename: 'contrato.pdf', contentType: 'application/pdf', sha256: row.sha256 }]);
    expect((await db('work_orders').where({ id: wo.workOrderId }).first()).documents).toEqual(wo.documents);
  });
});

describe('notifications', () => {
  test('notifications.send queues one outbox row per key, in its language, for a template that exists', async () => {
    const c = ctx('sendInvoice');
    const c2 = () => ctx('sendInvoiceEn');
    const input = { channel: 'email', to: 'contacto@laespiga.cl', template: 'invoice-issued', data: { invoiceNumber: 12 } };
    const first = await call('notifications.send', input, c);
    expect(await call('notifications.send', input, c)).toEqual(first);
    expect(first).toMatchObject({ status: 'pending', channel: 'email' });
    const row = await db('outbox').where({ idempotency_key: c.key }).first();
    expect(row).toMatchObject({ template: 'invoice-issued', payload: { invoiceNumber: 12 }, sent_at: null });
    expect((await rejectionOf(call('notifications.send', { ...input, to: 'nope' }, ctx()), ApplicationFailure)).message).toMatch(/^to:/);
    expect(row.language).toBe('es');
    const unknown = await rejectionOf(call('notifications.send', { ...input, template: 'invoice-isued' }, ctx()), ApplicationFailure);
    expect(unknown).toMatchObject({ type: 'InvalidInput', nonRetryable: true, message: expect.stringMatching(/^template: unknown e-mail template 'invoice-isued'/) });
    expect((await rejectionOf(call('notifications.send', { ...input, language: 'fr' }, ctx()), ApplicationFailure)).message).toMatch(/^language:/);
    const english = await call('notifications.send', { ...input, language: 'en' }, c2());
    expect(await db('outbox').where({ id: english.notificationId }).first()).toMatchObject({ language: 'en' });
  });
});

describe('consultants', () => {
  const person = (documentNumber: string, zone = 'bogota-norte') => ({
    country: 'CO', documentType: 'CC', documentNumber, name: 'Marcela Ríos', email: `${documentNumber}@gmail.com`, zone,
  });

  test('registration, sponsor, blacklist, activation and credit limit', async () => {
    const sponsorReg = await call('consultants.register', { person: person('79111222'), channel: 'corporate-backend', formType: 'long' }, ctx());
    await call('consultants.activate', { consultantId: sponsorReg.consultantId }, ctx());
    expect(await call('consultants.lookupSponsor', { email: '79111222@gmail.com' }, ctx())).toMatchObject({ found: true, zone: 'bogota-norte', sponsorId: sponsorReg.consultantId });
    expect(await call('consultants.lookupSponsor', { documentNumber: '000' }, ctx())).toMatchObject({ found: false, zone: null });

    const c = ctx('register');
    const input = { person: person('1.020.304.050'), channel: 'replicated-site', formType: 'long', sponsorId: sponsorReg.consultantId, documents: [{ type: 'id-copy', url: 'https://f.co/1.pdf' }] };
    const reg = await call('consultants.register', input, c);
    expect(await call('consultants.register', input, c)).toEqual(reg);
    expect(reg.status).toBe('pre-registered');
    expect(await countRows(db, 'consultants', { document_number: '1020304050' })).toBe(1);
    // Registering again while the registration is pending writes nothing: already registered.
    expect(await call('consultants.register', input, ctx())).toMatchObject({ consultantId: reg.consultantId, case: 'already-registered', status: 'pre-registered' });
    expect(await countRows(db, 'consultants', { document_number: '1020304050' })).toBe(1);
    expect((await rejectionOf(call('consultants.register', { ...input, person: { ...input.person, zone: '' } }, ctx()), ApplicationFailure)).message).toMatch(/^person\.zone:/);

    const credit = ctx('setCreditLimit');
    expect(await call('consultants.setCreditLimit', { consultantId: reg.consultantId, amount: 300000 }, credit)).toEqual({ consultantId: reg.consultantId, creditLimit: 300000 });
    await call('consultants.setCreditLimit', { consultantId: reg.consultantId, amount: 300000 }, credit);
    expect(await countRows(db, 'credit_limits', { consultant_id: reg.consultantId })).toBe(1);

    const payment = await call('payments.record', { consultantId: reg.consultantId, amount: 45000, currency: 'COP', method: 'pse' }, ctx());
    expect(payment.currency).toBe('COP');
    const activated = await call('consultants.activate', { consultantId: reg.consultantId }, ctx());
    expect(activated.status).toBe('active');
    expect(Number((await db('consultants').where({ id: reg.consultantId }).first()).credit_limit)).toBe(300000);

    const [entry] = await db('blacklist').insert({ country: 'CO', document_type: 'CC', document_number: '55555555', reason_code: 'terms-violation', reason: 'Incumplimiento de términos' }).returning('id');
    expect(await call('consultants.checkBlacklist', { country: 'co', documentType: 'CC', documentNumber: '55.555.555' }, ctx()))
      .toEqual({ blacklisted: true, reasonCode: 'terms-violation', reasonLabel: 'Incumplimiento de términos y condiciones', reason: 'Incumplimiento de términos' });
    // A removed entry is kept and blocks no one.
    await db('blacklist').where({ id: entry.id }).update({ removed_at: db.fn.now(), removed_by: 'admin', removal_reason: 'error de digitación' });
    expect((await call('consultants.checkBlacklist', { country: 'CO', documentType: 'CC', documentNumber: '55555555' }, ctx())).blacklisted).toBe(false);
    expect((await call('consultants.checkBlacklist', { country: 'CO', documentType: 'CC', documentNumber: '1020304050' }, ctx())).blacklisted).toBe(false);
  });

  test('a rejected person may register again', async () => {
    const reg = await call('consultants.register', { person: person('88000111'), channel: 'chatbot', formType: 'short' }, ctx());
    const rejected = await call('consultants.reject', { consultantId: reg.consultantId, reason: 'documents not valid' }, ctx());
    expect(rejected.status).toBe('rejected');
    const again = await call('consultants.register', { person: person('88000111'), channel: 'chatbot', formType: 'short' }, ctx());
    expect(again).toMatchObject({ case: 'new-consultant', status: 'pre-registered' });
    expect(again.consultantId).not.toBe(reg.consultantId);
  });

  test('one record per person moves through the cases: a customer becomes a consultant, goes inactive, returns, and goes back to customer', async () => {
    const register = (registerAs: string, c = ctx()) => call('consultants.register', { person: person('71555666'), channel: 'corporate-site', formType: 'short', registerAs }, c);
    const first = ctx('register');
    const customer = await register('customer', first);
    expect(customer).toMatchObject({ case: 'new-customer', kind: 'customer', status: 'active' });
    // A retry of the same step answers what the first attempt did, not a new case.
    expect(await register('customer', first)).toEqual(customer);
    expect(await register('customer')).toMatchObject({ case: 'already-registered', kind: 'customer' });
    expect(await register('consultant')).toMatchObject({ consultantId: customer.consultantId, case: 'customer-to-consultant', kind: 'consultant', status: 'pre-registered' });
    await call('consultants.activate', { consultantId: customer.consultantId }, ctx());
    expect(await register('consultant')).toMatchObject({ case: 'already-registered', status: 'active' });
    await db('consultants').where({ id: customer.consultantId }).update({ status: 'inactive' });
    expect(await register('consultant')).toMatchObject({ case: 'returning-consultant', status: 'pre-registered' });
    await call('consultants.activate', { consultantId: customer.consultantId }, ctx());
    expect(await register('customer')).toMatchObject({ case: 'consultant-to-customer', kind: 'customer', status: 'active' });
    expect(await countRows(db, 'consultants', { document_number: '71555666' })).toBe(1);
    expect(await db('consultant_registrations').where({ consultant_id: customer.consultantId }).orderBy(['created_at', 'id']).pluck('case')).toEqual([
      'new-customer', 'already-registered', 'customer-to-consultant', 'already-registered', 'returning-consultant', 'consultant-to-customer',
    ]);
    expect(await db('status_changes').where({ entity: 'consultant', entity_id: customer.consultantId }).orderBy('id').select('from_status', 'to_status')).toEqual([
      { from_status: 'active', to_status: 'pre-registered' }, { from_status: 'pre-registered', to_status: 'active' },
      { from_status: 'inactive', to_status: 'pre-registered' }, { from_status: 'pre-registered', to_status: 'active' }, { from_status: 'active', to_status: 'active' },
    ]);
    // A customer sponsors no one.
    expect(await call('consultants.lookupSponsor', { documentNumber: '71555666' }, ctx())).toMatchObject({ found: false });
  });
});


describe('trial clock, modules and checkout', () => {
  test("a trial's expiry counts from the workflow's clock when it is given", async () => {
    const startedAt = '2027-03-01T10:00:00.000Z';
    const result = await call('accounts.createTrial', trialInput({ startedAt }), ctx('createAccount'));
    expect(result.expiresAt).toBe('2027-03-31T10:00:00.000Z');
  });

  test('activating modules twice with the same key adds each once; a live module is not sold twice', async () => {
    const accountId = await trialAccount();
    const c = ctx('activateServices');
    const first = await call('subscriptions.activateModules', { accountId, modules: ['inventario', 'remuneraciones'] }, c);
    expect(await call('subscriptions.activateModules', { accountId, modules: ['inventario', 'remuneraciones'] }, c)).toEqual(first);
    expect(first).toMatchObject({ total: 7990 + 9990, beforeFirstInvoice: true });
    const later = await call('subscriptions.activateModules', { accountId, modules: ['inventario', 'usuarios-extra'] }, ctx('activateServices'));
    expect(later.items.map((i: { module: string }) => i.module)).toEqual(['usuarios-extra']);
    expect(await countRows(db, 'subscription_items', { account_id: accountId })).toBe(3);
    expect((await rejectionOf(call('subscriptions.activateModules', { accountId, modules: ['teleport'] }, ctx()), ApplicationFailure)).type).toBe('InvalidInput');
  });

  test('a checkout is written once per key; the same transaction under another key is a duplicate that writes nothing', async () => {
    const accountId = await trialAccount();
    const input = { accountId, amount: 29990, method: 'webpay', transactionId: 'tx-dup' };
    const c = ctx('checkout');
    const first = await call('billing.checkout', input, c);
    expect(await call('billing.checkout', input, c)).toEqual(first);
    expect(first).toMatchObject({ kind: 'first-period', newCustomer: true, amount: 29990, duplicate: false, channel: 'Canal Digital' });
    const other = await call('billing.checkout', input, ctx('checkout'));
    expect(other).toMatchObject({ duplicate: true, invoiceId: first.invoiceId });
    for (const table of ['orders', 'payments', 'invoices']) expect(await countRows(db, table, { account_id: accountId })).toBe(1);
    // Nothing else is due once the first period is paid.
    const err = await rejectionOf(call('billing.checkout', { ...input, transactionId: 'tx-next' }, ctx('checkout')), ApplicationFailure);
    expect(err.type).toBe('NothingDue');
  });
});

describe('revoking and paying modules', () => {
  test('a retried revocation returns what it revoked and never takes a module activated after it', async () => {
    const accountId = await trialAccount();
    await call('subscriptions.activateModules', { accountId, modules: ['inventario', 'remuneraciones'] }, ctx('activate'));
    const revoke = ctx('revokeUnpaid');
    const first = await call('subscriptions.revokeUnpaid', { accountId }, revoke);
    expect(first.revoked).toEqual(['inventario', 'remuneraciones']);

    await call('subscriptions.activateModules', { accountId, modules: ['factura-plus'] }, ctx('activate'));
    expect(await call('subscriptions.revokeUnpaid', { accountId }, revoke)).toEqual(first);
    expect(await db('subscription_items').where({ account_id: accountId, module_code: 'factura-plus' }).first('status')).toEqual({ status: 'activated' });
  });

  test('a checkout for another amount than the one due is AmountMismatch and writes nothing', async () => {
    const accountId = await trialAccount();
    const err = await rejectionOf(call('billing.checkout', { accountId, amount: 1000, method: 'webpay', transactionId: 'tx-short' }, ctx('checkout')), ApplicationFailure);
    expect(err).toMatchObject({ type: 'AmountMismatch', nonRetryable: true });
    expect(err.message).toBe('paid 1000 CLP but 29990 CLP is due');
    for (const table of ['orders', 'payments', 'invoices']) expect(await countRows(db, table, { account_id: accountId })).toBe(0);
  });
});

describe('estimate answers (seed 001)', () => {
  const store = () => createEstimateStore(db);
  const totals = { grossMinor: 100, discountMinor: 0, netMinor: 100, taxMinor: 19, totalMinor: 119 };
  async function sentEstimate() {
    const row = await store().create({ customerName: 'Andina', customerEmail: 'compras@andina.co', process: { id: `lead-${++seq}`, businessKey: `lead-${seq}` }, currency: 'COP', lines: [], totals, createdBy: 'valentina' });
    await db('estimates').where({ id: row.id }).update({ status: 'sent' });
    return row;
  }

  test("recordAnswer marks a version still waiting, the same answer again changes nothing, and a revised version is not accepted behind the salesperson's back", async () => {
    const sent = await sentEstimate();
    const input = { estimateId: sent.id, decision: 'accepted', answeredBy: 'compras@andina.co' };
    const first = await call('estimates.recordAnswer', input, ctx('recordAnswer'));
    expect(first).toEqual({ recorded: true, estimateId: sent.id, version: 1, status: 'accepted', totalMinor: 119, currency: 'COP' });
    const decidedAt = (await store().get(sent.id))!.decided_at;
    expect(await call('estimates.recordAnswer', input, ctx('recordAnswer'))).toEqual(first);
    expect((await store().get(sent.id))!.decided_at).toEqual(decidedAt);

    const revised = await sentEstimate();
    await db('estimates').where({ id: revised.id }).update({ status: 'superseded' });
    expect(await call('estimates.recordAnswer', { ...input, estimateId: revised.id }, ctx('recordAnswer'))).toMatchObject({ recorded: false, status: 'superseded' });
    expect((await store().get(revised.id))!.decided_at).toBeNull();
  });

  test('a decline keeps its reason; an unknown estimate is NotFound and a bad decision InvalidInput, not retried', async () => {
    const sent = await sentEstimate();
    expect(await call('estimates.recordAnswer', { estimateId: sent.id, decision: 'declined', reason: 'Muy caro', answeredBy: 'compras@andina.co' }, ctx('recordAnswer'))).toMatchObject({ recorded: true, status: 'declined' });
    expect(await store().get(sent.id)).toMatchObject({ decline_reason: 'Muy caro', decided_by: 'compras@andina.co' });
    const unknown = await rejectionOf(call('estimates.recordAnswer', { estimateId: '00000000-0000-4000-8000-000000000000', decision: 'accepted', answeredBy: 'a@b.co' }, ctx('recordAnswer')), ApplicationFailure);
    expect(unknown).toMatchObject({ type: 'NotFound', nonRetryable: true });
    const bad = await rejectionOf(call('estimates.recordAnswer', { estimateId: sent.id, decision: 'maybe', answeredBy: 'a@b.co' }, ctx('recordAnswer')), ApplicationFailure);
    expect(bad).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
  });
});

describe('conversion to customer (seed 001)', () => {
  const totals = { grossMinor: 100000, discountMinor: 0, netMinor: 100000, taxMinor: 19000, totalMinor: 119000 };
  const contact = { name: 'Laura Restrepo', email: 'laura@panaderiaeltrigal.co' };
  async function acceptedEstimate(c: StepContext, status = 'accepted') {
    const row = await createEstimateStore(db).create({ customerName: contact.name, customerEmail: contact.email, process: { id: c.instanceId, businessKey: c.businessKey }, currency: 'COP', lines: [], totals, createdBy: 'valentina' });
    await db('estimates').where({ id: row.id }).update({ status });
    return row;
  }

  test('convert writes the customer, portal credentials, one welcome e-mail and a draft invoice once, however often it runs', async () => {
    const c = ctx('convert');
    const estimate = await acceptedEstimate(c);
    const input = { estimateId: estimate.id, contact: { ...contact, email: `laura${++seq}@panaderiaeltrigal.co` }, company: { name: 'Panadería El Trigal S.A.S.', taxId: '900123456-7' }, convertedBy: 'valentina' };
    const tables = ['customers', 'portal_credentials', 'invoices', 'outbox'];
    const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await countRows(db, t)])));
    const before = await counts();
    const first = await call('customers.convert', input, c);
    expect(await call('customers.convert', input, c)).toEqual(first);
    expect(await counts()).toEqual({
      customers: before.customers + 1, portal_credentials: before.portal_credentials + 1, invoices: before.invoices + 1, outbox: before.outbox + 1,
    });
    expect(first).toMatchObject({ invoiceStatus: 'draft', amount: 1190, currency: 'COP', portalEmail: input.contact.email });
    expect(await db('invoices').where({ id: first.invoiceId }).first()).toMatchObject({ number: null, customer_name: 'Panadería El Trigal S.A.S.', customer_tax_id: '900123456-7', channel: 'Portal de clientes' });
  });

  async function draftInvoice(): Promise<string> {
    const c = ctx('convert');
    const estimate = await acceptedEstimate(c);
    return (await call('customers.convert', { estimateId: estimate.id, contact: { ...contact, email: `draft${++seq}@panaderiaeltrigal.co` }, convertedBy: 'valentina' }, c)).invoiceId;
  }

  test('drafts issued at once, beside other invoices and a transaction that rolls back, take consecutive numbers: no gap, no repeat', async () => {
    const drafts = await Promise.all([1, 2, 3, 4].map(() => draftInvoice()));
    const highest = Number((await db('invoices').max<{ max: number }[]>('number as max'))[0].max);
    const rolledBack = db.transaction(async (trx) => {
      await takeFolio(trx);
      throw new Error('the invoice could not be written');
    });
    const [issued, other] = await Promise.all([
      Promise.all(drafts.map((invoiceId) => call('invoices.issueDraft', { invoiceId }, ctx('issueInvoice')))),
      call('invoices.issue', { customerTaxId: '76.086.428-5', customerName: 'Otra', description: 'Plan', amount: 1000 }, ctx('issue')),
      rolledBack.catch((err: Error) => err.message),
    ]);
    const numbers = [...issued.map((i) => i.number), other.number].sort((x, y) => x - y);
    expect(numbers).toEqual([1, 2, 3, 4, 5].map((n) => highest + n));
    expect(issued.every((i) => i.status === 'issued' && i.issuedAt)).toBe(true);
    // Issuing again is a retry: the same number.
    expect(await call('invoices.issueDraft', { invoiceId: drafts[0] }, ctx('issueInvoice'))).toEqual(issued[0]);
  });

  test('a draft whose lines do not add up to its amount is refused before a number is taken', async () => {
    const draft = await draftInvoice();
    // Its estimate had no lines; one that says 100.00 makes the sum disagree with 1190.00.
    await db('invoice_lines').insert({ invoice_id: draft, line_no: 1, description: 'Kontaly Pro', amount: 100 });
    const folio = async () => (await db('invoice_folio').where({ series: 'invoice' }).first()).last;
    const before = await folio();
    const refused = await rejectionOf(call('invoices.issueDraft', { invoiceId: draft }, ctx('issueInvoice')), ApplicationFailure);
    expect(refused).toMatchObject({ type: 'TotalsMismatch', nonRetryable: true, message: `invoice ${draft} cannot be issued: its lines add up to 100.00, not its amount 1190.00` });
    expect(await folio()).toBe(before);
    expect(await db('invoices').where({ id: draft }).first()).toMatchObject({ status: 'draft', number: null });
  });

  test('an invoice goes draft → issued → sent, or to void; a step it cannot take is InvalidInput', async () => {
    const draft = await draftInvoice();
    const markSent = (invoiceId: string) => call('invoices.markSent', { invoiceId }, ctx('markSent'));
    expect(await rejectionOf(markSent(draft), ApplicationFailure)).toMatchObject({ type: 'InvalidInput', message: expect.stringContaining('is draft: it cannot become sent') });
    await call('invoices.issueDraft', { invoiceId: draft }, ctx('issueInvoice'));
    expect(await markSent(draft)).toMatchObject({ status: 'sent' });
    expect(await markSent(draft)).toMatchObject({ status: 'sent' });
    expect(await call('invoices.void', { invoiceId: draft }, ctx('void'))).toMatchObject({ status: 'void' });

    const voided = await draftInvoice();
    expect(await call('invoices.void', { invoiceId: voided }, ctx('void'))).toMatchObject({ status: 'void', number: null });
    expect(await rejectionOf(call('invoices.issueDraft', { invoiceId: voided }, ctx('issueInvoice')), ApplicationFailure)).toMatchObject({ type: 'InvalidInput', message: expect.stringContaining('is void') });
    expect(await rejectionOf(call('invoices.issueDraft', { invoiceId: '00000000-0000-4000-8000-000000000000' }, ctx('issueInvoice')), ApplicationFailure)).toMatchObject({ type: 'NotFound' });
  });

  test("an e-mail that already signs another customer into the portal, in any case, stops the conversion (not retried), and nothing is written", async () => {
    const email = `compartido${++seq}@panaderiaeltrigal.co`;
    const first = ctx('convert');
    await call('customers.convert', { estimateId: (await acceptedEstimate(first)).id, contact: { ...contact, email }, convertedBy: 'valentina' }, first);
    const second = ctx('convert');
    const estimate = await acceptedEstimate(second);
    const counts = async () => [await countRows(db, 'customers'), await countRows(db, 'invoices'), await countRows(db, 'outbox')];
    const before = await counts();
    const taken = await rejectionOf(call('customers.convert', { estimateId: estimate.id, contact: { ...contact, email: email.toUpperCase() }, convertedBy: 'valentina' }, second), ApplicationFailure);
    expect(taken).toMatchObject({ type: 'PortalEmailTaken', nonRetryable: true, message: expect.stringContaining('already signs another customer into the portal') });
    expect(await counts()).toEqual(before);
  });

  test('only an accepted estimate of this very process converts: InvalidInput otherwise, and nothing is written', async () => {
    const c = ctx('convert');
    const counts = async () => [await countRows(db, 'customers'), await countRows(db, 'invoices')];
    const before = await counts();
    const sent = await acceptedEstimate(c, 'sent');
    const notAccepted = await rejectionOf(call('customers.convert', { estimateId: sent.id, contact, convertedBy: 'valentina' }, c), ApplicationFailure);
    expect(notAccepted).toMatchObject({ type: 'InvalidInput', nonRetryable: true, message: expect.stringContaining('is sent: only an accepted estimate converts a lead') });
    const elsewhere = await acceptedEstimate(ctx('convert'));
    const other = await rejectionOf(call('customers.convert', { estimateId: elsewhere.id, contact, convertedBy: 'valentina' }, c), ApplicationFailure);
    expect(other).toMatchObject({ type: 'InvalidInput', message: expect.stringContaining('belongs to another process') });
    expect(await counts()).toEqual(before);
  });
});
