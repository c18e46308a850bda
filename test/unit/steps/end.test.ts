/** The end step (workflows/steps/end.ts) on a fake StepServices. */
import { end } from '../../../workflows/steps/end';
import { FakeServices, runStep } from './fake-services';

it('ends with the outcome the step names', async () => {
  const services = new FakeServices();
  await expect(runStep(end, { type: 'end', outcome: 'won' }, services)).resolves.toMatchObject({ transition: { end: true, outcome: 'won' } });
  expect(services.engineCalls).toEqual([]);
});

it('ends with no outcome when the step names none', async () => {
  await expect(runStep(end, { type: 'end' }, new FakeServices())).resolves.toMatchObject({ transition: { end: true, outcome: null } });
});
