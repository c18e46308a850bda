/** The send step (workflows/steps/send.ts) on a fake StepServices. */
import type { SendStep } from '../../../workflows/model';
import { send } from '../../../workflows/steps/send';
import { workflowIdOf } from '../../../workflows/workflow-ids';
import { FakeServices, runStep } from './fake-services';

const handOver: SendStep = {
  type: 'send',
  to: { definition: 'assisted-sale', businessKey: '=company.rut' },
  event: 'lead',
  payload: { contact: '=contact.email', source: 'funnel' },
  output: 'handedOver',
  next: 'done',
};

const at = { pos: { stepId: 'handOver' } };
const variables = () => ({ company: { rut: '76/123' }, contact: { email: 'ana@acme.cl' } });

it('signals the event to the workflow of that definition and business key, with the visit as event id', async () => {
  const services = new FakeServices(variables());
  services.running.add(workflowIdOf('assisted-sale', '76/123'));

  const { transition } = await runStep(send, handOver, services, at);

  expect(transition).toEqual({ next: 'done' });
  expect(services.signals).toEqual([
    {
      workflowId: 'assisted-sale/76%2F123',
      event: { name: 'lead', eventId: 'inst-1:handOver:1', payload: { contact: 'ana@acme.cl', source: 'funnel' }, actor: 'process:inst-1' },
    },
  ]);
  expect(services.variables.handedOver).toEqual({ delivered: true });
});

it('goes on when nothing runs for that key, recording that nothing was delivered', async () => {
  const services = new FakeServices(variables());

  const { transition } = await runStep(send, handOver, services, at);

  expect(transition).toEqual({ next: 'done' });
  expect(services.signals).toEqual([]);
  expect(services.variables.handedOver).toEqual({ delivered: false });
});

it('sends an empty payload when the step maps none, and keeps no output unless asked', async () => {
  const services = new FakeServices(variables());
  services.running.add(workflowIdOf('assisted-sale', '76/123'));

  const { transition } = await runStep(send, { type: 'send', to: handOver.to, event: 'lead' }, services, at);

  expect(transition).toEqual({ pathEnd: true });
  expect(services.signals[0].event.payload).toEqual({});
  expect(services.variables).toEqual(variables());
});
